"""opBlendMaterials (shaders/lib/ops.glsl) against a numpy reference: shares pooled per material,
the two largest kept, and continuity as the outer weight leaves 0 or 1."""

import numpy as np

from glsl_probe import Probe


def reference(a, b, w):
    """(first id, second id, weight of the second) as opBlendMaterials defines it."""
    if w <= 0.0:
        return tuple(a)
    if w >= 1.0:
        return tuple(b)
    shares = {}
    for material, share in ((a[0], (1 - w) * (1 - a[2])), (a[1], (1 - w) * a[2]),
                            (b[0], w * (1 - b[2])), (b[1], w * b[2])):
        shares[material] = shares.get(material, 0.0) + share
    ranked = sorted(shares.items(), key=lambda kv: -kv[1])
    if len(ranked) == 1:
        return (ranked[0][0], ranked[0][0], 0.0)
    (m1, s1), (m2, s2) = ranked[:2]
    return (m1, m2, s2 / (s1 + s2))


def mixed_colour(ids_weight, palette):
    first, second, weight = ids_weight
    return (1 - weight) * palette[int(round(first))] + weight * palette[int(round(second))]


PALETTE = np.eye(4)   # material i is the unit colour e_i


def run(gl_ctx, cases):
    """cases: (a = (id, id2, w2), b = (...), w) -> GLSL results as (id, id2, w2)."""
    body = "outp = vec4(opBlendMaterials(vec4(0.0, u_a.xyz), vec4(0.0, u_b.xyz), 0.5, inp.x).yzw, 0.0);"
    out = []
    with Probe(gl_ctx, ["lib/ops.glsl"], body, declarations="uniform vec3 u_a; uniform vec3 u_b;") as probe:
        for a, b, w in cases:
            got = probe.run(np.array([[w, 0, 0, 0]]), {"u_a": a, "u_b": b})[0, :3]
            out.append(got)
    return out


def test_matches_the_reference_on_two_and_three_materials(gl_ctx):
    cases = [((0, 0, 0.0), (1, 1, 0.0), w) for w in (0.0, 0.3, 0.5, 0.8, 1.0)]
    cases += [((0, 1, 0.47), (2, 2, 0.0), w) for w in (0.002, 0.2, 0.6, 0.99)]
    cases += [((0, 1, 0.3), (1, 2, 0.5), 0.5), ((2, 0, 0.1), (0, 2, 0.9), 0.4)]
    for (a, b, w), got in zip(cases, run(gl_ctx, cases)):
        want = reference(a, b, w)
        np.testing.assert_allclose(mixed_colour(got, PALETTE), mixed_colour(want, PALETTE), atol=1e-5,
                                   err_msg=f"a={a} b={b} w={w}")


def test_a_blend_meeting_a_third_material_changes_colour_continuously(gl_ctx):
    """A point 53% A / 47% B that a third material C starts to reach: its colour must move by
    about as much as C's weight, not jump to pure A (the old 'dominant material' rule)."""
    a, b = (0, 1, 0.47), (2, 2, 0.0)
    ws = [0.0, 0.001, 0.002, 0.01]
    colours = [mixed_colour(g, PALETTE) for g in run(gl_ctx, [(a, b, w) for w in ws])]
    start = colours[0]
    np.testing.assert_allclose(start, [0.53, 0.47, 0.0, 0.0], atol=1e-5)
    for w, colour in zip(ws[1:], colours[1:]):
        assert np.abs(colour - start).max() <= 2 * w + 1e-5, (w, colour)
