// random.glsl: deterministic random numbers for the compositor effects.
//
// Every random choice an effect makes is a function of (seed, frame index, salt, integer cell),
// never of time or of the fragment position alone, so one frame index always gives the same
// glitch and a video renders the same in one pass, in segments or on several workers. The salt
// separates the decisions of different effects (and of different choices within one effect); the
// cell is a band, block or pixel index. Hash: one round of pcg3d (Jarzynski & Olano 2020, JCGT
// 9(3), `dsHash3` in lib/noise.glsl), a 3D -> 3D hash made for such lattice inputs, over
//   (cell.x + salt * 0x9E3779B9, cell.y + seed * 0x85EBCA6B, frame + salt * 0xC2B2AE35 + seed * 0x27D4EB2F)
// (mod 2^32; the odd constants spread small salts and seeds over the lanes). One round, not two:
// effects hash per pixel, and on a CPU rasteriser the second round cost about a millisecond a frame.
//
//   vec3 fxRand3(int seed, int frame, int salt, ivec2 cell)   derived: one pcg3d round, three values in [0, 1)
//   float fxRand(int seed, int frame, int salt, ivec2 cell)   derived: fxRand3(...).x
//   int fxWrap(int x, int n)                                  derived: x mod n in [0, n) for either sign of x
//
// seed, frame, salt and the cell must be >= 0: GLSL ES leaves the int -> uint conversion of
// negative values undefined. Pixel coordinates in the fx files are top-down (row 0 is the top
// of the picture), like numpy images and like video codecs lay out their macroblocks.
// GLSL 3.30 core and GLSL ES 3.00 compatible; no #version line.

#include "lib/noise.glsl"

vec3 fxRand3(int seed, int frame, int salt, ivec2 cell) {
    uint s = uint(seed);
    uint a = uint(salt);
    uvec3 h = dsHash3(uvec3(uint(cell.x) + a * 0x9E3779B9u, uint(cell.y) + s * 0x85EBCA6Bu,
                            uint(frame) + a * 0xC2B2AE35u + s * 0x27D4EB2Fu));
    return vec3(dsHashToUnit(h.x), dsHashToUnit(h.y), dsHashToUnit(h.z));
}

float fxRand(int seed, int frame, int salt, ivec2 cell) {
    return fxRand3(seed, frame, salt, cell).x;
}

int fxWrap(int x, int n) {
    // GLSL leaves % undefined for negative operands; floor division is exact for |x| < 2^24.
    return x - n * int(floor(float(x) / float(n)));
}
