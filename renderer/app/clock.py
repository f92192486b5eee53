"""Clocks for the explorer (DESIGN.md section 6): real time for people, a fixed step for scripts.

`RealClock` measures wall time between frames; `FixedStepClock` advances exactly 1/fps per frame
whatever the machine does, so a scripted `--frames N` run shows the same scene time, camera and
emotion ease on any machine. `SceneTime` is the dream's own time: paused, stepped and scrubbed by
the user, advanced by the clock's step while playing.
"""

from __future__ import annotations

import time

__all__ = ["RealClock", "FixedStepClock", "SceneTime"]


class RealClock:
    def __init__(self, now=time.perf_counter):
        self._now = now
        self._last: float | None = None

    def tick(self) -> float:
        """Seconds since the previous tick (0 on the first, capped at 0.25 s after a stall)."""
        now = self._now()
        dt = 0.0 if self._last is None else now - self._last
        self._last = now
        return min(max(dt, 0.0), 0.25)


class FixedStepClock:
    def __init__(self, fps: float):
        self.step = 1.0 / fps
        self._ticks = 0

    def tick(self) -> float:
        self._ticks += 1
        return 0.0 if self._ticks == 1 else self.step


class SceneTime:
    def __init__(self, start: float = 0.0, frame_step: float = 1.0 / 30.0):
        self.t = max(0.0, float(start))
        self.paused = False
        self.frame_step = frame_step
        self.jumped = False   # set by a discontinuous change (scrub, step); cleared by the reader

    def advance(self, dt: float) -> float:
        """Advance by a clock step while playing; returns the scene-time change."""
        if self.paused:
            return 0.0
        self.t += dt
        return dt

    def toggle_pause(self) -> bool:
        self.paused = not self.paused
        return self.paused

    def step(self, frames: int) -> None:
        """Step whole frames (pauses first, like a video player)."""
        self.paused = True
        self.scrub(frames * self.frame_step)

    def scrub(self, seconds: float) -> None:
        self.t = max(0.0, self.t + seconds)
        self.jumped = True
