"""Measure flashes in rendered frames (WCAG 2.x success criterion 2.3.1, "three flashes").

WCAG defines a general flash as a pair of opposing changes in relative luminance of 10% or more of
the maximum, where the darker state is below 0.80, and a red flash as a pair of opposing
transitions involving a saturated red. WCAG 2.2's working definition of the latter: one state of
each transition has R / (R + G + B) >= 0.8, and the two states lie more than 0.2 apart in the CIE
1976 u'v' chromaticity diagram. Content fails when more than three flashes of either kind happen
in any one-second period over a combined area of 25% of any 10 degree visual field, which for a
screen at a typical viewing distance is a 341 x 256 rectangle of a 1024 x 768 frame: a third of the
width and of the height.

So the frame is cut into 12 x 12 cells, and every 4 x 4 block of cells (a third of the frame each
way, sliding one cell at a time: 9 x 9 fields) stands for a 10 degree field:

- each cell follows its mean relative luminance; a cell makes a transition when it has risen by
  at least 0.1 above its darkest value since its last transition, or fallen by at least 0.1
  below its brightest, with the darker state below 0.8; its rises and falls alternate, so two
  transitions are one flash;
- each cell also follows its mean colour; it makes a red transition when its chromaticity lies
  more than 0.2 from a colour it showed since its last red transition (within the last second)
  and one of the two is a saturated red: to red, then from red, so again two are one flash. The
  red share is taken of linear RGB, which calls more colours red than the encoded values would
  (the safer side); a cell's chromaticity fades to neutral grey's as its brightest channel falls
  from 1.5 to 0.5 RED_FLOOR (linear; near black, chromaticity is noise), and below RED_FLOOR it
  is never red, so a red that blinks to black or near black is a red flash;
- a field fails at a frame when at least 25% of it (4 of its 16 cells) each made more than six
  transitions of one kind (more than three flashes) in the second ending at that frame.

Counting per cell, rather than per field, keeps a camera pan from adding up: edges passing
through different cells of a field at different times are not one flashing area, but a cell that
itself turns bright and dark more than three times a second is.

Not covered: changes that cancel inside one cell (an inverting checkerboard finer than a twelfth of
the frame; the "pattern" hazards are a different criterion); and, on very large screens, flashing
areas smaller than a twelfth of the frame that still exceed the threshold.

Frames are (H, W, 3) uint8 sRGB. `check_file` reads a rendered video back (scaled down: only cell
means matter) so the check covers exactly what was written.
"""

from __future__ import annotations

import logging
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import numpy as np

from renderer.scene.colour import SRGB_TO_XYZ, WHITE_D65, srgb_decode

# Decoding scaled down makes imageio-ffmpeg warn that the frame size differs from the source's.
logging.getLogger("imageio_ffmpeg").setLevel(logging.ERROR)

__all__ = ["FlashMonitor", "FlashViolation", "FlashReport", "check_frames", "check_file", "check_png_sequence",
           "cell_colour", "cell_luminance", "count_transitions", "chromaticity", "saturated_red",
           "MIN_CHANGE", "DARK_LIMIT", "MAX_TRANSITIONS_PER_SECOND", "CELLS", "FIELD_CELLS", "FIELDS",
           "RED_SHARE", "RED_CHROMA_CHANGE", "RED_FLOOR"]

MIN_CHANGE = 0.1                  # relative luminance change that makes a transition
DARK_LIMIT = 0.8                  # the darker state of a transition must be below this
MAX_TRANSITIONS_PER_SECOND = 6    # three flashes: more than this in any one-second window fails
CELLS = 12                        # cells per axis
FIELD_CELLS = 4                   # a 10 degree field: a third of the frame, 4 x 4 cells
FIELDS = CELLS - FIELD_CELLS + 1  # fields per axis (sliding by one cell)
AREA_CELLS = FIELD_CELLS * FIELD_CELLS // 4   # 25% of a field
RED_SHARE = 0.8                   # R / (R + G + B) of a saturated red
RED_CHROMA_CHANGE = 0.2           # u'v' distance a red transition must exceed
RED_FLOOR = 0.02                  # linear: a cell with every channel below is too dark to have a colour
_LUMA = np.array([0.2126, 0.7152, 0.0722])
_WHITE_UV = np.array([4.0 * WHITE_D65[0], 9.0 * WHITE_D65[1]]) / (
    WHITE_D65[0] + 15.0 * WHITE_D65[1] + 3.0 * WHITE_D65[2])   # D65's u'v': grey's, and black's here


_DECODE = srgb_decode(np.arange(256) / 255.0)   # 8-bit sRGB -> linear, as a table


def cell_colour(frame: np.ndarray) -> np.ndarray:
    """(CELLS, CELLS, 3) mean linear RGB of the cells of `frame` (top-left first)."""
    frame = np.asarray(frame)
    lin = _DECODE[frame[..., :3]] if frame.dtype == np.uint8 else srgb_decode(frame[..., :3] / 255.0)
    h, w = lin.shape[:2]
    rows = np.round(np.linspace(0, h, CELLS + 1)).astype(int)
    cols = np.round(np.linspace(0, w, CELLS + 1)).astype(int)
    # reduceat sums from each start to the next; a frame under 12 pixels has empty cells, whose
    # start may repeat or reach the edge: those cells are zero.
    sums = np.add.reduceat(np.add.reduceat(lin, np.minimum(rows[:-1], h - 1), axis=0),
                           np.minimum(cols[:-1], w - 1), axis=1)
    areas = np.outer(np.diff(rows), np.diff(cols))
    return np.where(areas[..., None] > 0, sums / np.maximum(1, areas)[..., None], 0.0)


def cell_luminance(frame: np.ndarray) -> np.ndarray:
    """(CELLS, CELLS) mean relative luminance of the cells of `frame` (top-left first)."""
    return cell_colour(frame) @ _LUMA


def chromaticity(rgb: np.ndarray) -> np.ndarray:
    """CIE 1976 (u', v') of linear sRGB colours (..., 3), faded towards the white point's as the
    colour darkens: at half RED_FLOOR in every channel and below it is grey's, at 1.5 RED_FLOOR
    and above its own. Near black, chromaticity is noise; a hard cut-off made a dark red that
    wavered by one code value across it count as flashing."""
    rgb = np.asarray(rgb, dtype=float)
    xyz = rgb @ SRGB_TO_XYZ.T
    denom = xyz[..., 0] + 15.0 * xyz[..., 1] + 3.0 * xyz[..., 2]
    safe = np.where(denom > 1e-12, denom, 1.0)
    uv = np.stack([4.0 * xyz[..., 0] / safe, 9.0 * xyz[..., 1] / safe], axis=-1)
    weight = np.clip(rgb.max(axis=-1) / RED_FLOOR - 0.5, 0.0, 1.0) * (denom > 1e-12)
    return _WHITE_UV + weight[..., None] * (uv - _WHITE_UV)


def saturated_red(rgb: np.ndarray) -> np.ndarray:
    """Where linear sRGB colours (..., 3) are a saturated red: R / (R + G + B) >= 0.8, and not
    so dark that their colour is noise."""
    rgb = np.asarray(rgb, dtype=float)
    total = rgb.sum(axis=-1)
    return (rgb[..., 0] >= RED_FLOOR) & (rgb[..., 0] >= RED_SHARE * np.maximum(total, 1e-12))


class _Hysteresis:
    """Transition detectors for many series at once: a rise is measured from the darkest value
    since the last transition, a fall from the brightest, and the direction must alternate."""

    def __init__(self, first: np.ndarray):
        self.low = first.astype(float).copy()
        self.high = self.low.copy()
        self.direction = np.zeros(first.shape, dtype=int)   # +1 after a rise, -1 after a fall

    def step(self, values: np.ndarray) -> np.ndarray:
        """+1 / -1 where a rise / fall completes at this sample, else 0."""
        rises = (self.direction <= 0) & (values - self.low >= MIN_CHANGE) & (self.low < DARK_LIMIT)
        falls = (self.direction >= 0) & (self.high - values >= MIN_CHANGE) & (values < DARK_LIMIT) & ~rises
        out = rises.astype(int) - falls.astype(int)
        moved = out != 0
        self.direction = np.where(moved, out, self.direction)
        self.low = np.where(moved, values, np.minimum(self.low, values))
        self.high = np.where(moved, values, np.maximum(self.high, values))
        return out


def count_transitions(series) -> list[int]:
    """Indices at which `series` (one luminance value per frame) completes a transition."""
    values = np.asarray([float(v) for v in series])
    if values.size == 0:
        return []
    detector = _Hysteresis(values[:1])
    return [k for k in range(1, values.size) if detector.step(values[k:k + 1])[0] != 0]


class _RedTransitions:
    """Red-transition detectors for many cells at once. A transition completes when a cell's
    chromaticity lies more than RED_CHROMA_CHANGE from a colour it showed since its last
    transition (within the last second) and one of the two is a saturated red; the cell's
    history then starts again from there. Colours far from red changing among themselves never
    count, and a flicker is caught whichever colour the cell started from (measuring from the
    last transition alone missed a strobe between two colours both near a red shown before it).
    The history is the 2D counterpart of the luminance detector's darkest and brightest values;
    a colour last shown more than a second ago can only start the first transition of a burst."""

    def __init__(self, first: np.ndarray, frames: int):
        cells = len(first)
        self.uv = np.zeros((cells, frames, 2))
        self.red = np.zeros((cells, frames), dtype=bool)
        self.valid = np.zeros((cells, frames), dtype=bool)
        self.slot = 0
        self._record(chromaticity(first), saturated_red(first))

    def _record(self, uv: np.ndarray, red: np.ndarray) -> None:
        self.uv[:, self.slot] = uv
        self.red[:, self.slot] = red
        self.valid[:, self.slot] = True
        self.slot = (self.slot + 1) % self.uv.shape[1]

    def step(self, rgb: np.ndarray) -> np.ndarray:
        """True where a red transition completes at this sample."""
        uv, red = chromaticity(rgb), saturated_red(rgb)
        far = np.linalg.norm(self.uv - uv[:, None, :], axis=-1) > RED_CHROMA_CHANGE
        moved = (self.valid & far & (self.red | red[:, None])).any(axis=1)
        self.valid[moved] = False
        self._record(uv, red)
        return moved


def _field_cells() -> np.ndarray:
    """(FIELDS * FIELDS, FIELD_CELLS ** 2) flat cell indices of each field, fields row by row."""
    out = []
    for fy in range(FIELDS):
        for fx in range(FIELDS):
            out.append([(fy + y) * CELLS + fx + x for y in range(FIELD_CELLS) for x in range(FIELD_CELLS)])
    return np.array(out)


@dataclass(frozen=True)
class FlashViolation:
    time_s: float             # the earliest transition in the offending second
    transitions: int          # transitions in that second of the field's 4th-busiest cell (> 6)
    field: tuple[int, int]    # (row, column) of the field, 0..FIELDS-1, from the top left
    kind: str = "general"     # "general" (luminance) or "red" (saturated red)


class _Windows:
    """One kind of transition: each cell's transitions in the second ending at the current frame,
    and the fields where a quarter of the cells made more than six."""

    def __init__(self, fps: float, kind: str, fields: np.ndarray):
        self.fps, self.kind, self.fields = fps, kind, fields
        self.recent = [deque() for _ in range(CELLS * CELLS)]   # transition frames in the last second
        self.failing = np.zeros(len(fields), dtype=bool)
        self.violations: list[FlashViolation] = []
        self.worst = 0

    def add(self, k: int, transitions: np.ndarray) -> None:
        for index in np.flatnonzero(transitions):
            self.recent[index].append(k)
        counts = np.empty(CELLS * CELLS, dtype=int)
        for index, recent in enumerate(self.recent):
            while recent and k - recent[0] >= self.fps:     # keep the second ending at frame k
                recent.popleft()
            counts[index] = len(recent)
        # The count reached by a quarter of each field's cells (its 4th-busiest cell).
        quarter = np.sort(counts[self.fields], axis=1)[:, -AREA_CELLS]
        self.worst = max(self.worst, int(quarter.max()))
        failing = quarter > MAX_TRANSITIONS_PER_SECOND
        for field in np.flatnonzero(failing & ~self.failing):
            busy = [self.recent[c][0] for c in self.fields[field] if counts[c] > MAX_TRANSITIONS_PER_SECOND]
            self.violations.append(FlashViolation(min(busy) / self.fps, int(quarter[field]),
                                                  divmod(int(field), FIELDS), self.kind))
        self.failing = failing


class FlashMonitor:
    """Feed frames in order with `add`; `violations` lists each run of frames in which a field
    fails (its start), `max_transitions_per_second` the worst second seen."""

    def __init__(self, fps: float):
        if not fps > 0:
            raise ValueError(f"fps must be > 0, got {fps!r}")
        self.fps = float(fps)
        self.frames = 0
        self._luminance: _Hysteresis | None = None
        self._red: _RedTransitions | None = None
        fields = _field_cells()
        self._general = _Windows(self.fps, "general", fields)
        self._reds = _Windows(self.fps, "red", fields)

    def add(self, frame: np.ndarray) -> None:
        colour = cell_colour(frame).reshape(-1, 3)
        luminance = colour @ _LUMA
        if self._luminance is None:
            self._luminance = _Hysteresis(luminance)
            self._red = _RedTransitions(colour, int(np.ceil(self.fps)) + 1)
            self.frames = 1
            return
        k = self.frames
        self._general.add(k, self._luminance.step(luminance) != 0)
        self._reds.add(k, self._red.step(colour))
        self.frames += 1

    def violations(self) -> list[FlashViolation]:
        found = self._general.violations + self._reds.violations
        return sorted(found, key=lambda v: (v.time_s, v.field, v.kind))

    def max_transitions_per_second(self) -> int:
        """The most transitions a quarter of some field made within one second (6 or fewer passes)."""
        return self._general.worst

    def max_red_transitions_per_second(self) -> int:
        """Likewise for red transitions."""
        return self._reds.worst


@dataclass(frozen=True)
class FlashReport:
    frames: int
    fps: float
    max_flashes_per_second: float      # the most in any field and any one-second window
    violations: tuple[FlashViolation, ...]
    max_red_flashes_per_second: float = 0.0

    @property
    def passed(self) -> bool:
        return not self.violations

    def describe(self) -> str:
        head = (f"flash check: at most {self.max_flashes_per_second:.1f} flashes "
                f"({self.max_red_flashes_per_second:.1f} red) in any second "
                f"({self.frames} frames at {self.fps:g} fps)")
        if self.passed:
            return head + ": within WCAG 2.3.1's three flashes"
        first = self.violations[0]
        kinds = " and ".join(k for k in ("general", "red") if any(v.kind == k for v in self.violations))
        fields = len({v.field for v in self.violations})
        where = ("every part of the frame" if fields == FIELDS * FIELDS
                 else f"{fields} of {FIELDS * FIELDS} thirds-of-the-frame fields (first: row "
                      f"{first.field[0] + 1}, column {first.field[1] + 1} of {FIELDS})")
        return head + f": exceeds WCAG 2.3.1's three flashes ({kinds}) from {first.time_s:.2f} s, in {where}"


def check_frames(frames: Iterable[np.ndarray], fps: float) -> FlashReport:
    monitor = FlashMonitor(fps)
    for frame in frames:
        monitor.add(frame)
    return FlashReport(monitor.frames, float(fps), monitor.max_transitions_per_second() / 2.0,
                       tuple(monitor.violations()), monitor.max_red_transitions_per_second() / 2.0)


_ANALYSIS_WIDTH = 192   # cell means barely change with size; decoding smaller is much faster


def check_file(path: Path, fps: float | None = None) -> FlashReport:
    """Check a written mp4/GIF/WebP at its own frame rate (or `fps`), decoded scaled down, every
    stored frame once. A GIF stores per-frame delays, which ffmpeg reports as 100 fps, so a GIF
    needs `fps`."""
    import imageio_ffmpeg

    path = Path(path)
    if fps is None and path.suffix.lower() == ".gif":
        raise ValueError("a GIF does not store a reliable frame rate; give --fps")
    # passthrough: one decoded frame per stored frame (a constant-rate output would duplicate
    # GIF frames to fill ffmpeg's 100 fps).
    reader = imageio_ffmpeg.read_frames(str(path), output_params=[
        "-fps_mode", "passthrough", "-vf", f"scale={_ANALYSIS_WIDTH}:-2"])
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
