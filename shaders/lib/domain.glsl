// domain.glsl: domain operators, applied to the sample point before evaluating a distance.
//
// "exact": distances evaluated in the new domain stay exact (an isometry; for repetition the
// shape must fit inside its cell). "bound": the map stretches space, so distances must be scaled
// down by the stated Lipschitz factor L (step = d / L) to stay a bound. Partitioning operators
// return a cell id.
//
//   vec3 domRepeat(inout vec3 p, vec3 period)                           exact  derived: cells centred on id * period, p becomes local in [-period/2, period/2); period <= 0 on an axis: no repetition (id 0)
//   vec3 domRepeatLimited(inout vec3 p, vec3 period, vec3 halfCount)    exact  Inigo Quilez (finite repetition): id clamped to [-floor(halfCount), floor(halfCount)]
//   vec3 domRepeatNeighbour(inout vec3 p, vec3 period, vec3 halfCount, vec3 pick)  exact  derived: as domRepeatLimited, except that on axes with pick >= 0.5 the cell is the one next to p's own on p's side (clamped to the same range); the union of the child over all picks of those axes is continuous across cell walls for a child that is not mirror-symmetric there, as long as it reaches no further than the next cell
//   vec3 domMirror(inout vec3 p, vec3 mask)                             exact  derived: axes with mask >= 0.5 become abs(p); returns the per-axis sign (+1 or -1, +1 on unmirrored axes); exact when the shape lies on the + side
//   vec3 domTwist(vec3 p, float k)                                      bound  derived: xz rotated by angle k * p.y; L <= 1 + |k| * length(p.xz) (a shear: exactly |k|r/2 + sqrt(1 + (k r)^2 / 4))
//   vec3 domBend(vec3 p, float k)                                       bound  derived: xy rotated by angle k * p.x; L <= 1 + |k| * length(p.xy)
//   vec3 domWarp3(vec3 p, float amp, float freq, float seed)            bound  derived: p + amp * (three decorrelated noiseGradient3 samples at p * freq); L <= 1 + 6 * |amp| * freq (noise slope measured <= 3.3 per component)
//
// GLSL 3.30 core and GLSL ES 3.00 compatible; no #version line.

#include "lib/common.glsl"
#include "lib/noise.glsl"

vec3 domRepeat(inout vec3 p, vec3 period) {
    vec3 on = vec3(greaterThan(period, vec3(0.0)));
    vec3 safe = mix(vec3(1.0), period, on);
    vec3 id = floor(p / safe + 0.5) * on;
    p -= safe * id;
    return id;
}

vec3 domRepeatLimited(inout vec3 p, vec3 period, vec3 halfCount) {
    vec3 on = vec3(greaterThan(period, vec3(0.0)));
    vec3 safe = mix(vec3(1.0), period, on);
    vec3 hc = floor(max(halfCount, vec3(0.0)));
    vec3 id = clamp(floor(p / safe + 0.5), -hc, hc) * on;
    p -= safe * id;
    return id;
}

vec3 domRepeatNeighbour(inout vec3 p, vec3 period, vec3 halfCount, vec3 pick) {
    vec3 on = vec3(greaterThan(period, vec3(0.0)));
    vec3 safe = mix(vec3(1.0), period, on);
    vec3 hc = floor(max(halfCount, vec3(0.0)));
    vec3 c = p / safe;
    vec3 own = clamp(floor(c + 0.5), -hc, hc);
    vec3 side = 2.0 * step(own, c) - 1.0;
    vec3 id = clamp(own + side * step(0.5, pick), -hc, hc) * on;
    p -= safe * id;
    return id;
}

vec3 domMirror(inout vec3 p, vec3 mask) {
    vec3 sgn = step(vec3(0.0), p) * 2.0 - 1.0;
    vec3 id = mix(vec3(1.0), sgn, step(vec3(0.5), mask));
    p *= id;
    return id;
}

vec3 domTwist(vec3 p, float k) {
    vec2 xz = dsRot2(k * p.y) * p.xz;
    return vec3(xz.x, p.y, xz.y);
}

vec3 domBend(vec3 p, float k) {
    vec2 xy = dsRot2(k * p.x) * p.xy;
    return vec3(xy, p.z);
}

vec3 domWarp3(vec3 p, float amp, float freq, float seed) {
    // Three samples of one noise field at far-apart, non-integer offsets with different seeds,
    // so the components do not share lattice hashes.
    vec3 q = p * freq;
    vec3 w = vec3(noiseGradient3(q, seed),
                  noiseGradient3(q + vec3(31.416, 47.853, 12.793), seed + 1.0),
                  noiseGradient3(q + vec3(-23.719, 19.371, -41.137), seed + 2.0));
    return p + amp * w;
}
