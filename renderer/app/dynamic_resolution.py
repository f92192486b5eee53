"""Dynamic resolution: pick the internal render scale that holds a target frame time.

A pure controller (no GL, no clock): feed it each frame's measured work time, read the rung to
render the next frame at. Raymarching cost is close to linear in pixels (measured on llvmpipe:
35% -> 20% scale, 3.06x fewer pixels, took 2.9-4.3x less time), so the cost model of a rung is
scale^2, times a learned factor for reduced-shading rungs.

The ladder, cheapest first: optional reduced-shading rungs at the minimum scale (shadows off, then
ambient occlusion off too), then the scales from `min_scale` to `max_scale` in geometric steps
of whole percents. Quantising the scale means a framebuffer size is reused whenever the
controller returns to a rung, never reallocated every frame.

Hysteresis (as Unreal's and Unity HDRP's dynamic resolution do): the smoothed work time must leave
a band [low, high] x target before anything changes; going down may skip several rungs at once
(to the dearest rung predicted to fit `aim` x target), going up climbs one rung and only when that
rung is predicted to fit. After a change the controller waits `settle` frames and restarts its
average, so it judges the new rung by its own frames.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Rung", "ResolutionController", "build_ladder", "QUALITY_NAMES"]

QUALITY_NAMES = ("full shading", "no soft shadows", "no shadows or AO")


@dataclass(frozen=True)
class Rung:
    scale: float   # internal resolution / window resolution, per side
    quality: int   # 0 full shading, 1 soft shadows off, 2 shadows and ambient occlusion off

    def size(self, window: tuple[int, int]) -> tuple[int, int]:
        """Internal framebuffer size for a window size (at least 1x1)."""
        return max(1, round(window[0] * self.scale)), max(1, round(window[1] * self.scale))


def build_ladder(min_scale: float = 0.35, max_scale: float = 1.0, ratio: float = 1.06,
                 reduced_shading: bool = True) -> tuple[Rung, ...]:
    """Scales from min to max in geometric steps (each about `ratio` x the last, rounded to whole
    percent), so every rung changes the pixel count, hence the cost, by a similar fraction (12%
    with the default): equal 5% steps would change it by 33% at 35% scale and 10% at 100%."""
    if not 0.0 < min_scale <= max_scale <= 4.0:
        raise ValueError(f"need 0 < min_scale <= max_scale, got {min_scale}, {max_scale}")
    scales = [round(min_scale, 2)]
    while scales[-1] * ratio < max_scale - 0.005:
        nxt = round(scales[-1] * ratio, 2)
        scales.append(nxt if nxt > scales[-1] else round(scales[-1] + 0.01, 2))
    if max_scale - scales[-1] > 1e-9:
        if len(scales) > 1 and max_scale / scales[-1] < 1.03:
            scales[-1] = round(max_scale, 4)      # no 98% -> 100% sliver
        else:
            scales.append(round(max_scale, 4))
    rungs = [Rung(scales[0], q) for q in (2, 1)] if reduced_shading else []
    return tuple(rungs + [Rung(s, 0) for s in scales])


class ResolutionController:
    def __init__(self, target_s: float, ladder: tuple[Rung, ...] | None = None, *, start: int | None = None,
                 low: float = 0.72, high: float = 0.97, aim: float = 0.85, smoothing: float = 0.25,
                 settle: int = 3):
        self.target_s = float(target_s)
        self.ladder = ladder or build_ladder()
        self.index = len(self.ladder) - 1 if start is None else start
        self.low, self.high, self.aim = low, high, aim
        self.smoothing = smoothing
        self.settle = settle
        self.enabled = True
        self.smoothed_s: float | None = None
        self._wait = settle
        # Cost of a reduced-shading rung relative to full shading at the same scale; learned from
        # the frames around each switch (initial guesses from llvmpipe measurements).
        self.quality_factor = {0: 1.0, 1: 0.6, 2: 0.5}
        self._before_switch: tuple[int, float] | None = None
        self.changes = 0
        self._samples = 0

    @property
    def rung(self) -> Rung:
        return self.ladder[self.index]

    def cost(self, index: int) -> float:
        rung = self.ladder[index]
        return rung.scale * rung.scale * self.quality_factor[rung.quality]

    def predicted(self, index: int) -> float:
        """Work time predicted for a rung from the current rung's smoothed time."""
        return self.smoothed_s * self.cost(index) / self.cost(self.index)

    def set_enabled(self, enabled: bool) -> None:
        """Off: render at the top rung (full scale, full shading)."""
        self.enabled = enabled
        if not enabled:
            self._move(len(self.ladder) - 1)

    def update(self, work_s: float) -> Rung:
        """Account one frame's work time (render + present, without pacing sleep)."""
        if not self.enabled:
            return self.rung
        if self._wait > 0:
            self._wait -= 1
            return self.rung
        if self.smoothed_s is None:
            self.smoothed_s = work_s
            self._samples = 1
            return self.rung
        self.smoothed_s += self.smoothing * (work_s - self.smoothed_s)
        self._samples += 1
        if self._samples == 2:
            self._learn()
        target = self.target_s
        if self.smoothed_s > self.high * target and self.index > 0:
            fits = [i for i in range(self.index) if self.predicted(i) <= self.aim * target]
            self._move(fits[-1] if fits else 0)
        elif self.smoothed_s < self.low * target and self.index < len(self.ladder) - 1:
            if self.predicted(self.index + 1) <= self.aim * target:
                self._move(self.index + 1)
        return self.rung

    def _move(self, index: int) -> None:
        if index == self.index:
            return
        if self.smoothed_s is not None and self.ladder[index].quality != self.rung.quality:
            self._before_switch = (self.index, self.smoothed_s)
        self.index = index
        self.smoothed_s = None
        self._wait = self.settle
        self.changes += 1

    def _learn(self) -> None:
        """After a shading switch at the same scale, learn that rung's relative cost."""
        if self._before_switch is None:
            return
        before, seconds = self._before_switch
        self._before_switch = None
        a, b = self.ladder[before], self.rung
        if a.scale != b.scale or seconds <= 0.0:
            return
        ratio = self.smoothed_s / seconds          # cost(b) / cost(a), measured
        if b.quality and not a.quality:
            self.quality_factor[b.quality] = min(max(ratio, 0.05), 1.0)
        elif a.quality and not b.quality:
            self.quality_factor[a.quality] = min(max(1.0 / ratio, 0.05), 1.0)
