"""shaders/lib/ops.glsl, domain.glsl, palette.glsl and common.glsl against numpy and their laws."""

from __future__ import annotations

import numpy as np
import pytest

import reference_glsl as R
from glsl_probe import CASE_UNIFORM, Probe, case_branches, run_probe

# ------------------------------------------------------------------ ops
# inp = (a, b, k, unused)
OPS = {
    "union": ("vec4(opUnion(inp.x, inp.y))", lambda a, b, k: R.opUnion(a, b)),
    "intersect": ("vec4(opIntersect(inp.x, inp.y))", lambda a, b, k: R.opIntersect(a, b)),
    "subtract": ("vec4(opSubtract(inp.x, inp.y))", lambda a, b, k: R.opSubtract(a, b)),
    "smooth_union": ("vec4(opSmoothUnion(inp.x, inp.y, inp.z))", R.opSmoothUnion),
    "smooth_intersect": ("vec4(opSmoothIntersect(inp.x, inp.y, inp.z))", R.opSmoothIntersect),
    "smooth_subtract": ("vec4(opSmoothSubtract(inp.x, inp.y, inp.z))", R.opSmoothSubtract),
    "smooth_union_h": ("vec4(opSmoothUnionH(inp.x, inp.y, inp.z), 0.0, 0.0)", None),
}
OP_NAMES = list(OPS)


@pytest.fixture(scope="module")
def ops_probe(gl_ctx):
    branches = case_branches((expr for expr, _ in OPS.values()), "outp")
    with Probe(gl_ctx, ["lib/ops.glsl"], branches, declarations=CASE_UNIFORM) as probe:
        yield probe


def op_inputs(n=500, seed=0):
    rng = np.random.default_rng(seed)
    x = np.zeros((n, 4), np.float32)
    x[:, 0] = rng.uniform(-2.0, 2.0, n)
    x[:, 1] = rng.uniform(-2.0, 2.0, n)
    x[:, 2] = rng.choice([0.0, -0.3, 0.05, 0.5, 1.0, 2.0], n)
    x[: n // 10, 1] = x[: n // 10, 0]  # exact ties, including with k = 0
    return x


def run_op(probe, name, x):
    return probe.run(x, {"u_case": OP_NAMES.index(name)})


@pytest.mark.parametrize("name", OP_NAMES)
def test_ops_match_numpy(ops_probe, name):
    x = op_inputs()
    got = run_op(ops_probe, name, x)
    assert np.all(np.isfinite(got))
    a, b, k = x[:, 0], x[:, 1], x[:, 2]
    if name == "smooth_union_h":
        d, w = R.opSmoothUnionH(a, b, k)
        np.testing.assert_allclose(got[:, 0], d, atol=1e-5)
        np.testing.assert_allclose(got[:, 1], w, atol=1e-5)
    else:
        np.testing.assert_allclose(got[:, 0], OPS[name][1](a, b, k), atol=1e-5)


def test_smooth_union_laws(ops_probe):
    x = op_inputs(seed=1)
    a, b, k = x[:, 0], x[:, 1], x[:, 2]
    d = run_op(ops_probe, "smooth_union", x)[:, 0]
    m = np.minimum(a, b)
    assert np.all(d <= m + 1e-6)
    assert np.all(d >= m - np.maximum(k, 0.0) / 4.0 - 1e-6)  # the blend adds at most k/4
    far = np.abs(a - b) >= k
    np.testing.assert_array_equal(d[far], m[far])
    sharp = k <= 0.0
    np.testing.assert_array_equal(d[sharp], m[sharp])
    tie = (a == b) & (k > 0.0)
    np.testing.assert_allclose(d[tie], a[tie] - k[tie] / 4.0, atol=1e-6)


def test_smooth_intersect_and_subtract_laws(ops_probe):
    x = op_inputs(seed=2)
    a, b, k = x[:, 0], x[:, 1], x[:, 2]
    si = run_op(ops_probe, "smooth_intersect", x)[:, 0]
    ss = run_op(ops_probe, "smooth_subtract", x)[:, 0]
    assert np.all(si >= np.maximum(a, b) - 1e-6)
    assert np.all(ss >= np.maximum(a, -b) - 1e-6)
    sharp = k <= 0.0
    np.testing.assert_array_equal(si[sharp], np.maximum(a, b)[sharp])
    np.testing.assert_array_equal(ss[sharp], np.maximum(a, -b)[sharp])


def test_smooth_union_weight(ops_probe):
    x = op_inputs(seed=3)
    a, b, k = x[:, 0], x[:, 1], x[:, 2]
    out = run_op(ops_probe, "smooth_union_h", x)
    d, w = out[:, 0], out[:, 1]
    np.testing.assert_array_equal(d, run_op(ops_probe, "smooth_union", x)[:, 0])
    assert np.all((w >= 0.0) & (w <= 1.0))
    positive = k > 0.0
    assert np.all(w[positive & (b <= a - k)] == 1.0)
    assert np.all(w[positive & (a <= b - k)] == 0.0)
    np.testing.assert_allclose(w[positive & (a == b)], 0.5)
    sharp = ~positive
    np.testing.assert_array_equal(w[sharp], np.where(b[sharp] < a[sharp], 1.0, 0.0))


# ------------------------------------------------------------------ domain
def cell_boundary_free(p, period, margin=1e-3):
    """Points not within `margin` of a cell boundary on repeated axes (ids are discontinuous there)."""
    period = np.asarray(period, np.float64)
    t = np.where(period > 0, p / np.where(period > 0, period, 1.0) + 0.5, 0.5)
    frac = t - np.floor(t)
    return np.all((frac > margin) & (frac < 1 - margin), axis=-1)


def domain_points(n=500, scale=6.0, seed=0):
    return np.random.default_rng(seed).uniform(-scale, scale, (n, 3)).astype(np.float32)


def run_domain(gl_ctx, body, pts):
    x = np.zeros((len(pts), 4), np.float32)
    x[:, :3] = pts
    return run_probe(gl_ctx, ["lib/domain.glsl"], body, x)


@pytest.mark.parametrize("period", [(1.0, 0.0, 2.0), (0.7, 1.3, -1.0), (3.0, 3.0, 3.0)])
def test_repeat(gl_ctx, period):
    pts = domain_points()
    pts = pts[cell_boundary_free(pts, period)]
    body = f"vec3 q = inp.xyz; vec3 id = domRepeat(q, vec3{period}); outp = vec4(id, 0.0); outp.w = q.x;"
    ids = run_domain(gl_ctx, body, pts)[:, :3]
    body_q = f"vec3 q = inp.xyz; domRepeat(q, vec3{period}); outp = vec4(q, 0.0);"
    local = run_domain(gl_ctx, body_q, pts)[:, :3]
    want_local, want_id = R.domRepeat(pts, period)
    np.testing.assert_array_equal(ids, want_id)
    np.testing.assert_allclose(local, want_local, atol=1e-5)
    per = np.asarray(period, np.float32)
    on = per > 0
    # Local coordinates lie in the centred cell, and local + id * period gives back p.
    assert np.all(np.abs(local[:, on]) <= per[on] / 2 + 1e-5)
    np.testing.assert_allclose(local + ids * np.where(on, per, 0.0), pts, atol=1e-5)
    # Axes without repetition are untouched, with id 0.
    np.testing.assert_array_equal(local[:, ~on], pts[:, ~on])
    assert np.all(ids[:, ~on] == 0.0)


def test_repeat_limited(gl_ctx):
    period, half = (1.0, 2.0, 0.0), (2.0, 1.0, 3.0)
    pts = domain_points(seed=1)
    pts = pts[cell_boundary_free(pts, period)]
    body = f"vec3 q = inp.xyz; vec3 id = domRepeatLimited(q, vec3{period}, vec3{half}); outp = vec4(id, q.x);"
    out = run_domain(gl_ctx, body, pts)
    want_local, want_id = R.domRepeatLimited(pts, period, half)
    np.testing.assert_array_equal(out[:, :3], want_id)
    np.testing.assert_allclose(out[:, 3], want_local[:, 0], atol=1e-5)
    assert np.all(np.abs(want_id) <= np.array(half))
    assert np.all(want_id[:, 2] == 0.0)
    inner = np.all(np.abs(R.domRepeat(pts, period)[1]) <= np.array(half), axis=-1)
    np.testing.assert_array_equal(want_id[inner], R.domRepeat(pts, period)[1][inner])
    # Beyond the last cell the local coordinate keeps growing (the outer copies are not cut off).
    far = np.array([[10.0, 0.0, 0.0]], np.float32)
    local, cell = R.domRepeatLimited(far, period, half)
    assert cell[0, 0] == 2.0 and local[0, 0] == 8.0


@pytest.mark.parametrize("pick", [(0.0, 0.0, 0.0), (1.0, 0.0, 1.0), (1.0, 1.0, 1.0)])
def test_repeat_neighbour(gl_ctx, pick):
    period, half = (1.0, 2.0, 0.0), (2.0, 1e6, 3.0)
    pts = domain_points(seed=2)
    pts = pts[cell_boundary_free(pts, period)]
    body = (f"vec3 q = inp.xyz; vec3 id = domRepeatNeighbour(q, vec3{period}, vec3{half}, vec3{pick});"
            " outp = vec4(id, q.x);")
    out = run_domain(gl_ctx, body, pts)
    want_local, want_id = R.domRepeatNeighbour(pts, period, half, pick)
    np.testing.assert_array_equal(out[:, :3], want_id)
    np.testing.assert_allclose(out[:, 3], want_local[:, 0], atol=1e-5)
    own_local, own = R.domRepeatLimited(pts, period, half)
    step = want_id - own
    picked = np.asarray(pick) >= 0.5
    # Unpicked axes keep p's own cell; picked ones move one cell towards p, unless that leaves
    # the finite range (then the cell stays the last one).
    np.testing.assert_array_equal(step[:, ~picked], 0.0)
    moved = step[:, picked]
    assert np.all(np.abs(moved) <= 1.0)
    towards = np.sign(own_local[:, picked]) == moved
    at_end = (moved == 0) & (np.abs(own[:, picked]) == np.floor(np.asarray(half)[picked]))
    unrepeated = (np.asarray(period)[picked] == 0.0) & (moved == 0)
    assert np.all(towards | at_end | unrepeated)
    assert np.all(np.abs(want_id) <= np.floor(np.asarray(half)))


def test_mirror(gl_ctx):
    pts = domain_points(seed=2)
    pts[:5, 0] = 0.0
    mask = (1.0, 0.0, 1.0)
    body = f"vec3 q = inp.xyz; vec3 id = domMirror(q, vec3{mask}); outp = vec4(q, 0.0); outp.w = id.x + 10.0 * id.y + 100.0 * id.z;"
    out = run_domain(gl_ctx, body, pts)
    local, ids = R.domMirror(pts, mask)
    np.testing.assert_array_equal(out[:, :3], local)
    np.testing.assert_array_equal(out[:, 3], ids[:, 0] + 10.0 * ids[:, 1] + 100.0 * ids[:, 2])
    np.testing.assert_array_equal(local[:, 0], np.abs(pts[:, 0]))
    np.testing.assert_array_equal(local[:, 1], pts[:, 1])
    np.testing.assert_array_equal(local * ids, pts)
    assert np.all(ids[:, 1] == 1.0) and np.all(np.abs(ids) == 1.0)


@pytest.mark.parametrize("op, fixed_axis", [("domTwist", 1), ("domBend", 2)])
def test_twist_and_bend(gl_ctx, op, fixed_axis):
    pts = domain_points(seed=3, scale=3.0)
    out = run_domain(gl_ctx, f"outp = vec4({op}(inp.xyz, 0.7), 0.0);", pts)[:, :3]
    ref = getattr(R, op)
    np.testing.assert_allclose(out, ref(pts, 0.7), atol=2e-5)
    np.testing.assert_allclose(np.linalg.norm(out, axis=-1), np.linalg.norm(pts, axis=-1), rtol=1e-5)
    np.testing.assert_array_equal(out[:, fixed_axis], pts[:, fixed_axis])
    np.testing.assert_allclose(ref(pts, 0.0), pts, atol=0)
    # The rotation angle depends only on the driving coordinate: points on the axis plane stay put.
    drive = 1 if op == "domTwist" else 0
    flat = pts.copy()
    flat[:, drive] = 0.0
    np.testing.assert_allclose(ref(flat, 0.7), flat, atol=0)


def test_twist_rotates_counter_clockwise():
    # dsRot2(a) * v turns v by +a: at y = pi/2 (k = 1) the x axis goes to z = +1 in the (x, z) plane.
    out = R.domTwist(np.array([[1.0, np.pi / 2, 0.0]]), 1.0)
    np.testing.assert_allclose(out, [[0.0, np.pi / 2, 1.0]], atol=1e-12)


def test_warp(gl_ctx):
    pts = domain_points(seed=4, scale=10.0)
    out = run_domain(gl_ctx, "outp = vec4(domWarp3(inp.xyz, 0.4, 0.8, 3.0), 0.0);", pts)[:, :3]
    np.testing.assert_allclose(out, R.domWarp3(pts, 0.4, 0.8, 3.0), atol=1e-4)
    assert np.all(np.abs(out - pts) <= 0.4 * 1.05 + 1e-5)
    np.testing.assert_array_equal(R.domWarp3(pts, 0.0, 0.8, 3.0), pts)


def test_warp_components_are_decorrelated():
    pts = np.random.default_rng(5).uniform(-30.0, 30.0, (5000, 3)).astype(np.float32)
    d = R.domWarp3(pts, 1.0, 1.0, 0.0) - pts
    corr = np.corrcoef(d.T)
    assert np.all(np.abs(corr[np.triu_indices(3, 1)]) < 0.1)
    assert np.all(d.std(axis=0) > 0.15)


# ------------------------------------------------------------------ palette and common
def test_palettes(gl_ctx):
    t = np.concatenate([[-0.5, 0.0, 1.0 / 3.0, 0.5, 2.0 / 3.0, 1.0, 1.5], np.linspace(0.0, 1.0, 50)]).astype(np.float32)
    x = np.zeros((len(t), 4), np.float32)
    x[:, 0] = t
    a, b, c, d = (0.5, 0.5, 0.5), (0.5, 0.5, 0.5), (1.0, 1.0, 1.0), (0.0, 0.33, 0.67)
    cols = [(1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0), (1.0, 1.0, 1.0)]
    cos_body = f"outp = vec4(palCosine(inp.x, vec3{a}, vec3{b}, vec3{c}, vec3{d}), 0.0);"
    ramp_body = "outp = vec4(palRamp4(inp.x, " + ", ".join(f"vec3{col}" for col in cols) + "), 0.0);"
    cos_out = run_probe(gl_ctx, ["lib/palette.glsl"], cos_body, x)[:, :3]
    ramp_out = run_probe(gl_ctx, ["lib/palette.glsl"], ramp_body, x)[:, :3]
    np.testing.assert_allclose(cos_out, R.palCosine(t, a, b, c, d), atol=1e-5)
    np.testing.assert_allclose(ramp_out, R.palRamp4(t, *cols), atol=1e-6)
    # Cosine palette: t = 0 gives a + b*cos(tau*d); c = 1 makes it periodic with period 1.
    np.testing.assert_allclose(cos_out[1], np.add(a, np.multiply(b, np.cos(2 * np.pi * np.array(d)))), atol=1e-5)
    np.testing.assert_allclose(cos_out[1], cos_out[5], atol=1e-5)
    # Ramp: the four stops, clamping outside [0, 1], and the midpoint between stops 1 and 2.
    np.testing.assert_allclose(ramp_out[[1, 2, 4, 5]], cols, atol=1e-6)
    np.testing.assert_allclose(ramp_out[0], cols[0], atol=1e-6)
    np.testing.assert_allclose(ramp_out[6], cols[3], atol=1e-6)
    np.testing.assert_allclose(ramp_out[3], (0.0, 0.5, 0.5), atol=1e-6)


def test_rot2_and_constants(gl_ctx):
    angles = np.array([0.0, 0.5, -1.2, np.pi], np.float32)
    x = np.zeros((len(angles), 4), np.float32)
    x[:, 0] = angles
    body = "mat2 m = dsRot2(inp.x); outp = vec4(m * vec2(1.0, 0.0), m * vec2(0.0, 1.0));"
    out = run_probe(gl_ctx, ["lib/common.glsl"], body, x)
    want = R.dsRot2(angles)  # rows of the maths matrix; columns are the images of the axes
    np.testing.assert_allclose(out[:, :2], want[:, :, 0], atol=1e-6)
    np.testing.assert_allclose(out[:, 2:], want[:, :, 1], atol=1e-6)
    np.testing.assert_allclose(out[1, :2], [np.cos(0.5), np.sin(0.5)], atol=1e-6)  # counter-clockwise
    consts = run_probe(gl_ctx, ["lib/common.glsl"], "outp = vec4(DS_PI, DS_TAU, float(DS_MAX_OCTAVES), 0.0);", x[:1])
    np.testing.assert_allclose(consts[0, :3], [np.pi, 2 * np.pi, 10.0], rtol=1e-7)
