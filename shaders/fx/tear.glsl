// tear.glsl: scanline tearing, whole rows displaced sideways in bands (a VCR losing horizontal sync).
//
// Per frame the picture is cut into horizontal bands of one height (5-18% of the frame height,
// random phase). A band tears with probability 0.2 + 0.3 * intensity; a torn band's rows shift by
//   shift = sign * intensity * DS_FX_TEAR_MAX_SHIFT * width * m,   m = a * b * c in [0.09, 1]
// where a in [0.3, 1] is the band's strength, b in [0.55, 1] slants the tear (rows lower in the band
// shift further) and c in [0.55, 1] varies per sub-band of 2-6 rows (a ragged edge). Shifts are
// whole pixels and wrap around horizontally, so every row of the output is a circular shift of the
// corresponding input row; rows of untorn bands are unchanged, and |shift| <= intensity *
// DS_FX_TEAR_MAX_SHIFT * width (rounded). Intensity 0 returns 0 exactly.
//
//   int fxTearShift(int row, ivec2 size, float intensity, int seed, int frame)   derived: how far row `row` (top-down) moves right, in pixels
//   int fxTearSourceX(ivec2 pt, ivec2 size, float intensity, int seed, int frame)   derived: x to read for output pixel pt, wrapped into [0, width)
//
// Parameters: intensity in [0, 1]; seed and frame select the bands (see fx/random.glsl).
// Source: derived. GLSL 3.30 core and GLSL ES 3.00 compatible; no #version line.

#include "fx/random.glsl"

#define DS_FX_TEAR_MAX_SHIFT 0.2
#define DS_FX_SALT_TEAR 101

int fxTearShift(int row, ivec2 size, float intensity, int seed, int frame) {
    if (intensity <= 0.0) {
        return 0;
    }
    vec3 g = fxRand3(seed, frame, DS_FX_SALT_TEAR, ivec2(0, 0));
    int bandH = max(2, int(mix(0.05, 0.18, g.x) * float(size.y)));
    int y = row + int(g.y * float(bandH));
    int band = y / bandH;
    vec3 b = fxRand3(seed, frame, DS_FX_SALT_TEAR, ivec2(band, 1));
    if (b.x >= 0.2 + 0.3 * intensity) {
        return 0;
    }
    float along = float(y - band * bandH) / float(bandH);
    int subH = 2 + int(g.z * 5.0);
    float c = fxRand(seed, frame, DS_FX_SALT_TEAR, ivec2(y / subH, 2));
    float m = mix(0.3, 1.0, b.z) * mix(0.55, 1.0, along) * mix(0.55, 1.0, c);
    float sgn = (b.y < 0.5) ? -1.0 : 1.0;
    return int(round(sgn * m * intensity * DS_FX_TEAR_MAX_SHIFT * float(size.x)));
}

int fxTearSourceX(ivec2 pt, ivec2 size, float intensity, int seed, int frame) {
    return fxWrap(pt.x - fxTearShift(pt.y, size, intensity, seed, frame), size.x);
}
