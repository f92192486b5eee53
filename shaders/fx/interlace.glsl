// interlace.glsl: interlacing and VHS tape noise.
//
// Geometry (read before sampling): every row wobbles sideways by a smooth noise of row and frame
// (noiseGradient2 at (row * 0.11, frame * 0.7), up to DS_FX_VHS_JITTER pixels at intensity 1), and a tracking band (DS_FX_VHS_BAND of the height, its
// weight w a tent over the band) rolls down the picture once every DS_FX_VHS_ROLL_FRAMES frames,
// shearing its rows right by up to intensity * DS_FX_VHS_BAND_SHIFT * width * w^2.
// Colour (after sampling): rows of the old field (row parity != frame parity) show the previous
// frame mixed in by 0.85 * intensity (combing on anything that moves); odd rows are darkened by
// DS_FX_SCANLINE_DARK * intensity (scanlines); per-pixel grain of +-DS_FX_VHS_GRAIN/2 * intensity
// (luma, with a third as much chroma); short white dropout streaks (12 pixels, on a per-row
// offset grid), rare everywhere and frequent in the tracking band; the band is washed out.
// Grain hashes (seed, frame, pixel): it averages out over any area that could flash. Dropouts
// hash (seed, pattern, pixel): `pattern` is the frame index, or a value held for several frames
// (a nexus's photosensitivity limiter). Both are random but reproducible.
// Intensity 0 changes nothing.
//
//   float fxVhsBand(int row, ivec2 size, int seed, int frame)                         derived: tracking band weight of a row, in [0, 1]
//   int fxVhsShift(int row, ivec2 size, float intensity, int seed, int frame)         derived: how far row `row` moves right, in pixels
//   vec3 fxInterlace(vec3 c, vec3 previous, bool hasPrevious, ivec2 pt, float band, float intensity, int seed, int frame, int pattern)   derived: combing, scanlines, grain, dropouts (pattern: the dropouts' random state)
//
// Parameters: intensity in [0, 1]; pt top-down pixel coordinates; band = fxVhsBand(pt.y, ...);
// previous is the previous frame's colour at pt (used only when hasPrevious).
// Source: derived (Perlin 2002 gradient noise for the wobble). GLSL 3.30 core and GLSL ES 3.00.

#include "lib/noise.glsl"
#include "fx/random.glsl"

#define DS_FX_VHS_JITTER 1.5
#define DS_FX_VHS_BAND 0.09
#define DS_FX_VHS_BAND_SHIFT 0.06
#define DS_FX_VHS_ROLL_FRAMES 90
#define DS_FX_VHS_GRAIN 0.1
#define DS_FX_SCANLINE_DARK 0.3
#define DS_FX_SALT_VHS_BAND 401
#define DS_FX_SALT_VHS_ROW 402
#define DS_FX_SALT_VHS_GRAIN 403
#define DS_FX_SALT_VHS_DROP 404

float fxVhsBand(int row, ivec2 size, int seed, int frame) {
    float h = float(size.y);
    float bh = max(2.0, DS_FX_VHS_BAND * h);
    int phase = int(fxRand(seed, 0, DS_FX_SALT_VHS_BAND, ivec2(0, 0)) * float(DS_FX_VHS_ROLL_FRAMES));
    float roll = float((frame + phase) % DS_FX_VHS_ROLL_FRAMES) / float(DS_FX_VHS_ROLL_FRAMES);
    float centre = roll * (h + 2.0 * bh) - bh;
    return clamp(1.0 - abs(float(row) + 0.5 - centre) / bh, 0.0, 1.0);
}

int fxVhsShift(int row, ivec2 size, float intensity, int seed, int frame) {
    if (intensity <= 0.0) {
        return 0;
    }
    float wobble = noiseGradient2(vec2(float(row) * 0.11, float(frame) * 0.7), float(seed));
    float w = fxVhsBand(row, size, seed, frame);
    float r = fxRand(seed, frame, DS_FX_SALT_VHS_ROW, ivec2(row, 0));
    float band = w * w * mix(0.5, 1.0, r) * DS_FX_VHS_BAND_SHIFT * float(size.x);
    return int(round(intensity * (wobble * DS_FX_VHS_JITTER + band)));
}

vec3 fxInterlace(vec3 c, vec3 previous, bool hasPrevious, ivec2 pt, float band, float intensity, int seed, int frame,
                 int pattern) {
    if (intensity <= 0.0) {
        return c;
    }
    if (hasPrevious && (pt.y & 1) != (frame & 1)) {
        c = mix(c, previous, 0.85 * intensity);
    }
    if ((pt.y & 1) == 1) {
        c *= 1.0 - DS_FX_SCANLINE_DARK * intensity;
    }
    float w = band;
    vec3 g = fxRand3(seed, frame, DS_FX_SALT_VHS_GRAIN, pt);
    c += intensity * DS_FX_VHS_GRAIN * (vec3(g.x - 0.5) + (vec3(g.y, 0.5 * (g.y + g.z), g.z) - 0.5) / 3.0);
    float luma = dot(c, vec3(0.299, 0.587, 0.114));
    c = mix(c, vec3(luma + 0.15 * w), 0.6 * w * intensity);
    int rowOffset = int(fxRand(seed, pattern, DS_FX_SALT_VHS_ROW, ivec2(pt.y, 1)) * 12.0);
    float drop = fxRand(seed, pattern, DS_FX_SALT_VHS_DROP, ivec2((pt.x + rowOffset) / 12, pt.y));
    if (drop < intensity * (0.002 + 0.25 * w * w)) {
        c = mix(c, vec3(0.95), 0.85);
    }
    return clamp(c, 0.0, 1.0);
}
