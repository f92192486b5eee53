"""CIELAB / LCh(ab) <-> linear sRGB (D65), and the Ou et al. 2004 colour-emotion factors.

The emotion mapping speaks in CIELAB (mean L*, mean C*ab, hue h_ab) because that is the space the
colour-emotion literature measures in (Valdez & Mehrabian 1994 via Munsell, Ou et al. 2004 directly
in CIELAB). The renderer wants linear sRGB, so this module converts between them, vectorised over
numpy arrays whose last axis holds the three components.

Out-of-gamut colours are brought inside [0, 1] by reducing chroma at constant L* and h (a bisection
on the chroma scale), not by clipping channels: clipping shifts hue and lightness, which would
break the very quantities the mapping promises (a red accent stays red, a dark accent stays dark).

`image_mean_lab` measures a rendered 8-bit sRGB frame: the mean of per-pixel L* and the mean of
per-pixel C*ab (not the chroma of the mean colour, which cancels opposite hues).

Pure numpy; never imports moderngl.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "SRGB_TO_XYZ",
    "XYZ_TO_SRGB",
    "WHITE_D65",
    "srgb_encode",
    "srgb_decode",
    "linear_srgb_to_lab",
    "lab_to_linear_srgb",
    "lab_to_lch",
    "lch_to_lab",
    "lch_to_linear_srgb",
    "in_srgb_gamut",
    "ou_colour_heat",
    "ou_colour_weight",
    "ou_colour_activity",
    "image_mean_lab",
]

# IEC 61966-2-1 (sRGB) primaries and D65 white, linear RGB -> CIE XYZ (Y of white = 1).
SRGB_TO_XYZ = np.array(
    [
        [0.41239079926595934, 0.357584339383878, 0.1804807884018343],
        [0.21263900587151027, 0.715168678767756, 0.07219231536073371],
        [0.01933081871559182, 0.11919477979462598, 0.9505321522496607],
    ]
)
XYZ_TO_SRGB = np.linalg.inv(SRGB_TO_XYZ)
# The reference white is the matrix applied to RGB white, so sRGB (1, 1, 1) is exactly L* = 100,
# a* = b* = 0: (0.950456, 1, 1.089058), from D65 at (x, y) = (0.3127, 0.3290) as sRGB specifies.
WHITE_D65 = SRGB_TO_XYZ @ np.ones(3)

_DELTA = 6.0 / 29.0
_GAMUT_EPS = 1e-9          # tolerance when deciding "inside [0, 1]"
_BISECT_STEPS = 26         # chroma scale resolution 2^-26 (~1.5e-8): below float32 precision


def _as_triples(x, name: str) -> np.ndarray:
    arr = np.asarray(x, dtype=np.float64)
    if arr.ndim == 0 or arr.shape[-1] != 3:
        raise ValueError(f"{name} must have shape (..., 3), got {arr.shape}")
    return arr


def srgb_encode(linear):
    """Linear sRGB -> encoded sRGB (the IEC 61966-2-1 transfer function), elementwise."""
    x = np.asarray(linear, dtype=np.float64)
    xc = np.maximum(x, 0.0)
    return np.where(x <= 0.0031308, 12.92 * x, 1.055 * np.power(xc, 1.0 / 2.4) - 0.055)


def srgb_decode(encoded):
    """Encoded sRGB -> linear sRGB (inverse of `srgb_encode`), elementwise."""
    x = np.asarray(encoded, dtype=np.float64)
    xc = np.maximum(x, 0.0)
    return np.where(x <= 0.04045, x / 12.92, np.power((xc + 0.055) / 1.055, 2.4))


def _f(t: np.ndarray) -> np.ndarray:
    return np.where(t > _DELTA**3, np.cbrt(t), t / (3.0 * _DELTA**2) + 4.0 / 29.0)


def _f_inv(t: np.ndarray) -> np.ndarray:
    return np.where(t > _DELTA, t**3, 3.0 * _DELTA**2 * (t - 4.0 / 29.0))


def linear_srgb_to_lab(rgb):
    """Linear sRGB (..., 3) -> CIELAB (..., 3) under D65."""
    rgb = _as_triples(rgb, "rgb")
    xyz = rgb @ SRGB_TO_XYZ.T
    fx, fy, fz = (_f(xyz[..., i] / WHITE_D65[i]) for i in range(3))
    return np.stack([116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)], axis=-1)


def _lab_to_rgb_raw(lab: np.ndarray) -> np.ndarray:
    fy = (lab[..., 0] + 16.0) / 116.0
    fx = fy + lab[..., 1] / 500.0
    fz = fy - lab[..., 2] / 200.0
    xyz = np.stack([_f_inv(f) * WHITE_D65[i] for i, f in enumerate((fx, fy, fz))], axis=-1)
    return xyz @ XYZ_TO_SRGB.T


def in_srgb_gamut(rgb, eps: float = _GAMUT_EPS):
    """Boolean (...) : every channel of linear `rgb` lies in [0, 1] (within `eps`)."""
    rgb = _as_triples(rgb, "rgb")
    return np.all((rgb >= -eps) & (rgb <= 1.0 + eps), axis=-1)


def lab_to_linear_srgb(lab, *, gamut_map: bool = True):
    """CIELAB (..., 3) -> linear sRGB (..., 3) under D65.

    With `gamut_map` (the default) the result lies in [0, 1]: L* is first clamped to [0, 100]
    (outside it no chroma is in gamut), then any colour still outside the cube has its chroma
    scaled down, keeping L* and h_ab, to the largest in-gamut chroma (bisection). With
    `gamut_map=False` the raw, possibly out-of-range, values are returned (for round trips).
    """
    lab = _as_triples(lab, "lab")
    if not gamut_map:
        return _lab_to_rgb_raw(lab)
    lab = lab.copy()
    lab[..., 0] = np.clip(lab[..., 0], 0.0, 100.0)
    rgb = _lab_to_rgb_raw(lab)
    bad = ~in_srgb_gamut(rgb)
    if np.any(bad):
        sub = lab[bad]
        lo = np.zeros(sub.shape[0])          # scale known to be in gamut (grey axis)
        hi = np.ones(sub.shape[0])           # scale known to be out of gamut
        for _ in range(_BISECT_STEPS):
            mid = 0.5 * (lo + hi)
            trial = np.stack([sub[:, 0], sub[:, 1] * mid, sub[:, 2] * mid], axis=-1)
            ok = in_srgb_gamut(_lab_to_rgb_raw(trial))
            lo = np.where(ok, mid, lo)
            hi = np.where(ok, hi, mid)
        fixed = np.stack([sub[:, 0], sub[:, 1] * lo, sub[:, 2] * lo], axis=-1)
        rgb[bad] = _lab_to_rgb_raw(fixed)
    # Remove the last rounding-level excursions (<= _GAMUT_EPS); this is not hue-shifting clipping.
    return np.clip(rgb, 0.0, 1.0)


def lab_to_lch(lab):
    """CIELAB (..., 3) -> (L*, C*ab, h_ab) with h in degrees in [0, 360)."""
    lab = _as_triples(lab, "lab")
    c = np.hypot(lab[..., 1], lab[..., 2])
    h = np.mod(np.degrees(np.arctan2(lab[..., 2], lab[..., 1])), 360.0)
    return np.stack([lab[..., 0], c, h], axis=-1)


def lch_to_lab(lch):
    """(L*, C*ab, h_ab degrees) (..., 3) -> CIELAB (..., 3)."""
    lch = _as_triples(lch, "lch")
    h = np.radians(lch[..., 2])
    return np.stack([lch[..., 0], lch[..., 1] * np.cos(h), lch[..., 1] * np.sin(h)], axis=-1)


def lch_to_linear_srgb(lch, *, gamut_map: bool = True):
    """Convenience: LCh(ab) -> linear sRGB, gamut-mapped by chroma reduction by default."""
    return lab_to_linear_srgb(lch_to_lab(lch), gamut_map=gamut_map)


# --- Ou, Luo, Woodcock & Wright 2004, Color Res. Appl. 29: colour-emotion factors ---------------


def ou_colour_heat(lab):
    """Colour heat (warm-cool): CH = -0.5 + 0.02 * C*^1.07 * cos(h - 50 deg)."""
    lch = lab_to_lch(lab)
    return -0.5 + 0.02 * np.power(lch[..., 1], 1.07) * np.cos(np.radians(lch[..., 2] - 50.0))


def ou_colour_weight(lab):
    """Colour weight (heavy-light): CW = -1.8 + 0.04 * (100 - L*) + 0.45 * cos(h - 100 deg)."""
    lch = lab_to_lch(lab)
    return -1.8 + 0.04 * (100.0 - lch[..., 0]) + 0.45 * np.cos(np.radians(lch[..., 2] - 100.0))


def ou_colour_activity(lab):
    """Colour activity (active-passive):
    CA = -2.1 + 0.06 * sqrt((L* - 50)^2 + (a* - 3)^2 + ((b* - 17) / 1.4)^2)."""
    lab = _as_triples(lab, "lab")
    return -2.1 + 0.06 * np.sqrt(
        (lab[..., 0] - 50.0) ** 2 + (lab[..., 1] - 3.0) ** 2 + ((lab[..., 2] - 17.0) / 1.4) ** 2
    )


_DECODE_LUT = srgb_decode(np.arange(256) / 255.0)


def image_mean_lab(rgb) -> tuple[float, float]:
    """Mean CIELAB L* and mean C*ab of an encoded sRGB image.

    `rgb` is (..., 3) or (..., 4) (alpha ignored): uint8 (0..255) or floating point in [0, 1],
    in both cases *encoded* sRGB as written to an image file. C* is averaged per pixel, so a frame
    of saturated red and saturated green has a high mean chroma, as an observer would say.
    """
    arr = np.asarray(rgb)
    if arr.ndim == 0 or arr.shape[-1] not in (3, 4):
        raise ValueError(f"image must have shape (..., 3) or (..., 4), got {arr.shape}")
    arr = arr[..., :3]
    if arr.dtype == np.uint8:
        linear = _DECODE_LUT[arr]
    elif np.issubdtype(arr.dtype, np.floating):
        linear = srgb_decode(arr)
    else:
        raise ValueError(f"image must be uint8 or floating point, got dtype {arr.dtype}")
    if linear.size == 0:
        raise ValueError("image is empty")
    lch = lab_to_lch(linear_srgb_to_lab(linear.reshape(-1, 3)))
    return float(lch[:, 0].mean()), float(lch[:, 1].mean())
