// portal.glsl: a screen-space portal: a round window into another dreamer's layer, with a swirling,
// refracting rim and a glow.
//
// All lengths are pixels, positions top-down pixel coordinates (pixel centres at +0.5). The edge is
// a circle of radius R (the caller passes radius * openness, so a portal opens from a point) that
// wobbles by at most DS_FX_PORTAL_WOBBLE * R:
//   edge(theta) = R * (1 + 0.6 W sin(5 theta + 0.19 frame) + 0.4 W sin(9 theta - 0.31 frame + 1.7)),  W = DS_FX_PORTAL_WOBBLE
// Mask: 1 - smoothstep(edge - soft, edge + soft, dist): exactly 1 inside edge - soft, exactly 0
// beyond edge + soft. Rim distortion: within the band of width rimWidth inside the edge, with
// s = ((dist - (edge - rimWidth)) / rimWidth)^2 in [0, 1], the other layer is read at
//   centre + rot(DS_FX_PORTAL_SWIRL * s) * (q - centre) * (1 - DS_FX_PORTAL_LENS * s)
// (a swirl plus a lens that magnifies toward the rim); deeper inside the portal q is read unchanged.
// Glow: with x = |dist - edge| / rimWidth, g = (1 - x)^2 + 0.8 (1 - x)^8 for x < 1, else exactly 0
// (a soft halo with a bright core on the edge); fxPortalApply screens rimColour * g over the picture.
//
//   float fxPortalEdge(vec2 d, float radius, int frame)                  derived: edge radius in the direction of d (offset from the centre)
//   float fxPortalMask(float dist, float edge, float soft)               derived: 1 inside, 0 outside, smooth across the edge
//   vec2 fxPortalWarp(vec2 q, vec2 centre, float edge, float rimWidth)   derived: where to read the other layer for q
//   float fxPortalGlow(float dist, float edge, float rimWidth)           derived: glow weight, 0 beyond rimWidth from the edge
//   float fxPortalReach(vec4 geom, vec4 rim)                             derived: distance from the centre beyond which a portal changes nothing
//   vec3 fxPortalApply(vec3 c, vec2 q, sampler2D source, vec4 geom, vec4 rim, ivec2 size, int frame)   derived: c with the portal drawn over it at q
//
// fxPortalApply packs one portal as geom = (centre x, centre y, radius, glow strength) and rim =
// (rim colour, rim width), all lengths in pixels; source is the layer the portal shows (a texture
// of the frame's size, GL row order), read bilinearly at the warped position (at undistorted pixel
// centres that is the texel itself, to within 8-bit rounding). Inside the portal c is mixed toward
// the source by the mask; then rimColour * glow * geom.w is screened over it (1 - (1 - c)(1 - g)).
//
// Parameters: radius > 0 (pixels, already scaled by openness), rimWidth >= 0 (pixels; 0 gives no
// distortion and no glow), soft > 0. Source: derived. GLSL 3.30 core and GLSL ES 3.00 compatible.

#include "lib/common.glsl"

#define DS_FX_PORTAL_WOBBLE 0.05
#define DS_FX_PORTAL_SWIRL 1.6
#define DS_FX_PORTAL_LENS 0.35

float fxPortalEdge(vec2 d, float radius, int frame) {
    float theta = (dot(d, d) > 0.0) ? atan(d.y, d.x) : 0.0;
    float f = float(frame);
    float w = sin(5.0 * theta + 0.19 * f) * 0.6 + sin(9.0 * theta - 0.31 * f + 1.7) * 0.4;
    return radius * (1.0 + DS_FX_PORTAL_WOBBLE * w);
}

float fxPortalMask(float dist, float edge, float soft) {
    return 1.0 - smoothstep(edge - soft, edge + soft, dist);
}

vec2 fxPortalWarp(vec2 q, vec2 centre, float edge, float rimWidth) {
    if (rimWidth <= 0.0) {
        return q;
    }
    vec2 d = q - centre;
    float s = clamp((length(d) - (edge - rimWidth)) / rimWidth, 0.0, 1.0);
    if (s <= 0.0) {
        return q;
    }
    s *= s;
    return centre + dsRot2(DS_FX_PORTAL_SWIRL * s) * d * (1.0 - DS_FX_PORTAL_LENS * s);
}

float fxPortalGlow(float dist, float edge, float rimWidth) {
    if (rimWidth <= 0.0) {
        return 0.0;
    }
    float g = 1.0 - abs(dist - edge) / rimWidth;
    if (g <= 0.0) {
        return 0.0;
    }
    float g2 = g * g;
    float g8 = g2 * g2 * g2 * g2;
    return g2 + 0.8 * g8;
}

float fxPortalReach(vec4 geom, vec4 rim) {
    float soft = max(0.75, 0.15 * rim.w);
    return geom.z * (1.0 + DS_FX_PORTAL_WOBBLE) + max(rim.w, soft);
}

vec3 fxPortalApply(vec3 c, vec2 q, sampler2D source, vec4 geom, vec4 rim, ivec2 size, int frame) {
    vec2 d = q - geom.xy;
    float dist = length(d);
    if (geom.z <= 0.0 || dist > fxPortalReach(geom, rim)) {
        return c;
    }
    float soft = max(0.75, 0.15 * rim.w);
    float edge = fxPortalEdge(d, geom.z, frame);
    float m = fxPortalMask(dist, edge, soft);
    vec2 w = fxPortalWarp(q, geom.xy, edge, rim.w);
    vec3 s = textureLod(source, vec2(w.x, float(size.y) - w.y) / vec2(size), 0.0).rgb;
    c = mix(c, s, m);
    float glow = fxPortalGlow(dist, edge, rim.w) * geom.w;
    if (glow > 0.0) {
        c = 1.0 - (1.0 - c) * (1.0 - clamp(rim.rgb * glow, 0.0, 1.0));
    }
    return c;
}
