// noise.glsl: integer-hash noise and fractal sums (fbm), bit-compatible with tests/reference_glsl.py.
//
// Hash: pcg3d from Jarzynski & Olano 2020, "Hash Functions for GPU Rendering" (JCGT 9(3)):
// an LCG step on each lane, then lanes mixed by multiplying the other two, a xorshift, and a
// second mixing round. All uint arithmetic wraps mod 2^32 (GLSL ES needs highp int for this).
// Lattice cells are ivec3(floor(p)) reinterpreted as uint; the seed is uint(int(seed)) and is
// added per lane times odd constants before hashing. Gradient noise is Perlin's (2002,
// "Improving Noise"): quintic fade and the 12 cube-edge gradients (16 with 4 repeated) in 3D;
// 8 unit directions at 45-degree steps in 2D. It is 0 at every lattice point.
//
//   uvec3 dsHash3(uvec3 v)                                    Jarzynski & Olano 2020 (pcg3d)
//   float dsHashToUnit(uint h)                                derived: top 24 bits / 2^24, in [0, 1)
//   uint dsSeed(float seed)                                   derived: uint(int(seed))
//   uvec3 dsHashCell3(ivec3 c, uint s)                        derived: dsHash3(uvec3(c) + s * odd constants)
//   vec3 dsFade3(vec3 t)                                      Perlin 2002 quintic 6t^5 - 15t^4 + 10t^3
//   vec2 dsFade2(vec2 t)                                      Perlin 2002 quintic
//   float dsGrad3(uint h, vec3 f)                             Perlin 2002 gradient set, h in [0, 16)
//   float dsGrad2(uint h, vec2 f)                             derived: 8 unit directions, h in [0, 8)
//   float noiseValue3(vec3 p, float seed)                     derived: trilinear value noise, quintic fade, in [-1, 1)
//   float noiseGradient3(vec3 p, float seed)                  Perlin 2002 gradient noise, roughly [-1, 1]
//   float noiseGradient2(vec2 p, float seed)                  Perlin 2002 gradient noise (2D), scaled by sqrt(2) into [-1, 1]
//   float fbm3(vec3 p, int octaves, float lacunarity, float gain, float seed)        Musgrave fBm: sum gain^i * noiseGradient3(p * lacunarity^i, seed + i) / sum gain^i, roughly [-1, 1]
//   float fbm2(vec2 p, int octaves, float lacunarity, float gain, float seed)        Musgrave fBm (2D), roughly [-1, 1]
//   float fbmRidged3(vec3 p, int octaves, float lacunarity, float gain, float seed)  Musgrave ridged multifractal: r_i = clamp(1 - |n_i|, 0, 1)^2, sum gain^i * r_i * r_(i-1) / sum gain^i, in [0, 1]
//   float fbmRidged2(vec2 p, int octaves, float lacunarity, float gain, float seed)  Musgrave ridged multifractal (2D), in [0, 1]
//
// octaves is clamped to [0, DS_MAX_OCTAVES]; 0 octaves gives 0. Octave i uses seed + i; the sum is
// normalised by sum |gain^i|.
// GLSL 3.30 core and GLSL ES 3.00 compatible; no #version line.

#include "lib/common.glsl"

// Gradient noise 3D: the raw Perlin range with these gradients is about [-1, 1] already.
#define DS_GRAD3_SCALE 1.0
#define DS_GRAD2_SCALE 1.41421356
#define DS_DIAG 0.70710678

uvec3 dsHash3(uvec3 v) {
    v = v * 1664525u + 1013904223u;
    v.x += v.y * v.z;
    v.y += v.z * v.x;
    v.z += v.x * v.y;
    v ^= v >> 16u;
    v.x += v.y * v.z;
    v.y += v.z * v.x;
    v.z += v.x * v.y;
    return v;
}

float dsHashToUnit(uint h) {
    return float(h >> 8u) * (1.0 / 16777216.0);
}

uint dsSeed(float seed) {
    return uint(int(seed));
}

uvec3 dsHashCell3(ivec3 c, uint s) {
    return dsHash3(uvec3(c) + s * uvec3(0x9E3779B9u, 0x85EBCA6Bu, 0xC2B2AE35u));
}

vec3 dsFade3(vec3 t) {
    return t * t * t * (t * (t * 6.0 - 15.0) + 10.0);
}

vec2 dsFade2(vec2 t) {
    return t * t * t * (t * (t * 6.0 - 15.0) + 10.0);
}

float dsGrad3(uint h, vec3 f) {
    // Directions (+-1, +-1, 0), (+-1, 0, +-1), (0, +-1, +-1); h 12..15 repeat four of them.
    float u = (h < 8u) ? f.x : f.y;
    float v = (h < 4u) ? f.y : ((h == 12u || h == 14u) ? f.x : f.z);
    return (((h & 1u) == 0u) ? u : -u) + (((h & 2u) == 0u) ? v : -v);
}

float dsGrad2(uint h, vec2 f) {
    float sx = ((h & 1u) == 0u) ? 1.0 : -1.0;
    float sy = ((h & 2u) == 0u) ? 1.0 : -1.0;
    vec2 g;
    if ((h & 4u) != 0u) {
        g = vec2(sx, sy) * DS_DIAG;
    } else {
        g = ((h & 2u) == 0u) ? vec2(sx, 0.0) : vec2(0.0, sx);
    }
    return dot(g, f);
}

float noiseValue3(vec3 p, float seed) {
    vec3 i = floor(p);
    vec3 f = p - i;
    ivec3 c = ivec3(i);
    uint s = dsSeed(seed);
    vec3 u = dsFade3(f);
    float v000 = dsHashToUnit(dsHashCell3(c, s).x);
    float v100 = dsHashToUnit(dsHashCell3(c + ivec3(1, 0, 0), s).x);
    float v010 = dsHashToUnit(dsHashCell3(c + ivec3(0, 1, 0), s).x);
    float v110 = dsHashToUnit(dsHashCell3(c + ivec3(1, 1, 0), s).x);
    float v001 = dsHashToUnit(dsHashCell3(c + ivec3(0, 0, 1), s).x);
    float v101 = dsHashToUnit(dsHashCell3(c + ivec3(1, 0, 1), s).x);
    float v011 = dsHashToUnit(dsHashCell3(c + ivec3(0, 1, 1), s).x);
    float v111 = dsHashToUnit(dsHashCell3(c + ivec3(1, 1, 1), s).x);
    float x00 = mix(v000, v100, u.x);
    float x10 = mix(v010, v110, u.x);
    float x01 = mix(v001, v101, u.x);
    float x11 = mix(v011, v111, u.x);
    float v = mix(mix(x00, x10, u.y), mix(x01, x11, u.y), u.z);
    return v * 2.0 - 1.0;
}

float noiseGradient3(vec3 p, float seed) {
    vec3 i = floor(p);
    vec3 f = p - i;
    ivec3 c = ivec3(i);
    uint s = dsSeed(seed);
    vec3 u = dsFade3(f);
    float n000 = dsGrad3(dsHashCell3(c, s).x >> 28u, f);
    float n100 = dsGrad3(dsHashCell3(c + ivec3(1, 0, 0), s).x >> 28u, f - vec3(1.0, 0.0, 0.0));
    float n010 = dsGrad3(dsHashCell3(c + ivec3(0, 1, 0), s).x >> 28u, f - vec3(0.0, 1.0, 0.0));
    float n110 = dsGrad3(dsHashCell3(c + ivec3(1, 1, 0), s).x >> 28u, f - vec3(1.0, 1.0, 0.0));
    float n001 = dsGrad3(dsHashCell3(c + ivec3(0, 0, 1), s).x >> 28u, f - vec3(0.0, 0.0, 1.0));
    float n101 = dsGrad3(dsHashCell3(c + ivec3(1, 0, 1), s).x >> 28u, f - vec3(1.0, 0.0, 1.0));
    float n011 = dsGrad3(dsHashCell3(c + ivec3(0, 1, 1), s).x >> 28u, f - vec3(0.0, 1.0, 1.0));
    float n111 = dsGrad3(dsHashCell3(c + ivec3(1, 1, 1), s).x >> 28u, f - vec3(1.0, 1.0, 1.0));
    float x00 = mix(n000, n100, u.x);
    float x10 = mix(n010, n110, u.x);
    float x01 = mix(n001, n101, u.x);
    float x11 = mix(n011, n111, u.x);
    return mix(mix(x00, x10, u.y), mix(x01, x11, u.y), u.z) * DS_GRAD3_SCALE;
}

float noiseGradient2(vec2 p, float seed) {
    vec2 i = floor(p);
    vec2 f = p - i;
    ivec3 c = ivec3(ivec2(i), 0);
    uint s = dsSeed(seed);
    vec2 u = dsFade2(f);
    float n00 = dsGrad2(dsHashCell3(c, s).x >> 29u, f);
    float n10 = dsGrad2(dsHashCell3(c + ivec3(1, 0, 0), s).x >> 29u, f - vec2(1.0, 0.0));
    float n01 = dsGrad2(dsHashCell3(c + ivec3(0, 1, 0), s).x >> 29u, f - vec2(0.0, 1.0));
    float n11 = dsGrad2(dsHashCell3(c + ivec3(1, 1, 0), s).x >> 29u, f - vec2(1.0, 1.0));
    return mix(mix(n00, n10, u.x), mix(n01, n11, u.x), u.y) * DS_GRAD2_SCALE;
}

float fbm3(vec3 p, int octaves, float lacunarity, float gain, float seed) {
    float sum = 0.0;
    float norm = 0.0;
    float amp = 1.0;
    vec3 q = p;
    for (int i = 0; i < DS_MAX_OCTAVES; i++) {
        if (i >= octaves) {
            break;
        }
        sum += amp * noiseGradient3(q, seed + float(i));
        norm += abs(amp);
        amp *= gain;
        q *= lacunarity;
    }
    return (norm > 0.0) ? sum / norm : 0.0;
}

float fbm2(vec2 p, int octaves, float lacunarity, float gain, float seed) {
    float sum = 0.0;
    float norm = 0.0;
    float amp = 1.0;
    vec2 q = p;
    for (int i = 0; i < DS_MAX_OCTAVES; i++) {
        if (i >= octaves) {
            break;
        }
        sum += amp * noiseGradient2(q, seed + float(i));
        norm += abs(amp);
        amp *= gain;
        q *= lacunarity;
    }
    return (norm > 0.0) ? sum / norm : 0.0;
}

float fbmRidged3(vec3 p, int octaves, float lacunarity, float gain, float seed) {
    float sum = 0.0;
    float norm = 0.0;
    float amp = 1.0;
    float weight = 1.0;
    vec3 q = p;
    for (int i = 0; i < DS_MAX_OCTAVES; i++) {
        if (i >= octaves) {
            break;
        }
        float r = clamp(1.0 - abs(noiseGradient3(q, seed + float(i))), 0.0, 1.0);
        r *= r;
        sum += amp * r * weight;
        weight = r;
        norm += abs(amp);
        amp *= gain;
        q *= lacunarity;
    }
    return (norm > 0.0) ? sum / norm : 0.0;
}

float fbmRidged2(vec2 p, int octaves, float lacunarity, float gain, float seed) {
    float sum = 0.0;
    float norm = 0.0;
    float amp = 1.0;
    float weight = 1.0;
    vec2 q = p;
    for (int i = 0; i < DS_MAX_OCTAVES; i++) {
        if (i >= octaves) {
            break;
        }
        float r = clamp(1.0 - abs(noiseGradient2(q, seed + float(i))), 0.0, 1.0);
        r *= r;
        sum += amp * r * weight;
        weight = r;
        norm += abs(amp);
        amp *= gain;
        q *= lacunarity;
    }
    return (norm > 0.0) ? sum / norm : 0.0;
}
