"""PAD -> render parameters: EMOTION.md section 4 formulas, monotonicity, safety caps, overrides."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from renderer.errors import SceneError
from renderer.scene.colour import lab_to_lch, linear_srgb_to_lab, ou_colour_heat
from renderer.scene.emotion import EXTRA_PAD, NEUTRAL, PAD, PLUTCHIK_PAD
from renderer.scene.emotion_map import (
    FLICKER_MAX_HZ,
    H0_DEG,
    PARAMETER_NAMES,
    SHAKE_CAP,
    DreamParams,
    ParamOverrides,
    HUE_FADE_EPS,
    anchor_hue,
    hue_chroma_fade,
    map_emotion,
    palette_hue,
)

GRID = np.linspace(-1.0, 1.0, 9)
SWEEP = np.linspace(-0.8, 0.8, 9)


def _lch(rgb) -> np.ndarray:
    return lab_to_lch(linear_srgb_to_lab(np.asarray(rgb, dtype=float)))


def _palette_mean(m: DreamParams) -> tuple[float, float]:
    lch = _lch(m.palette)
    return float(lch[:, 0].mean()), float(lch[:, 1].mean())


def _hue_diff(h1, h2):
    return (h1 - h2 + 180.0) % 360.0 - 180.0


# --- neutral ----------------------------------------------------------------------------------


def test_neutral_values():
    m = map_emotion(NEUTRAL)
    assert m.lightness == 50.0 and m.chroma == 30.0 and m.hue_deg == H0_DEG == 230.0
    for name in ("key_light", "fog_density", "noise_amplitude", "feature_scale",
                 "warp_strength", "animation_speed"):
        assert getattr(m, name) == pytest.approx(1.0), name
    assert m.fill_ratio == 0.5
    assert m.fractal_dimension == pytest.approx(1.4)
    assert m.fbm_gain == pytest.approx(2 ** -0.6)
    assert m.sharpness == 0.5
    assert m.camera_shake == 0.0 and m.flicker_hz == 0.0 and m.flicker_amount == 0.0


# --- each formula at a couple of points ---------------------------------------------------------


@pytest.mark.parametrize("p,a,d", [(0.5, -0.25, 0.4), (-0.8, 0.7, -0.6), (1.0, 1.0, 1.0)])
def test_formulas(p, a, d):
    m = map_emotion(PAD(p, a, d))
    r = min(1.0, math.hypot(p, a))
    clamp = lambda x, lo, hi: min(hi, max(lo, x))  # noqa: E731
    assert m.lightness == pytest.approx(clamp(50 + 20 * p, 25, 80))
    assert m.chroma == pytest.approx(clamp(30 + 20 * a + 8 * p, 5, 70))
    assert m.key_light == pytest.approx(2 ** (0.5 * p) * (1 + 0.15 * r))
    assert m.fill_ratio == pytest.approx(clamp(0.5 + 0.3 * p, 0.15, 0.9))
    assert m.fog_density == pytest.approx(clamp(math.exp(-0.9 * p - 0.5 * d), 0.3, 3))
    assert m.noise_amplitude == pytest.approx(1 + 0.4 * a - 0.2 * p)
    dim = clamp(1.4 - 0.1 * p + 0.2 * a, 1.1, 1.9)
    assert m.fractal_dimension == pytest.approx(dim)
    assert m.fbm_gain == pytest.approx(2 ** -(2 - dim))
    assert m.feature_scale == pytest.approx(2 ** (0.6 * d + 0.3 * a))
    assert m.sharpness == pytest.approx(clamp(0.5 - 0.35 * p + 0.25 * a, 0, 1))
    assert m.warp_strength == pytest.approx((0.4 + 0.3 * (a + 1)) * (1 + 0.3 * max(0, -p)) / 0.7)
    assert m.animation_speed == pytest.approx(2 ** (1.5 * a))
    shake = 0.02 * max(0, a) ** 2 * (1 + 0.5 * max(0, -d))
    assert m.camera_shake == pytest.approx(min(shake, SHAKE_CAP))


def test_clamps_bite_at_extremes():
    assert map_emotion(PAD(-1, -1, 0)).chroma == 5.0               # 30 - 20 - 8 = 2 -> 5
    assert map_emotion(PAD(-1, 0, -1)).fog_density == 3.0              # exp(1.4) = 4.06 -> 3
    assert map_emotion(PAD(1, 0, 1)).fog_density == pytest.approx(0.3)  # exp(-1.4) = 0.25 -> 0.3
    assert map_emotion(PAD(-1, 1, 0)).sharpness == 1.0               # 0.5 + 0.35 + 0.25 -> 1
    assert map_emotion(PAD(1, -1, 0)).sharpness == 0.0


# --- hue ----------------------------------------------------------------------------------------


def test_hue_anchors_and_interpolation():
    for theta, h in ((30, 85), (130, 35), (210, 265), (320, 180)):
        assert anchor_hue(theta) == pytest.approx(h)
    assert anchor_hue(80) == pytest.approx(60)            # 85 -> 35 halfway
    assert anchor_hue(170) == pytest.approx(330)          # 35 -> 265 the short way (through 0)
    assert anchor_hue(355) == pytest.approx(180 - 95 * 35 / 70)   # 180 -> 85, wrapping 320 -> 390
    assert anchor_hue(-5) == pytest.approx(anchor_hue(355))
    # At r = 1 the hue is the anchor hue; at r = 0 it is h0.
    assert palette_hue(math.cos(math.radians(30)), math.sin(math.radians(30))) == pytest.approx(85)
    assert palette_hue(0.0, 0.0) == H0_DEG
    assert palette_hue(1e-9, 0.0) == pytest.approx(H0_DEG, abs=1e-5)   # no jump at neutral


def test_hue_follows_the_literature_for_full_emotions():
    assert abs(_hue_diff(map_emotion(PLUTCHIK_PAD["joy"]).hue_deg, 85)) < 10       # yellow
    assert abs(_hue_diff(map_emotion(PLUTCHIK_PAD["anger"]).hue_deg, 35)) < 15     # red
    assert abs(_hue_diff(map_emotion(PLUTCHIK_PAD["sadness"]).hue_deg, 265)) < 15  # blue


def test_hue_is_continuous_away_from_the_single_singular_point():
    # The vector blend is singular only at r = 0.5, theta = 100 deg; a circle of radius 0.8
    # (which crosses theta = 100 deg) must show no jumps.
    prev = None
    for theta in np.linspace(0, 360, 3601):
        h = palette_hue(0.8 * math.cos(math.radians(theta)), 0.8 * math.sin(math.radians(theta)))
        if prev is not None:
            assert abs(_hue_diff(h, prev)) < 1.0
        prev = h


def test_colour_is_continuous_through_the_hue_singularity():
    # fear -> courage (the story's turn) passes within 0.01 of the singular point r = 0.5,
    # theta = 100 deg; the chroma fade keeps the palette's Lab continuous along it.
    fear, courage = PLUTCHIK_PAD["fear"], EXTRA_PAD["courage"]
    s = np.linspace(0, 1, 1601)
    labs = np.array([linear_srgb_to_lab(np.array(map_emotion(fear.lerp(courage, x)).palette)) for x in s])
    steps = np.abs(np.diff(labs, axis=0)).max(axis=(1, 2))
    assert steps.max() < 2.0          # Delta per 1/1600 of the path; a hue flip would be ~50+
    assert min(hue_chroma_fade(*fear.lerp(courage, x).as_tuple()[:2]) for x in s) < 1.0
    # A path straight through the singular point, across the theta = 100 deg ray.
    th = math.radians(100)
    sp = np.array([0.5 * math.cos(th), 0.5 * math.sin(th)])
    n = np.array([-math.sin(th), math.cos(th)]) * 0.05
    pads = [PAD(*(sp - n + 2 * n * x), 0.1) for x in np.linspace(0, 1, 1001)]
    labs = np.array([linear_srgb_to_lab(np.array(map_emotion(q).palette)) for q in pads])
    assert np.abs(np.diff(labs, axis=0)).max() < 2.0


def test_chroma_fade_is_local():
    assert HUE_FADE_EPS < 0.0436
    for a in np.linspace(-1, 1, 2001):
        assert hue_chroma_fade(0.0, a) == 1.0      # arousal sweeps at p = 0 are untouched
    for pad in (*PLUTCHIK_PAD.values(), *EXTRA_PAD.values(), NEUTRAL):
        assert hue_chroma_fade(pad.pleasure, pad.arousal) == 1.0
    singular = (0.5 * math.cos(math.radians(100)), 0.5 * math.sin(math.radians(100)))
    assert hue_chroma_fade(*singular) < 0.01
    assert map_emotion(PAD(*singular, 0.0)).chroma < 0.5
    bad = sum(hue_chroma_fade(p, a) < 1 for p in GRID for a in np.linspace(-1, 1, 101))
    assert bad == 0


# --- monotonicity -------------------------------------------------------------------------------


def test_lightness_rises_with_pleasure():
    for a in (-0.8, 0.0, 0.8):
        for d in (-0.8, 0.0, 0.8):
            ms = [map_emotion(PAD(p, a, d)) for p in SWEEP]
            L = [m.lightness for m in ms]
            pal = [_palette_mean(m)[0] for m in ms]
            assert np.all(np.diff(L) > 0)
            assert np.all(np.diff(pal) > 0)
            assert pal[-1] - pal[0] >= 30          # mean palette L* (gamut mapping keeps L*)
            assert np.allclose(pal, L, atol=1e-6)
            assert np.all(np.diff([m.key_light for m in ms]) > 0)
            for name in ("sky_zenith", "sky_horizon", "fog_color"):
                lum = [_lch(getattr(m, name))[0] for m in ms]
                assert np.all(np.diff(lum) > 0), name


def test_chroma_rises_with_arousal():
    for p in (-0.8, -0.4, 0.0, 0.4, 0.8):
        for d in (-0.8, 0.0, 0.8):
            ms = [map_emotion(PAD(p, a, d)) for a in SWEEP]
            assert np.all(np.diff([m.chroma for m in ms]) > 0)
            # Realised (gamut-mapped) palette chroma: where the hue passes the small cyan gamut
            # (p ~ 0) it may stall by a fraction of a unit, but never really falls, and rises a lot.
            pal = [_palette_mean(m)[1] for m in ms]
            assert np.all(np.diff(pal) > -0.5), (p, d, np.round(pal, 2))
            assert pal[-1] - pal[0] >= 20
            # The zenith leans 75% towards the neutral blue (so the emotion's hue reads on the
            # ground, not over the whole frame), which narrows its chroma range: it must still rise.
            sky = [_lch(m.sky_zenith)[1] for m in ms]
            assert sky[-1] - sky[0] >= 5


def test_speed_rises_with_arousal_and_feature_scale_with_dominance():
    for p in (-0.5, 0.5):
        speeds = [map_emotion(PAD(p, a, 0)).animation_speed for a in SWEEP]
        assert np.all(np.diff(speeds) > 0)
        scales = [map_emotion(PAD(p, 0.2, d)).feature_scale for d in SWEEP]
        assert np.all(np.diff(scales) > 0)
    assert map_emotion(PAD(0, 1, 0)).animation_speed == pytest.approx(2 ** 1.5)


def test_fear_is_dark_and_foggy_joy_is_bright_and_open():
    fear, joy = map_emotion(PLUTCHIK_PAD["fear"]), map_emotion(PLUTCHIK_PAD["joy"])
    assert fear.fog_density > 1.5 > 1.0 > joy.fog_density
    f = _lch(fear.fog_color)
    assert f[0] < 40 and f[1] < 12                      # dark, desaturated fog
    for name in ("sky_zenith", "sky_horizon"):
        assert _lch(getattr(joy, name))[0] > _lch(getattr(fear, name))[0] + 25
    assert _lch(joy.sky_horizon)[0] > 75
    assert fear.sharpness > joy.sharpness


def test_ou_heat_anger_and_joy_warmer_than_sadness():
    heat = {k: float(ou_colour_heat(linear_srgb_to_lab(np.array(map_emotion(PLUTCHIK_PAD[k]).palette))).mean())
            for k in ("anger", "joy", "sadness")}
    assert heat["anger"] > heat["sadness"] and heat["joy"] > heat["sadness"]


# --- palette --------------------------------------------------------------------------------------


def test_palette_in_gamut_and_ordered_over_grid():
    for p in GRID:
        for a in GRID:
            for d in GRID:
                m = map_emotion(PAD(p, a, d))
                assert len(m.palette) == 4
                cols = np.array(m.palette + (m.sky_zenith, m.sky_horizon, m.fog_color))
                assert np.all((cols >= 0) & (cols <= 1))
                L = _lch(m.palette)[:, 0]
                assert L[0] < L[1] < L[2]
                assert L.mean() == pytest.approx(m.lightness, abs=1e-6)


def test_dark_accent_spread():
    for d in (-1.0, 0.0, 1.0):
        m = map_emotion(PAD(0.3, 0.1, d))
        L = _lch(m.palette)[:, 0]
        assert L[0] == pytest.approx(m.lightness - (15 + 10 * d), abs=1e-6)
        assert L[2] == pytest.approx(m.lightness + (15 - 5 * d), abs=1e-6)


def test_accent_is_hue_shifted():
    m = map_emotion(PLUTCHIK_PAD["sadness"])
    h = _lch(m.palette)[:, 2]
    assert abs(_hue_diff(h[1], m.hue_deg)) < 0.01
    assert abs(_hue_diff(h[3], m.hue_deg + 30)) < 0.01


# --- safety -----------------------------------------------------------------------------------


def test_shake_cap_and_flicker_limit_over_grid():
    fine = np.linspace(-1, 1, 21)
    for p in fine[::4]:
        for a in fine:
            for d in fine[::4]:
                m = map_emotion(PAD(p, a, d))
                assert 0 <= m.camera_shake <= SHAKE_CAP
                assert 0 <= m.flicker_hz <= FLICKER_MAX_HZ == 3.0
                assert 0 <= m.flicker_amount <= 1
                if a <= 0.6:
                    assert m.flicker_hz == 0 and m.flicker_amount == 0
    assert map_emotion(PAD(0, 1, -1)).camera_shake == pytest.approx(SHAKE_CAP)
    assert map_emotion(PAD(0, 1, 0)).flicker_hz == pytest.approx(3.0)
    assert map_emotion(PAD(0, 0.8, 0)).flicker_hz == pytest.approx(1.5)


def test_flicker_starts_continuously():
    lo, hi = map_emotion(PAD(0, 0.6, 0)), map_emotion(PAD(0, 0.601, 0))
    assert lo.flicker_amount == 0 and hi.flicker_amount < 0.01


# --- overrides --------------------------------------------------------------------------------


def test_pin_and_scale():
    ov = ParamOverrides.from_mapping(
        {"pin": {"fog_density": 0.2, "lightness": 70}, "scale": {"animation_speed": 0.5}},
        file="s.toml", path="overrides",
    )
    fear = PLUTCHIK_PAD["fear"]
    base, m = map_emotion(fear), map_emotion(fear, ov)
    assert m.fog_density == 0.2
    assert m.animation_speed == pytest.approx(0.5 * base.animation_speed)
    assert m.lightness == 70 and _palette_mean(m)[0] == pytest.approx(70, abs=1e-6)  # palette follows
    assert m.sharpness == base.sharpness


def test_pins_go_through_safety_caps():
    ov = ParamOverrides(pin={"camera_shake": 5.0, "flicker_hz": 30.0})
    m = map_emotion(NEUTRAL, ov)
    assert m.camera_shake == SHAKE_CAP and m.flicker_hz == 3.0
    m = map_emotion(PAD(0, 1, -1), ParamOverrides(scale={"camera_shake": 10, "flicker_hz": 4}))
    assert m.camera_shake == SHAKE_CAP and m.flicker_hz == 3.0


def test_scaled_values_clamped_to_domain_and_gain_follows_dimension():
    m = map_emotion(PAD(-1, 1, 0), ParamOverrides(scale={"sharpness": 3.0}))
    assert m.sharpness == 1.0
    m = map_emotion(NEUTRAL, ParamOverrides(pin={"fractal_dimension": 1.8}))
    assert m.fbm_gain == pytest.approx(2 ** -0.2)


def test_parameter_names_are_scalar_fields():
    fields = {f.name for f in dataclasses.fields(DreamParams)}
    assert set(PARAMETER_NAMES) <= fields
    assert "palette" not in PARAMETER_NAMES and "fbm_gain" not in PARAMETER_NAMES


def _ov_error(data) -> SceneError:
    with pytest.raises(SceneError) as info:
        ParamOverrides.from_mapping(data, file="s.toml", path="dream.overrides")
    return info.value


def test_override_errors():
    err = _ov_error({"pin": {"fogginess": 1}})
    assert err.path == "dream.overrides.pin.fogginess"
    assert "unknown parameter 'fogginess'" in err.rule and "fog_density" in err.rule
    assert "pin that instead" in _ov_error({"scale": {"fbm_gain": 1}}).rule
    assert _ov_error({"pin": {"sharpness": "hi"}}).rule == "must be a number, got 'hi'"
    assert _ov_error({"pin": {"sharpness": True}}).rule == "must be a number, got true"
    assert _ov_error({"scale": {"sharpness": math.nan}}).rule == "must be a finite number, got nan"
    assert _ov_error({"pin": {"sharpness": 1.5}}).rule == "must be in [0, 1], got 1.5"
    assert _ov_error({"pin": {"feature_scale": 0}}).rule == "must be > 0, got 0"
    assert _ov_error({"scale": {"key_light": -1}}).rule == "must be >= 0, got -1"
    assert "cannot be scaled" in _ov_error({"scale": {"hue_deg": 2}}).rule
    err = _ov_error({"pin": {"chroma": 10}, "scale": {"chroma": 2}})
    assert err.path == "dream.overrides.scale.chroma" and "not both" in err.rule
    err = _ov_error({"pins": {}})
    assert err.path == "dream.overrides.pins"
    assert _ov_error({"pin": [1]}).path == "dream.overrides.pin"
    assert _ov_error(3).path == "dream.overrides"


def test_overrides_are_frozen_and_hashable():
    src = {"sharpness": 0.2}
    ov = ParamOverrides(pin=src)
    src["sharpness"] = 0.9
    assert ov.pin["sharpness"] == 0.2
    with pytest.raises(TypeError):
        ov.pin["sharpness"] = 1  # type: ignore[index]
    assert hash(ov) == hash(ParamOverrides(pin={"sharpness": 0.2}))
    assert ov == ParamOverrides(pin={"sharpness": 0.2})


def test_every_named_emotion_maps_in_range():
    for pad in (*PLUTCHIK_PAD.values(), *EXTRA_PAD.values()):
        m = map_emotion(pad)
        assert 0 <= m.sharpness <= 1 and 1.1 <= m.fractal_dimension <= 1.9
        assert 0.15 <= m.fill_ratio <= 0.9 and 0.3 <= m.fog_density <= 3


def test_default_overrides_and_no_gl_imports():
    assert map_emotion(NEUTRAL, ParamOverrides()) == map_emotion(NEUTRAL)
    assert ParamOverrides.from_mapping({}, file="s.toml", path="o") == ParamOverrides()
    import subprocess
    import sys

    code = (
        "import sys, renderer.scene.emotion, renderer.scene.emotion_map, renderer.scene.colour;"
        "sys.exit(1 if any(m.startswith('moderngl') for m in sys.modules) else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
