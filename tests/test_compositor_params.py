"""GlitchParams / Portal validation, and the Python mirrors of the fx shader constants (no GL)."""

from __future__ import annotations

import re

import pytest

from renderer.compositor import effects
from renderer.compositor.effects import EFFECT_NAMES, GlitchParams, Portal
from renderer.resources import shader_root


def test_zero_is_identity_and_has_every_effect_at_zero():
    zero = GlitchParams.zero()
    assert zero.is_identity
    assert zero.intensities() == {name: 0.0 for name in EFFECT_NAMES}
    assert zero.portals == ()


def test_effect_names_are_the_intensity_fields_in_order():
    assert EFFECT_NAMES == ("tear", "channel_split", "blocks", "datamosh", "interlace", "posterize")
    params = GlitchParams(**{name: (i + 1) / 10 for i, name in enumerate(EFFECT_NAMES)})
    assert list(params.intensities().values()) == [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]


@pytest.mark.parametrize("name", EFFECT_NAMES)
@pytest.mark.parametrize("bad", [-0.01, 1.01, float("nan"), float("inf"), "0.5", None, True])
def test_intensities_outside_unit_interval_are_rejected(name, bad):
    with pytest.raises(ValueError, match=name):
        GlitchParams(**{name: bad})


def test_only_and_with():
    assert GlitchParams.only("tear", 0.4) == GlitchParams(tear=0.4)
    assert GlitchParams.only("tear").with_(blocks=0.5).blocks == 0.5
    with pytest.raises(ValueError, match="unknown effect"):
        GlitchParams.only("bloom")
    with pytest.raises(ValueError):
        GlitchParams().with_(posterize=2.0)


def test_params_are_frozen_and_hashable():
    p = GlitchParams(tear=0.5, portals=[Portal()])
    assert isinstance(p.portals, tuple)
    hash(p)
    with pytest.raises(AttributeError):
        p.tear = 0.1  # type: ignore[misc]


def test_portal_defaults_and_normalisation():
    p = Portal(centre=[0.2, 1], radius=1, rim_color=[1, 0, 0.5])
    assert p.centre == (0.2, 1.0) and p.radius == 1.0 and p.rim_color == (1.0, 0.0, 0.5)
    assert GlitchParams(portals=(Portal(openness=0.0),)).is_identity
    assert not GlitchParams(portals=(Portal(openness=0.1),)).is_identity


@pytest.mark.parametrize("field, value, match", [
    ("centre", (0.5,), "centre"),
    ("centre", (3.5, 0.5), "centre"),
    ("centre", (0.5, -2.5), "centre"),
    ("centre", (0.5, float("nan")), "centre"),
    ("radius", 0.0, "radius"),
    ("radius", 2.5, "radius"),
    ("openness", 1.5, "openness"),
    ("source", 4, "source"),
    ("source", -1, "source"),
    ("source", 1.0, "source"),
    ("rim_color", (1.0, 0.0), "rim_color"),
    ("rim_color", (1.0, 0.0, 2.0), "rim_color"),
    ("rim_width", -0.1, "rim_width"),
    ("rim_width", 0.6, "rim_width"),
])
def test_portal_rejects_out_of_range_fields(field, value, match):
    with pytest.raises(ValueError, match=match):
        Portal(**{field: value})


def test_portal_list_is_checked():
    with pytest.raises(ValueError, match="at most 4"):
        GlitchParams(portals=(Portal(),) * 5)
    with pytest.raises(ValueError, match=r"portals\[0\]"):
        GlitchParams(portals=({"centre": (0.5, 0.5)},))


def test_helpers():
    assert effects.split_offset_pixels(640, 0.0) == 0
    assert effects.split_offset_pixels(640, 1.0) == round(640 * effects.SPLIT_MAX)
    assert effects.posterize_levels(0.0) == 256
    assert effects.posterize_levels(1.0) == int(effects.POSTER_MIN_LEVELS)
    levels = [effects.posterize_levels(i / 10) for i in range(11)]
    assert levels == sorted(levels, reverse=True)
    assert effects.tear_max_shift_pixels(100, 1.0) == 20


def _fx_defines() -> dict[str, float]:
    out = {}
    for path in (shader_root() / "fx").glob("*.glsl"):
        for name, value in re.findall(r"^#define DS_FX_(\w+) ([0-9.]+)\s*$", path.read_text(), re.MULTILINE):
            out[name] = float(value)
    return out


def test_python_constants_mirror_the_shader_defines():
    defines = _fx_defines()
    pairs = {
        "TEAR_MAX_SHIFT": effects.TEAR_MAX_SHIFT,
        "SPLIT_MAX": effects.SPLIT_MAX,
        "BLOCK": effects.BLOCK_SIZE,
        "BLOCK_MAX_DX": effects.BLOCK_MAX_DX,
        "BLOCK_MAX_DY": effects.BLOCK_MAX_DY,
        "MOSH_BLOCK": effects.MOSH_BLOCK,
        "POSTER_MIN_LEVELS": effects.POSTER_MIN_LEVELS,
        "SCANLINE_DARK": effects.SCANLINE_DARK,
        "PORTAL_WOBBLE": effects.PORTAL_WOBBLE,
        "MAX_PORTALS": effects.MAX_PORTALS,
    }
    for name, value in pairs.items():
        assert defines[name] == value, f"DS_FX_{name} is {defines[name]}, effects.py says {value}"
