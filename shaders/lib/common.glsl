// common.glsl: constants and small helpers shared by every shader family.
//
// Macros (all DS_-prefixed):
//   DS_PI           pi
//   DS_TAU          2 * pi
//   DS_MAX_OCTAVES  loop bound for fbm octaves (10; #define it before including to change)
//
// Functions:
//   mat2 dsRot2(float a)    rotation by angle a (radians): dsRot2(a) * v turns v counter-clockwise; derived
//
// GLSL 3.30 core and GLSL ES 3.00 compatible; no #version line (the including shader sets it).

#define DS_PI 3.14159265358979
#define DS_TAU 6.28318530717959

#ifndef DS_MAX_OCTAVES
#define DS_MAX_OCTAVES 10
#endif

mat2 dsRot2(float a) {
    float c = cos(a);
    float s = sin(a);
    // Column-major: columns (c, s) and (-s, c), i.e. [[c, -s], [s, c]].
    return mat2(c, s, -s, c);
}
