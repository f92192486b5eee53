"""Typed, range-checked fields shared by every piece of scene data.

A scene file is untrusted data, so each value passes one checker that knows its kind and range.
The node dataclasses, materials, world and camera all declare their fields with `param(...)`; the
loader, the builder API (via `__post_init__`) and the serialiser read the same declarations, so a
rule is written once.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any

from renderer.errors import SceneError

__all__ = ["FieldSpec", "param", "field_specs", "check_value", "check_fields", "FieldRuleError", "KINDS"]

KINDS = ("float", "int", "vec3", "color", "mask3", "str", "name", "bool")
_NAME_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


class FieldRuleError(ValueError):
    """A value broke its field's rule; the message is the rule text (`must be > 0, got -1`)."""


@dataclass(frozen=True)
class FieldSpec:
    kind: str
    lo: float | None = None
    hi: float | None = None
    lo_open: bool = False
    hi_open: bool = False
    choices: tuple[str, ...] = ()
    doc: str = ""
    nonzero: bool = False  # vec3 that must not be the zero vector (a direction)


def param(default: Any, kind: str, lo=None, hi=None, *, lo_open=False, hi_open=False,
          choices=(), doc="", nonzero=False, kw_only=False):
    """Declare a dataclass field whose value is checked by `check_value`."""
    spec = FieldSpec(kind, lo, hi, lo_open, hi_open, tuple(choices), doc, nonzero)
    return field(default=default, metadata={"spec": spec}, kw_only=kw_only)


def field_specs(cls) -> dict[str, FieldSpec]:
    """The checked fields of a dataclass, in declaration order."""
    return {f.name: f.metadata["spec"] for f in dataclasses.fields(cls) if "spec" in f.metadata}


def _range_text(spec: FieldSpec) -> str:
    if spec.lo is not None and spec.hi is not None:
        left = "(" if spec.lo_open else "["
        right = ")" if spec.hi_open else "]"
        return f"in {left}{_num(spec.lo)}, {_num(spec.hi)}{right}"
    if spec.lo is not None:
        return f"{'>' if spec.lo_open else '>='} {_num(spec.lo)}"
    return f"{'<' if spec.hi_open else '<='} {_num(spec.hi)}"


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def _check_scalar(spec: FieldSpec, value: Any, what: str = "a number") -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise FieldRuleError(f"must be {what}, got {_describe(value)}")
    try:
        x = float(value)
    except OverflowError:  # a TOML integer with hundreds of digits
        raise FieldRuleError("must be a finite number, got an integer too large for a float") from None
    if not math.isfinite(x):
        raise FieldRuleError(f"must be a finite number, got {value}")
    bad = False
    if spec.lo is not None:
        bad |= x <= spec.lo if spec.lo_open else x < spec.lo
    if spec.hi is not None:
        bad |= x >= spec.hi if spec.hi_open else x > spec.hi
    if bad:
        raise FieldRuleError(f"must be {_range_text(spec)}, got {_num(x)}")
    return x


def _describe(value: Any) -> str:
    if isinstance(value, str):
        return f'"{value}"' if len(value) < 40 else "a string"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, (list, tuple)):
        return f"a list of {len(value)}"
    if isinstance(value, bool):
        return "true" if value else "false"
    return type(value).__name__


def check_value(spec: FieldSpec, value: Any) -> Any:
    """Validate and normalise one value (lists become tuples, ints become floats where floats are due).

    Raises FieldRuleError with the rule text; callers add the file and node path.
    """
    kind = spec.kind
    if kind == "float":
        return _check_scalar(spec, value)
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            else:
                raise FieldRuleError(f"must be an integer, got {_describe(value)}")
        _check_scalar(spec, value, "an integer")
        return int(value)
    if kind in ("vec3", "color", "mask3"):
        if not isinstance(value, (list, tuple)) or len(value) != 3:
            raise FieldRuleError(f"must be a list of 3 numbers, got {_describe(value)}")
        item_spec = spec
        if kind == "color":
            item_spec = FieldSpec("float", 0.0, 1.0)
        elif kind == "mask3":
            item_spec = FieldSpec("float", 0.0, 1.0)
        out = []
        for i, item in enumerate(value):
            try:
                out.append(_check_scalar(item_spec, item))
            except FieldRuleError as exc:
                raise FieldRuleError(f"item {i} {exc}") from None
        if kind == "mask3" and any(v not in (0.0, 1.0) for v in out):
            raise FieldRuleError(f"items must be 0 or 1, got {list(value)}")
        if spec.nonzero and all(v == 0.0 for v in out):
            raise FieldRuleError("must not be the zero vector")
        return tuple(out)
    if kind == "bool":
        if not isinstance(value, bool):
            raise FieldRuleError(f"must be true or false, got {_describe(value)}")
        return value
    if kind in ("str", "name"):
        if not isinstance(value, str):
            raise FieldRuleError(f"must be a string, got {_describe(value)}")
        if spec.choices and value not in spec.choices:
            raise FieldRuleError(f"must be one of {', '.join(spec.choices)}, got \"{value}\"")
        if kind == "name":
            # ASCII only: node names are written into GLSL comments (`// nodes.<name>`).
            if not value or len(value) > 64 or not all(c in _NAME_CHARS for c in value):
                raise FieldRuleError(
                    f"must be a name of letters, digits, '_' or '-' (1-64 chars), got {_describe(value)}")
        elif len(value) > 4096:
            raise FieldRuleError("must be at most 4096 characters")
        return value
    raise AssertionError(f"unknown field kind {kind}")


def check_fields(obj, section: str) -> None:
    """Validate and normalise every `param` field of a frozen dataclass instance in place.

    Used from `__post_init__`, so values built in Python obey the file rules; the loader re-raises
    the error with the real file name and node path.
    """
    for fname, spec in field_specs(type(obj)).items():
        try:
            object.__setattr__(obj, fname, check_value(spec, getattr(obj, fname)))
        except FieldRuleError as exc:
            raise SceneError("<builder>", f"{section}.{fname}", str(exc)) from None
