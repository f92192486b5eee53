"""PAD -> render parameters: the table of shared/EMOTION.md section 4, implemented exactly.

Every constant below is either a number from that table (the "starting mapping", whose signs and
drivers are sourced) or an engineering choice named as such here and in docs/emotion.md
(palette construction, sky and fog colours, the shake constant and cap, flicker ramp).

Order of evaluation in `map_emotion`:
1. the section-4 formulas give the scalar parameters from (p, a, d);
2. artist overrides (`ParamOverrides`) pin or scale scalars;
3. each scalar is clamped to its domain, and the safety caps are applied (camera shake cap,
   flicker <= 3 Hz) -- so a pin can never defeat a safety cap;
4. derived values are computed from the final scalars: fBm gain from the fractal dimension, and
   the palette / sky / fog colours from lightness, chroma and hue (so pinning `lightness` moves
   the whole palette).

Multipliers (fog density, noise amplitude, feature scale, warp, speed, key light) are 1.0 at
neutral PAD, so a scene's base values are what a neutral dreamer sees.

Pure Python + numpy; never imports moderngl.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

from renderer.errors import SceneError
from renderer.scene.colour import lch_to_linear_srgb
from renderer.scene.emotion import PAD

__all__ = [
    "DreamParams",
    "ParamOverrides",
    "PARAMETER_NAMES",
    "PARAMETER_DOMAINS",
    "map_emotion",
    "anchor_hue",
    "palette_hue",
    "hue_chroma_fade",
    "HUE_FADE_EPS",
    "H0_DEG",
    "HUE_ANCHORS",
    "PALETTE_CHROMA_WEIGHTS",
    "ACCENT_HUE_SHIFT_DEG",
    "SHAKE_K",
    "SHAKE_CAP",
    "FLICKER_AROUSAL",
    "FLICKER_MAX_HZ",
    "FLICKER_MAX_AMOUNT",
]

# --- constants ---------------------------------------------------------------------------------

# Hue (EMOTION.md section 4; anchors are EMOTION.md's choice, after Palmer 2013, Jonauskaite 2020).
H0_DEG = 230.0                                   # neutral dream hue
HUE_ANCHORS = ((30.0, 85.0), (130.0, 35.0), (210.0, 265.0), (320.0, 180.0))   # (theta, h_ab)
HUE_FADE_EPS = 0.03     # engineering choice: see hue_chroma_fade (< 0.0436, the p = 0 minimum)

# Palette (engineering choice): 4 colours, dark accent / mid / light / accent. Chroma weights
# average to 1, so the palette's mean target chroma is exactly C*; the accent's lightness is
# chosen so the mean target L* is exactly L* (see _palette_lch).
PALETTE_CHROMA_WEIGHTS = (0.8, 1.1, 0.8, 1.3)
ACCENT_HUE_SHIFT_DEG = 30.0                      # analogous accent: keeps warm/cool reading

# Sky and fog (engineering choice, same L*/C*/h logic as the palette; see docs/emotion.md).
SKY_HORIZON_L = (10.0, 5.0)      # L = L* + 10 + 5p
SKY_HORIZON_C = 0.5              # C = 0.5 C*
SKY_ZENITH_L = (-10.0, 10.0)     # L = L* - 10 + 10p
SKY_ZENITH_C = 0.8               # C = 0.8 C*
# Engineering choice: the sky leans towards the neutral dream hue (zenith 75%, horizon 60%, as a
# weighted mean of unit hue vectors) so the emotion's hue reads on the ground and objects against
# it instead of tinting the whole frame one colour. Weights != 0.5 keep the blend continuous.
SKY_ZENITH_NEUTRAL = 0.75
SKY_HORIZON_NEUTRAL = 0.6
FOG_L = (5.0, 15.0)              # L = clamp(L* + 5 + 15p, 10, 90): darker fog for negative p
FOG_L_RANGE = (10.0, 90.0)
FOG_C = (0.35, 0.5)              # C = 0.35 C* (1 + 0.5p): desaturated, more so when unpleasant

# Camera shake (EMOTION.md: k * max(0, a)^2 * (1 + 0.5 max(0, -d)), hard-capped). k and the cap
# are comfort choices in scene units; the formula's maximum (a = 1, d = -1) is exactly the cap.
SHAKE_K = 0.02
SHAKE_CAP = 0.03

# Flicker (EMOTION.md: only for a > 0.6, never above 3 flashes/s -- WCAG 2.3.1 "three flashes").
FLICKER_AROUSAL = 0.6
FLICKER_MAX_HZ = 3.0
FLICKER_MAX_AMOUNT = 0.5         # engineering choice: formula ramps amount 0 -> 0.5 over a 0.6 -> 1


@dataclass(frozen=True)
class DreamParams:
    """Render parameters for one PAD. Colours are linear sRGB in [0, 1]."""

    lightness: float          # mean palette L* (target; gamut mapping keeps L*)
    chroma: float             # mean palette C*ab (target; gamut mapping may lower it; see hue_chroma_fade)
    hue_deg: float            # palette hue h_ab, degrees in [0, 360)
    palette: tuple[tuple[float, float, float], ...]   # dark accent, mid, light, accent
    sky_zenith: tuple[float, float, float]
    sky_horizon: tuple[float, float, float]
    fog_color: tuple[float, float, float]
    key_light: float          # I0 = 1 at neutral
    fill_ratio: float
    fog_density: float        # multiplier on the scene's base fog density
    noise_amplitude: float    # multiplier
    fractal_dimension: float
    fbm_gain: float           # 2^(-H), H = 2 - D
    feature_scale: float      # multiplier on wavelength
    sharpness: float          # [0, 1]; 0 soft/billowy, 1 sharp/ridged
    warp_strength: float      # multiplier, 1 at neutral
    animation_speed: float    # multiplier 2^(1.5a)
    camera_shake: float       # scene units, <= SHAKE_CAP
    flicker_hz: float         # 0 unless a > 0.6 (or pinned); <= 3
    flicker_amount: float     # [0, 1]


# The scalar fields that can be pinned or scaled. fbm_gain is derived from fractal_dimension
# (pin that instead); colours are derived from lightness / chroma / hue_deg.
PARAMETER_NAMES: tuple[str, ...] = (
    "lightness", "chroma", "hue_deg", "key_light", "fill_ratio", "fog_density",
    "noise_amplitude", "fractal_dimension", "feature_scale", "sharpness", "warp_strength",
    "animation_speed", "camera_shake", "flicker_hz", "flicker_amount",
)

# (lo, hi, lo_open) of each parameter's domain: pins outside it are errors; scaled values are
# clamped into it. hue_deg is any finite angle (wrapped). Safety caps (SHAKE_CAP, FLICKER_MAX_HZ)
# are applied on top, silently, to pinned and scaled values alike.
PARAMETER_DOMAINS: dict[str, tuple[float | None, float | None, bool]] = {
    "lightness": (0.0, 100.0, False),
    "chroma": (0.0, 150.0, False),
    "hue_deg": (None, None, False),
    "key_light": (0.0, None, False),
    "fill_ratio": (0.0, 1.0, False),
    "fog_density": (0.0, None, False),
    "noise_amplitude": (0.0, None, False),
    "fractal_dimension": (1.0, 2.0, False),
    "feature_scale": (0.0, None, True),
    "sharpness": (0.0, 1.0, False),
    "warp_strength": (0.0, None, False),
    "animation_speed": (0.0, None, False),
    "camera_shake": (0.0, None, False),
    "flicker_hz": (0.0, None, False),
    "flicker_amount": (0.0, 1.0, False),
}
_SAFETY_CAPS = {"camera_shake": SHAKE_CAP, "flicker_hz": FLICKER_MAX_HZ}
_MIN_POSITIVE = 1e-6   # floor for open-interval domains (feature_scale) after scaling


# --- overrides -----------------------------------------------------------------------------------


def _at(path: str, key: str) -> str:
    """Dotted node path `path.key`; just `key` when the path is empty (command-line input)."""
    return f"{path}.{key}" if path else key


def _num_text(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def _describe(value: Any) -> str:
    if value is None:
        return "None"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return repr(value)
    return f"a {type(value).__name__}"


def _number(value: Any, file: str, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise SceneError(file, path, f"must be a number, got {_describe(value)}")
    x = float(value)
    if not math.isfinite(x):
        raise SceneError(file, path, f"must be a finite number, got {x}")
    return x


def _check_pin(name: str, x: float, file: str, path: str) -> None:
    lo, hi, lo_open = PARAMETER_DOMAINS[name]
    if lo is not None and hi is not None and not lo <= x <= hi:
        raise SceneError(file, path, f"must be in [{_num_text(lo)}, {_num_text(hi)}], got {_num_text(x)}")
    if lo is not None and (x <= lo if lo_open else x < lo):
        raise SceneError(file, path, f"must be {'>' if lo_open else '>='} {_num_text(lo)}, got {_num_text(x)}")


def _validate_overrides(pin: Any, scale: Any, file: str, path: str) -> tuple[dict, dict]:
    out = {}
    for kind, table in (("pin", pin), ("scale", scale)):
        where = _at(path, kind)
        if not isinstance(table, Mapping):
            raise SceneError(file, where, f"must be a table of parameter names, got {_describe(table)}")
        checked = {}
        for name, value in table.items():
            p = f"{where}.{name}"
            if name not in PARAMETER_NAMES:
                hint = "; fbm_gain follows fractal_dimension, pin that instead" if name == "fbm_gain" else ""
                raise SceneError(
                    file, p, f"unknown parameter {name!r}; valid: {', '.join(PARAMETER_NAMES)}{hint}"
                )
            x = _number(value, file, p)
            if kind == "pin":
                _check_pin(name, x, file, p)
            else:
                if name == "hue_deg":
                    raise SceneError(file, p, "hue_deg is an angle and cannot be scaled; pin it instead")
                if x < 0.0:
                    raise SceneError(file, p, f"must be >= 0, got {_num_text(x)}")
            checked[name] = x
        out[kind] = checked
    both = sorted(set(out["pin"]) & set(out["scale"]))
    if both:
        raise SceneError(
            file, _at(path, f"scale.{both[0]}"), f"{both[0]!r} is already pinned; pin or scale it, not both"
        )
    return out["pin"], out["scale"]


@dataclass(frozen=True)
class ParamOverrides:
    """Artist control from a scene file: pin a parameter to a value, or scale the formula's value.

    Applied after the EMOTION.md formula and before the domain clamps and safety caps.
    Construction validates (SceneError against file `<overrides>`); `from_mapping` names the file.
    """

    pin: Mapping[str, float] = field(default_factory=dict)
    scale: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        pin, scale = _validate_overrides(self.pin, self.scale, "<overrides>", "overrides")
        object.__setattr__(self, "pin", MappingProxyType(pin))
        object.__setattr__(self, "scale", MappingProxyType(scale))

    def __hash__(self) -> int:
        return hash((tuple(sorted(self.pin.items())), tuple(sorted(self.scale.items()))))

    def __reduce__(self):
        # Read-only mapping proxies do not pickle; rebuild from plain dicts (render workers
        # receive scenes by pickling).
        return (type(self), (dict(self.pin), dict(self.scale)))

    @classmethod
    def from_mapping(cls, data: Mapping, *, file: str, path: str) -> ParamOverrides:
        """Read `{"pin": {name: value}, "scale": {name: factor}}` (both optional)."""
        if not isinstance(data, Mapping):
            raise SceneError(file, path, f"must be a table with 'pin' and/or 'scale', got {_describe(data)}")
        for key in data:
            if key not in ("pin", "scale"):
                raise SceneError(file, _at(path, str(key)), f"unknown key {key!r}; expected 'pin' or 'scale'")
        pin, scale = _validate_overrides(data.get("pin", {}), data.get("scale", {}), file, path)
        return cls(pin=pin, scale=scale)


# --- formulas ------------------------------------------------------------------------------------


def _clamp(x: float, lo: float, hi: float) -> float:
    return min(hi, max(lo, x))


def _wrap180(x: float) -> float:
    """Signed angle in [-180, 180)."""
    return (x + 180.0) % 360.0 - 180.0


def anchor_hue(theta_deg: float) -> float:
    """EMOTION.md's circular map of theta = atan2(a, p) to a hue, before blending towards h0.

    Piecewise linear between the anchors (30->85, 130->35, 210->265, 320->180, wrapping 320->390),
    each step taken along the shorter arc of the hue circle.
    """
    theta = theta_deg % 360.0
    anchors = list(HUE_ANCHORS)
    if theta < anchors[0][0]:
        theta += 360.0
    ext = anchors + [(anchors[0][0] + 360.0, anchors[0][1])]
    for (t0, h0), (t1, h1) in zip(ext, ext[1:]):
        if t0 <= theta <= t1:
            u = (theta - t0) / (t1 - t0)
            return (h0 + u * _wrap180(h1 - h0)) % 360.0
    raise AssertionError("unreachable: anchors cover the circle")


def _hue_vector(p: float, a: float) -> tuple[float, float]:
    """(hue, |v|) of the blend v = (1 - r) u(h0) + r u(h_theta) of unit hue vectors."""
    r = min(1.0, math.hypot(p, a))
    if r == 0.0:
        return H0_DEG, 1.0
    h_theta = anchor_hue(math.degrees(math.atan2(a, p)))
    x = (1.0 - r) * math.cos(math.radians(H0_DEG)) + r * math.cos(math.radians(h_theta))
    y = (1.0 - r) * math.sin(math.radians(H0_DEG)) + r * math.sin(math.radians(h_theta))
    norm = math.hypot(x, y)
    if norm < 1e-12:
        return H0_DEG, 0.0
    return math.degrees(math.atan2(y, x)) % 360.0, norm


def palette_hue(p: float, a: float) -> float:
    """h_ab: the anchor hue of theta, blended by r = min(1, |(p, a)|) towards H0_DEG.

    The circular blend is the direction of the weighted mean of unit hue vectors,
    v = (1 - r) u(h0) + r u(h_theta). A scalar shortest-arc lerp would jump by up to 180 deg along
    the whole ray where h_theta is opposite h0 (theta = 100 deg); the vector mean is continuous
    everywhere except the single point r = 0.5, theta = 100 deg where v = 0 (there we return h0).
    Some such point must exist: the anchor hues wind once round the hue circle as theta does, so
    no hue function on the PAD disc can be continuous everywhere and equal h0 at the centre.
    `hue_chroma_fade` hides that point.
    """
    return _hue_vector(p, a)[0]


def hue_chroma_fade(p: float, a: float) -> float:
    """Chroma factor min(1, |v| / HUE_FADE_EPS): 1 except within a tiny region around the hue
    singularity (r in ~(0.485, 0.515), theta in ~(93, 107) deg), where it falls to 0 at the point.

    With it the palette's a*, b* (chroma times hue direction) are continuous in PAD everywhere: a
    trajectory through the singular point fades through grey instead of flipping hue at full
    chroma. The line p = 0 (where |v| >= 0.0436) is untouched, so arousal sweeps at p = 0 follow
    the chroma formula exactly.
    """
    return min(1.0, _hue_vector(p, a)[1] / HUE_FADE_EPS)


def _formula_scalars(pad: PAD) -> dict[str, float]:
    """EMOTION.md section 4, row by row."""
    p, a, d = pad.as_tuple()
    r = min(1.0, math.hypot(p, a))
    dim = _clamp(1.4 - 0.1 * p + 0.2 * a, 1.1, 1.9)
    u = _clamp((a - FLICKER_AROUSAL) / (1.0 - FLICKER_AROUSAL), 0.0, 1.0)
    return {
        "lightness": _clamp(50.0 + 20.0 * p, 25.0, 80.0),
        "chroma": _clamp(30.0 + 20.0 * a + 8.0 * p, 5.0, 70.0) * hue_chroma_fade(p, a),
        "hue_deg": palette_hue(p, a),
        "key_light": 2.0 ** (0.5 * p) * (1.0 + 0.15 * r),
        "fill_ratio": _clamp(0.5 + 0.3 * p, 0.15, 0.9),
        "fog_density": _clamp(math.exp(-0.9 * p - 0.5 * d), 0.3, 3.0),
        "noise_amplitude": 1.0 + 0.4 * a - 0.2 * p,
        "fractal_dimension": dim,
        "feature_scale": 2.0 ** (0.6 * d + 0.3 * a),
        "sharpness": _clamp(0.5 - 0.35 * p + 0.25 * a, 0.0, 1.0),
        # EMOTION.md's w0 (0.4 + 0.3(a + 1)) (1 + 0.3 max(0, -p)) divided by its neutral value 0.7.
        "warp_strength": (0.4 + 0.3 * (a + 1.0)) * (1.0 + 0.3 * max(0.0, -p)) / 0.7,
        "animation_speed": 2.0 ** (1.5 * a),
        "camera_shake": SHAKE_K * max(0.0, a) ** 2 * (1.0 + 0.5 * max(0.0, -d)),
        "flicker_hz": FLICKER_MAX_HZ * u,
        "flicker_amount": FLICKER_MAX_AMOUNT * u,
    }


def _apply_overrides(values: dict[str, float], overrides: ParamOverrides | None) -> dict[str, float]:
    values = dict(values)
    if overrides is not None:
        for name, factor in overrides.scale.items():
            values[name] *= factor
        values.update(overrides.pin)
    for name, (lo, hi, lo_open) in PARAMETER_DOMAINS.items():
        x = values[name]
        if lo is not None:
            x = max(x, lo + _MIN_POSITIVE if lo_open else lo)
        if hi is not None:
            x = min(x, hi)
        if name in _SAFETY_CAPS:
            x = min(x, _SAFETY_CAPS[name])
        values[name] = x
    values["hue_deg"] %= 360.0
    return values


def _palette_lch(lightness: float, chroma: float, hue: float, d: float) -> np.ndarray:
    """Target LCh of dark accent, mid, light, accent.

    Dark-accent spread (EMOTION.md): L_min = L* - (15 + 10d), L_max = L* + (15 - 5d).
    The accent's L* = 4 L* - L_min - L* - L_max = L* + 15d makes the four colours' mean exactly
    L*; chroma weights average 1 so the mean target chroma is exactly C*.
    """
    l_min = lightness - (15.0 + 10.0 * d)
    l_max = lightness + (15.0 - 5.0 * d)
    l_acc = 4.0 * lightness - l_min - lightness - l_max
    ls = (l_min, lightness, l_max, l_acc)
    hues = (hue, hue, hue, hue + ACCENT_HUE_SHIFT_DEG)
    return np.array([[l, w * chroma, h] for l, w, h in zip(ls, PALETTE_CHROMA_WEIGHTS, hues)])


def _towards_neutral(hue: float, weight: float) -> float:
    """Hue of the weighted mean of unit vectors at `hue` and H0_DEG (weight on H0)."""
    a, b = math.radians(hue), math.radians(H0_DEG)
    x = (1.0 - weight) * math.cos(a) + weight * math.cos(b)
    y = (1.0 - weight) * math.sin(a) + weight * math.sin(b)
    return math.degrees(math.atan2(y, x)) % 360.0


def map_emotion(pad: PAD, overrides: ParamOverrides | None = None) -> DreamParams:
    """Render parameters for `pad` (see the module docstring for the order of evaluation)."""
    if not isinstance(pad, PAD):
        raise TypeError(f"map_emotion needs a PAD, got {type(pad).__name__}")
    v = _apply_overrides(_formula_scalars(pad), overrides)
    p = pad.pleasure
    L, C, h = v["lightness"], v["chroma"], v["hue_deg"]
    fog_l = _clamp(L + FOG_L[0] + FOG_L[1] * p, *FOG_L_RANGE)
    lch = np.vstack([
        _palette_lch(L, C, h, pad.dominance),
        [L + SKY_ZENITH_L[0] + SKY_ZENITH_L[1] * p, SKY_ZENITH_C * C, _towards_neutral(h, SKY_ZENITH_NEUTRAL)],
        [L + SKY_HORIZON_L[0] + SKY_HORIZON_L[1] * p, SKY_HORIZON_C * C,
         _towards_neutral(h, SKY_HORIZON_NEUTRAL)],
        [fog_l, FOG_C[0] * C * (1.0 + FOG_C[1] * p), h],
    ])
    # One batched conversion (L* outside [0, 100] is clamped there, chroma reduced into gamut).
    rows = [tuple(float(c) for c in row) for row in lch_to_linear_srgb(lch)]
    palette, (zenith, horizon, fog) = tuple(rows[:4]), rows[4:]
    return DreamParams(
        lightness=L,
        chroma=C,
        hue_deg=h,
        palette=palette,  # type: ignore[arg-type]
        sky_zenith=zenith,
        sky_horizon=horizon,
        fog_color=fog,
        key_light=v["key_light"],
        fill_ratio=v["fill_ratio"],
        fog_density=v["fog_density"],
        noise_amplitude=v["noise_amplitude"],
        fractal_dimension=v["fractal_dimension"],
        fbm_gain=2.0 ** (-(2.0 - v["fractal_dimension"])),
        feature_scale=v["feature_scale"],
        sharpness=v["sharpness"],
        warp_strength=v["warp_strength"],
        animation_speed=v["animation_speed"],
        camera_shake=v["camera_shake"],
        flicker_hz=v["flicker_hz"],
        flicker_amount=v["flicker_amount"],
    )
