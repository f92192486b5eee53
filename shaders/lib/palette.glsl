// palette.glsl: colour palettes mapping a scalar t to RGB.
//
//   vec3 palCosine(float t, vec3 a, vec3 b, vec3 c, vec3 d)          Inigo Quilez, "palettes": a + b * cos(tau * (c * t + d))
//   vec3 palRamp4(float t, vec3 c0, vec3 c1, vec3 c2, vec3 c3)       derived: piecewise linear through c0..c3 at t = 0, 1/3, 2/3, 1; t clamped to [0, 1]
//
// GLSL 3.30 core and GLSL ES 3.00 compatible; no #version line.

#include "lib/common.glsl"

vec3 palCosine(float t, vec3 a, vec3 b, vec3 c, vec3 d) {
    return a + b * cos(DS_TAU * (c * t + d));
}

vec3 palRamp4(float t, vec3 c0, vec3 c1, vec3 c2, vec3 c3) {
    float x = clamp(t, 0.0, 1.0) * 3.0;
    vec3 col = mix(c0, c1, clamp(x, 0.0, 1.0));
    col = mix(col, c2, clamp(x - 1.0, 0.0, 1.0));
    col = mix(col, c3, clamp(x - 2.0, 0.0, 1.0));
    return col;
}
