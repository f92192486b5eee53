// blocks.glsl: block displacement and macroblock corruption, in aligned 16x16 blocks.
//
// A broken video stream loses runs of macroblocks: from the first damaged block the decoder
// misreads every block in raster order until it resynchronises, copying them from the wrong place,
// keeping only a coarse version of them, or repeating a row down the block, and getting their
// brightness (DC) and chroma wrong. Per frame, each of DS_FX_BLOCK_EVENTS error events happens with
// probability intensity; an event starts at a random block and runs 1 + r * intensity *
// DS_FX_BLOCK_RUN * (block count) blocks on in raster order (so it covers the end of one block row,
// whole rows, and the start of another). Any block is also hit on its own with probability
// 0.025 * intensity. A later event overrides an earlier one. An event has a main mode, used by 80%
// of its blocks (the others pick one at random):
//   mode 0 (55%) displaced by the event's vector (dx, dy), |dx| <= intensity * DS_FX_BLOCK_MAX_DX *
//           width, |dy| <= intensity * DS_FX_BLOCK_MAX_DY * height, whole pixels, wrapped; never 0
//   mode 1 (25%) coarse: each 4x4 cell of the block reads one pixel of itself (lost AC terms)
//   mode 2 (20%) smeared: every pixel reads the block's top row (vertical streaks)
// and a colour error: luma offset of +-(0.04 .. 0.14) * intensity, and for 35% of events a chroma
// push of (0.08 .. 0.22) * intensity toward green or magenta (BT.601 YCbCr). Blocks are aligned
// to the frame's top-left corner, so every change lies in block-aligned rectangles. Intensity 0
// leaves every block intact.
//
//   vec4 fxBlocksCell(ivec2 cell, ivec2 size, float intensity, int seed, int frame)       derived: (code, dx, dy, 0) of block `cell`; code 0 = intact, else 1 + mode + 3 * event
//   ivec2 fxBlocksRead(ivec2 pt, vec4 cellInfo, ivec2 size)                               derived: the pixel to read for pt, given its block's fxBlocksCell
//   ivec3 fxBlocksSource(ivec2 pt, ivec2 size, float intensity, int seed, int frame)      derived: (x, y, code): fxBlocksRead and the code in one call
//   vec3 fxBlocksTint(vec3 c, int code, float intensity, int seed, int frame)             derived: the colour error of code's event (identity for code 0)
//
// Parameters: intensity in [0, 1]; pt top-down pixel coordinates inside the frame, cell = pt /
// DS_FX_BLOCK (the compositor evaluates fxBlocksCell once per block, see fx/fields.glsl). Events are
// numbered 0..DS_FX_BLOCK_EVENTS - 1, isolated blocks DS_FX_BLOCK_EVENTS.
// Source: derived (BT.601 luma/chroma coefficients). GLSL 3.30 core and GLSL ES 3.00 compatible.

#include "fx/random.glsl"

#define DS_FX_BLOCK 16
#define DS_FX_BLOCK_EVENTS 4
#define DS_FX_BLOCK_RUN 0.25
#define DS_FX_BLOCK_MAX_DX 0.3
#define DS_FX_BLOCK_MAX_DY 0.4
#define DS_FX_SALT_BLOCK_EVENT 201
#define DS_FX_SALT_BLOCK 202

vec4 fxBlocksCell(ivec2 cell, ivec2 size, float intensity, int seed, int frame) {
    if (intensity <= 0.0) {
        return vec4(0.0);
    }
    int cols = (size.x + DS_FX_BLOCK - 1) / DS_FX_BLOCK;
    int rows = (size.y + DS_FX_BLOCK - 1) / DS_FX_BLOCK;
    int index = cell.y * cols + cell.x;
    int event = -1;
    for (int e = 0; e < DS_FX_BLOCK_EVENTS; e++) {
        vec3 r = fxRand3(seed, frame, DS_FX_SALT_BLOCK_EVENT, ivec2(e, 0));
        if (r.x < intensity) {
            int start = int(r.y * float(cols * rows));
            int len = 1 + int(r.z * intensity * DS_FX_BLOCK_RUN * float(cols * rows));
            if (index >= start && index < start + len) {
                event = e;
            }
        }
    }
    vec3 b = fxRand3(seed, frame, DS_FX_SALT_BLOCK, cell);
    if (event < 0) {
        if (b.x >= 0.025 * intensity) {
            return vec4(0.0);
        }
        event = DS_FX_BLOCK_EVENTS;
    }
    vec3 v = fxRand3(seed, frame, DS_FX_SALT_BLOCK_EVENT, ivec2(event, 1));
    float pick = (b.y < 0.8) ? v.z : b.z;
    int mode = (pick < 0.55) ? 0 : ((pick < 0.8) ? 1 : 2);
    float dx = round((v.x * 2.0 - 1.0) * intensity * DS_FX_BLOCK_MAX_DX * float(size.x));
    float dy = round((v.y * 2.0 - 1.0) * intensity * DS_FX_BLOCK_MAX_DY * float(size.y));
    if (dx == 0.0 && dy == 0.0) {
        dx = float(DS_FX_BLOCK);
    }
    return vec4(float(1 + mode + 3 * event), dx, dy, 0.0);
}

ivec2 fxBlocksRead(ivec2 pt, vec4 cellInfo, ivec2 size) {
    int code = int(cellInfo.x);
    if (code <= 0) {
        return pt;
    }
    int mode = (code - 1) % 3;
    if (mode == 1) {
        return min((pt / 4) * 4 + ivec2(2, 2), size - 1);
    }
    if (mode == 2) {
        return ivec2(pt.x, (pt.y / DS_FX_BLOCK) * DS_FX_BLOCK);
    }
    return ivec2(fxWrap(pt.x + int(cellInfo.y), size.x), fxWrap(pt.y + int(cellInfo.z), size.y));
}

ivec3 fxBlocksSource(ivec2 pt, ivec2 size, float intensity, int seed, int frame) {
    vec4 info = fxBlocksCell(pt / DS_FX_BLOCK, size, intensity, seed, frame);
    return ivec3(fxBlocksRead(pt, info, size), int(info.x));
}

vec3 fxBlocksTint(vec3 c, int code, float intensity, int seed, int frame) {
    if (code <= 0 || intensity <= 0.0) {
        return c;
    }
    int event = (code - 1) / 3;
    vec3 h = fxRand3(seed, frame, DS_FX_SALT_BLOCK_EVENT, ivec2(event, 2));
    float y = dot(c, vec3(0.299, 0.587, 0.114));
    float dl = ((h.x < 0.5) ? -1.0 : 1.0) * mix(0.04, 0.14, fract(h.x * 2.0)) * intensity;
    if (h.y >= 0.35) {
        return clamp(c + dl, 0.0, 1.0);
    }
    float s = (h.z < 0.5) ? -1.0 : 1.0;
    float push = s * mix(0.08, 0.22, fract(h.z * 2.0)) * intensity;
    float cb = (c.b - y) * 0.564 + push;
    float cr = (c.r - y) * 0.713 + push;
    y += dl;
    return clamp(vec3(y + 1.403 * cr, y - 0.344 * cb - 0.714 * cr, y + 1.773 * cb), 0.0, 1.0);
}
