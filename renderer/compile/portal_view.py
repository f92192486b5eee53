"""Where another dreamer's world is seen from through a world-anchored portal: a hole, not a
picture.

A world-anchored portal is a sphere in the host's world. Through it the viewer sees the guest's
world as if the sphere were a region of that world: a fixed similarity map (rotation, scale,
translation) takes the host's world onto the guest's, sending the portal's sphere onto a sphere
about the point the guest's camera looks at. The host camera, carried through the same map,
becomes the camera the guest is rendered from, so moving the host camera (a camera path, the
dreaming drift, shake) moves the view through the portal with the right parallax, and the guest
world keeps the size the portal gives it on screen.

The map is fixed at the portal's reference moment, when it first opens fully: then the view
through it is the guest's own framing, its target under the portal's centre. Rotation: the host
camera looking at the anchor onto the guest camera looking at its target (both without roll).
Scale: their distances, kept per unit of portal radius when the host world grows or shrinks with
the feature scale.

The guest's geometry between its virtual camera and the portal is still drawn: cutting it away at
the portal's sphere sliced the guest's own foreground (Leo's nearest island) and showed its
inside, which looked like a rendering fault rather than a hole.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from renderer.compile.frame import CameraPose, look_at

__all__ = ["PortalMap", "portal_map"]


@dataclass(frozen=True)
class PortalMap:
    rotation: np.ndarray      # 3x3: host directions to guest directions
    scale: float              # guest units per host unit, per unit of the reference portal radius
    reference_radius: float   # the portal's radius in the host at the reference moment

    def view(self, host: CameraPose, anchor, radius: float, guest_target) -> CameraPose:
        """The guest camera for a frame whose host camera is `host`, with the portal's sphere at
        `anchor` with `radius` in the host's world."""
        scale = self.scale * self.reference_radius / radius
        rotate = self.rotation
        target = np.asarray(guest_target, dtype=float)
        position = target + scale * rotate @ (np.asarray(host.position, dtype=float) - np.asarray(anchor, dtype=float))
        return CameraPose(position, rotate @ host.forward, rotate @ host.right, rotate @ host.up, host.fov)


def portal_map(host_position, anchor, radius: float, guest_position, guest_target) -> PortalMap:
    """The map fixed by the reference moment: the host camera at `host_position`, the portal's
    sphere at `anchor` with `radius`, the guest camera at `guest_position` looking at
    `guest_target`."""
    host_basis = np.array(look_at(host_position, anchor))          # rows: forward, right, up
    guest_basis = np.array(look_at(guest_position, guest_target))
    rotation = guest_basis.T @ host_basis
    host_distance = float(np.linalg.norm(np.asarray(anchor, float) - np.asarray(host_position, float)))
    guest_distance = float(np.linalg.norm(np.asarray(guest_target, float) - np.asarray(guest_position, float)))
    return PortalMap(rotation, guest_distance / max(host_distance, 1e-9), float(radius))
