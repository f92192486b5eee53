// scene.glsl: the portal pass (step 1 of composite.glsl): the host layer with up to 4 portals
// drawn over it in index order, written to an intermediate texture that the composite pass reads.
//
// The compositor draws this under a scissor box around the open portals (fxPortalReach), so its
// cost follows the portals' size, and the composite pass reads the result inside that box and the
// host layer outside it. Running it once per frame, rather than inside the composite pass, also
// keeps the channel split's three reads of the picture from drawing every portal three times.
// `#define DS_FX_PORTALS <n>` (1..4, default 4) selects how many portal slots are compiled in.
//
// Inputs: uLayer0 (host) and uPortalLayer0..3 (the layer each portal shows): sRGB-encoded RGBA
// textures of the frame's size, GL row order. uPortalGeom[i] = (centre x, centre y, radius, glow
// strength), uPortalRim[i] = (rim colour, rim width); pixels, top-down (see fx/portal.glsl).
// Depth: with uHasHostDepth, uHostDepth holds the host's hit distance along each pixel's ray (1e30
// for a miss) and a portal with uPortalDepth[i] > 0 is left out wherever the host's surface is
// nearer than that: geometry in front of a world-anchored portal hides it, rim and glow included.
// No functions of its own besides main. Source: derived.
#version 330 core

#include "fx/portal.glsl"

#define DS_FX_MAX_PORTALS 4
#ifndef DS_FX_PORTALS
#define DS_FX_PORTALS DS_FX_MAX_PORTALS
#endif

uniform sampler2D uLayer0;
uniform sampler2D uPortalLayer0;
uniform sampler2D uPortalLayer1;
uniform sampler2D uPortalLayer2;
uniform sampler2D uPortalLayer3;
uniform ivec2 uSize;
uniform int uFrame;
uniform vec4 uPortalGeom[DS_FX_MAX_PORTALS];
uniform vec4 uPortalRim[DS_FX_MAX_PORTALS];
uniform float uPortalDepth[DS_FX_MAX_PORTALS];
uniform sampler2D uHostDepth;
uniform int uHasHostDepth;

out vec4 fxOutScene;

void main() {
    ivec2 frag = ivec2(gl_FragCoord.xy);
    vec3 c = texelFetch(uLayer0, frag, 0).rgb;
    float hostT = (uHasHostDepth != 0) ? texelFetch(uHostDepth, frag, 0).r : 1e30;
    vec2 q = vec2(float(frag.x), float(uSize.y - 1 - frag.y)) + 0.5;
#if DS_FX_PORTALS > 0
    if (hostT >= uPortalDepth[0]) {
        c = fxPortalApply(c, q, uPortalLayer0, uPortalGeom[0], uPortalRim[0], uSize, uFrame);
    }
#endif
#if DS_FX_PORTALS > 1
    if (hostT >= uPortalDepth[1]) {
        c = fxPortalApply(c, q, uPortalLayer1, uPortalGeom[1], uPortalRim[1], uSize, uFrame);
    }
#endif
#if DS_FX_PORTALS > 2
    if (hostT >= uPortalDepth[2]) {
        c = fxPortalApply(c, q, uPortalLayer2, uPortalGeom[2], uPortalRim[2], uSize, uFrame);
    }
#endif
#if DS_FX_PORTALS > 3
    if (hostT >= uPortalDepth[3]) {
        c = fxPortalApply(c, q, uPortalLayer3, uPortalGeom[3], uPortalRim[3], uSize, uFrame);
    }
#endif
    fxOutScene = vec4(c, 1.0);
}
