"""The explorer's camera: fly and orbit modes, the scene's own path, and clearance from geometry.

Pure Python and numpy (no GL), so it is tested with analytic distance functions. Clearance needs
the scene's distance field at a few points; the window passes a `distance_fn(points) -> distances`
that evaluates the compiled scene's own `dsMap` on the GPU (see `probe.py`), the tests pass numpy
SDFs. Conventions match `renderer/compile/frame.py`: y is up, yaw 0 looks down -z, a right-handed
basis (right = forward x up).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = ["CameraRig", "ViewPose", "keep_clear", "resolve_move", "basis", "angles_of", "probe_points", "MODES"]

MODES = ("fly", "orbit", "path")
_UP = np.array([0.0, 1.0, 0.0])
_MAX_PITCH = math.radians(89.0)
LOOK_RADIANS_PER_PIXEL = 0.004
FAST_FACTOR = 4.0


@dataclass(frozen=True)
class ViewPose:
    """What the raymarcher's camera uniforms need."""

    position: np.ndarray
    forward: np.ndarray
    right: np.ndarray
    up: np.ndarray

    def uniforms(self) -> dict:
        return {"uCamPos": tuple(map(float, self.position)), "uCamForward": tuple(map(float, self.forward)),
                "uCamRight": tuple(map(float, self.right)), "uCamUp": tuple(map(float, self.up))}


def basis(yaw: float, pitch: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(forward, right, up) for a yaw about +y (0 looks down -z) and a pitch (+ looks up)."""
    cp = math.cos(pitch)
    forward = np.array([-math.sin(yaw) * cp, math.sin(pitch), -math.cos(yaw) * cp])
    right = np.array([math.cos(yaw), 0.0, -math.sin(yaw)])
    up = np.cross(right, forward)
    return forward, right, up


def angles_of(forward) -> tuple[float, float]:
    """(yaw, pitch) of a direction; the inverse of `basis`."""
    f = np.asarray(forward, dtype=float)
    f = f / max(np.linalg.norm(f), 1e-12)
    pitch = math.asin(max(-1.0, min(1.0, f[1])))
    yaw = math.atan2(-f[0], -f[2])
    return yaw, max(-_MAX_PITCH, min(_MAX_PITCH, pitch))


def _pose(position, forward) -> ViewPose:
    f = np.asarray(forward, dtype=float)
    f = f / max(np.linalg.norm(f), 1e-12)
    right = np.cross(f, _UP)
    if np.linalg.norm(right) < 1e-6:
        right = np.array([1.0, 0.0, 0.0])
    right = right / np.linalg.norm(right)
    return ViewPose(np.asarray(position, dtype=float), f, right, np.cross(right, f))


def probe_points(current, desired, h: float) -> np.ndarray:
    """The 8 points `keep_clear` needs: current, desired, then current + h and desired + h along
    x, y and z (forward differences give each point's gradient)."""
    current = np.asarray(current, dtype=float)
    desired = np.asarray(desired, dtype=float)
    steps = np.eye(3) * h
    return np.vstack([current, desired, current + steps, desired + steps])


def _unit(v) -> np.ndarray:
    n = float(np.linalg.norm(v))
    return v / n if n > 1e-9 else np.array([0.0, 1.0, 0.0])


def keep_clear(current, desired, distances, clearance: float, h: float) -> tuple[np.ndarray, bool]:
    """One step of deciding where the camera may go on its way from `current` to `desired`.

    `distances` are the scene's distance bounds at `probe_points(current, desired, h)` (the true
    distance is at least this). Returns (point, settled); an unsettled point must be probed again
    (`resolve_move` does). Rules:
    - the move is provably free when its length is at most d(current) + d(desired): the two empty
      balls then cover the whole segment, so even a fast move cannot tunnel through a thin wall;
      a free move that ends closer than `clearance` is pushed out along the gradient there
      (geometry that grew around a still camera pushes it out the same way);
    - a move that is not provably free and heads into the nearest surface keeps only its part
      along the surface (sliding along walls and floors);
    - otherwise the camera advances only to the edge of the current empty ball, less the
      clearance: it slows down near geometry rather than jumping through it.
    """
    current = np.asarray(current, dtype=float)
    desired = np.asarray(desired, dtype=float)
    d = np.asarray(distances, dtype=float)
    d0, d1 = float(d[0]), float(d[1])
    n0 = _unit((d[2:5] - d0) / h)
    n1 = _unit((d[5:8] - d1) / h)
    move = desired - current
    length = float(np.linalg.norm(move))
    if length <= max(d0, 0.0) + max(d1, 0.0):
        if d1 >= clearance:
            return desired, True
        return desired + n1 * (clearance - d1), False
    into = float(np.dot(move, n0))
    if into < -1e-12:
        return current + (move - into * n0), False
    return conservative(current, desired, d0, n0, clearance), True


def conservative(current, desired, d0: float, n0, clearance: float) -> np.ndarray:
    """A point provably no closer than the current one: advance within the current empty ball,
    or push out along the gradient when already closer than the clearance."""
    if d0 < clearance:
        return current + n0 * (clearance - d0)
    move = desired - current
    length = float(np.linalg.norm(move))
    if length < 1e-12:
        return current.copy()
    return current + move * (min(length, d0 - clearance) / length)


def resolve_move(current, desired, distance_fn, clearance: float, h: float, iterations: int = 3) -> np.ndarray:
    """`keep_clear` until it settles (a few probes): a slide or a push-out is checked again, since
    in a crevice pushing out of one surface can push into the other. If it has not settled after
    `iterations`, the conservative move from the last probe is taken."""
    current = np.asarray(current, dtype=float)
    target = np.asarray(desired, dtype=float)
    for _ in range(iterations):
        d = distance_fn(probe_points(current, target, h))
        new, settled = keep_clear(current, target, d, clearance, h)
        if settled:
            return new
        target = new
    d = np.asarray(distance_fn(probe_points(current, target, h)), dtype=float)
    if len(current) and float(np.linalg.norm(target - current)) <= max(d[0], 0.0) + max(d[1], 0.0) and d[1] >= clearance:
        return target
    return conservative(current, target, float(d[0]), _unit((d[2:5] - d[0]) / h), clearance)


class CameraRig:
    """Fly (WASD, mouse look), orbit (drag around a target, scroll to zoom) or the scene's path.

    Distances are relative to the scene's framing (`scale` = distance from the scene camera to its
    target), so a small and a large world fly at a similar pace.
    """

    def __init__(self, position, forward, scale: float, orbit_target=None):
        self.scale = max(float(scale), 1e-3)
        self.mode = "fly"
        self.speed = 0.4 * self.scale          # scene units per second in fly mode
        self.clearance = min(max(0.01 * self.scale, 0.03), 1.0)   # a distance *bound*: real gaps are larger
        self.reset(position, forward, orbit_target)

    def reset(self, position, forward, orbit_target=None) -> None:
        self.position = np.asarray(position, dtype=float).copy()
        self.yaw, self.pitch = angles_of(forward)
        f, _, _ = basis(self.yaw, self.pitch)
        if orbit_target is None:
            orbit_target = self.position + f * self.scale
        self.target = np.asarray(orbit_target, dtype=float).copy()
        self.distance = max(float(np.linalg.norm(self.position - self.target)), 0.1 * self.scale)

    # -- modes ---------------------------------------------------------------------------------

    def set_mode(self, mode: str, pose: ViewPose | None = None) -> None:
        """Switch mode keeping the view where it is (`pose`: what is on screen now)."""
        if mode not in MODES:
            raise ValueError(f"unknown camera mode {mode!r}")
        if pose is not None:
            self.position = np.asarray(pose.position, dtype=float).copy()
            self.yaw, self.pitch = angles_of(pose.forward)
            if mode == "orbit":
                f, _, _ = basis(self.yaw, self.pitch)
                self.target = self.position + f * self.distance
        self.mode = mode

    def toggle_fly_orbit(self, pose: ViewPose | None = None) -> str:
        self.set_mode("orbit" if self.mode == "fly" else "fly", pose)
        return self.mode

    # -- input -----------------------------------------------------------------------------------

    def drag(self, dx: float, dy: float, pan: bool = False) -> None:
        """Mouse drag by (dx, dy) pixels (y down): look around (fly), orbit or pan (orbit)."""
        if self.mode == "orbit" and pan:
            _, right, up = basis(self.yaw, self.pitch)
            k = self.distance * 0.002
            self.target = self.target - right * dx * k + up * dy * k
            return
        self.yaw -= dx * LOOK_RADIANS_PER_PIXEL
        self.pitch = max(-_MAX_PITCH, min(_MAX_PITCH, self.pitch - dy * LOOK_RADIANS_PER_PIXEL))

    def scroll(self, amount: float) -> None:
        """Scroll wheel: zoom in orbit mode, change flying speed in fly mode."""
        factor = 0.85 ** amount
        if self.mode == "orbit":
            self.distance = min(max(self.distance * factor, 0.05 * self.scale), 50.0 * self.scale)
        else:
            self.speed = min(max(self.speed / factor, 0.02 * self.scale), 20.0 * self.scale)

    def fly_step(self, axes: tuple[float, float, float], dt: float, fast: bool = False) -> np.ndarray:
        """Desired fly position after dt with movement axes (right, up, forward) in [-1, 1]."""
        forward, right, _ = basis(self.yaw, self.pitch)
        direction = axes[0] * right + axes[1] * _UP + axes[2] * forward
        n = float(np.linalg.norm(direction))
        if n < 1e-9 or self.mode != "fly":
            return self.position.copy()
        speed = self.speed * (FAST_FACTOR if fast else 1.0)
        return self.position + direction / n * speed * dt

    # -- output ----------------------------------------------------------------------------------

    def desired_position(self, axes=(0.0, 0.0, 0.0), dt: float = 0.0, fast: bool = False) -> np.ndarray:
        if self.mode == "orbit":
            forward, _, _ = basis(self.yaw, self.pitch)
            return self.target - forward * self.distance
        return self.fly_step(axes, dt, fast)

    def settle(self, position) -> ViewPose:
        """Accept the cleared position and return the pose to draw."""
        position = np.asarray(position, dtype=float)
        if self.mode == "orbit":
            look = self.target - position
            if np.linalg.norm(look) < 1e-6:
                look = basis(self.yaw, self.pitch)[0]
            self.position = position.copy()
            return _pose(position, look)
        self.position = position.copy()
        forward, right, up = basis(self.yaw, self.pitch)
        return ViewPose(position.copy(), forward, right, up)
