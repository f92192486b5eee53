"""The PAD model: table values, ALMA centroid, validation messages, eased tracks."""

from __future__ import annotations

import math

import numpy as np
import pytest

from renderer.errors import SceneError
from renderer.scene.emotion import (
    COURAGE_RECIPE,
    EASINGS,
    EMOTION_NAMES,
    EXTRA_PAD,
    NEUTRAL,
    PAD,
    PLUTCHIK_PAD,
    EmotionKey,
    EmotionTrack,
    ease,
    pad_from_mapping,
)

# EMOTION.md section 1 table, copied independently of the implementation.
PLUTCHIK_TABLE = {
    "joy": (0.81, 0.51, 0.46),
    "trust": (0.45, 0.23, -0.22),
    "fear": (-0.64, 0.60, -0.43),
    "surprise": (0.40, 0.67, -0.13),
    "sadness": (-0.63, -0.27, -0.33),
    "disgust": (-0.60, 0.35, 0.11),
    "anger": (-0.51, 0.59, 0.25),
    "anticipation": (0.20, 0.20, -0.10),
}
EXTRA_TABLE = {
    "calm": (0.68, -0.46, 0.06),
    "relaxed": (0.68, -0.46, 0.06),
    "bored": (-0.65, -0.62, -0.33),
    "depressed": (-0.72, -0.29, -0.41),
    "frustrated": (-0.64, 0.52, 0.35),
    "confused": (-0.53, 0.27, -0.32),
}


# --- PAD --------------------------------------------------------------------------------------


def test_pad_basics():
    a, b = PAD(0.0, 0.0, 0.0), PAD(0.3, -0.4, 0.0)
    assert NEUTRAL == a
    assert b.as_tuple() == (0.3, -0.4, 0.0)
    assert a.distance(b) == pytest.approx(0.5)
    assert a.lerp(b, 0.5) == PAD(0.15, -0.2, 0.0)
    assert a.lerp(b, 0.0) == a and a.lerp(b, 1.0) == b
    assert a.lerp(b, 7.0) == b          # t clamped
    with pytest.raises(ValueError):
        PAD(1.5, 0, 0)
    with pytest.raises(ValueError):
        PAD(math.nan, 0, 0)
    with pytest.raises(ValueError):
        PAD(True, 0, 0)


def test_plutchik_table_matches_emotion_md():
    assert set(PLUTCHIK_PAD) == set(PLUTCHIK_TABLE)
    for name, pad in PLUTCHIK_PAD.items():
        assert pad.as_tuple() == pytest.approx(PLUTCHIK_TABLE[name])


def test_extra_points_and_courage_composite():
    assert set(EXTRA_PAD) == set(EXTRA_TABLE) | {"courage"}
    for name, values in EXTRA_TABLE.items():
        assert EXTRA_PAD[name].as_tuple() == pytest.approx(values)
    # Courage: anticipation + low-weight anger + joy by the same centroid; p, a, d all > 0.
    assert COURAGE_RECIPE == {"anticipation": 1.0, "anger": 0.25, "joy": 1.0}
    c = EXTRA_PAD["courage"]
    assert c.as_tuple() == pytest.approx((0.8825 / 2.25, 0.8575 / 2.25, 0.4225 / 2.25))
    assert c.pleasure > 0 and c.arousal > 0 and c.dominance > 0
    assert pad_from_mapping(COURAGE_RECIPE) == c


# --- centroid ---------------------------------------------------------------------------------


def test_single_full_emotion_is_its_table_point():
    assert pad_from_mapping({"fear": 1.0}) == PLUTCHIK_PAD["fear"]
    assert pad_from_mapping({"bored": 1}) == EXTRA_PAD["bored"]


def test_partial_intensity_scales_towards_neutral():
    assert pad_from_mapping({"fear": 0.5}).as_tuple() == pytest.approx((-0.32, 0.30, -0.215))


def test_two_halves_average():
    got = pad_from_mapping({"fear": 0.5, "joy": 0.5})
    assert got.as_tuple() == pytest.approx((0.085, 0.555, 0.015))


def test_weights_above_one_are_normalised():
    got = pad_from_mapping({"fear": 1.0, "joy": 1.0, "sadness": 1.0})
    expected = np.mean([PLUTCHIK_TABLE[k] for k in ("fear", "joy", "sadness")], axis=0)
    assert got.as_tuple() == pytest.approx(tuple(expected))
    assert pad_from_mapping({"anger": 0.8, "fear": 0.8}).as_tuple() == pytest.approx(
        tuple((0.8 * np.array(PLUTCHIK_TABLE["anger"]) + 0.8 * np.array(PLUTCHIK_TABLE["fear"])) / 1.6)
    )


def test_empty_and_zero_are_neutral():
    assert pad_from_mapping({}) == NEUTRAL
    assert pad_from_mapping({"joy": 0.0}) == NEUTRAL


def test_direct_axes_and_valence_alias():
    assert pad_from_mapping({"pleasure": 0.2, "arousal": -0.3, "dominance": 1}) == PAD(0.2, -0.3, 1.0)
    assert pad_from_mapping({"valence": -0.7}) == PAD(-0.7, 0.0, 0.0)


def test_axes_replace_that_axis_of_the_centroid():
    got = pad_from_mapping({"fear": 1.0, "dominance": 0.5})
    assert got.as_tuple() == pytest.approx((-0.64, 0.60, 0.5))
    got = pad_from_mapping({"joy": 0.5, "valence": -1.0})
    assert got.as_tuple() == pytest.approx((-1.0, 0.255, 0.23))


def _error(values, **kw) -> SceneError:
    with pytest.raises(SceneError) as info:
        pad_from_mapping(values, **kw)
    return info.value


def test_error_unknown_name_lists_valid_names():
    err = _error({"joyful": 0.5}, file="scenes/mia.toml", path="emotion")
    assert err.path == "emotion.joyful"
    assert str(err).startswith("scenes/mia.toml: emotion.joyful: unknown emotion 'joyful'")
    for name in EMOTION_NAMES:
        assert name in err.rule
    assert "valence" in err.rule and "dominance" in err.rule
    assert err.exit_code == 2


def test_error_not_a_number_and_booleans():
    assert _error({"joy": "lots"}).rule == "must be a number, got 'lots'"
    assert _error({"joy": True}).rule == "must be a number, got true"
    assert _error({"arousal": None}).rule == "must be a number, got None"


def test_error_non_finite():
    assert _error({"fear": math.nan}).rule == "must be a finite number, got nan"
    assert _error({"arousal": math.inf}).rule == "must be a finite number, got inf"


def test_error_out_of_range():
    err = _error({"joy": 1.5})
    assert (err.path, err.rule) == ("emotion.joy", "must be in [0, 1], got 1.5")
    assert _error({"sadness": -0.1}).rule == "must be in [0, 1], got -0.1"
    assert _error({"arousal": 2}).rule == "must be in [-1, 1], got 2"


def test_error_pleasure_and_valence_both():
    err = _error({"pleasure": 0.1, "valence": 0.1}, path="dreamers[0].emotion")
    assert err.path == "dreamers[0].emotion.valence"
    assert "alias" in err.rule and "not both" in err.rule


def test_error_not_a_mapping():
    err = _error([("joy", 1)])
    assert (err.path, err.rule) == ("emotion", "must be a table of emotion intensities or PAD axes, got a list")


# --- easing -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [e for e in EASINGS if e != "hold"])
def test_easing_endpoints_and_range(name):
    assert ease(name, 0.0) == 0.0
    assert ease(name, 1.0) == pytest.approx(1.0)
    u = np.linspace(0, 1, 1001)
    e = np.array([ease(name, x) for x in u])
    assert np.all(e >= 0) and np.all(e <= 1 + 1e-12)
    assert np.all(np.diff(e) >= -1e-12)          # monotone
    # Clamped outside [0, 1].
    assert ease(name, -1) == 0.0 and ease(name, 2) == pytest.approx(1.0)


def test_easing_shapes():
    assert ease("smoothstep", 0.5) == 0.5
    assert ease("ease-in-out", 0.5) == 0.5
    assert ease("ease-in", 0.5) == 0.25
    assert ease("ease-out", 0.5) == 0.75
    assert ease("linear", 0.3) == 0.3
    assert ease("hold", 0.999) == 0.0 and ease("hold", 1.0) == 1.0
    with pytest.raises(ValueError):
        ease("bounce", 0.5)


# --- tracks -----------------------------------------------------------------------------------

CALM, FEAR, JOY = EXTRA_PAD["calm"], PLUTCHIK_PAD["fear"], PLUTCHIK_PAD["joy"]


def _track(easing="smoothstep"):
    return EmotionTrack((EmotionKey(1.0, CALM), EmotionKey(3.0, FEAR, easing), EmotionKey(4.0, JOY, easing)))


def test_sample_at_keys_and_clamped_outside():
    tr = _track()
    assert tr.sample(1.0) == CALM and tr.sample(3.0) == FEAR and tr.sample(4.0) == JOY
    assert tr.sample(0.0) == CALM and tr.sample(-5) == CALM
    assert tr.sample(10.0) == JOY


@pytest.mark.parametrize("easing", [e for e in EASINGS if e != "hold"])
def test_sample_midpoint(easing):
    tr = _track(easing)
    expected = CALM.lerp(FEAR, ease(easing, 0.5))
    assert tr.sample(2.0).as_tuple() == pytest.approx(expected.as_tuple())


def test_smoothstep_midpoint_is_halfway():
    mid = _track().sample(2.0)
    assert mid.as_tuple() == pytest.approx(tuple((np.array(CALM.as_tuple()) + FEAR.as_tuple()) / 2))


@pytest.mark.parametrize("easing", [e for e in EASINGS if e != "hold"])
def test_track_is_continuous(easing):
    tr = _track(easing)
    dt = 1e-3
    ts = np.arange(0.0, 5.0, dt)
    pads = np.array([tr.sample(t).as_tuple() for t in ts])
    jumps = np.linalg.norm(np.diff(pads, axis=0), axis=1)
    rate = tr.max_rate()
    assert math.isfinite(rate)
    assert jumps.max() <= rate * dt * (1 + 1e-9) + 1e-12
    assert jumps.max() < 0.01


def test_max_rate_is_exact_for_linear():
    tr = EmotionTrack((EmotionKey(0.0, NEUTRAL), EmotionKey(2.0, PAD(0.6, 0.8, 0.0), "linear")))
    assert tr.max_rate() == pytest.approx(0.5)
    tr = EmotionTrack((EmotionKey(0.0, NEUTRAL), EmotionKey(2.0, PAD(0.6, 0.8, 0.0), "smoothstep")))
    assert tr.max_rate() == pytest.approx(0.75)


def test_hold_is_a_step():
    tr = _track("hold")
    assert tr.sample(2.999) == CALM
    assert tr.sample(3.0) == FEAR
    assert tr.max_rate() == math.inf


def test_constant_track():
    tr = EmotionTrack.constant(FEAR)
    assert tr.sample(0) == FEAR and tr.sample(1e6) == FEAR
    assert tr.max_rate() == 0.0


def _track_error(keys, **kw) -> SceneError:
    with pytest.raises(SceneError) as info:
        EmotionTrack.from_keys(keys, **kw)
    return info.value


def test_track_validation():
    err = _track_error([EmotionKey(0, CALM), EmotionKey(1, FEAR), EmotionKey(1, JOY)], file="s.toml")
    assert err.path == "emotion.keys[2].t"
    assert "strictly increase" in err.rule and "got 1" in err.rule
    assert str(err).startswith("s.toml: emotion.keys[2].t: ")
    err = _track_error([EmotionKey(2, CALM), EmotionKey(1, FEAR)])
    assert err.path == "emotion.keys[1].t"
    err = _track_error([EmotionKey(-1, CALM)], path="dream.emotion")
    assert (err.path, err.rule) == ("dream.emotion.keys[0].t", "must be >= 0, got -1")
    err = _track_error([EmotionKey(0, CALM), EmotionKey(1, FEAR, "bounce")])
    assert err.path == "emotion.keys[1].easing" and "bounce" in err.rule and "smoothstep" in err.rule
    assert _track_error([]).rule == "must have at least one key"
    assert _track_error([EmotionKey(math.nan, CALM)]).rule == "must be a finite number, got nan"
    # Direct construction validates too.
    with pytest.raises(SceneError) as info:
        EmotionTrack((EmotionKey(0, CALM), EmotionKey(0, FEAR)))
    assert info.value.path == "emotion.keys[1].t"


def test_track_from_mapping():
    tr = EmotionTrack.from_mapping(
        {"keys": [{"t": 0, "calm": 1.0}, {"t": 2, "fear": 0.5, "dominance": 0.2, "easing": "linear"}]},
        file="s.toml", path="emotion",
    )
    assert tr.keys[0].pad == CALM
    assert tr.keys[1].easing == "linear"
    assert tr.keys[1].pad.as_tuple() == pytest.approx((-0.32, 0.30, 0.2))
    assert EmotionTrack.from_mapping({"joy": 1}).sample(5) == JOY
    with pytest.raises(SceneError) as info:
        EmotionTrack.from_mapping({"keys": [{"t": 0}, {"t": 1, "glee": 1}]}, file="s.toml")
    assert info.value.path == "emotion.keys[1].glee"
    with pytest.raises(SceneError) as info:
        EmotionTrack.from_mapping({"keys": [{"joy": 1}]})
    assert info.value.rule == "missing required key 't'"


def test_empty_path_names_just_the_key():
    err = _error({"glee": 1}, file="--emotion", path="")
    assert err.path == "glee"
    assert str(err).startswith("--emotion: glee: unknown emotion")
