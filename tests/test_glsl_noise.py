"""shaders/lib/noise.glsl: hash bit-exactness, noise/fbm agreement with numpy, ranges, seeds."""

from __future__ import annotations

import numpy as np
import pytest

import reference_glsl as R
from glsl_probe import CASE_UNIFORM, Probe, case_branches, run_probe

M32 = 0xFFFFFFFF


def pcg3d_python(x: int, y: int, z: int) -> tuple[int, int, int]:
    """Plain-int pcg3d, independent of numpy's uint32 wraparound."""
    x, y, z = ((c * 1664525 + 1013904223) & M32 for c in (x, y, z))
    x = (x + y * z) & M32
    y = (y + z * x) & M32
    z = (z + x * y) & M32
    x, y, z = x ^ (x >> 16), y ^ (y >> 16), z ^ (z >> 16)
    x = (x + y * z) & M32
    y = (y + z * x) & M32
    z = (z + x * y) & M32
    return x, y, z


def float_safe_uints(n: int, seed: int = 0) -> np.ndarray:
    """Random uint32 whose bit patterns are normal floats (no NaN/Inf/denormal on the way in)."""
    rng = np.random.default_rng(seed)
    v = rng.integers(0, 2**32, size=(n, 3), dtype=np.uint64).astype(np.uint32)
    exponent = (v >> 23) & 0xFF
    v = np.where((exponent == 0) | (exponent == 255), v ^ np.uint32(0x40000000), v)
    v[0] = 0  # +0.0 is safe too
    return v.astype(np.uint32)


def split16(u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return (u >> 16).astype(np.float32), (u & 0xFFFF).astype(np.float32)


def join16(hi: np.ndarray, lo: np.ndarray) -> np.ndarray:
    return (hi.astype(np.uint32) << 16) | lo.astype(np.uint32)


HASH_BODY_XY = """
    uvec3 h = dsHash3(floatBitsToUint(inp.xyz));
    outp = vec4(float(h.x >> 16u), float(h.x & 0xFFFFu), float(h.y >> 16u), float(h.y & 0xFFFFu));
"""
HASH_BODY_Z = """
    uvec3 h = dsHash3(floatBitsToUint(inp.xyz));
    outp = vec4(float(h.z >> 16u), float(h.z & 0xFFFFu), dsHashToUnit(h.x), 0.0);
"""


def test_numpy_hash_matches_plain_python():
    v = float_safe_uints(50, seed=7)
    v[1] = [M32, M32, M32]
    v[2] = [1, 2, 3]
    got = R.dsHash3(v)
    for row, out in zip(v.tolist(), got.tolist()):
        assert tuple(out) == pcg3d_python(*row)


def test_glsl_hash_is_bit_exact(gl_ctx):
    v = float_safe_uints(512)
    inputs = np.zeros((len(v), 4), np.float32)
    inputs[:, :3] = v.view(np.float32)
    xy = run_probe(gl_ctx, ["lib/noise.glsl"], HASH_BODY_XY, inputs)
    z = run_probe(gl_ctx, ["lib/noise.glsl"], HASH_BODY_Z, inputs)
    want = R.dsHash3(v)
    np.testing.assert_array_equal(join16(xy[:, 0], xy[:, 1]), want[:, 0])
    np.testing.assert_array_equal(join16(xy[:, 2], xy[:, 3]), want[:, 1])
    np.testing.assert_array_equal(join16(z[:, 0], z[:, 1]), want[:, 2])
    np.testing.assert_array_equal(z[:, 2], R.dsHashToUnit(want[:, 0]))


def test_hash_to_unit_range():
    h = np.array([0, 1, 255, 256, 0x80000000, M32], np.uint32)
    u = R.dsHashToUnit(h)
    assert u[0] == 0.0 and u[1] == 0.0 and u[3] == 2.0**-24
    assert u[-1] < 1.0 and u[-1] == np.float32(1.0 - 2.0**-24)


def test_seed_and_lattice_conversion_matches_glsl(gl_ctx):
    # uint(int(seed)) truncates toward zero and keeps the two's-complement bits;
    # ivec3(floor(p)) reinterpreted as uint likewise.
    seeds = np.array([0.0, 1.0, 3.9, -0.5, -1.0, -5.7, 123456.0, -2147480000.0], np.float32)
    inputs = np.zeros((len(seeds), 4), np.float32)
    inputs[:, 0] = seeds
    body = """
    uint s = dsSeed(inp.x);
    uint c = uvec3(ivec3(floor(inp.xxx))).x;
    outp = vec4(float(s >> 16u), float(s & 0xFFFFu), float(c >> 16u), float(c & 0xFFFFu));
    """
    out = run_probe(gl_ctx, ["lib/noise.glsl"], body, inputs)
    np.testing.assert_array_equal(join16(out[:, 0], out[:, 1]), R.dsSeed(seeds))
    np.testing.assert_array_equal(join16(out[:, 2], out[:, 3]), np.floor(seeds).astype(np.int32).view(np.uint32))
    assert R.dsSeed(np.float32(-1.0)) == M32


# ------------------------------------------------------------------ noise and fbm
# Seed comes from inp.w so one compiled probe covers several seeds.
NOISE_CASES = {
    "value3": ("noiseValue3(inp.xyz, inp.w)", lambda p, s: R.noiseValue3(p, s)),
    "gradient3": ("noiseGradient3(inp.xyz, inp.w)", lambda p, s: R.noiseGradient3(p, s)),
    "gradient2": ("noiseGradient2(inp.xy, inp.w)", lambda p, s: R.noiseGradient2(p[..., :2], s)),
    "fbm3": ("fbm3(inp.xyz, 5, 2.0, 0.5, inp.w)", lambda p, s: R.fbm3(p, 5, 2.0, 0.5, s)),
    "fbm2": ("fbm2(inp.xy, 6, 1.9, 0.55, inp.w)", lambda p, s: R.fbm2(p[..., :2], 6, 1.9, 0.55, s)),
    "ridged3": ("fbmRidged3(inp.xyz, 4, 2.1, 0.5, inp.w)", lambda p, s: R.fbmRidged3(p, 4, 2.1, 0.5, s)),
    "ridged2": ("fbmRidged2(inp.xy, 7, 2.0, 0.6, inp.w)", lambda p, s: R.fbmRidged2(p[..., :2], 7, 2.0, 0.6, s)),
    "fbm3_max": ("fbm3(inp.xyz, 99, 2.0, 0.5, inp.w)", lambda p, s: R.fbm3(p, 10, 2.0, 0.5, s)),
    "fbm3_none": ("fbm3(inp.xyz, 0, 2.0, 0.5, inp.w)", lambda p, s: np.zeros(p.shape[:-1], np.float32)),
}
NOISE_NAMES = list(NOISE_CASES)
SEEDS = [0.0, 1.0, 7.0, -3.0]


@pytest.fixture(scope="module")
def noise_probe(gl_ctx):
    branches = case_branches((expr for expr, _ in NOISE_CASES.values()), "outp.x")
    with Probe(gl_ctx, ["lib/noise.glsl"], branches, declarations=CASE_UNIFORM) as probe:
        yield probe


def gpu(probe, name, points, seed):
    inputs = np.zeros((len(points), 4), np.float32)
    inputs[:, :3] = points
    inputs[:, 3] = seed
    return probe.run(inputs, {"u_case": NOISE_NAMES.index(name)})[:, 0]


def points(n=500, scale=20.0, seed=0):
    return np.random.default_rng(seed).uniform(-scale, scale, (n, 3)).astype(np.float32)


@pytest.mark.parametrize("name", NOISE_NAMES)
def test_glsl_matches_numpy(noise_probe, name):
    pts = points(500)
    for seed in SEEDS[:2]:
        got = gpu(noise_probe, name, pts, seed)
        want = NOISE_CASES[name][1](pts, np.float32(seed))
        np.testing.assert_allclose(got, want, atol=1e-4, rtol=0, err_msg=f"seed {seed}")


def test_glsl_matches_numpy_per_point_seeds(noise_probe):
    pts = points(400, seed=1)
    seeds = np.resize(np.array(SEEDS, np.float32), len(pts))
    inputs = np.concatenate([pts, seeds[:, None]], -1)
    got = noise_probe.run(inputs, {"u_case": NOISE_NAMES.index("gradient3")})[:, 0]
    want = np.array([R.noiseGradient3(p[None], s)[0] for p, s in zip(pts, seeds)])
    np.testing.assert_allclose(got, want, atol=1e-4)


def test_ranges():
    pts = np.random.default_rng(3).uniform(-60.0, 60.0, (20000, 3)).astype(np.float32)
    v = R.noiseValue3(pts, 0.0)
    assert v.min() >= -1.0 and v.max() < 1.0 and v.max() - v.min() > 1.5
    g3 = R.noiseGradient3(pts, 0.0)
    assert np.abs(g3).max() <= 1.05 and g3.max() - g3.min() > 1.4
    g2 = R.noiseGradient2(pts[:, :2], 0.0)
    assert np.abs(g2).max() <= 1.0 and g2.max() - g2.min() > 1.4
    for f in (R.fbm3, R.fbm2):
        out = f(pts if f is R.fbm3 else pts[:, :2], 6, 2.0, 0.5, 1.0)
        assert np.abs(out).max() <= 1.05
        assert out.std() > 0.1
    for f in (R.fbmRidged3, R.fbmRidged2):
        out = f(pts if f is R.fbmRidged3 else pts[:, :2], 6, 2.0, 0.5, 1.0)
        assert out.min() >= 0.0 and out.max() <= 1.0
        assert out.std() > 0.05


def test_gpu_ranges(noise_probe):
    pts = points(2000, 40.0, seed=4)
    assert np.abs(gpu(noise_probe, "gradient3", pts, 2.0)).max() <= 1.05
    assert np.abs(gpu(noise_probe, "value3", pts, 2.0)).max() <= 1.0
    ridged = gpu(noise_probe, "ridged3", pts, 2.0)
    assert ridged.min() >= 0.0 and ridged.max() <= 1.0


@pytest.mark.parametrize("name", ["value3", "gradient3", "gradient2", "fbm3", "ridged2"])
def test_deterministic_per_seed_and_different_between_seeds(noise_probe, name):
    pts = points(500, seed=5)
    a = gpu(noise_probe, name, pts, 3.0)
    b = gpu(noise_probe, name, pts, 3.0)
    c = gpu(noise_probe, name, pts, 4.0)
    np.testing.assert_array_equal(a, b)
    assert np.mean(np.abs(a - c)) > 0.05
    assert abs(np.corrcoef(a, c)[0, 1]) < 0.3


def test_gradient_noise_is_zero_on_the_lattice(noise_probe):
    lattice = np.random.default_rng(6).integers(-1000, 1000, (300, 3)).astype(np.float32)
    for seed in SEEDS:
        np.testing.assert_array_equal(np.abs(gpu(noise_probe, "gradient3", lattice, seed)), 0.0)
        np.testing.assert_array_equal(np.abs(gpu(noise_probe, "gradient2", lattice, seed)), 0.0)
        np.testing.assert_array_equal(np.abs(R.noiseGradient3(lattice, seed)), 0.0)
        # With integer lacunarity every octave samples the lattice too.
        np.testing.assert_array_equal(np.abs(gpu(noise_probe, "fbm3", lattice, seed)), 0.0)


def test_noise_is_continuous_across_cells():
    k = np.random.default_rng(7).integers(-50, 50, (200, 3)).astype(np.float64)
    off = np.random.default_rng(8).uniform(0.0, 1.0, (200, 3))
    for axis in range(3):
        lo, hi = k + off, k + off
        lo[:, axis] = k[:, axis] - 1e-7
        hi[:, axis] = k[:, axis] + 1e-7
        for f in (R.noiseValue3, R.noiseGradient3):
            np.testing.assert_allclose(f(lo, 0.0), f(hi, 0.0), atol=1e-5)


def test_octaves_clamped_and_zero():
    pts = points(100, seed=9)
    np.testing.assert_array_equal(R.fbm3(pts, 0, 2.0, 0.5, 0.0), 0.0)
    np.testing.assert_array_equal(R.fbm3(pts, 50, 2.0, 0.5, 0.0), R.fbm3(pts, 10, 2.0, 0.5, 0.0))
    np.testing.assert_allclose(R.fbm3(pts, 1, 2.0, 0.5, 5.0), R.noiseGradient3(pts, 5.0), atol=1e-7)


def test_value_noise_hits_hash_at_lattice_points():
    c = np.random.default_rng(10).integers(-100, 100, (50, 3)).astype(np.int32)
    want = R.dsHashToUnit(R.dsHashCell3(c, R.dsSeed(2.0))[..., 0]) * 2.0 - 1.0
    np.testing.assert_allclose(R.noiseValue3(c.astype(np.float32), 2.0), want, atol=1e-7)
