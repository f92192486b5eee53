"""Measure general flashes in rendered frames (WCAG 2.x success criterion 2.3.1, "three flashes").

WCAG defines a general flash as a pair of opposing changes in relative luminance of 10% or more of
the maximum, where the darker state is below 0.80, and fails content with more than three flashes
in any one-second period over an area of about a quarter of the central 10 degrees of vision: for
a screen viewed at a typical distance, any 341 x 256 rectangle of a 1024 x 768 frame (a third of
the width and of the height). So the check is regional, not whole-frame: a corner that strobes
counts even when the frame's mean barely moves.

The frame is covered by overlapping regions a third of its width and height, at steps of a sixth
(5 x 5 regions). For each region the mean relative luminance is followed over time; a transition
is registered when the luminance has risen by at least 0.1 above the darkest value since the last
transition, or fallen by at least 0.1 below the brightest, with the darker state below 0.8; rises
and falls must alternate. Any one-second window holding more than six transitions
(more than three flashes) is a violation.

Not covered: the "red flash" criterion (saturated red transitions), and regions smaller than a
third of the frame that still exceed the area threshold on very large screens.

Frames are (H, W, 3) uint8 sRGB. `check_file` reads a rendered video or PNG sequence back (scaled
down: only region means matter) so the check covers exactly what was written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import logging

import numpy as np

from renderer.scene.colour import srgb_decode

# Decoding scaled down makes imageio-ffmpeg warn that the frame size differs from the source's.
logging.getLogger("imageio_ffmpeg").setLevel(logging.ERROR)

__all__ = ["FlashMonitor", "FlashViolation", "FlashReport", "check_frames", "check_file", "check_png_sequence",
           "regional_luminance", "count_transitions",
           "MIN_CHANGE", "DARK_LIMIT", "MAX_TRANSITIONS_PER_SECOND", "GRID"]

MIN_CHANGE = 0.1                  # relative luminance change that makes a transition
DARK_LIMIT = 0.8                  # the darker state of a transition must be below this
MAX_TRANSITIONS_PER_SECOND = 6    # three flashes: more than this in any one-second window fails
GRID = 5                          # regions per axis: a third of the frame, at steps of a sixth
_LUMA = np.array([0.2126, 0.7152, 0.0722])


def regional_luminance(frame: np.ndarray) -> np.ndarray:
    """(GRID, GRID) mean relative luminance of the overlapping regions of `frame`."""
    lum = srgb_decode(np.asarray(frame, dtype=np.float64)[..., :3] / 255.0) @ _LUMA
    h, w = lum.shape
    # Integral image: each region's mean in O(1).
    integral = np.zeros((h + 1, w + 1))
    integral[1:, 1:] = lum.cumsum(0).cumsum(1)
    out = np.empty((GRID, GRID))
    for i in range(GRID):
        y0, y1 = round(i * h / 6), round((i + 2) * h / 6)
        for j in range(GRID):
            x0, x1 = round(j * w / 6), round((j + 2) * w / 6)
            area = max(1, (y1 - y0) * (x1 - x0))
            out[i, j] = (integral[y1, x1] - integral[y0, x1] - integral[y1, x0] + integral[y0, x0]) / area
    return out


@dataclass
class _RegionState:
    low: float                # darkest and brightest luminance since the last transition
    high: float
    direction: int = 0        # +1 after a rising transition, -1 after a falling one, 0 before any

    @classmethod
    def at(cls, value: float) -> "_RegionState":
        return cls(value, value)


def count_transitions(series) -> list[int]:
    """Indices at which `series` (one region's luminance over frames) completes a transition."""
    series = [float(v) for v in series]
    if not series:
        return []
    state = _RegionState.at(series[0])
    return [k for k, value in enumerate(series[1:], start=1) if _step(state, value)]


def _step(state: _RegionState, value: float) -> bool:
    """Advance one region by one frame; True when a transition completes at this frame. A rise
    is measured from the darkest value since the last transition, a fall from the brightest, and
    the direction must alternate (a flash is a pair of opposing changes)."""
    rises = state.direction <= 0 and value - state.low >= MIN_CHANGE and state.low < DARK_LIMIT
    falls = state.direction >= 0 and state.high - value >= MIN_CHANGE and value < DARK_LIMIT
    if rises or falls:
        state.direction = 1 if rises else -1
        state.low = state.high = value
        return True
    state.low, state.high = min(state.low, value), max(state.high, value)
    return False


@dataclass(frozen=True)
class FlashViolation:
    time_s: float             # start of the one-second window
    transitions: int          # transitions in it (more than MAX_TRANSITIONS_PER_SECOND)
    region: tuple[int, int]   # (row, column) of the region, 0..GRID-1, from the top left


class FlashMonitor:
    """Feed frames in order with `add`; `violations` lists the one-second windows (first per
    region and second) with more than three flashes."""

    def __init__(self, fps: float):
        if not fps > 0:
            raise ValueError(f"fps must be > 0, got {fps!r}")
        self.fps = float(fps)
        self.window = max(1, round(self.fps))
        self.frames = 0
        self._states: list[_RegionState] | None = None
        self._transitions: list[list[int]] = [[] for _ in range(GRID * GRID)]

    def add(self, frame: np.ndarray) -> None:
        values = regional_luminance(frame).ravel()
        if self._states is None:
            self._states = [_RegionState.at(float(v)) for v in values]
        else:
            for index, (state, value) in enumerate(zip(self._states, values)):
                if _step(state, float(value)):
                    self._transitions[index].append(self.frames)
        self.frames += 1

    def violations(self) -> list[FlashViolation]:
        found = []
        for index, hits in enumerate(self._transitions):
            last_reported = -self.window
            for start in range(len(hits)):
                end = start + MAX_TRANSITIONS_PER_SECOND
                if end < len(hits) and hits[end] - hits[start] < self.window:
                    if hits[start] - last_reported >= self.window:
                        inside = sum(1 for h in hits[start:] if h - hits[start] < self.window)
                        found.append(FlashViolation(hits[start] / self.fps, inside, divmod(index, GRID)))
                        last_reported = hits[start]
        return sorted(found, key=lambda v: (v.time_s, v.region))

    def max_transitions_per_second(self) -> int:
        """The most transitions any region has in any one-second window (6 or fewer passes)."""
        best = 0
        for hits in self._transitions:
            for start in range(len(hits)):
                best = max(best, sum(1 for h in hits[start:] if h - hits[start] < self.window))
        return best


@dataclass(frozen=True)
class FlashReport:
    frames: int
    fps: float
    max_flashes_per_second: float      # the most in any region and any one-second window
    violations: tuple[FlashViolation, ...]

    @property
    def passed(self) -> bool:
        return not self.violations

    def describe(self) -> str:
        head = (f"flash check: at most {self.max_flashes_per_second:.1f} flashes in any second "
                f"({self.frames} frames at {self.fps:g} fps)")
        if self.passed:
            return head + ": within WCAG 2.3.1's three flashes"
        first = self.violations[0]
        regions = len({v.region for v in self.violations})
        where = ("the whole frame" if regions == GRID * GRID
                 else f"{regions} of {GRID * GRID} regions (first: row {first.region[0] + 1}, "
                      f"column {first.region[1] + 1})")
        return (head + f": exceeds WCAG 2.3.1's three flashes from {first.time_s:.2f} s, "
                f"in {where}")


def check_frames(frames: Iterable[np.ndarray], fps: float) -> FlashReport:
    monitor = FlashMonitor(fps)
    for frame in frames:
        monitor.add(frame)
    return FlashReport(monitor.frames, float(fps), monitor.max_transitions_per_second() / 2.0,
                       tuple(monitor.violations()))


_ANALYSIS_WIDTH = 192   # region means barely change with size; decoding smaller is much faster


def check_file(path: Path, fps: float | None = None) -> FlashReport:
    """Check a written mp4/GIF/WebP at its own frame rate (or `fps`), decoded scaled down."""
    import imageio_ffmpeg

    path = Path(path)
    reader = imageio_ffmpeg.read_frames(str(path), output_params=["-vf", f"scale={_ANALYSIS_WIDTH}:-2"])
    meta = next(reader)
    width, height = meta["size"]   # the decoded (scaled) size
    rate = fps or float(meta.get("fps") or 0.0)
    if not rate > 0:
        raise ValueError(f"{path}: no frame rate in the file; give one")
    frames = (np.frombuffer(raw, np.uint8).reshape(height, width, 3) for raw in reader)
    return check_frames(frames, rate)


def check_png_sequence(paths: Iterable[Path], fps: float) -> FlashReport:
    from PIL import Image

    return check_frames((np.asarray(Image.open(p).convert("RGB")) for p in paths), fps)
