"""The emotion model: Mehrabian's PAD vector, discrete emotions, and smooth tracks over time.

Everything visual is driven by one internal vector, PAD = (pleasure, arousal, dominance), each
axis in [-1, 1] (shared/EMOTION.md section 1). Scene files may speak in discrete emotions
(Plutchik's eight primaries plus a few extra named points) with intensities in [0, 1]; they are
mixed by ALMA's intensity-weighted centroid ("virtual emotion centre", Gebhard 2005):

    PAD = sum(w_i * PAD_i) / max(1, sum(w_i)),   each axis clipped to [-1, 1]

so a single emotion at intensity w lies w of the way from neutral to its table point, and several
emotions whose intensities add past 1 are averaged rather than overshooting.

Emotions change over time, and parameters must never jump between frames, so a scene's emotion is
an `EmotionTrack`: keyframes with an easing curve per segment. All easings except `hold` are
continuous in t; `hold` is a deliberate step (see `EmotionTrack.sample`).

Pure Python; never imports moderngl.
"""

from __future__ import annotations

import bisect
import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from renderer.errors import SceneError

__all__ = [
    "PAD",
    "NEUTRAL",
    "PLUTCHIK_PAD",
    "EXTRA_PAD",
    "EMOTION_NAMES",
    "AXIS_NAMES",
    "COURAGE_RECIPE",
    "pad_from_mapping",
    "EASINGS",
    "ease",
    "EmotionKey",
    "EmotionTrack",
]


@dataclass(frozen=True)
class PAD:
    """A point in Mehrabian's pleasure-arousal-dominance space; each axis in [-1, 1].

    Constructing a PAD outside [-1, 1] or with a non-finite axis is a programming error
    (ValueError); scene input goes through `pad_from_mapping`, which reports a SceneError.
    """

    pleasure: float
    arousal: float
    dominance: float

    def __post_init__(self) -> None:
        for name in ("pleasure", "arousal", "dominance"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, numbers.Real):
                raise ValueError(f"PAD.{name} must be a number, got {value!r}")
            x = float(value)
            if not math.isfinite(x) or not -1.0 <= x <= 1.0:
                raise ValueError(f"PAD.{name} must be in [-1, 1], got {value!r}")
            object.__setattr__(self, name, x)

    def as_tuple(self) -> tuple[float, float, float]:
        return (self.pleasure, self.arousal, self.dominance)

    def distance(self, other: PAD) -> float:
        """Euclidean distance in PAD space."""
        return math.dist(self.as_tuple(), other.as_tuple())

    def lerp(self, other: PAD, t: float) -> PAD:
        """Straight-line interpolation; t is clamped to [0, 1] so the result stays a valid PAD.

        Written as (1 - t)*a + t*b so t = 0 and t = 1 return the endpoints exactly.
        """
        t = min(1.0, max(0.0, float(t)))
        return PAD(*(_clip1((1.0 - t) * a + t * b) for a, b in zip(self.as_tuple(), other.as_tuple())))


def _clip1(x: float) -> float:
    return min(1.0, max(-1.0, x))


NEUTRAL = PAD(0.0, 0.0, 0.0)

# EMOTION.md section 1, table of Plutchik primaries (sources in that table and in docs/emotion.md).
PLUTCHIK_PAD: dict[str, PAD] = {
    "joy": PAD(0.81, 0.51, 0.46),           # Russell & Mehrabian 1977, "happy"
    "trust": PAD(0.45, 0.23, -0.22),        # mean of ALMA "liking" and "admiration" (Gebhard 2005)
    "fear": PAD(-0.64, 0.60, -0.43),        # Russell & Mehrabian 1977; same in ALMA
    "surprise": PAD(0.40, 0.67, -0.13),     # Russell & Mehrabian 1977
    "sadness": PAD(-0.63, -0.27, -0.33),    # Russell & Mehrabian 1977
    "disgust": PAD(-0.60, 0.35, 0.11),      # Russell & Mehrabian 1977
    "anger": PAD(-0.51, 0.59, 0.25),        # Russell & Mehrabian 1977; same in ALMA
    "anticipation": PAD(0.20, 0.20, -0.10), # ALMA "hope" (closest prospect emotion)
}

# Courage has no standard entry; EMOTION.md suggests "anticipation + anger at low weight + joy".
# Our recipe (an engineering choice): these intensities mixed by the same ALMA centroid.
COURAGE_RECIPE: dict[str, float] = {"anticipation": 1.0, "anger": 0.25, "joy": 1.0}


def _centroid(weights: Mapping[str, float], table: Mapping[str, PAD]) -> tuple[float, float, float]:
    total = sum(weights.values())
    acc = [0.0, 0.0, 0.0]
    for name, w in weights.items():
        for i, v in enumerate(table[name].as_tuple()):
            acc[i] += w * v
    norm = max(1.0, total)
    return tuple(_clip1(v / norm) for v in acc)  # type: ignore[return-value]


# EMOTION.md section 1, "other useful points" (Russell & Mehrabian 1977), plus the courage composite.
EXTRA_PAD: dict[str, PAD] = {
    "calm": PAD(0.68, -0.46, 0.06),
    "relaxed": PAD(0.68, -0.46, 0.06),
    "bored": PAD(-0.65, -0.62, -0.33),
    "depressed": PAD(-0.72, -0.29, -0.41),
    "frustrated": PAD(-0.64, 0.52, 0.35),
    "confused": PAD(-0.53, 0.27, -0.32),
    "courage": PAD(*_centroid(COURAGE_RECIPE, PLUTCHIK_PAD)),  # ~ (0.392, 0.381, 0.188)
}

_ALL_PAD: dict[str, PAD] = {**PLUTCHIK_PAD, **EXTRA_PAD}
EMOTION_NAMES: tuple[str, ...] = tuple(PLUTCHIK_PAD) + tuple(EXTRA_PAD)
# Direct axes; "valence" is an alias of "pleasure".
AXIS_NAMES: tuple[str, ...] = ("pleasure", "valence", "arousal", "dominance")
_AXIS_INDEX = {"pleasure": 0, "valence": 0, "arousal": 1, "dominance": 2}


def _describe(value: Any) -> str:
    if value is None:
        return "None"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, (int, float)):
        return repr(value)
    return f"a {type(value).__name__}"


def _at(path: str, key: str) -> str:
    """Dotted node path `path.key`; just `key` when the path is empty (command-line input)."""
    return f"{path}.{key}" if path else key


def _num_text(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def _check_number(value: Any, lo: float | None, hi: float | None, file: str, path: str) -> float:
    """A real, finite number within [lo, hi]; booleans are not numbers."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise SceneError(file, path, f"must be a number, got {_describe(value)}")
    x = float(value)
    if not math.isfinite(x):
        raise SceneError(file, path, f"must be a finite number, got {x}")
    if lo is not None and hi is not None and not lo <= x <= hi:
        raise SceneError(file, path, f"must be in [{_num_text(lo)}, {_num_text(hi)}], got {_num_text(x)}")
    if lo is not None and hi is None and x < lo:
        raise SceneError(file, path, f"must be >= {_num_text(lo)}, got {_num_text(x)}")
    return x


def _valid_names_text() -> str:
    return (
        "valid emotions: " + ", ".join(EMOTION_NAMES)
        + "; valid axes: pleasure (alias valence), arousal, dominance"
    )


def pad_from_mapping(
    values: Mapping[str, float], *, file: str = "<emotion>", path: str = "emotion"
) -> PAD:
    """Read an emotion from scene data: discrete intensities and/or direct PAD axes.

    - Discrete names (Plutchik's eight and EXTRA_PAD's) take intensities in [0, 1] and are mixed
      by the ALMA centroid  sum(w_i * PAD_i) / max(1, sum(w_i)).
    - Axes `pleasure` (alias `valence`), `arousal`, `dominance` take values in [-1, 1].
    - When both are given, each axis that is given *replaces* that axis of the centroid; the axes
      not given keep the centroid's value. (E.g. {"fear": 1, "dominance": 0.5} is fear with
      dominance overridden.)
    - Every axis is finally clipped to [-1, 1]. An empty mapping is NEUTRAL.

    Errors raise SceneError(file, f"{path}.{key}", rule).
    """
    if not isinstance(values, Mapping):
        raise SceneError(
            file, path,
            f"must be a table of emotion intensities or PAD axes, got {_describe(values)}",
        )
    if "pleasure" in values and "valence" in values:
        raise SceneError(
            file, _at(path, "valence"), "'valence' is an alias of 'pleasure'; give one of them, not both"
        )
    weights: dict[str, float] = {}
    axes: dict[int, float] = {}
    for key, value in values.items():
        where = _at(path, str(key))
        if key in _AXIS_INDEX:
            axes[_AXIS_INDEX[key]] = _check_number(value, -1.0, 1.0, file, where)
        elif key in _ALL_PAD:
            weights[key] = _check_number(value, 0.0, 1.0, file, where)
        else:
            raise SceneError(file, where, f"unknown emotion {key!r}; {_valid_names_text()}")
    pad = list(_centroid(weights, _ALL_PAD)) if weights else [0.0, 0.0, 0.0]
    for index, value in axes.items():
        pad[index] = value
    return PAD(*(_clip1(v) for v in pad))


# --- easing and tracks ---------------------------------------------------------------------------

EASINGS = ("linear", "smoothstep", "ease-in", "ease-out", "ease-in-out", "hold")

# Largest slope de/du of each easing on [0, 1]; |dPAD/dt| on a segment is slope * |dPAD| / dt.
_MAX_SLOPE = {
    "linear": 1.0,
    "smoothstep": 1.5,        # 3u^2 - 2u^3: slope 6u(1-u), peak at u = 1/2
    "ease-in": 2.0,           # u^2: slope 2u, peak at u = 1
    "ease-out": 2.0,          # 1 - (1-u)^2: slope 2(1-u), peak at u = 0
    "ease-in-out": 1.875,     # 6u^5 - 15u^4 + 10u^3: slope 30u^2(1-u)^2, peak 30/16 at u = 1/2
    "hold": math.inf,         # a step
}


def ease(easing: str, u: float) -> float:
    """The easing curve e(u) on u in [0, 1] (clamped); e(0) = 0 and e(1) = 1 for all but `hold`.

    `hold` is 0 for u < 1 and 1 at u = 1: the value stays at the earlier key for the whole
    segment and steps to the later key exactly at the later key's time.
    """
    u = min(1.0, max(0.0, float(u)))
    if easing == "linear":
        return u
    if easing == "smoothstep":
        return u * u * (3.0 - 2.0 * u)
    if easing == "ease-in":
        return u * u
    if easing == "ease-out":
        return 1.0 - (1.0 - u) * (1.0 - u)
    if easing == "ease-in-out":
        return u * u * u * (u * (6.0 * u - 15.0) + 10.0)
    if easing == "hold":
        return 1.0 if u >= 1.0 else 0.0
    raise ValueError(f"unknown easing {easing!r}; valid: {', '.join(EASINGS)}")


@dataclass(frozen=True)
class EmotionKey:
    """One keyframe: the emotion `pad` at time `t` (seconds). `easing` shapes the segment that
    ENDS at this key (the first key's easing is unused). Validated by the `EmotionTrack` that
    holds it, so errors can name the key's index."""

    t: float
    pad: PAD
    easing: str = "smoothstep"


def _validate_keys(keys: Any, file: str, path: str) -> tuple[EmotionKey, ...]:
    if isinstance(keys, (str, bytes)) or not isinstance(keys, Sequence):
        raise SceneError(file, _at(path, "keys"), f"must be a list of keys, got {_describe(keys)}")
    keys = tuple(keys)
    if not keys:
        raise SceneError(file, _at(path, "keys"), "must have at least one key")
    previous: float | None = None
    for i, key in enumerate(keys):
        where = _at(path, f"keys[{i}]")
        if not isinstance(key, EmotionKey):
            raise SceneError(file, where, f"must be an EmotionKey, got {_describe(key)}")
        t = _check_number(key.t, 0.0, None, file, f"{where}.t")
        if previous is not None and not t > previous:
            raise SceneError(
                file, f"{where}.t",
                f"key times must strictly increase: must be > {_num_text(previous)} "
                f"(the previous key's t), got {_num_text(t)}",
            )
        previous = t
        if not isinstance(key.easing, str) or key.easing not in EASINGS:
            raise SceneError(
                file, f"{where}.easing",
                f"unknown easing {key.easing!r}; valid: {', '.join(EASINGS)}",
            )
        if not isinstance(key.pad, PAD):
            raise SceneError(file, f"{where}.pad", f"must be a PAD, got {_describe(key.pad)}")
    return keys


@dataclass(frozen=True)
class EmotionTrack:
    """PAD over time: keys sorted by strictly increasing t (at least one).

    Construction validates the keys and raises SceneError with paths like `emotion.keys[2].t`
    (file `<emotion>`); use `from_keys` / `from_mapping` to name the real file and path.
    """

    keys: tuple[EmotionKey, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "keys", _validate_keys(self.keys, "<emotion>", "emotion"))

    @classmethod
    def from_keys(
        cls, keys: Sequence[EmotionKey], *, file: str = "<emotion>", path: str = "emotion"
    ) -> EmotionTrack:
        """Validate `keys` reporting errors against `file` / `path`, then build the track."""
        return cls(_validate_keys(keys, file, path))

    @classmethod
    def constant(cls, pad: PAD) -> EmotionTrack:
        return cls((EmotionKey(0.0, pad),))

    @classmethod
    def from_mapping(
        cls, data: Any, *, file: str = "<emotion>", path: str = "emotion"
    ) -> EmotionTrack:
        """Read a track from scene data.

        Either a plain emotion table (as `pad_from_mapping` reads; a constant track), or
        `{"keys": [{"t": 0, "easing": "smoothstep", <emotion table entries>...}, ...]}` where each
        key holds `t` (seconds, >= 0), optional `easing`, and the emotion itself inline.
        """
        if not isinstance(data, Mapping):
            raise SceneError(file, path, f"must be a table, got {_describe(data)}")
        if "keys" not in data:
            return cls.constant(pad_from_mapping(data, file=file, path=path))
        extra = [k for k in data if k != "keys"]
        if extra:
            raise SceneError(
                file, _at(path, str(extra[0])),
                "unknown key next to 'keys'; put the emotion inside each key",
            )
        raw = data["keys"]
        if isinstance(raw, (str, bytes)) or not isinstance(raw, Sequence):
            raise SceneError(file, _at(path, "keys"), f"must be a list of keys, got {_describe(raw)}")
        keys = []
        for i, item in enumerate(raw):
            where = _at(path, f"keys[{i}]")
            if not isinstance(item, Mapping):
                raise SceneError(file, where, f"must be a table, got {_describe(item)}")
            if "t" not in item:
                raise SceneError(file, where, "missing required key 't'")
            t = _check_number(item["t"], 0.0, None, file, f"{where}.t")
            easing = item.get("easing", "smoothstep")
            if not isinstance(easing, str) or easing not in EASINGS:
                raise SceneError(
                    file, f"{where}.easing", f"unknown easing {easing!r}; valid: {', '.join(EASINGS)}"
                )
            emotion = {k: v for k, v in item.items() if k not in ("t", "easing")}
            keys.append(EmotionKey(t, pad_from_mapping(emotion, file=file, path=where), easing))
        return cls.from_keys(keys, file=file, path=path)

    @property
    def times(self) -> tuple[float, ...]:
        return tuple(k.t for k in self.keys)

    def sample(self, t: float) -> PAD:
        """The PAD at time t.

        Before the first key: the first key's PAD; after the last: the last key's (clamped).
        Between keys k0 and k1: k0.pad.lerp(k1.pad, ease(k1.easing, u)), u = (t - t0) / (t1 - t0).
        Every easing but `hold` is continuous, so the sampled PAD never jumps; `hold` keeps k0's
        PAD until exactly t1 and then steps to k1's (a deliberate cut).
        """
        t = float(t)
        if math.isnan(t):
            raise ValueError("EmotionTrack.sample: t is NaN")
        keys = self.keys
        if t <= keys[0].t:
            return keys[0].pad
        if t >= keys[-1].t:
            return keys[-1].pad
        i = bisect.bisect_right(keys, t, key=lambda k: k.t)   # keys[i-1].t <= t < keys[i].t
        k0, k1 = keys[i - 1], keys[i]
        u = (t - k0.t) / (k1.t - k0.t)
        return k0.pad.lerp(k1.pad, ease(k1.easing, u))

    def max_rate(self) -> float:
        """The largest |dPAD/dt| (Euclidean, per second) anywhere on the track.

        Exact, not just a bound: each segment moves along a straight line, so its speed is
        |PAD1 - PAD0| / (t1 - t0) * e'(u), whose maximum is the easing's peak slope. A `hold`
        segment between different PADs is a step and gives infinity.
        """
        rate = 0.0
        for k0, k1 in zip(self.keys, self.keys[1:]):
            dist = k0.pad.distance(k1.pad)
            if dist == 0.0:
                continue
            rate = max(rate, _MAX_SLOPE[k1.easing] * dist / (k1.t - k0.t))
        return rate
