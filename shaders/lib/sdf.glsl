// sdf.glsl: signed distance functions of primitives (negative inside, world units).
//
// "exact": the true Euclidean distance to the surface everywhere (|gradient| = 1), so a ray
// may step the full value. "bound": never more than the true distance (a lower bound / estimate),
// so stepping is safe but may take more steps.
//
//   float sdSphere(vec3 p, float r)                                  exact  derived
//   float sdBox(vec3 p, vec3 halfSize)                               exact  Inigo Quilez, "distance functions"
//   float sdRoundBox(vec3 p, vec3 halfSize, float r)                 exact  Inigo Quilez (r clamped to [0, min(halfSize)]; outer size stays halfSize)
//   float sdTorus(vec3 p, float major, float minor)                  exact  derived (ring in the xz plane, axis y)
//   float sdCapsule(vec3 p, vec3 a, vec3 b, float r)                 exact  derived (segment distance minus r; a == b gives a sphere)
//   float sdCappedCone(vec3 p, float halfHeight, float r1, float r2) exact  Inigo Quilez (axis y; r1 at y = -halfHeight, r2 at y = +halfHeight)
//   float sdPlane(vec3 p, vec3 n, float h)                           exact  derived (n unit length; dot(p, n) + h)
//   float sdMandelbulb(vec3 p, float power, int iterations)          bound  White & Nylander power-n bulb; DE 0.5*log(r)*r/dr (Hart et al. 1989 / Quilez); bounding-sphere early-out
//       (the DE is an estimate, a bound in practice, not proven; power is clamped to >= 2, iterations to
//       DS_MANDELBULB_MAX_ITER = 32; beyond 0.5 of the bounding sphere |p| <= 2^(1/(power-1)) it returns
//       the exact distance to that sphere, a true bound)
//   float dsDot2(vec2 v)                                             helper dot(v, v)
//
// GLSL 3.30 core and GLSL ES 3.00 compatible; no #version line.

#include "lib/common.glsl"

// Iteration cap for sdMandelbulb (loops need constant bounds for GLSL ES).
#ifndef DS_MANDELBULB_MAX_ITER
#define DS_MANDELBULB_MAX_ITER 32
#endif
#define DS_MANDELBULB_BAILOUT 2.0

float dsDot2(vec2 v) {
    return dot(v, v);
}

float sdSphere(vec3 p, float r) {
    return length(p) - r;
}

float sdBox(vec3 p, vec3 halfSize) {
    vec3 q = abs(p) - halfSize;
    return length(max(q, vec3(0.0))) + min(max(q.x, max(q.y, q.z)), 0.0);
}

float sdRoundBox(vec3 p, vec3 halfSize, float r) {
    float rr = clamp(r, 0.0, min(halfSize.x, min(halfSize.y, halfSize.z)));
    vec3 q = abs(p) - halfSize + vec3(rr);
    return length(max(q, vec3(0.0))) + min(max(q.x, max(q.y, q.z)), 0.0) - rr;
}

float sdTorus(vec3 p, float major, float minor) {
    vec2 q = vec2(length(p.xz) - major, p.y);
    return length(q) - minor;
}

float sdCapsule(vec3 p, vec3 a, vec3 b, float r) {
    vec3 pa = p - a;
    vec3 ba = b - a;
    float h = clamp(dot(pa, ba) / max(dot(ba, ba), 1e-20), 0.0, 1.0);
    return length(pa - ba * h) - r;
}

float sdCappedCone(vec3 p, float halfHeight, float r1, float r2) {
    // Work in the half-plane q = (radius, height). The boundary is the two caps (segments on
    // y = -h and y = +h) and the slanted side from (r1, -h) to (r2, +h).
    vec2 q = vec2(length(p.xz), p.y);
    float capR = (q.y < 0.0) ? r1 : r2;
    vec2 toCap = vec2(q.x - min(q.x, capR), abs(q.y) - halfHeight);
    vec2 top = vec2(r2, halfHeight);
    vec2 side = vec2(r2 - r1, 2.0 * halfHeight);
    float t = clamp(dot(top - q, side) / max(dsDot2(side), 1e-20), 0.0, 1.0);
    vec2 toSide = q - top + side * t;
    float s = (toSide.x < 0.0 && toCap.y < 0.0) ? -1.0 : 1.0;
    return s * sqrt(min(dsDot2(toCap), dsDot2(toSide)));
}

float sdPlane(vec3 p, vec3 n, float h) {
    return dot(p, n) + h;
}

float sdMandelbulb(vec3 p, float power, int iterations) {
    // The power-n set lies inside |c| <= 2^(1/(n-1)); far away, the distance to that sphere is a
    // cheap bound (the escape-time estimate overshoots there).
    float n = max(power, 2.0);
    float radius = pow(2.0, 1.0 / (n - 1.0));
    float rp = length(p);
    if (rp > radius + 0.5) {
        return rp - radius;
    }
    vec3 z = p;
    float dr = 1.0;
    float r = rp;
    for (int i = 0; i < DS_MANDELBULB_MAX_ITER; i++) {
        if (i >= iterations || r > DS_MANDELBULB_BAILOUT) {
            break;
        }
        float theta = (r > 0.0) ? atan(length(z.xy), z.z) : 0.0;
        float phi = (abs(z.x) + abs(z.y) > 0.0) ? atan(z.y, z.x) : 0.0;
        float rn1 = pow(r, n - 1.0);
        dr = rn1 * n * dr + 1.0;
        float rn = rn1 * r;
        theta *= n;
        phi *= n;
        z = rn * vec3(sin(theta) * cos(phi), sin(theta) * sin(phi), cos(theta)) + p;
        r = length(z);
    }
    r = max(r, 1e-10);
    return 0.5 * log(r) * r / dr;
}
