"""A render job: everything a worker needs to render any frame, as plain picklable data.

The world (a Scene or a Nexus, frozen values) travels by pickling, not as a path, so a worker on
another machine needs no shared filesystem for inputs. A job is a sequence of shots; a single-scene
render is one shot. Frame k is
rendered at t = start + k / fps whatever the machine's speed, so output never depends on timing.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, fields

from renderer.output.formats import OutputTarget

__all__ = ["Shot", "RenderJob", "plan_segments"]


@dataclass(frozen=True)
class Shot:
    world: object             # renderer.scene.model.Scene or renderer.scene.nexus.Nexus
    source: str               # display name for errors
    duration: float           # seconds of this shot within the job
    offset: float = 0.0       # scene time at the shot's start
    fade: float = 0.0         # seconds of fade from/to black at each end (0 = hard cut)


@dataclass(frozen=True)
class RenderJob:
    shots: tuple[Shot, ...]
    size: tuple[int, int]
    fps: float
    frames: int
    start: float = 0.0        # job time of frame 0
    motion_blur: int = 1      # sub-frames averaged per frame
    shutter: float = 0.5      # fraction of the frame interval the shutter is open
    crf: int = 18
    emotion: str | None = None  # --emotion spec, replacing every shot's emotion
    seed: int | None = None
    segment_frames: int = 48
    allow_flashing: bool = False  # lift the nexus photosensitivity limiter
    target: OutputTarget = field(default=None)

    def time_of(self, index: float) -> float:
        return self.start + index / self.fps

    def shot_at(self, t: float) -> tuple[int, float]:
        """(shot index, scene time) of job time t; past the end stays in the last shot."""
        edge = 0.0
        for i, shot in enumerate(self.shots):
            if t < edge + shot.duration or i == len(self.shots) - 1:
                return i, shot.offset + (t - edge)
            edge += shot.duration
        raise AssertionError("a job has at least one shot")

    def fade_at(self, t: float) -> float:
        """Brightness multiplier for fades through black at shot boundaries."""
        edge = 0.0
        for shot in self.shots:
            if t < edge + shot.duration or shot is self.shots[-1]:
                if shot.fade <= 0:
                    return 1.0
                local = t - edge
                return max(0.0, min(1.0, local / shot.fade, (shot.duration - local) / shot.fade))
            edge += shot.duration
        return 1.0

    def fingerprint(self) -> str:
        """Hash of everything that decides the pixels and the encoding (resume safety)."""
        from renderer import __version__

        settings = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in ("shots", "target")}
        settings["target"] = [self.target.kind, self.target.pattern] if self.target else None
        settings["version"] = __version__
        # Frozen dataclass reprs are deterministic and include every value of every shot's world.
        text = json.dumps(settings, sort_keys=True, default=str) + repr(self.shots)
        return hashlib.sha256(text.encode()).hexdigest()[:24]


def plan_segments(frames: int, segment_frames: int) -> list[tuple[int, int]]:
    """Half-open frame ranges [a, b) covering 0..frames."""
    return [(a, min(a + segment_frames, frames)) for a in range(0, frames, segment_frames)]
