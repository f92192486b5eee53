// march.glsl: sphere tracing of the scene's distance field.
//
// DsHit dsMarch(vec3 ro, vec3 rd, float tStart)
//     Sphere tracing with over-relaxation and its safe fallback (Keinert, Schaefer, Korndoerfer,
//     Ganse, Stamminger 2014, "Enhanced Sphere Tracing"): steps are omega times the distance; when
//     two consecutive unbounding spheres stop overlapping, the step is undone and omega drops to 1.
//     uOverRelax = 1 gives plain sphere tracing. The map must be a distance bound (the compiler
//     divides each node by its Lipschitz bound); uStepScale adds a user safety factor. A ray hits
//     once the distance is below uHitEps * t; up to DS_REFINE_STEPS plain steps then move the
//     returned point onto the surface for shading (h.steps counts them).
// Source: Hart 1996 (sphere tracing), Keinert et al. 2014 (over-relaxation).
#ifndef DS_MAX_MARCH_STEPS
#define DS_MAX_MARCH_STEPS 1024
#endif
// Plain sphere-tracing steps taken after a hit to bring the shading point onto the surface.
#define DS_REFINE_STEPS 1

vec4 dsMap(vec3 p);

uniform int uMaxSteps;
uniform float uMaxDist;
uniform float uHitEps;
uniform float uOverRelax;
uniform float uStepScale;

struct DsHit {
    float t;
    vec3 material;   // (material id, second material id, weight of the second)
    int steps;
    bool hit;
};

DsHit dsMarch(vec3 ro, vec3 rd, float tStart) {
    DsHit h;
    h.t = tStart;
    h.material = vec3(0.0);
    h.steps = 0;
    h.hit = false;
    float omega = uOverRelax;
    float t = tStart;
    float prevRadius = 0.0;
    float stepLength = 0.0;
    int refine = 0;    // plain steps left to refine a hit; 0 while still searching
    for (int i = 0; i < DS_MAX_MARCH_STEPS; i++) {
        if (i >= uMaxSteps || t > uMaxDist) {
            break;
        }
        h.steps = i + 1;
        vec4 s = dsMap(ro + rd * t);
        float signedRadius = s.x * uStepScale;
        float radius = abs(signedRadius);
        if (refine > 0) {
            // A hit is accepted up to half a pixel's footprint from the surface; shading there
            // takes normals and occlusion from the field above the surface, which a bound (not
            // exact) field bends near smooth seams (dark specks). Plain steps by the bound close
            // in on the surface without passing it; this evaluation is the point after one.
            h.t = t;
            h.material = s.yzw;
            refine--;
            if (refine == 0 || radius < 0.25 * uHitEps * max(t, 1.0)) {
                return h;
            }
            t += signedRadius;
            continue;
        }
        bool sorFail = omega > 1.0 && (radius + prevRadius) < stepLength;
        if (sorFail) {
            stepLength -= omega * stepLength;
            omega = 1.0;
        } else {
            stepLength = signedRadius * omega;
        }
        prevRadius = radius;
        if (!sorFail && radius < uHitEps * max(t, 1.0)) {
            h.t = t;
            h.material = s.yzw;
            h.hit = true;
            if (radius < 0.25 * uHitEps * max(t, 1.0)) {
                return h;   // already close enough to shade
            }
            refine = DS_REFINE_STEPS;
            t += signedRadius;
            continue;
        }
        t += stepLength;
    }
    // Out of steps or distance: a miss (h.hit stays false), unless a hit was being refined.
    if (!h.hit) {
        h.t = t;
    }
    return h;
}
