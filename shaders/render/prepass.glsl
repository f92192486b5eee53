// prepass.glsl: coarse cone-marching prepass, one cone per 4x4 pixel block.
//
// Marches the ray through the block's centre, stepping by (distance - cone radius) / (1 + slope), so every
// pixel ray in the block is proven empty up to the returned t. Writes (t, steps) to an R/G float
// target. uConeSlope is the cone radius per unit distance (block half-diagonal in ray angle).
// Source: cone marching as in "Cone step mapping" (Dummer 2006) and demoscene practice
// (Smash 2012), adapted to signed distance fields.
#include "render/camera.glsl"

vec4 dsMap(vec3 p);

uniform int uMaxSteps;
uniform float uMaxDist;
uniform float uHitEps;
uniform float uStepScale;
uniform float uConeSlope;

out vec4 fragColor;

void main() {
    vec2 blockCentre = (floor(gl_FragCoord.xy) + 0.5) * 4.0;
    vec3 ro = uCamPos;
    vec3 rd = dsCameraRay(blockCentre);
    float t = 0.0;
    int steps = 0;
    for (int i = 0; i < 1024; i++) {
        if (i >= uMaxSteps || t > uMaxDist) {
            break;
        }
        steps = i + 1;
        float d = dsMap(ro + rd * t).x * uStepScale;
        float freeRadius = d - uConeSlope * t;
        if (freeRadius < uHitEps * max(t, 1.0)) {
            break;
        }
        // The ball of radius d around the ray point contains the cone from t to t + delta only
        // while delta + slope * (t + delta) <= d, i.e. delta <= freeRadius / (1 + slope).
        t += freeRadius / (1.0 + uConeSlope);
    }
    fragColor = vec4(t, float(steps), 0.0, 1.0);
}
