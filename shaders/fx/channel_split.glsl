// channel_split.glsl: RGB channel split, red and blue displaced sideways in opposite directions.
//
// Green stays where it is; red is read d pixels to the left (the red image moves right by d) and
// blue d pixels to the right (the blue image moves left by d), with
//   d = round(intensity * DS_FX_SPLIT_MAX * width)
// whole pixels, so the fringes stay crisp. The caller samples its image three times (at x - d,
// x and x + d, clamped to the frame) and keeps one channel of each. Intensity 0 gives d = 0.
//
//   int fxSplitOffset(int width, float intensity)                  derived: d in pixels
//   vec3 fxSplitCombine(vec3 atLeft, vec3 atCentre, vec3 atRight)    derived: (atLeft.r, atCentre.g, atRight.b)
//
// Parameters: intensity in [0, 1]. Source: derived (the analogue-video look of misregistered guns).
// GLSL 3.30 core and GLSL ES 3.00 compatible; no #version line.

#define DS_FX_SPLIT_MAX 0.02

int fxSplitOffset(int width, float intensity) {
    if (intensity <= 0.0) {
        return 0;
    }
    return int(round(intensity * DS_FX_SPLIT_MAX * float(width)));
}

vec3 fxSplitCombine(vec3 atLeft, vec3 atCentre, vec3 atRight) {
    return vec3(atLeft.r, atCentre.g, atRight.b);
}
