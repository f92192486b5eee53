"""Live emotion control: nudge the PAD axes or jump to a Plutchik preset, eased over half a second.

Pure Python. The control starts by following the scene's own emotion track; the first command
takes over from wherever the track is at that moment (so nothing jumps), and `follow_scene()`
eases back onto the track. Easing runs on real (wall or fixed-step) time, not scene time, so a
paused dream still changes mood when asked to.

Why the window also integrates its own animation clock once the user has taken over: the scene's
animation clock is the integral of an emotion-driven speed over scene time. A constant `--emotion`
override makes it speed x t, so changing the emotion at t = 30 s would jump the animation (and the
flicker phase, which the photosensitivity limit must keep under 3 Hz) by 30 s x the change in
speed within the half-second ease. `AnimationClock` integrates both instead, so they stay smooth.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from renderer.scene.emotion import PAD, PLUTCHIK_PAD

__all__ = ["EmotionControl", "AnimationClock", "EASE_SECONDS", "AXES", "NUDGE"]

EASE_SECONDS = 0.5
AXES = ("pleasure", "arousal", "dominance")
NUDGE = 0.1


def _smoothstep(u: float) -> float:
    u = min(max(u, 0.0), 1.0)
    return u * u * (3.0 - 2.0 * u)


def _clip(x: float) -> float:
    return min(max(x, -1.0), 1.0)


class EmotionControl:
    def __init__(self, ease_seconds: float = EASE_SECONDS):
        self.ease_seconds = ease_seconds
        self.goal: PAD | None = None      # None: follow the scene's track
        self.goal_name = "scene"
        self._start: PAD | None = None    # value when the current ease began
        self._u = 1.0
        self.current: PAD | None = None
        self.touched = False              # has the user ever taken over (since the last resync)?

    @property
    def easing(self) -> bool:
        return self._u < 1.0

    def _begin(self, goal: PAD | None, name: str) -> None:
        self._start = self.current
        self.goal, self.goal_name = goal, name
        self._u = 0.0 if self.current is not None else 1.0
        self.touched = True

    def nudge(self, axis: str, delta: float = NUDGE) -> None:
        """Move one PAD axis by delta (clipped to [-1, 1]), from the current goal."""
        base = self.goal or self.current or PAD(0.0, 0.0, 0.0)
        values = dict(zip(AXES, base.as_tuple()))
        values[axis] = _clip(values[axis] + delta)
        self._begin(PAD(**values), "custom")

    def preset(self, name: str) -> None:
        self._begin(PLUTCHIK_PAD[name], name)

    def start_with(self, pad: PAD, name: str = "custom") -> None:
        """Take over at once (no ease), e.g. from `--emotion`."""
        self.goal, self.goal_name, self.current, self._u = pad, name, pad, 1.0
        self.touched = True

    def follow_scene(self) -> None:
        self._begin(None, "scene")

    def update(self, dt: float, scene_pad: PAD) -> PAD:
        """Advance the ease by dt seconds; returns the PAD to render with."""
        goal = self.goal or scene_pad
        if self._u < 1.0 and self._start is not None:
            self._u = min(1.0, self._u + dt / self.ease_seconds) if self.ease_seconds > 0 else 1.0
            self.current = self._start.lerp(goal, _smoothstep(self._u))
        else:
            self.current = goal
        return self.current

    def resync(self) -> None:
        """After a time jump: if following the scene again, the scene's own clock is exact again."""
        if self.goal is None and not self.easing:
            self.touched = False


@dataclass
class AnimationClock:
    """Integrated animation time and flicker cycles, advanced by scene-time steps."""

    anim: float = 0.0
    flicker_cycles: float = 0.0

    def advance(self, dt_scene: float, animation_speed: float, flicker_hz: float) -> None:
        self.anim += animation_speed * dt_scene
        self.flicker_cycles += flicker_hz * dt_scene

    def exposure(self, flicker_amount: float, flicker_hz: float) -> float:
        """The frame's flicker exposure, as `evaluate_frame` computes it from the cycle count."""
        if flicker_hz <= 0.0 or flicker_amount <= 0.0:
            return 1.0
        return 1.0 - 0.5 * flicker_amount * (1.0 - math.cos(2.0 * math.pi * self.flicker_cycles))
