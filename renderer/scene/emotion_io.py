"""The `[emotion]` and `[overrides]` sections of a scene file, to and from TOML.

A constant emotion is a table of intensities (`fear = 0.8`) and/or PAD axes; a changing one is an
array `[[emotion.keys]]` of such tables, each with a time `t` and an `easing`.
"""

from __future__ import annotations

from typing import Any

from renderer.errors import SceneError
from renderer.scene.emotion import EASINGS, EmotionKey, EmotionTrack, PAD, pad_from_mapping
from renderer.scene.emotion_map import ParamOverrides
from renderer.scene.model import LIMITS

__all__ = ["parse_emotion_section", "parse_overrides_section", "emotion_to_toml", "overrides_to_toml",
           "parse_emotion_argument"]


def _number(value: Any, file: str, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise SceneError(file, path, f"must be a number, got {type(value).__name__}")
    return float(value)


def parse_emotion_section(raw: Any, file: str) -> EmotionTrack:
    if not isinstance(raw, dict):
        raise SceneError(file, "emotion", "must be a table")
    if "keys" not in raw:
        return EmotionTrack.constant(pad_from_mapping(raw, file=file, path="emotion"))
    extra = [k for k in raw if k != "keys"]
    if extra:
        raise SceneError(file, f"emotion.{extra[0]}",
                         "cannot be mixed with [[emotion.keys]]; put it inside each key")
    keys_raw = raw["keys"]
    if not isinstance(keys_raw, list) or not keys_raw:
        raise SceneError(file, "emotion.keys", "must be a non-empty array of tables ([[emotion.keys]])")
    if len(keys_raw) > LIMITS["emotion_keys"]:
        raise SceneError(file, "emotion.keys", f"at most {LIMITS['emotion_keys']} keys")
    keys = []
    previous = None
    for i, key in enumerate(keys_raw):
        path = f"emotion.keys[{i}]"
        if not isinstance(key, dict):
            raise SceneError(file, path, "must be a table")
        if "t" not in key:
            raise SceneError(file, f"{path}.t", "missing (each key needs a time in seconds)")
        t = _number(key["t"], file, f"{path}.t")
        if t < 0 or t > 1e6:
            raise SceneError(file, f"{path}.t", f"must be in [0, 1000000], got {t:g}")
        if previous is not None and t <= previous:
            raise SceneError(file, f"{path}.t", f"times must strictly increase, got {t:g} after {previous:g}")
        previous = t
        easing = key.get("easing", "smoothstep")
        if easing not in EASINGS:
            raise SceneError(file, f"{path}.easing", f"must be one of {', '.join(EASINGS)}, got {easing!r}")
        values = {k: v for k, v in key.items() if k not in ("t", "easing")}
        keys.append(EmotionKey(t, pad_from_mapping(values, file=file, path=path), easing))
    return EmotionTrack(tuple(keys))


def parse_overrides_section(raw: Any, file: str) -> ParamOverrides:
    if not isinstance(raw, dict):
        raise SceneError(file, "overrides", "must be a table")
    return ParamOverrides.from_mapping(raw, file=file, path="overrides")


def _pad_table(pad: PAD) -> dict:
    return {"pleasure": pad.pleasure, "arousal": pad.arousal, "dominance": pad.dominance}


def emotion_to_toml(track: EmotionTrack) -> dict:
    if len(track.keys) == 1 and track.keys[0].t == 0.0:
        return _pad_table(track.keys[0].pad)
    return {"keys": [{"t": k.t, "easing": k.easing, **_pad_table(k.pad)} for k in track.keys]}


def overrides_to_toml(overrides: ParamOverrides) -> dict:
    out = {}
    if overrides.pin:
        out["pin"] = dict(overrides.pin)
    if overrides.scale:
        out["scale"] = dict(overrides.scale)
    return out


def parse_emotion_argument(text: str) -> PAD:
    """`fear=0.9,joy=0.1` or `valence=-0.5,arousal=0.8` from the command line."""
    values: dict[str, float] = {}
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        name, sep, number = part.partition("=")
        if not sep:
            raise SceneError("--emotion", part, "expected NAME=VALUE")
        try:
            values[name.strip()] = float(number)
        except ValueError:
            raise SceneError("--emotion", name.strip(), f"must be a number, got {number.strip()!r}") from None
    if not values:
        raise SceneError("--emotion", "", "expected NAME=VALUE[,NAME=VALUE...]")
    return pad_from_mapping(values, file="--emotion", path="")
