"""Image measurements used to check that emotions drive what a viewer sees: mean CIELAB lightness
and chroma, frame-difference energy and dominant spatial wavelength. Pure numpy."""

from __future__ import annotations

import numpy as np

from renderer.scene.colour import image_mean_lab, srgb_decode

__all__ = ["mean_lightness_chroma", "frame_difference", "dominant_wavelength", "spearman"]


def mean_lightness_chroma(rgb: np.ndarray) -> tuple[float, float]:
    """Mean CIELAB L* and mean C*ab of an 8-bit sRGB image."""
    return image_mean_lab(rgb)


def frame_difference(a: np.ndarray, b: np.ndarray) -> float:
    """Mean absolute per-channel difference of two 8-bit frames, in 0..255."""
    return float(np.abs(a.astype(np.float64) - b.astype(np.float64)).mean())


def dominant_wavelength(rgb: np.ndarray) -> float:
    """Power-weighted mean wavelength, in pixels, of the radially averaged power spectrum of the
    frame's linear luminance (DC removed, Hann-windowed against edge leakage). Larger means
    bigger, bolder structure."""
    lin = srgb_decode(rgb.astype(np.float64) / 255.0)
    lum = lin @ np.array([0.2126, 0.7152, 0.0722])
    lum = lum - lum.mean()
    h, w = lum.shape
    window = np.outer(np.hanning(h), np.hanning(w))
    power = np.abs(np.fft.fft2(lum * window)) ** 2
    fy = np.fft.fftfreq(h)[:, None]
    fx = np.fft.fftfreq(w)[None, :]
    radius = np.sqrt(fx * fx + fy * fy)
    mask = radius > 0
    centroid = float((power[mask] * radius[mask]).sum() / power[mask].sum())
    return 1.0 / centroid


def _ranks(x) -> np.ndarray:
    x = np.asarray(x, dtype=float)
    order = np.argsort(x, kind="mergesort")
    ranks = np.empty(len(x))
    ranks[order] = np.arange(len(x))
    for value in np.unique(x):  # average ranks of ties
        tied = x == value
        ranks[tied] = ranks[tied].mean()
    return ranks


def spearman(x, y) -> float:
    """Spearman rank correlation (no scipy needed)."""
    rx, ry = _ranks(x), _ranks(y)
    rx -= rx.mean()
    ry -= ry.mean()
    denom = np.sqrt((rx * rx).sum() * (ry * ry).sum())
    return float((rx * ry).sum() / denom) if denom > 0 else 0.0
