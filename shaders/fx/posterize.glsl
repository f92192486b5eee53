// posterize.glsl: posterisation, each channel quantised to a few levels.
//
// The number of levels falls geometrically with sqrt(intensity) (banding shows only below about
// 32 levels, so the square root spreads the visible range over more of [0, 1]), from 256 (no
// visible change) to DS_FX_POSTER_MIN_LEVELS at intensity 1:
//   t = sqrt(intensity),  L = round(256 ^ (1 - t) * DS_FX_POSTER_MIN_LEVELS ^ t)
//   c' = round(c * (L - 1)) / (L - 1)
// in the encoded (sRGB) values, so the 8-bit output holds at most L distinct values per channel.
// Intensity 0 returns c unchanged (no quantisation at all).
//
//   float fxPosterizeLevels(float intensity)     derived: L
//   vec3 fxPosterize(vec3 c, float intensity)    derived: c quantised to L levels per channel
//
// Parameters: intensity in [0, 1]. Source: derived. GLSL 3.30 core and GLSL ES 3.00 compatible.

#define DS_FX_POSTER_MIN_LEVELS 5.0

float fxPosterizeLevels(float intensity) {
    float t = sqrt(clamp(intensity, 0.0, 1.0));
    return floor(exp(mix(log(256.0), log(DS_FX_POSTER_MIN_LEVELS), t)) + 0.5);
}

vec3 fxPosterize(vec3 c, float intensity) {
    if (intensity <= 0.0) {
        return c;
    }
    float n = fxPosterizeLevels(intensity) - 1.0;
    return floor(clamp(c, 0.0, 1.0) * n + 0.5) / n;
}
