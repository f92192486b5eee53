// composite.glsl: the compositor's one pass: up to 4 dreamer layers, up to 4 portals, then the
// glitch effects in a fixed order, written as 8-bit sRGB colour.
//
// Inputs: uLayer0..3 are RGBA textures of the frame's size holding sRGB-encoded colour, GL row
// order (texel row 0 at the bottom, as a render pass leaves them). Layer 0 is the host; a portal
// shows layer uPortalExtra[i].x inside its rim. uPrevious is the feedback buffer: the previous
// frame's picture after step 6, valid when uHasPrevious != 0 (never on a key frame).
//
// Effect order, as image operations (each applied to the result of the one before):
//   1 layers and portals     host layer 0; portals in index order, each screened with its rim glow
//   2 channel split          red and blue read d pixels apart (fx/channel_split.glsl)
//   3 tearing                row bands shifted sideways (fx/tear.glsl)
//   4 blocks                 macroblock displacement, flattening, smearing, chroma errors (fx/blocks.glsl)
//   5 VHS geometry           row wobble and the rolling tracking band (fxVhsShift, fx/interlace.glsl)
//   6 datamosh               held blocks show the previous frame moved along v (fx/datamosh.glsl);
//                            the picture here is also written to the feedback output
//   7 interlace colour       field combing, scanlines, grain, dropouts (fxInterlace)
//   8 posterise              (fx/posterize.glsl)
// Geometric steps (2-5) compose as one chain of read positions evaluated from step 5 back to 1.
// Every step is skipped when its intensity is 0, so all-zero parameters and no portals copy layer
// 0 exactly. Effects work in the encoded (sRGB) values, as glitches of stored video do.
//
// Functions (top-down pixel coordinates, see fx/random.glsl):
//   ivec2 fxTexel(ivec2 pt)                  GL texel of top-down pixel pt, clamped to the frame
//   vec3 fxLayerFetch(int i, ivec2 pt)       texel of layer i at pt (clamped to the frame)
//   vec3 fxLayerSample(int i, vec2 q)        bilinear sample of layer i at q (pixel units, centres at +0.5)
//   vec3 fxPreviousFetch(ivec2 pt)           texel of the feedback buffer at pt (clamped)
//   vec3 fxScene(ivec2 pt)                   step 1 at pt
//   vec3 fxSceneSplit(ivec2 pt)              steps 1-2 at pt
// Source: derived.
#version 330 core

#include "fx/random.glsl"
#include "fx/portal.glsl"
#include "fx/channel_split.glsl"
#include "fx/tear.glsl"
#include "fx/blocks.glsl"
#include "fx/datamosh.glsl"
#include "fx/interlace.glsl"
#include "fx/posterize.glsl"

#define DS_FX_MAX_LAYERS 4
#define DS_FX_MAX_PORTALS 4

uniform sampler2D uLayer0;
uniform sampler2D uLayer1;
uniform sampler2D uLayer2;
uniform sampler2D uLayer3;
uniform sampler2D uPrevious;
uniform ivec2 uSize;
uniform int uSeed;
uniform int uFrame;
uniform int uHasPrevious;
uniform float uTear;
uniform float uChannelSplit;
uniform float uBlocks;
uniform float uDatamosh;
uniform float uInterlace;
uniform float uPosterize;
uniform int uPortalCount;
uniform vec4 uPortalGeom[DS_FX_MAX_PORTALS];   // centre x, centre y (pixels, top-down), radius * openness (pixels), glow strength (0 = closed)
uniform vec4 uPortalRim[DS_FX_MAX_PORTALS];    // rim colour (sRGB-encoded), rim width * openness (pixels)
uniform vec4 uPortalExtra[DS_FX_MAX_PORTALS];  // source layer index, unused x3

layout(location = 0) out vec4 fxOutColour;
layout(location = 1) out vec4 fxOutFeedback;

ivec2 fxTexel(ivec2 pt) {
    ivec2 c = clamp(pt, ivec2(0, 0), uSize - 1);
    return ivec2(c.x, uSize.y - 1 - c.y);
}

vec3 fxLayerFetch(int i, ivec2 pt) {
    ivec2 t = fxTexel(pt);
    if (i == 1) {
        return texelFetch(uLayer1, t, 0).rgb;
    }
    if (i == 2) {
        return texelFetch(uLayer2, t, 0).rgb;
    }
    if (i == 3) {
        return texelFetch(uLayer3, t, 0).rgb;
    }
    return texelFetch(uLayer0, t, 0).rgb;
}

vec3 fxLayerSample(int i, vec2 q) {
    vec2 size = vec2(uSize);
    vec2 uv = vec2(q.x, size.y - q.y) / size;
    // Explicit LOD: this runs in per-pixel branches, where implicit derivatives are undefined.
    if (i == 1) {
        return textureLod(uLayer1, uv, 0.0).rgb;
    }
    if (i == 2) {
        return textureLod(uLayer2, uv, 0.0).rgb;
    }
    if (i == 3) {
        return textureLod(uLayer3, uv, 0.0).rgb;
    }
    return textureLod(uLayer0, uv, 0.0).rgb;
}

vec3 fxPreviousFetch(ivec2 pt) {
    return texelFetch(uPrevious, fxTexel(pt), 0).rgb;
}

vec3 fxScene(ivec2 pt) {
    vec3 c = fxLayerFetch(0, pt);
    vec2 q = vec2(pt) + 0.5;
    for (int i = 0; i < DS_FX_MAX_PORTALS; i++) {
        if (i >= uPortalCount) {
            break;
        }
        vec4 g = uPortalGeom[i];
        if (g.w <= 0.0 || g.z <= 0.0) {
            continue;
        }
        vec4 rim = uPortalRim[i];
        vec2 d = q - g.xy;
        float dist = length(d);
        float soft = max(0.75, 0.15 * rim.w);
        if (dist > g.z * (1.0 + DS_FX_PORTAL_WOBBLE) + max(rim.w, soft)) {
            continue;
        }
        float edge = fxPortalEdge(d, g.z, uFrame);
        float m = fxPortalMask(dist, edge, soft);
        if (m > 0.0) {
            int src = int(uPortalExtra[i].x + 0.5);
            vec2 w = fxPortalWarp(q, g.xy, edge, rim.w);
            vec3 s = (w == q) ? fxLayerFetch(src, pt) : fxLayerSample(src, w);
            c = mix(c, s, m);
        }
        float glow = fxPortalGlow(dist, edge, rim.w) * g.w;
        if (glow > 0.0) {
            c = 1.0 - (1.0 - c) * (1.0 - clamp(rim.rgb * glow, 0.0, 1.0));
        }
    }
    return c;
}

vec3 fxSceneSplit(ivec2 pt) {
    int d = fxSplitOffset(uSize.x, uChannelSplit);
    if (d == 0) {
        return fxScene(pt);
    }
    return fxSplitCombine(fxScene(pt - ivec2(d, 0)), fxScene(pt), fxScene(pt + ivec2(d, 0)));
}

void main() {
    ivec2 frag = ivec2(gl_FragCoord.xy);
    ivec2 pt = ivec2(frag.x, uSize.y - 1 - frag.y);

    // Read positions, from the last geometric step (5) back to the first (2).
    ivec2 q = pt;
    if (uInterlace > 0.0) {
        q.x = fxWrap(q.x - fxVhsShift(q.y, uSize, uInterlace, uSeed, uFrame), uSize.x);
    }
    ivec3 block = fxBlocksSource(q, uSize, uBlocks, uSeed, uFrame);
    q = block.xy;
    if (uTear > 0.0) {
        q.x = fxTearSourceX(q, uSize, uTear, uSeed, uFrame);
    }

    vec3 c = fxSceneSplit(q);
    c = fxBlocksTint(c, block.z, uBlocks, uSeed, uFrame);

    bool hasPrevious = uHasPrevious != 0;
    if (hasPrevious && fxMoshHolds(pt, uSize, uDatamosh, uSeed, uFrame)) {
        c = fxPreviousFetch(pt - fxMoshVector(pt, uSize, uDatamosh, uSeed, uFrame));
    }
    fxOutFeedback = vec4(c, 1.0);

    if (uInterlace > 0.0) {
        vec3 previous = hasPrevious ? fxPreviousFetch(pt) : c;
        c = fxInterlace(c, previous, hasPrevious, pt, uSize, uInterlace, uSeed, uFrame);
    }
    c = fxPosterize(c, uPosterize);
    fxOutColour = vec4(c, 1.0);
}
