// main.glsl: the full-resolution raymarch pass: march, shade, fog, display transform.
//
// With DS_DEBUG_STEPS defined it writes (steps, hit, t, 1) to a float target instead of colour,
// which is how benchmarks measure steps per pixel. With uUsePrepass it starts each ray at the
// distance the cone prepass proved empty for the pixel's 4x4 block. A second output carries the
// hit distance along the ray (1e30 for a miss): the compositor hides world-anchored portals
// behind nearer host geometry with it.
// Source: derived.
#include "render/camera.glsl"
#include "render/march.glsl"
#include "render/shade.glsl"

uniform int uUsePrepass;
uniform sampler2D uPrepass;

layout(location = 0) out vec4 fragColor;
layout(location = 1) out float dsOutDepth;

void main() {
    vec3 ro = uCamPos;
    vec3 rd = dsCameraRay(gl_FragCoord.xy);
    float tStart = 0.0;
    if (uUsePrepass != 0) {
        tStart = texelFetch(uPrepass, ivec2(gl_FragCoord.xy) / 4, 0).r;
    }
    DsHit h = dsMarch(ro, rd, tStart);
    dsOutDepth = h.hit ? h.t : 1e30;
#ifdef DS_DEBUG_STEPS
    fragColor = vec4(float(h.steps), h.hit ? 1.0 : 0.0, h.t, 1.0);
#else
    vec3 col;
    if (h.hit) {
        col = dsShadeSurface(ro + rd * h.t, rd, h.t, h.material);
        col = dsFog(col, h.t, ro, rd);
    } else {
        col = dsFog(dsSky(rd), uMaxDist, ro, rd);
    }
    fragColor = vec4(dsDisplay(col), 1.0);
#endif
}
