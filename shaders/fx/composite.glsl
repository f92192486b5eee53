// composite.glsl: the compositor's effect pass: the host layer (with the portal pass's picture), then
// the glitch effects in a fixed order, written as 8-bit sRGB colour.
//
// Inputs: uLayer0 is the host layer, an RGBA texture of the frame's size holding sRGB-encoded
// colour in GL row order (texel row 0 at the bottom, as a render pass leaves them). When portals
// are open, the portal pass (fx/scene.glsl) has drawn them over the host into uScene inside the
// boxes uSceneRect[i] (top-down pixels x0, y0, x1, y1, end exclusive; empty boxes are zeros);
// step 1 reads uScene there and uLayer0 elsewhere. uRowField, uBlockField and uMoshField are the
// per-row and per-block tables of fx/fields.glsl (tear and VHS shifts, block codes and vectors,
// datamosh vectors), drawn for this frame before this pass. uPrevious is the feedback buffer: the
// previous frame's picture after step 6, valid when uHasPrevious != 0 (never on a key frame).
// uGlitchFrame is the random state of tearing, block corruption and tape noise (fx/fields.glsl
// draws tear bands and block codes with it, fx/interlace.glsl grain and dropouts): the frame
// index, or a value a nexus holds for 1/2 s so they cannot strobe.
//
// Effect order, as image operations (each applied to the result of the one before):
//   1 layers and portals     host layer 0; portals in index order, each screened with its rim glow (fx/scene.glsl)
//   2 channel split          red and blue read d pixels apart (fx/channel_split.glsl)
//   3 tearing                row bands shifted sideways (fx/tear.glsl)
//   4 blocks                 macroblock displacement, flattening, smearing, chroma errors (fx/blocks.glsl)
//   5 VHS geometry           row wobble and the rolling tracking band (fxVhsShift, fx/interlace.glsl)
//   6 datamosh               held blocks show the previous frame moved along v (fx/datamosh.glsl);
//                            the picture here is also written to the feedback output
//   7 interlace colour       field combing, scanlines, grain, dropouts (fxInterlace)
//   8 posterise              (fx/posterize.glsl)
// Geometric steps (2-5) compose as one chain of read positions evaluated from step 5 back to 1.
// Every step is skipped at intensity 0 (and compiled out, see DS_FX_STAGES), so all-zero
// parameters and no portals copy layer 0 exactly. Effects work in the encoded (sRGB) values, as
// glitches of stored video do.
//
// Functions (top-down pixel coordinates, see fx/random.glsl):
//   ivec2 fxTexel(ivec2 pt)                  GL texel of top-down pixel pt, clamped to the frame
//   vec3 fxPreviousFetch(ivec2 pt)           texel of the feedback buffer at pt (clamped)
//   vec3 fxScene(ivec2 pt)                   step 1 at pt (clamped): uScene inside a uSceneRect box, else the host
//   vec3 fxSceneSplit(ivec2 pt)              steps 1-2 at pt
//   vec4 fxRowField(int row)                 the row table at a top-down row (clamped)
//   vec4 fxBlockField(sampler2D field, ivec2 pt)   a block table at the block holding pt (clamped)
// Source: derived.
#version 330 core

#include "fx/random.glsl"
#include "fx/channel_split.glsl"
#include "fx/tear.glsl"
#include "fx/blocks.glsl"
#include "fx/datamosh.glsl"
#include "fx/interlace.glsl"
#include "fx/posterize.glsl"


// Variants. The compositor compiles one program per set of active stages (its own
// `#define DS_FX_STAGES <mask>` and `#define DS_FX_SCENE <0|1>` go in front of this file): on a
// CPU rasteriser such as llvmpipe, code in a branch that no pixel takes still costs time, so
// stages at intensity 0 are left out of the program rather than skipped at run time. Without the
// defines every stage is compiled in.
#ifndef DS_FX_SCENE
#define DS_FX_SCENE 1
#endif
#define DS_FX_STAGE_SPLIT 2
#define DS_FX_STAGE_TEAR 4
#define DS_FX_STAGE_BLOCKS 8
#define DS_FX_STAGE_INTERLACE 16
#define DS_FX_STAGE_DATAMOSH 32
#define DS_FX_STAGE_POSTERIZE 64
#ifndef DS_FX_STAGES
#define DS_FX_STAGES 126
#endif
#define DS_FX_HAS(stage) ((DS_FX_STAGES & (stage)) != 0)
#define DS_FX_MAX_PORTALS 4

uniform sampler2D uLayer0;
uniform sampler2D uScene;
uniform sampler2D uPrevious;
uniform sampler2D uRowField;
uniform sampler2D uBlockField;
uniform sampler2D uMoshField;
uniform vec4 uSceneRect[DS_FX_MAX_PORTALS];
uniform ivec2 uSize;
uniform int uSeed;
uniform int uFrame;
uniform int uGlitchFrame;
uniform int uHasPrevious;
uniform float uChannelSplit;
uniform float uBlocks;
uniform float uInterlace;
uniform float uPosterize;

layout(location = 0) out vec4 fxOutColour;
layout(location = 1) out vec4 fxOutFeedback;

ivec2 fxTexel(ivec2 pt) {
    ivec2 c = clamp(pt, ivec2(0, 0), uSize - 1);
    return ivec2(c.x, uSize.y - 1 - c.y);
}

vec3 fxPreviousFetch(ivec2 pt) {
    return texelFetch(uPrevious, fxTexel(pt), 0).rgb;
}

vec3 fxScene(ivec2 pt) {
    ivec2 t = fxTexel(pt);
#if DS_FX_SCENE
    vec2 c = vec2(clamp(pt, ivec2(0, 0), uSize - 1));
    bool inside = false;
    for (int i = 0; i < DS_FX_MAX_PORTALS; i++) {
        vec4 r = uSceneRect[i];
        inside = inside || (all(greaterThanEqual(c, r.xy)) && all(lessThan(c, r.zw)));
    }
    if (inside) {
        return texelFetch(uScene, t, 0).rgb;
    }
#endif
    return texelFetch(uLayer0, t, 0).rgb;
}

vec3 fxSceneSplit(ivec2 pt) {
    int d = fxSplitOffset(uSize.x, uChannelSplit);
    if (d == 0) {
        return fxScene(pt);
    }
    return fxSplitCombine(fxScene(pt - ivec2(d, 0)), fxScene(pt), fxScene(pt + ivec2(d, 0)));
}

vec4 fxRowField(int row) {
    return texelFetch(uRowField, ivec2(clamp(row, 0, uSize.y - 1), 0), 0);
}

vec4 fxBlockField(sampler2D field, ivec2 pt) {
    return texelFetch(field, clamp(pt, ivec2(0, 0), uSize - 1) / DS_FX_BLOCK, 0);
}

void main() {
    ivec2 frag = ivec2(gl_FragCoord.xy);
    ivec2 pt = ivec2(frag.x, uSize.y - 1 - frag.y);

    // Read positions, from the last geometric step (5) back to the first (2).
    ivec2 q = pt;
#if DS_FX_HAS(DS_FX_STAGE_INTERLACE)
    vec4 row = fxRowField(pt.y);
    q.x = fxWrap(q.x - int(row.y), uSize.x);
#endif
#if DS_FX_HAS(DS_FX_STAGE_BLOCKS)
    vec4 cell = fxBlockField(uBlockField, q);
    q = fxBlocksRead(q, cell, uSize);
#endif
#if DS_FX_HAS(DS_FX_STAGE_TEAR)
    q.x = fxWrap(q.x - int(fxRowField(q.y).x), uSize.x);
#endif

#if DS_FX_HAS(DS_FX_STAGE_SPLIT)
    vec3 c = fxSceneSplit(q);
#else
    vec3 c = fxScene(q);
#endif
#if DS_FX_HAS(DS_FX_STAGE_BLOCKS)
    c = fxBlocksTint(c, int(cell.x), uBlocks, uSeed, uGlitchFrame);
#endif

    bool hasPrevious = uHasPrevious != 0;
#if DS_FX_HAS(DS_FX_STAGE_DATAMOSH)
    if (hasPrevious) {
        vec4 mosh = fxBlockField(uMoshField, pt);
        if (mosh.z > 0.5) {
            c = fxPreviousFetch(pt - ivec2(mosh.xy));
        }
    }
#endif
    fxOutFeedback = vec4(c, 1.0);

#if DS_FX_HAS(DS_FX_STAGE_INTERLACE)
    vec3 previous = hasPrevious ? fxPreviousFetch(pt) : c;
    c = fxInterlace(c, previous, hasPrevious, pt, row.z, uInterlace, uSeed, uFrame, uGlitchFrame);
#endif
#if DS_FX_HAS(DS_FX_STAGE_POSTERIZE)
    c = fxPosterize(c, uPosterize);
#endif
    fxOutColour = vec4(c, 1.0);
}
