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
//   vec4 dsFirstLargest(vec4 v)                           derived: one-hot mask of v's largest component (earliest of equals)
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

vec4 dsFirstLargest(vec4 v) {
    // One-hot mask of the largest component (the earliest of equals).
    float m = max(max(v.x, v.y), max(v.z, v.w));
    vec4 hit = vec4(equal(v, vec4(m)));
    hit.y *= 1.0 - hit.x;
    hit.z *= (1.0 - hit.x) * (1.0 - hit.y);
    hit.w *= (1.0 - hit.x) * (1.0 - hit.y) * (1.0 - hit.z);
    return hit;
}

vec4 opBlendMaterials(vec4 a, vec4 b, float d, float w) {
    // A map value carries two materials and the weight of the second, so a smooth seam can blend
    // colours. Combining two such values gives up to four (material, share) pairs: a's two scaled
    // by 1 - w and b's two by w. Equal materials pool their shares and the two largest are kept,
    // renormalised. This is continuous wherever the kept pair does not change, in particular as
    // w -> 0 or 1 (the result tends to a or b exactly); where three materials meet, what is
    // dropped is the smallest share, so any jump is at most that share.
    if (w <= 0.0) {
        return vec4(d, a.yzw);
    }
    if (w >= 1.0) {
        return vec4(d, b.yzw);
    }
    // Written with vectors and selects, no arrays: this runs at every step of every ray, and
    // indexed arrays made the march several times slower on a CPU rasteriser.
    vec4 ids = vec4(a.y, a.z, b.y, b.z);
    vec4 share = vec4((1.0 - w) * (1.0 - a.w), (1.0 - w) * a.w, w * (1.0 - b.w), w * b.w);
    float same;
    same = float(ids.y == ids.x); share.x += same * share.y; share.y -= same * share.y;
    same = float(ids.z == ids.x); share.x += same * share.z; share.z -= same * share.z;
    same = float(ids.w == ids.x); share.x += same * share.w; share.w -= same * share.w;
    same = float(ids.z == ids.y); share.y += same * share.z; share.z -= same * share.z;
    same = float(ids.w == ids.y); share.y += same * share.w; share.w -= same * share.w;
    same = float(ids.w == ids.z); share.z += same * share.w; share.w -= same * share.w;
    vec4 first = dsFirstLargest(share);
    vec4 rest = share * (1.0 - first);
    vec4 second = dsFirstLargest(rest);
    float s1 = dot(first, share);
    float s2 = dot(second, share);
    return vec4(d, dot(first, ids), dot(second, ids), (s1 + s2 > 0.0) ? s2 / (s1 + s2) : 0.0);
}
