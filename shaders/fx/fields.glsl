// fields.glsl: the field passes: per-row and per-block glitch decisions, evaluated once per row or
// block into small float textures that the composite pass looks up, instead of once per pixel.
//
// With `#define DS_FX_FIELD 0` (rows) the target is height x 1 texels; texel x holds, for top-down
// row x, (fxTearShift, fxVhsShift, fxVhsBand, 0). With DS_FX_FIELD 1 (blocks) the target is one
// texel per DS_FX_BLOCK-pixel block, texel (i, j) for block column i and top-down block row j,
// written to two outputs: fxBlocksCell and fxMoshCell. Every value is a whole number or a band
// weight, exact in a 32-bit float. The tables are pure functions of (size, intensities, seed,
// frame), so they change nothing about determinism; they only move work from 230,400 pixels to
// 360 rows or 920 blocks at 640x360, which on a CPU rasteriser is most of the effects' cost.
// No functions of its own besides main. Source: derived.
#version 330 core

#include "fx/tear.glsl"
#include "fx/blocks.glsl"
#include "fx/datamosh.glsl"
#include "fx/interlace.glsl"

#ifndef DS_FX_FIELD
#define DS_FX_FIELD 0
#endif
#if DS_FX_MOSH_BLOCK != DS_FX_BLOCK
#error "the block table serves blocks and datamosh: DS_FX_MOSH_BLOCK must equal DS_FX_BLOCK"
#endif

uniform ivec2 uSize;
uniform int uSeed;
uniform int uFrame;
uniform int uGlitchFrame;   // tearing's and block corruption's random state (held for 1/2 s by a nexus)
uniform float uTear;
uniform float uBlocks;
uniform float uDatamosh;
uniform float uInterlace;

#if DS_FX_FIELD == 0
out vec4 fxOutRow;

void main() {
    int row = int(gl_FragCoord.x);
    fxOutRow = vec4(float(fxTearShift(row, uSize, uTear, uSeed, uGlitchFrame)),
                    float(fxVhsShift(row, uSize, uInterlace, uSeed, uFrame)),
                    fxVhsBand(row, uSize, uSeed, uFrame), 0.0);
}
#else
layout(location = 0) out vec4 fxOutBlocks;
layout(location = 1) out vec4 fxOutMosh;

void main() {
    ivec2 cell = ivec2(gl_FragCoord.xy);
    fxOutBlocks = fxBlocksCell(cell, uSize, uBlocks, uSeed, uGlitchFrame);
    fxOutMosh = fxMoshCell(cell, uSize, uDatamosh, uSeed, uFrame);
}
#endif
