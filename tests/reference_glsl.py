"""NumPy reference implementations of the GLSL library in shaders/lib/.

Vectorised: points are arrays of shape (..., 3) (or (..., 2)), scalars broadcast. Arithmetic
keeps the input's float dtype (pass float32 to compare against the GPU, float64 to check the maths
with finite differences); hashing is done in uint32 with wraparound, bit-exact with GLSL.
"""

from __future__ import annotations

import numpy as np

DS_PI = 3.14159265358979
DS_TAU = 6.28318530717959
DS_MAX_OCTAVES = 10
DS_MANDELBULB_MAX_ITER = 32
DS_MANDELBULB_BAILOUT = 2.0
DS_GRAD3_SCALE = 1.0
DS_GRAD2_SCALE = 1.41421356
DS_DIAG = 0.70710678

_SEED_MIX = np.array([0x9E3779B9, 0x85EBCA6B, 0xC2B2AE35], dtype=np.uint32)


def _f(x, like=None):
    """Array in the working float dtype (float32 unless `x` or `like` is float64)."""
    arr = np.asarray(x)
    if like is not None:
        return arr.astype(np.result_type(np.asarray(like).dtype, np.float32), copy=False)
    if arr.dtype == np.float64:
        return arr
    return arr.astype(np.float32, copy=False)


def _length(v):
    return np.sqrt(np.sum(v * v, axis=-1))


def _dot(a, b):
    return np.sum(a * b, axis=-1)


def _mix(a, b, t):
    return a * (1.0 - t) + b * t


# ---------------------------------------------------------------- common
def dsRot2(a):
    """Matrices of shape (..., 2, 2) in row-major maths form [[c, -s], [s, c]]."""
    a = _f(a)
    c, s = np.cos(a), np.sin(a)
    return np.stack([np.stack([c, -s], -1), np.stack([s, c], -1)], -2)


def _rot2_apply(a, v):
    """dsRot2(a) * v for v (..., 2)."""
    c, s = np.cos(a), np.sin(a)
    return np.stack([c * v[..., 0] - s * v[..., 1], s * v[..., 0] + c * v[..., 1]], -1)


# ---------------------------------------------------------------- sdf
def sdSphere(p, r):
    p = _f(p)
    return _length(p) - r


def sdBox(p, halfSize):
    p = _f(p)
    q = np.abs(p) - _f(halfSize, p)
    return _length(np.maximum(q, 0.0)) + np.minimum(np.max(q, axis=-1), 0.0)


def sdRoundBox(p, halfSize, r):
    p = _f(p)
    hs = _f(halfSize, p)
    rr = np.clip(_f(r, p), 0.0, np.min(hs, axis=-1))
    q = np.abs(p) - hs + rr[..., None]
    return _length(np.maximum(q, 0.0)) + np.minimum(np.max(q, axis=-1), 0.0) - rr


def sdTorus(p, major, minor):
    p = _f(p)
    qx = np.sqrt(p[..., 0] ** 2 + p[..., 2] ** 2) - major
    return np.sqrt(qx * qx + p[..., 1] ** 2) - minor


def sdCapsule(p, a, b, r):
    p = _f(p)
    a, b = _f(a, p), _f(b, p)
    pa, ba = p - a, b - a
    h = np.clip(_dot(pa, ba) / np.maximum(_dot(ba, ba), 1e-20), 0.0, 1.0)
    return _length(pa - ba * h[..., None]) - r


def sdCappedCone(p, halfHeight, r1, r2):
    p = _f(p)
    qx = np.sqrt(p[..., 0] ** 2 + p[..., 2] ** 2)
    qy = p[..., 1]
    cap_r = np.where(qy < 0.0, _f(r1, p), _f(r2, p))
    cax = qx - np.minimum(qx, cap_r)
    cay = np.abs(qy) - halfHeight
    sx, sy = _f(r2 - r1, p), _f(2.0 * halfHeight, p)
    t = np.clip(((r2 - qx) * sx + (halfHeight - qy) * sy) / np.maximum(sx * sx + sy * sy, 1e-20), 0.0, 1.0)
    cbx = qx - r2 + sx * t
    cby = qy - halfHeight + sy * t
    s = np.where((cbx < 0.0) & (cay < 0.0), -1.0, 1.0).astype(qx.dtype)
    return s * np.sqrt(np.minimum(cax * cax + cay * cay, cbx * cbx + cby * cby))


def sdPlane(p, n, h):
    p = _f(p)
    return _dot(p, _f(n, p)) + h


def sdMandelbulb(p, power, iterations):
    p = _f(p)
    n = max(float(power), 2.0)
    dt = p.dtype.type
    radius = dt(2.0) ** (dt(1.0) / (dt(n) - dt(1.0)))
    rp = _length(p)
    far = rp > radius + 0.5
    z = p.copy()
    dr = np.ones_like(rp)
    r = rp.copy()
    for i in range(DS_MANDELBULB_MAX_ITER):
        if i >= iterations:
            break
        active = (r <= DS_MANDELBULB_BAILOUT) & ~far
        if not active.any():
            break
        with np.errstate(all="ignore"):
            theta = np.where(r > 0.0, np.arctan2(np.sqrt(z[..., 0] ** 2 + z[..., 1] ** 2), z[..., 2]), 0.0)
            phi = np.where(np.abs(z[..., 0]) + np.abs(z[..., 1]) > 0.0, np.arctan2(z[..., 1], z[..., 0]), 0.0)
            theta, phi = theta.astype(dt), phi.astype(dt)
            rn1 = r ** (dt(n) - dt(1.0))
            new_dr = rn1 * dt(n) * dr + 1.0
            rn = rn1 * r
            theta = theta * dt(n)
            phi = phi * dt(n)
            new_z = rn[..., None] * np.stack(
                [np.sin(theta) * np.cos(phi), np.sin(theta) * np.sin(phi), np.cos(theta)], -1
            ) + p
        dr = np.where(active, new_dr, dr)
        z = np.where(active[..., None], new_z, z)
        r = np.where(active, _length(z), r)
    r = np.maximum(r, 1e-10)
    with np.errstate(all="ignore"):
        de = 0.5 * np.log(r) * r / dr
    return np.where(far, rp - radius, de)


# ---------------------------------------------------------------- ops
def opUnion(a, b):
    return np.minimum(a, b)


def opIntersect(a, b):
    return np.maximum(a, b)


def opSubtract(a, b):
    return np.maximum(a, -np.asarray(b))


def opSmoothUnion(a, b, k):
    a, b = _f(a), _f(b)
    k = _f(k, a)
    kk = np.maximum(k, 1e-20)
    h = np.maximum(k - np.abs(a - b), 0.0) / kk
    return np.minimum(a, b) - h * h * kk * 0.25


def opSmoothIntersect(a, b, k):
    return -opSmoothUnion(-_f(a), -_f(b), k)


def opSmoothSubtract(a, b, k):
    return opSmoothIntersect(a, -_f(b), k)


def opSmoothUnionH(a, b, k):
    """Returns (distance, weight of b)."""
    a, b = _f(a), _f(b)
    k = _f(k, a)
    with np.errstate(all="ignore"):
        w = np.where(k > 0.0, np.clip(0.5 + 0.5 * (a - b) / k, 0.0, 1.0), np.where(b < a, 1.0, 0.0))
    return opSmoothUnion(a, b, k), w.astype(a.dtype)


# ---------------------------------------------------------------- noise
def dsHash3(v):
    """pcg3d (Jarzynski & Olano 2020) on uint32 arrays of shape (..., 3)."""
    v = np.array(v, dtype=np.uint32)
    v = v * np.uint32(1664525) + np.uint32(1013904223)
    x, y, z = v[..., 0].copy(), v[..., 1].copy(), v[..., 2].copy()
    x += y * z
    y += z * x
    z += x * y
    x ^= x >> np.uint32(16)
    y ^= y >> np.uint32(16)
    z ^= z >> np.uint32(16)
    x += y * z
    y += z * x
    z += x * y
    return np.stack([x, y, z], -1)


def dsHashToUnit(h):
    h = np.asarray(h, dtype=np.uint32)
    return (h >> np.uint32(8)).astype(np.float32) * np.float32(1.0 / 16777216.0)


def dsSeed(seed):
    """uint(int(seed)): truncate toward zero, reinterpret the int32 bits."""
    return np.trunc(np.asarray(seed, dtype=np.float32)).astype(np.int32).view(np.uint32)


def dsHashCell3(c, s):
    """c: int32 (..., 3); s: uint32 broadcastable to c[..., 0]."""
    cu = np.asarray(c, dtype=np.int32).view(np.uint32)
    s = np.asarray(s, dtype=np.uint32)[..., None]
    return dsHash3(cu + s * _SEED_MIX)


def _fade(t):
    return t * t * t * (t * (t * 6.0 - 15.0) + 10.0)


def dsGrad3(h, f):
    h = np.asarray(h, dtype=np.uint32)
    u = np.where(h < 8, f[..., 0], f[..., 1])
    v = np.where(h < 4, f[..., 1], np.where((h == 12) | (h == 14), f[..., 0], f[..., 2]))
    return np.where((h & 1) == 0, u, -u) + np.where((h & 2) == 0, v, -v)


def dsGrad2(h, f):
    h = np.asarray(h, dtype=np.uint32)
    dt = f.dtype.type
    sx = np.where((h & 1) == 0, dt(1.0), dt(-1.0))
    sy = np.where((h & 2) == 0, dt(1.0), dt(-1.0))
    diag = sx * dt(DS_DIAG) * f[..., 0] + sy * dt(DS_DIAG) * f[..., 1]
    axis = np.where((h & 2) == 0, sx * f[..., 0], sx * f[..., 1])
    return np.where((h & 4) != 0, diag, axis)


_CORNERS3 = [(x, y, z) for z in (0, 1) for y in (0, 1) for x in (0, 1)]


def _lattice(p):
    i = np.floor(p)
    return i.astype(np.int32), p - i


def noiseValue3(p, seed):
    p = _f(p)
    c, f = _lattice(p)
    s = dsSeed(seed)
    u = _fade(f)
    v = {}
    for corner in _CORNERS3:
        v[corner] = dsHashToUnit(dsHashCell3(c + np.array(corner, np.int32), s)[..., 0]).astype(p.dtype)
    x00 = _mix(v[0, 0, 0], v[1, 0, 0], u[..., 0])
    x10 = _mix(v[0, 1, 0], v[1, 1, 0], u[..., 0])
    x01 = _mix(v[0, 0, 1], v[1, 0, 1], u[..., 0])
    x11 = _mix(v[0, 1, 1], v[1, 1, 1], u[..., 0])
    val = _mix(_mix(x00, x10, u[..., 1]), _mix(x01, x11, u[..., 1]), u[..., 2])
    return val * 2.0 - 1.0


def noiseGradient3(p, seed):
    p = _f(p)
    c, f = _lattice(p)
    s = dsSeed(seed)
    u = _fade(f)
    n = {}
    for corner in _CORNERS3:
        h = dsHashCell3(c + np.array(corner, np.int32), s)[..., 0] >> np.uint32(28)
        n[corner] = dsGrad3(h, f - np.array(corner, p.dtype))
    x00 = _mix(n[0, 0, 0], n[1, 0, 0], u[..., 0])
    x10 = _mix(n[0, 1, 0], n[1, 1, 0], u[..., 0])
    x01 = _mix(n[0, 0, 1], n[1, 0, 1], u[..., 0])
    x11 = _mix(n[0, 1, 1], n[1, 1, 1], u[..., 0])
    return _mix(_mix(x00, x10, u[..., 1]), _mix(x01, x11, u[..., 1]), u[..., 2]) * DS_GRAD3_SCALE


def noiseGradient2(p, seed):
    p = _f(p)
    c2, f = _lattice(p)
    c = np.concatenate([c2, np.zeros_like(c2[..., :1])], -1)
    s = dsSeed(seed)
    u = _fade(f)
    n = {}
    for corner in [(0, 0), (1, 0), (0, 1), (1, 1)]:
        h = dsHashCell3(c + np.array(corner + (0,), np.int32), s)[..., 0] >> np.uint32(29)
        n[corner] = dsGrad2(h, f - np.array(corner, p.dtype))
    return _mix(_mix(n[0, 0], n[1, 0], u[..., 0]), _mix(n[0, 1], n[1, 1], u[..., 0]), u[..., 1]) * DS_GRAD2_SCALE


def _fbm(noise, p, octaves, lacunarity, gain, seed, ridged):
    p = _f(p)
    dt = p.dtype.type
    total = np.zeros(p.shape[:-1], p.dtype)
    norm = dt(0.0)
    amp = dt(1.0)
    weight = np.ones_like(total)
    q = p
    for i in range(min(int(octaves), DS_MAX_OCTAVES)):
        n = noise(q, np.float32(seed) + np.float32(i))
        if ridged:
            r = np.clip(1.0 - np.abs(n), 0.0, 1.0)
            r = r * r
            total = total + amp * r * weight
            weight = r
        else:
            total = total + amp * n
        norm = norm + abs(amp)
        amp = amp * dt(gain)
        q = q * dt(lacunarity)
    return total / norm if norm > 0.0 else total


def fbm3(p, octaves, lacunarity, gain, seed):
    return _fbm(noiseGradient3, p, octaves, lacunarity, gain, seed, False)


def fbm2(p, octaves, lacunarity, gain, seed):
    return _fbm(noiseGradient2, p, octaves, lacunarity, gain, seed, False)


def fbmRidged3(p, octaves, lacunarity, gain, seed):
    return _fbm(noiseGradient3, p, octaves, lacunarity, gain, seed, True)


def fbmRidged2(p, octaves, lacunarity, gain, seed):
    return _fbm(noiseGradient2, p, octaves, lacunarity, gain, seed, True)


# ---------------------------------------------------------------- domain
def domRepeat(p, period):
    """Returns (local p, cell id)."""
    p = _f(p)
    period = _f(period, p)
    on = (period > 0.0).astype(p.dtype)
    safe = np.where(period > 0.0, period, 1.0).astype(p.dtype)
    cell = np.floor(p / safe + 0.5) * on
    return p - safe * cell, cell


def domRepeatLimited(p, period, halfCount):
    p = _f(p)
    period = _f(period, p)
    on = (period > 0.0).astype(p.dtype)
    safe = np.where(period > 0.0, period, 1.0).astype(p.dtype)
    hc = np.floor(np.maximum(_f(halfCount, p), 0.0))
    cell = np.clip(np.floor(p / safe + 0.5), -hc, hc) * on
    return p - safe * cell, cell


def domRepeatNeighbour(p, period, halfCount, pick):
    """Returns (local p, cell id): p's own cell, or on axes with pick >= 0.5 the next one on p's side."""
    p = _f(p)
    period = _f(period, p)
    on = (period > 0.0).astype(p.dtype)
    safe = np.where(period > 0.0, period, 1.0).astype(p.dtype)
    hc = np.floor(np.maximum(_f(halfCount, p), 0.0))
    c = p / safe
    own = np.clip(np.floor(c + 0.5), -hc, hc)
    side = np.where(c >= own, 1.0, -1.0).astype(p.dtype)
    cell = np.clip(own + side * (_f(pick, p) >= 0.5), -hc, hc) * on
    return p - safe * cell, cell


def domMirror(p, mask):
    p = _f(p)
    sgn = np.where(p >= 0.0, 1.0, -1.0).astype(p.dtype)
    cell = np.where(np.asarray(mask) >= 0.5, sgn, 1.0).astype(p.dtype)
    return p * cell, cell


def domTwist(p, k):
    p = _f(p)
    xz = _rot2_apply(k * p[..., 1], p[..., [0, 2]])
    return np.stack([xz[..., 0], p[..., 1], xz[..., 1]], -1)


def domBend(p, k):
    p = _f(p)
    xy = _rot2_apply(k * p[..., 0], p[..., :2])
    return np.stack([xy[..., 0], xy[..., 1], p[..., 2]], -1)


def domWarp3(p, amp, freq, seed):
    p = _f(p)
    q = p * freq
    w = np.stack(
        [
            noiseGradient3(q, seed),
            noiseGradient3(q + np.array([31.416, 47.853, 12.793], p.dtype), np.float32(seed) + np.float32(1.0)),
            noiseGradient3(q + np.array([-23.719, 19.371, -41.137], p.dtype), np.float32(seed) + np.float32(2.0)),
        ],
        -1,
    )
    return p + amp * w


# ---------------------------------------------------------------- palette
def palCosine(t, a, b, c, d):
    t = _f(t)[..., None]
    a, b, c, d = (_f(x, t) for x in (a, b, c, d))
    return a + b * np.cos(DS_TAU * (c * t + d))


def palRamp4(t, c0, c1, c2, c3):
    x = np.clip(_f(t), 0.0, 1.0)[..., None] * 3.0
    c0, c1, c2, c3 = (_f(c, x) for c in (c0, c1, c2, c3))
    col = _mix(c0, c1, np.clip(x, 0.0, 1.0))
    col = _mix(col, c2, np.clip(x - 1.0, 0.0, 1.0))
    return _mix(col, c3, np.clip(x - 2.0, 0.0, 1.0))
