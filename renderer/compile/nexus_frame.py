"""What the Dream Nexus looks like at time t: portal openness, glitch intensities, and the
photosensitivity limiter. Pure Python, no GL.

Glitch intensity follows the timeline's master amount and, by default, the emotional distance of
the dreamers whose worlds touch through an open portal: the further apart their PAD vectors, the
stronger the tearing. Worlds touch through open portals and through bled-in elements. The photosensitivity limiter (on unless `allow_flashing`) low-passes every
control that can change the whole frame's brightness (portal openness, effect intensities) with a
1/3 s moving average, a pure function of t: no control can then swing fully in less than 1/3 s, so
the glitch timeline cannot drive more than three full-frame flashes per second (WCAG 2.x three
flashes), and video segments rendered separately still agree frame for frame.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from renderer.scene.emotion import NEUTRAL, PAD, EmotionTrack
from renderer.scene.nexus import EFFECTS, Nexus

__all__ = ["NexusFrame", "nexus_frame", "project_sphere", "reaches_frame", "dreamer_track", "FLASH_WINDOW",
           "GLITCH_PATTERNS_PER_SECOND", "DISTANCE_FOR_FULL_GLITCH"]

FLASH_WINDOW = 1.0 / 3.0
# Tearing, block corruption and tape dropouts draw new random patterns at most this often under
# the limiter. A pattern change can make a one-frame flash (a rise and a fall: measured on the
# bundled story at 320x180 with 3 patterns a second, exactly 3 flashes a second), so this rate
# bounds the flashes they cause. With 2 the story peaks at 2 flashes a second in any third of the
# frame (1.5 at 48x27 and 320x180, 2 at 96x54); at 6, tearing alone reached 4.
GLITCH_PATTERNS_PER_SECOND = 2
_WINDOW_SAMPLES = 16
# PAD distance at which touching worlds glitch at full strength (fear to joy is about 1.7).
DISTANCE_FOR_FULL_GLITCH = 1.5
# Share of the glitch that does not depend on touching worlds (the glitch that opens the portals).
_BASELINE = 0.35


@dataclass(frozen=True)
class NexusFrame:
    t: float
    openness: tuple[float, ...]       # per portal, in file order
    bleeds: tuple[float, ...]         # per bleed: how far the element has grown in (0..1)
    effects: dict                     # effect name -> intensity in [0, 1]
    pads: tuple[PAD, ...]             # per dreamer (host first)
    touch: float                      # 0..1: how far apart the worlds that touch are


def dreamer_track(nexus: Nexus, index: int) -> EmotionTrack:
    dreamer = nexus.dreamers[index]
    return dreamer.emotion or dreamer.scene.emotion or EmotionTrack.constant(NEUTRAL)


def _raw(nexus: Nexus, t: float):
    pads = tuple(dreamer_track(nexus, i).sample(t) for i in range(len(nexus.dreamers)))
    host = pads[0]
    openness = np.array([p.openness.at(t) for p in nexus.portals] + [b.strength.at(t) for b in nexus.bleeds],
                        dtype=float)
    touch = 0.0
    touching = [p.dreamer for p in nexus.portals] + [b.dreamer for b in nexus.bleeds]
    for dreamer, amount in zip(touching, openness):
        other = pads[nexus.dreamer_index(dreamer)]
        touch = max(touch, amount * min(1.0, host.distance(other) / DISTANCE_FOR_FULL_GLITCH))
    glitch = nexus.glitch.amount.at(t)
    if nexus.glitch.follow_emotion:
        glitch *= _BASELINE + (1.0 - _BASELINE) * touch
    return openness, glitch, pads, touch


def nexus_frame(nexus: Nexus, t: float, allow_flashing: bool = False) -> NexusFrame:
    openness, glitch, pads, touch = _raw(nexus, t)
    if not allow_flashing:
        samples = [_raw(nexus, max(0.0, t - FLASH_WINDOW * (i + 0.5) / _WINDOW_SAMPLES))
                   for i in range(_WINDOW_SAMPLES)]
        openness = np.mean([s[0] for s in samples], axis=0) if len(openness) else openness
        glitch = float(np.mean([s[1] for s in samples]))
    effects = {e: float(min(1.0, max(0.0, nexus.glitch.weights[e] * glitch))) for e in EFFECTS}
    n = len(nexus.portals)
    return NexusFrame(t, tuple(float(o) for o in openness[:n]), tuple(float(b) for b in openness[n:]),
                      effects, pads, touch)


def project_sphere(position, radius: float, camera, aspect: float):
    """Where a sphere in the world lands on screen: (centre as (x from the left, y from the top)
    in frame fractions, radius as a fraction of the frame height), or None when it is behind the
    camera, larger than the compositor draws, or more than two frames away. Whether what is
    drawn around it still reaches into the frame is `reaches_frame`'s question."""
    offset = np.asarray(position, dtype=float) - np.asarray(camera.position, dtype=float)
    depth = float(np.dot(offset, camera.forward))
    if depth <= 1e-3:
        return None
    tan_half = float(np.tan(np.radians(camera.fov) * 0.5))
    x = float(np.dot(offset, camera.right)) / (depth * tan_half * aspect)
    y = float(np.dot(offset, camera.up)) / (depth * tan_half)
    size = radius / (2.0 * depth * tan_half)
    centre = (0.5 + 0.5 * x, 0.5 - 0.5 * y)
    if size > 2.0 or not all(-2.0 <= c <= 3.0 for c in centre):
        return None
    return centre, max(0.01, size)


def reaches_frame(centre, extent: float, aspect: float) -> bool:
    """Whether a circle at `centre` (frame fractions) reaching `extent` frame heights from it
    overlaps the frame."""
    outside_x = max(0.0, -centre[0], centre[0] - 1.0) * aspect   # x fractions are of the width
    outside_y = max(0.0, -centre[1], centre[1] - 1.0)
    return math.hypot(outside_x, outside_y) < extent
