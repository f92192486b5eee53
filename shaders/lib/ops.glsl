// ops.glsl: combiners of two signed distances a and b.
//
// Sharp ops keep exactness outside the shapes and are bounds inside. Smooth ops use the quadratic
// polynomial smooth minimum: k is the blend width in distance units (the blend acts where
// |a - b| < k, adds at most k/4), and k <= 0 gives exactly the sharp op (no division by zero).
//
//   float opUnion(float a, float b)                        bound  derived (min; exact outside both shapes)
//   float opIntersect(float a, float b)                    bound  derived (max)
//   float opSubtract(float a, float b)                     bound  derived (a minus b: max(a, -b))
//   float opSmoothUnion(float a, float b, float k)         bound  Inigo Quilez, "smooth minimum" (quadratic polynomial)
//   float opSmoothIntersect(float a, float b, float k)     bound  derived: -opSmoothUnion(-a, -b, k)
//   float opSmoothSubtract(float a, float b, float k)      bound  derived: opSmoothIntersect(a, -b, k)
//   vec2 opSmoothUnionH(float a, float b, float k)         bound  Inigo Quilez (mix form): (distance, weight of b in [0, 1]) for material blending
//   vec4 opBlendMaterials(vec4 a, vec4 b, float d, float w) bound  derived: map value (d, material, material, weight of the second); d passes through
//
// GLSL 3.30 core and GLSL ES 3.00 compatible; no #version line.

float opUnion(float a, float b) {
    return min(a, b);
}

float opIntersect(float a, float b) {
    return max(a, b);
}

float opSubtract(float a, float b) {
    return max(a, -b);
}

float opSmoothUnion(float a, float b, float k) {
    // h is 0 outside the blend band and whenever k <= 0 (the numerator is then 0).
    float kk = max(k, 1e-20);
    float h = max(k - abs(a - b), 0.0) / kk;
    return min(a, b) - h * h * kk * 0.25;
}

float opSmoothIntersect(float a, float b, float k) {
    return -opSmoothUnion(-a, -b, k);
}

float opSmoothSubtract(float a, float b, float k) {
    return opSmoothIntersect(a, -b, k);
}

vec2 opSmoothUnionH(float a, float b, float k) {
    // Weight of b: 1 where b is nearer by k or more, 0 where a is, smooth in between.
    float w = (k > 0.0) ? clamp(0.5 + 0.5 * (a - b) / k, 0.0, 1.0) : ((b < a) ? 1.0 : 0.0);
    return vec2(opSmoothUnion(a, b, k), w);
}

vec4 opBlendMaterials(vec4 a, vec4 b, float d, float w) {
    // A map value carries two materials and the weight of the second, so a smooth seam can blend
    // colours. Where a side is already a blend, its dominant material stands for it (a seam where
    // three materials meet blends the two strongest).
    if (w <= 0.0) {
        return vec4(d, a.yzw);
    }
    if (w >= 1.0) {
        return vec4(d, b.yzw);
    }
    float ma = (a.w > 0.5) ? a.z : a.y;
    float mb = (b.w > 0.5) ? b.z : b.y;
    return vec4(d, ma, mb, w);
}
