// march.glsl: sphere tracing of the scene's distance field.
//
// DsHit dsMarch(vec3 ro, vec3 rd, float tStart)
//     Sphere tracing with over-relaxation and its safe fallback (Keinert, Schaefer, Korndoerfer,
//     Ganse, Stamminger 2014, "Enhanced Sphere Tracing"): steps are omega times the distance; when
//     two consecutive unbounding spheres stop overlapping, the step is undone and omega drops to 1.
//     uOverRelax = 1 gives plain sphere tracing. The map must be a distance bound (the compiler
//     divides each node by its Lipschitz bound); uStepScale adds a user safety factor.
// Source: Hart 1996 (sphere tracing), Keinert et al. 2014 (over-relaxation).
#ifndef DS_MAX_MARCH_STEPS
#define DS_MAX_MARCH_STEPS 1024
#endif

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
    float bestT = tStart;
    float bestErr = 1e20;
    vec3 bestMat = vec3(0.0);
    for (int i = 0; i < DS_MAX_MARCH_STEPS; i++) {
        if (i >= uMaxSteps || t > uMaxDist) {
            break;
        }
        h.steps = i + 1;
        vec4 s = dsMap(ro + rd * t);
        float signedRadius = s.x * uStepScale;
        float radius = abs(signedRadius);
        bool sorFail = omega > 1.0 && (radius + prevRadius) < stepLength;
        if (sorFail) {
            stepLength -= omega * stepLength;
            omega = 1.0;
        } else {
            stepLength = signedRadius * omega;
        }
        prevRadius = radius;
        float err = radius / max(t, 1e-3);
        if (!sorFail) {
            if (err < bestErr) {
                bestT = t;
                bestErr = err;
                bestMat = s.yzw;
            }
            if (radius < uHitEps * max(t, 1.0)) {
                h.t = t;
                h.material = s.yzw;
                h.hit = true;
                return h;
            }
        }
        t += stepLength;
    }
    // Out of steps close to a surface (grazing rays): accept the best candidate rather than
    // leaving a hole in the silhouette.
    if (t <= uMaxDist && bestErr < 0.0) {
        h.t = bestT;
        h.material = bestMat;
        h.hit = true;
    } else {
        h.t = t;
    }
    return h;
}
