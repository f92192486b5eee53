"""CIELAB / sRGB conversions, gamut reduction, Ou et al. 2004 factors, image measurement."""

from __future__ import annotations

import math

import numpy as np
import pytest

from renderer.scene.colour import (
    WHITE_D65,
    image_mean_lab,
    in_srgb_gamut,
    lab_to_lch,
    lab_to_linear_srgb,
    lch_to_lab,
    lch_to_linear_srgb,
    linear_srgb_to_lab,
    ou_colour_activity,
    ou_colour_heat,
    ou_colour_weight,
    srgb_decode,
    srgb_encode,
)

# Reference CIELAB (D65) of the sRGB primaries, as published (e.g. Lindbloom, colour-science).
KNOWN_LAB = {
    (1.0, 1.0, 1.0): (100.0, 0.0, 0.0),
    (0.0, 0.0, 0.0): (0.0, 0.0, 0.0),
    (1.0, 0.0, 0.0): (53.2408, 80.0925, 67.2032),
    (0.0, 1.0, 0.0): (87.7347, -86.1827, 83.1793),
    (0.0, 0.0, 1.0): (32.2970, 79.1875, -107.8602),
}


def test_white_point_is_d65():
    # sRGB's D65 (x, y) = (0.3127, 0.3290); tables quoting (0.95047, 1, 1.08883) round differently.
    assert WHITE_D65 == pytest.approx([0.95047, 1.0, 1.08883], abs=5e-4)


@pytest.mark.parametrize("rgb,lab", list(KNOWN_LAB.items()))
def test_known_lab_of_srgb_primaries(rgb, lab):
    assert linear_srgb_to_lab(rgb) == pytest.approx(lab, abs=0.01)


def test_srgb_transfer_known_points_and_round_trip():
    assert srgb_encode(0.0) == 0.0
    assert srgb_encode(1.0) == pytest.approx(1.0)
    assert srgb_decode(0.5) == pytest.approx(0.21404, abs=1e-5)
    assert srgb_encode(0.0031308) == pytest.approx(0.04045, abs=1e-6)  # the two pieces meet
    x = np.linspace(0.0, 1.0, 1001)
    np.testing.assert_allclose(srgb_decode(srgb_encode(x)), x, atol=1e-12)
    assert np.all(np.diff(srgb_encode(x)) > 0)


def test_rgb_lab_round_trip_vectorised():
    rng = np.random.default_rng(1)
    rgb = rng.random((4, 5, 3))
    lab = linear_srgb_to_lab(rgb)
    assert lab.shape == (4, 5, 3)
    np.testing.assert_allclose(lab_to_linear_srgb(lab), rgb, atol=1e-9)
    np.testing.assert_allclose(lab_to_linear_srgb(lab, gamut_map=False), rgb, atol=1e-9)


def test_lab_lch_round_trip():
    rng = np.random.default_rng(2)
    lab = np.stack([rng.uniform(0, 100, 200), rng.uniform(-90, 90, 200), rng.uniform(-90, 90, 200)], -1)
    lch = lab_to_lch(lab)
    assert np.all((lch[:, 2] >= 0) & (lch[:, 2] < 360))
    np.testing.assert_allclose(lch_to_lab(lch), lab, atol=1e-9)
    assert lab_to_lch([50, 0, 20])[2] == pytest.approx(90.0)
    assert lab_to_lch([50, 0, -20])[2] == pytest.approx(270.0)


def test_out_of_gamut_reduces_chroma_keeping_lightness_and_hue():
    lch = np.array([[60.0, 150.0, h] for h in range(0, 360, 15)])
    rgb = lch_to_linear_srgb(lch)
    assert np.all((rgb >= 0) & (rgb <= 1))
    back = lab_to_lch(linear_srgb_to_lab(rgb))
    np.testing.assert_allclose(back[:, 0], 60.0, atol=1e-3)
    dh = (back[:, 2] - lch[:, 2] + 180) % 360 - 180
    np.testing.assert_allclose(dh, 0.0, atol=1e-3)
    assert np.all(back[:, 1] < 150.0)
    # Maximal: a little more chroma at the same L, h leaves the gamut.
    more = lch_to_linear_srgb(back * [1, 1.01, 1] , gamut_map=False)
    assert not np.any(in_srgb_gamut(more))


def test_gamut_map_differs_from_clipping():
    lab = lch_to_lab([50.0, 120.0, 250.0])
    clipped = np.clip(lab_to_linear_srgb(lab, gamut_map=False), 0, 1)
    mapped = lab_to_linear_srgb(lab)
    h_clipped = lab_to_lch(linear_srgb_to_lab(clipped))[2]
    h_mapped = lab_to_lch(linear_srgb_to_lab(mapped))[2]
    assert abs(h_mapped - 250.0) < 1e-3
    assert abs(h_clipped - 250.0) > 1.0     # clipping would have shifted the hue


def test_lightness_outside_range_is_clamped():
    np.testing.assert_allclose(lab_to_linear_srgb([150.0, 0.0, 0.0]), [1, 1, 1])
    np.testing.assert_allclose(lab_to_linear_srgb([-5.0, 30.0, 0.0]), [0, 0, 0], atol=1e-8)


def test_bad_shape_rejected():
    with pytest.raises(ValueError):
        linear_srgb_to_lab(np.zeros((4, 2)))


def test_ou_factors_known_values():
    grey = [50.0, 0.0, 0.0]          # C* = 0, h = 0 by convention
    assert ou_colour_heat(grey) == pytest.approx(-0.5)
    assert ou_colour_weight(grey) == pytest.approx(-1.8 + 2.0 + 0.45 * math.cos(math.radians(-100)))
    assert ou_colour_activity(grey) == pytest.approx(-2.1 + 0.06 * math.sqrt(9 + (17 / 1.4) ** 2))
    red = [50.0, 50.0, 0.0]          # C* = 50, h = 0
    assert ou_colour_heat(red) == pytest.approx(-0.5 + 0.02 * 50**1.07 * math.cos(math.radians(-50)))
    assert ou_colour_activity([80.0, 3.0, 17.0]) == pytest.approx(-2.1 + 0.06 * 30)
    # Warm beats cool, dark is heavier than light.
    warm = lch_to_lab([50, 60, 40])
    cool = lch_to_lab([50, 60, 230])
    assert ou_colour_heat(warm) > ou_colour_heat(cool)
    assert ou_colour_weight([20, 0, 0]) > ou_colour_weight([80, 0, 0])
    # Vectorised.
    assert ou_colour_heat(np.array([grey, red])).shape == (2,)


def test_image_mean_lab_uint8():
    white = np.full((4, 6, 3), 255, np.uint8)
    assert image_mean_lab(white) == pytest.approx((100.0, 0.0), abs=1e-6)
    red = np.zeros((2, 2, 3), np.uint8)
    red[..., 0] = 255
    L, C = image_mean_lab(red)
    assert L == pytest.approx(53.2408, abs=0.01)
    assert C == pytest.approx(math.hypot(80.0925, 67.2032), abs=0.02)
    half = np.zeros((2, 2, 3), np.uint8)
    half[0] = 255
    assert image_mean_lab(half) == pytest.approx((50.0, 0.0), abs=1e-6)


def test_image_mean_lab_chroma_is_per_pixel_and_alpha_ignored():
    img = np.zeros((1, 2, 4), np.uint8)
    img[0, 0] = (255, 0, 0, 0)
    img[0, 1] = (0, 255, 255, 7)   # cyan: opposite hue; chroma of the mean would cancel
    L, C = image_mean_lab(img)
    assert C > 40
    f = img[..., :3].astype(np.float32) / 255.0
    assert image_mean_lab(f) == pytest.approx((L, C), abs=1e-4)


def test_image_mean_lab_rejects_bad_input():
    with pytest.raises(ValueError):
        image_mean_lab(np.zeros((2, 2, 3), np.int32))
    with pytest.raises(ValueError):
        image_mean_lab(np.zeros((2, 2), np.uint8))
