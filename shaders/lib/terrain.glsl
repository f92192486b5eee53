// terrain.glsl: noise heightfields for terrain primitives.
//
// float dsTerrainHeight(vec2 xz, float amp, float wavelength, int octaves, float ridge, float gain, float seed)
//     height of the terrain surface above its base; fBm blended towards ridged fBm by `ridge`.
//     The distance to a heightfield is a bound: the caller divides (p.y - h) by
//     sqrt(1 + max|grad h|^2), which the compiler computes from amp, wavelength and gain.
// Source: derived (standard fBm heightfield, Musgrave's ridged multifractal idea).
#include "lib/noise.glsl"

float dsTerrainHeight(vec2 xz, float amp, float wavelength, int octaves, float ridge, float gain, float seed) {
    vec2 q = xz / wavelength;
    float h = 0.0;
    if (ridge < 1.0) {
        h = fbm2(q, octaves, 2.0, gain, seed);
    }
    if (ridge > 0.0) {
        h = mix(h, fbmRidged2(q, octaves, 2.0, gain, seed) * 2.0 - 1.0, ridge);
    }
    return amp * h;
}
