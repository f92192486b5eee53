"""Where another dreamer's world is seen from through a world-anchored portal: a hole, not a
picture.

A world-anchored portal is a sphere in the host's world. Through it the viewer sees the guest's
world as if the sphere were a region of that world: a fixed similarity map (a turn about the
vertical, a scale, a translation) takes the host's world onto the guest's, sending the portal's
sphere onto a sphere about the point the guest's camera looks at. The host camera, carried
through the same map, becomes the camera the guest is rendered from, so moving the host camera
(a camera path, the dreaming drift, shake) moves the view through the portal with the right
parallax, the guest's target always lies under the portal's centre on screen, and the guest
world keeps the size the portal gives it.

The map is fixed at the portal's reference moment, when it first opens fully. Then the guest is
seen from its own camera's distance and compass bearing, but from the height at which the host
camera sees the anchor (the map only turns about the vertical, so neither world's horizon
tilts), and looking where the host camera looks (so its target sits under the portal, not
necessarily mid-frame). The scale (the two distances' ratio) is kept per unit of portal radius
when the host world grows or shrinks with the feature scale. The field of view is the host's.

The guest's geometry between its virtual camera and the portal is still drawn: cutting it away at
the portal's sphere sliced the guest's own foreground (Leo's nearest island) and showed its
inside, which looked like a rendering fault rather than a hole.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from renderer.compile.frame import CameraPose

__all__ = ["PortalMap", "portal_map"]


@dataclass(frozen=True)
class PortalMap:
    rotation: np.ndarray      # 3x3, a turn about the vertical: host directions to guest directions
    scale: float              # guest units per host unit while the portal has its reference radius
    reference_radius: float   # the portal's radius in the host at the reference moment

    def view(self, host: CameraPose, anchor, radius: float, guest_target) -> CameraPose:
        """The guest camera for a frame whose host camera is `host`, with the portal's sphere at
        `anchor` with `radius` in the host's world."""
        scale = self.scale * self.reference_radius / radius
        rotate = self.rotation
        target = np.asarray(guest_target, dtype=float)
        offset = np.asarray(host.position, dtype=float) - np.asarray(anchor, dtype=float)
        position = target + scale * rotate @ offset
        return CameraPose(position, rotate @ host.forward, rotate @ host.right, rotate @ host.up, host.fov)


def _heading(direction) -> float:
    """Compass angle of a direction's horizontal part (0 when it has none)."""
    x, z = float(direction[0]), float(direction[2])
    return math.atan2(x, z) if math.hypot(x, z) > 1e-9 else 0.0


def portal_map(host_position, anchor, radius: float, guest_position, guest_target) -> PortalMap:
    """The map fixed by the reference moment: the host camera at `host_position`, the portal's
    sphere at `anchor` with `radius`, the guest camera at `guest_position` looking at
    `guest_target`."""
    host_look = np.asarray(anchor, float) - np.asarray(host_position, float)
    guest_look = np.asarray(guest_target, float) - np.asarray(guest_position, float)
    turn = _heading(guest_look) - _heading(host_look)
    c, s = math.cos(turn), math.sin(turn)
    rotation = np.array([[c, 0.0, s], [0.0, 1.0, 0.0], [-s, 0.0, c]])   # about y, x towards z
    host_distance = float(np.linalg.norm(host_look))
    scale = float(np.linalg.norm(guest_look)) / host_distance if host_distance > 1e-6 else 1.0
    return PortalMap(rotation, scale, float(radius))
