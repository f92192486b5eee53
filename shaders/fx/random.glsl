// random.glsl: deterministic random numbers for the compositor effects.
//
// Every random choice an effect makes is a function of (seed, frame index, salt, integer cell),
// never of time or of the fragment position alone, so one frame index always gives the same
// glitch and a video renders the same in one pass, in segments or on several workers. The salt
// separates the decisions of different effects (and of different choices within one effect); the
// cell is a band, block or pixel index. Hash: two rounds of pcg3d (Jarzynski & Olano 2020, JCGT
// 9(3), `dsHash3` in lib/noise.glsl): the first mixes (seed, frame, salt), the second adds the cell.
//
//   vec3 fxRand3(int seed, int frame, int salt, ivec2 cell)   derived: two pcg3d rounds, three values in [0, 1)
//   float fxRand(int seed, int frame, int salt, ivec2 cell)   derived: fxRand3(...).x
//   int fxWrap(int x, int n)                                  derived: x mod n in [0, n) for either sign of x
//
// seed, frame, salt and the cell must be >= 0: GLSL ES leaves the int -> uint conversion of
// negative values undefined. Pixel coordinates in the fx files are top-down (row 0 is the top
// of the picture), like numpy images and like video codecs lay out their macroblocks.
// GLSL 3.30 core and GLSL ES 3.00 compatible; no #version line.

#include "lib/noise.glsl"

vec3 fxRand3(int seed, int frame, int salt, ivec2 cell) {
    uvec3 k = dsHash3(uvec3(uint(seed), uint(frame), uint(salt)));
    uvec3 h = dsHash3(k + uvec3(uint(cell.x), uint(cell.y), 0x9E3779B9u));
    return vec3(dsHashToUnit(h.x), dsHashToUnit(h.y), dsHashToUnit(h.z));
}

float fxRand(int seed, int frame, int salt, ivec2 cell) {
    return fxRand3(seed, frame, salt, cell).x;
}

int fxWrap(int x, int n) {
    // GLSL leaves % undefined for negative operands; floor division is exact for |x| < 2^24.
    return x - n * int(floor(float(x) / float(n)));
}
