"""Argument types shared by every command-line front end (cli, bench, explore, export)."""

from __future__ import annotations

import argparse

__all__ = ["bounded_number"]


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def bounded_number(convert, what: str, lo: float, hi: float, lo_open: bool = False):
    """An argparse type: `convert(text)` within [lo, hi] (or (lo, hi]), else a one-line error."""
    shown = f"{'(' if lo_open else '['}{_fmt(lo)}, {_fmt(hi)}]"

    def parse(text: str):
        try:
            value = convert(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{what} must be a number in {shown}, got {text!r}") from None
        if not (lo < value if lo_open else lo <= value) or not value <= hi:
            raise argparse.ArgumentTypeError(f"{what} must be in {shown}, got {text!r}")
        return value
    return parse
