"""shaders/lib/sdf.glsl against the numpy reference, plus facts that prove the maths itself."""

from __future__ import annotations

import numpy as np
import pytest

import reference_glsl as R
from glsl_probe import CASE_UNIFORM, Probe, case_branches

# (GLSL expression of p, numpy function of p, exact?)
CASES = {
    "sphere": ("sdSphere(p, 1.3)", lambda p: R.sdSphere(p, 1.3), True),
    "box": ("sdBox(p, vec3(1.0, 0.5, 0.75))", lambda p: R.sdBox(p, [1.0, 0.5, 0.75]), True),
    "roundbox": (
        "sdRoundBox(p, vec3(1.0, 0.5, 0.75), 0.2)",
        lambda p: R.sdRoundBox(p, [1.0, 0.5, 0.75], 0.2),
        True,
    ),
    "torus": ("sdTorus(p, 1.0, 0.3)", lambda p: R.sdTorus(p, 1.0, 0.3), True),
    "capsule": (
        "sdCapsule(p, vec3(-0.5, -0.7, 0.2), vec3(0.6, 0.8, -0.3), 0.35)",
        lambda p: R.sdCapsule(p, [-0.5, -0.7, 0.2], [0.6, 0.8, -0.3], 0.35),
        True,
    ),
    "capsule_point": (
        "sdCapsule(p, vec3(0.2, 0.1, 0.0), vec3(0.2, 0.1, 0.0), 0.5)",
        lambda p: R.sdCapsule(p, [0.2, 0.1, 0.0], [0.2, 0.1, 0.0], 0.5),
        True,
    ),
    "cone_narrowing": ("sdCappedCone(p, 0.9, 0.8, 0.25)", lambda p: R.sdCappedCone(p, 0.9, 0.8, 0.25), True),
    "cone_widening": ("sdCappedCone(p, 0.7, 0.1, 0.9)", lambda p: R.sdCappedCone(p, 0.7, 0.1, 0.9), True),
    "cone_sharp": ("sdCappedCone(p, 1.0, 0.6, 0.0)", lambda p: R.sdCappedCone(p, 1.0, 0.6, 0.0), True),
    "plane": ("sdPlane(p, vec3(0.6, 0.8, 0.0), 0.4)", lambda p: R.sdPlane(p, [0.6, 0.8, 0.0], 0.4), True),
    "mandelbulb": ("sdMandelbulb(p, 8.0, 10)", lambda p: R.sdMandelbulb(p, 8.0, 10), False),
    "mandelbulb_p3": ("sdMandelbulb(p, 3.0, 8)", lambda p: R.sdMandelbulb(p, 3.0, 8), False),
}
NAMES = list(CASES)


@pytest.fixture(scope="module")
def sdf_probe(gl_ctx):
    body = f"    vec3 p = inp.xyz;\n{case_branches((expr for expr, _, _ in CASES.values()), 'outp.x')}"
    with Probe(gl_ctx, ["lib/sdf.glsl"], body, declarations=CASE_UNIFORM) as probe:
        yield probe


def gpu(probe, name, points):
    inputs = np.zeros((len(points), 4), np.float32)
    inputs[:, :3] = points
    return probe.run(inputs, {"u_case": NAMES.index(name)})[:, 0]


def random_points(n=500, scale=2.5, seed=0):
    return np.random.default_rng(seed).uniform(-scale, scale, (n, 3)).astype(np.float32)


@pytest.mark.parametrize("name", NAMES)
def test_glsl_matches_numpy(sdf_probe, name):
    _, ref, _ = CASES[name]
    pts = random_points(500, 1.6 if name.startswith("mandelbulb") else 2.5)
    got = gpu(sdf_probe, name, pts)
    want = ref(pts)
    assert np.all(np.isfinite(got))
    if name.startswith("mandelbulb"):
        # Escape-time iteration amplifies last-bit differences in pow/atan near the set.
        np.testing.assert_allclose(got, want, rtol=2e-3, atol=1e-3)
    else:
        np.testing.assert_allclose(got, want, atol=1e-4, rtol=0)


def numeric_gradient(f, p, eps=1e-6):
    return np.stack([(f(p + eps * e) - f(p - eps * e)) / (2 * eps) for e in np.eye(3)], -1)


@pytest.mark.parametrize("name", [n for n, c in CASES.items() if c[2]])
def test_exact_sdfs_have_unit_gradient_outside(name):
    _, ref, _ = CASES[name]
    pts = np.random.default_rng(1).uniform(-3.0, 3.0, (4000, 3))  # float64: checks the maths
    pts = pts[ref(pts) > 0.02][:500]
    assert len(pts) > 100
    grad = numeric_gradient(ref, pts)
    np.testing.assert_allclose(np.linalg.norm(grad, axis=-1), 1.0, atol=1e-4)


def segment_distance_2d(q, a, b):
    ab = b - a
    t = np.clip(((q - a) @ ab) / max(ab @ ab, 1e-300), 0.0, 1.0)
    return np.linalg.norm(q - (a + t[:, None] * ab), axis=-1)


@pytest.mark.parametrize("h, r1, r2", [(0.9, 0.8, 0.25), (0.7, 0.1, 0.9), (1.0, 0.6, 0.0), (0.5, 0.5, 0.5)])
def test_capped_cone_is_exact_against_brute_force(h, r1, r2):
    # Independent construction: distance to the three boundary segments of the half-plane profile,
    # negative inside (|y| <= h and radius <= the linear radius at that height).
    pts = np.random.default_rng(2).uniform(-2.0, 2.0, (3000, 3))
    q = np.stack([np.hypot(pts[:, 0], pts[:, 2]), pts[:, 1]], -1)
    segs = [((0.0, -h), (r1, -h)), ((0.0, h), (r2, h)), ((r1, -h), (r2, h))]
    dist = np.min([segment_distance_2d(q, np.array(a), np.array(b)) for a, b in segs], axis=0)
    radius_at = r1 + (r2 - r1) * (q[:, 1] + h) / (2 * h)
    inside = (np.abs(q[:, 1]) <= h) & (q[:, 0] <= radius_at)
    np.testing.assert_allclose(R.sdCappedCone(pts, h, r1, r2), np.where(inside, -dist, dist), atol=1e-9)


def test_round_box_is_shrunk_box_minus_radius():
    pts = np.random.default_rng(3).uniform(-2.0, 2.0, (1000, 3))
    hs = np.array([1.0, 0.5, 0.75])
    np.testing.assert_allclose(R.sdRoundBox(pts, hs, 0.2), R.sdBox(pts, hs - 0.2) - 0.2, atol=1e-12)
    np.testing.assert_allclose(R.sdRoundBox(pts, hs, 0.0), R.sdBox(pts, hs), atol=1e-12)


ANALYTIC = [
    # (case, point, expected distance)
    ("sphere", (2.0, 0.0, 0.0), 0.7),
    ("sphere", (0.0, 0.0, 0.0), -1.3),
    ("sphere", (0.0, -1.3, 0.0), 0.0),
    ("box", (0.0, 0.0, 0.0), -0.5),
    ("box", (2.0, 0.0, 0.0), 1.0),
    ("box", (0.0, 0.0, -1.0), 0.25),
    ("box", (2.0, 1.5, 1.75), np.sqrt(3.0)),
    ("box", (0.9, 0.1, 0.0), -0.1),
    ("roundbox", (1.5, 0.0, 0.0), 0.5),  # faces stay at halfSize
    ("roundbox", (0.0, 0.5, 0.0), 0.0),
    ("roundbox", (1.0, 0.5, 0.75), 0.2 * (np.sqrt(3.0) - 1.0)),  # the corner is rounded off
    ("torus", (1.0, 0.0, 0.0), -0.3),
    ("torus", (0.0, 0.0, -1.3), 0.0),
    ("torus", (0.0, 0.0, 0.0), 0.7),
    ("torus", (0.0, 2.0, 0.0), np.sqrt(5.0) - 0.3),
    ("capsule", (-0.5, -0.7, 0.2), -0.35),
    ("capsule", (0.6, 0.8, -0.3), -0.35),
    ("capsule", (0.6, 1.8, -0.3), 1.0 - 0.35),  # beyond the end cap, along +y from b
    ("capsule_point", (0.2, 1.1, 0.0), 0.5),
    ("cone_narrowing", (0.0, 1.4, 0.0), 0.5),  # above the top cap
    ("cone_narrowing", (0.0, -1.4, 0.0), 0.5),  # below the bottom cap
    ("cone_narrowing", (1.8, -0.9, 0.0), 1.0),  # nearest point is the bottom rim
    # Centre: nearer to the slanted side (line through (0.8, -0.9) and (0.25, 0.9)) than to the caps.
    ("cone_narrowing", (0.0, 0.0, 0.0), -abs(-0.8 * 1.8 - 0.9 * -0.55) / np.hypot(0.55, 1.8)),
    ("cone_widening", (0.0, 0.7, 0.0), 0.0),
    ("cone_widening", (0.9, 0.7, 0.0), 0.0),
    ("plane", (0.0, 0.0, 0.0), 0.4),
    ("plane", (0.6, 0.8, 5.0), 1.4),
    ("plane", (-0.6, -0.8, 0.0), -0.6),
]


def test_analytic_values(sdf_probe):
    for name in {case for case, _, _ in ANALYTIC}:
        rows = [(pt, want) for case, pt, want in ANALYTIC if case == name]
        pts = np.array([pt for pt, _ in rows], np.float32)
        want = np.array([w for _, w in rows])
        np.testing.assert_allclose(CASES[name][1](pts.astype(np.float64)), want, atol=1e-5, err_msg=name)
        np.testing.assert_allclose(gpu(sdf_probe, name, pts), want, atol=1e-5, err_msg=name)


def test_inside_is_negative(sdf_probe):
    centre = np.zeros((1, 3), np.float32)
    for name in ["sphere", "box", "roundbox", "capsule_point", "cone_narrowing", "cone_widening", "cone_sharp"]:
        assert gpu(sdf_probe, name, centre)[0] < 0.0, name


def test_mandelbulb_far_points_use_bounding_sphere(sdf_probe):
    radius = 2.0 ** (1.0 / 7.0)
    dirs = np.random.default_rng(4).normal(size=(200, 3))
    dirs /= np.linalg.norm(dirs, axis=-1, keepdims=True)
    dist = np.random.default_rng(5).uniform(radius + 0.6, 50.0, 200)
    pts = (dirs * dist[:, None]).astype(np.float32)
    np.testing.assert_allclose(gpu(sdf_probe, "mandelbulb", pts), dist - radius, rtol=1e-5, atol=1e-4)


def test_mandelbulb_is_finite_and_signed(sdf_probe):
    pts = np.array(
        [[0.0, 0.0, 0.0], [0.0, 0.0, 0.5], [0.0, 0.0, -0.7], [0.3, 0.0, 0.0], [0.0, 0.0, 1.5], [1.5, 0.0, 0.0]],
        np.float32,
    )
    got = gpu(sdf_probe, "mandelbulb", pts)
    assert np.all(np.isfinite(got))
    assert got[0] <= 0.0  # the origin is in the set
    assert got[4] > 0.0 and got[5] > 0.0  # outside the bounding sphere's shell but near it
    # The estimate is a bound: never more than the distance to the bounding sphere's centre region.
    assert np.all(got[4:] <= np.linalg.norm(pts[4:], axis=-1))


def test_mandelbulb_zero_iterations_is_finite():
    pts = np.array([[0.0, 0.0, 0.0], [0.5, 0.2, 0.1]])
    assert np.all(np.isfinite(R.sdMandelbulb(pts, 8.0, 0)))
