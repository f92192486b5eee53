// datamosh.glsl: datamosh, the previous composite smeared along a motion field.
//
// A datamoshed video drops its key frames, so each new frame's motion vectors push the pixels of an
// old picture around instead of refreshing them. Here the frame is cut into DS_FX_MOSH_BLOCK-pixel
// blocks (top-left aligned). Each block gets a motion vector from two gradient-noise fields over
// (block centre / height * 2.5, frame * 0.04), so neighbouring blocks and consecutive frames move
// alike and the smear streams in coherent swirls:
//   v = round(2 n * intensity * DS_FX_MOSH_SPEED * height),   n from noiseGradient3, roughly [-1, 1]^2
// A block is "held" when h = 0.5 + 0.5 * n_hold + 0.15 * (r - 0.5) < DS_FX_MOSH_HOLD * intensity,
// with n_hold a third gradient-noise field over (block centre / height * 1.7, frame * 0.09) and r a
// per-block, per-frame random number: held regions are large and drift slowly, with ragged block
// edges. A held block shows the previous composite read at pt - v (so old content flows along v,
// frame after frame); other blocks are refreshed with the current picture, which bleeds in from
// the edges of the held regions. The caller keeps the previous composite in a feedback buffer
// and skips the effect on key frames (no previous picture), which makes the output of a frame a
// function of the frames since the last key frame only. Intensity 0 holds no block and gives v = 0.
//
//   ivec2 fxMoshVector(ivec2 pt, ivec2 size, float intensity, int seed, int frame)   derived: motion of pt's block, in pixels (top-down)
//   bool fxMoshHolds(ivec2 pt, ivec2 size, float intensity, int seed, int frame)     derived: whether pt's block keeps the moved previous picture
//   vec4 fxMoshCell(ivec2 cell, ivec2 size, float intensity, int seed, int frame)     derived: (v.x, v.y, 1 if held else 0, 0) of block `cell`, for a per-block table
//
// Parameters: intensity in [0, 1]; pt top-down pixel coordinates. Source: derived (the look of
// I-frame removal; Perlin 2002 gradient noise from lib/noise.glsl for the motion field).
// GLSL 3.30 core and GLSL ES 3.00 compatible; no #version line.

#include "lib/noise.glsl"
#include "fx/random.glsl"

#define DS_FX_MOSH_BLOCK 16
#define DS_FX_MOSH_SPEED 0.03
#define DS_FX_MOSH_HOLD 0.8
#define DS_FX_SALT_MOSH 301

ivec2 fxMoshVector(ivec2 pt, ivec2 size, float intensity, int seed, int frame) {
    if (intensity <= 0.0) {
        return ivec2(0, 0);
    }
    ivec2 cell = pt / DS_FX_MOSH_BLOCK;
    vec2 centre = (vec2(cell) + 0.5) * float(DS_FX_MOSH_BLOCK) / float(size.y);
    vec3 p = vec3(centre * 2.5, float(frame) * 0.04);
    vec2 n = vec2(noiseGradient3(p, float(seed)), noiseGradient3(p + vec3(17.3, 5.1, 0.0), float(seed)));
    return ivec2(round(n * 2.0 * intensity * DS_FX_MOSH_SPEED * float(size.y)));
}

bool fxMoshHolds(ivec2 pt, ivec2 size, float intensity, int seed, int frame) {
    if (intensity <= 0.0) {
        return false;
    }
    ivec2 cell = pt / DS_FX_MOSH_BLOCK;
    vec2 centre = (vec2(cell) + 0.5) * float(DS_FX_MOSH_BLOCK) * 1.7 / float(size.y);
    float n = noiseGradient3(vec3(centre, float(frame) * 0.09), float(seed) + 7.0);
    float h = 0.5 + 0.5 * n + 0.15 * (fxRand(seed, frame, DS_FX_SALT_MOSH, cell) - 0.5);
    return h < DS_FX_MOSH_HOLD * intensity;
}

vec4 fxMoshCell(ivec2 cell, ivec2 size, float intensity, int seed, int frame) {
    ivec2 pt = cell * DS_FX_MOSH_BLOCK;
    ivec2 v = fxMoshVector(pt, size, intensity, seed, frame);
    return vec4(vec2(v), fxMoshHolds(pt, size, intensity, seed, frame) ? 1.0 : 0.0, 0.0);
}
