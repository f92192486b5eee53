"""The explorer's camera maths and clearance, with analytic distance fields (no GL)."""

import math

import numpy as np
import pytest

from renderer.app.camera import CameraRig, angles_of, basis, keep_clear, probe_points, resolve_move


def sphere_and_ground(points):
    p = np.asarray(points, dtype=float)
    ball = np.linalg.norm(p - np.array([0.0, 1.0, -5.0]), axis=1) - 1.0
    return np.minimum(ball, p[:, 1])


def thin_wall(points):
    """A 0.02-thick wall at z = -1 (exact distance)."""
    return np.abs(np.asarray(points, dtype=float)[:, 2] + 1.0) - 0.01


def fly(rig, field, axes, dt, frames, fast=False):
    for _ in range(frames):
        current = rig.position
        desired = rig.desired_position(axes, dt, fast)
        rig.settle(resolve_move(current, desired, field, rig.clearance, 0.25 * rig.clearance))
    return rig.position


def test_basis_is_orthonormal_and_matches_angles():
    for yaw, pitch in [(0.0, 0.0), (1.0, 0.3), (-2.5, -1.2)]:
        f, r, u = basis(yaw, pitch)
        m = np.stack([f, r, u])
        assert np.allclose(m @ m.T, np.eye(3), atol=1e-12)
        assert np.allclose(np.cross(f, np.array([0.0, 1.0, 0.0])) / np.cos(pitch), r)
        assert np.allclose(angles_of(f), (yaw, pitch))
    f, r, u = basis(0.0, 0.0)
    assert np.allclose(f, [0, 0, -1]) and np.allclose(r, [1, 0, 0]) and np.allclose(u, [0, 1, 0])


def test_fly_moves_along_view_and_shift_is_faster():
    rig = CameraRig([0, 2, 0], [0, 0, -1], scale=10.0)
    start = rig.position.copy()
    walked = rig.fly_step((0, 0, 1), 0.5)
    assert walked[2] < start[2] and np.isclose(np.linalg.norm(walked - start), rig.speed * 0.5)
    fast = rig.fly_step((0, 0, 1), 0.5, fast=True)
    assert np.isclose(np.linalg.norm(fast - start), 4.0 * rig.speed * 0.5)
    up = rig.fly_step((0, 1, 0), 1.0)
    assert np.allclose(up - start, [0, rig.speed, 0])


def test_mouse_look_turns_and_pitch_is_clamped():
    rig = CameraRig([0, 2, 0], [0, 0, -1], scale=10.0)
    rig.drag(100, 0)
    assert rig.yaw < 0   # dragging right turns right
    rig.drag(0, -100000)
    assert rig.pitch <= math.radians(89.0) + 1e-9


def test_orbit_keeps_distance_and_scroll_zooms():
    rig = CameraRig([0, 0, 10], [0, 0, -1], scale=10.0, orbit_target=[0, 0, 0])
    rig.set_mode("orbit")
    rig.drag(300, 50)
    pos = rig.desired_position()
    assert np.isclose(np.linalg.norm(pos - rig.target), 10.0)
    rig.scroll(2)
    assert np.isclose(np.linalg.norm(rig.desired_position() - rig.target), 10.0 * 0.85 ** 2)
    pose = rig.settle(rig.desired_position())
    assert np.allclose(pose.forward, (rig.target - pose.position) / np.linalg.norm(rig.target - pose.position))


def test_toggle_keeps_the_view():
    rig = CameraRig([1, 2, 3], [0, 0, -1], scale=5.0)
    pose = rig.settle(rig.position)
    rig.toggle_fly_orbit(pose)
    assert rig.mode == "orbit"
    assert np.allclose(rig.desired_position(), pose.position)
    assert np.allclose(rig.settle(rig.desired_position()).forward, pose.forward)


def test_flying_into_a_sphere_keeps_clearance_and_slides_around_it():
    rig = CameraRig([0, 1, 0], [0, 0, -1], scale=10.0)
    seen = [sphere_and_ground(fly(rig, sphere_and_ground, (0, 0, 1), 1 / 30, 1, fast=True)[None])[0]
            for _ in range(60)]
    assert min(seen) >= rig.clearance * 0.9
    assert min(seen) < 0.5, "the camera should get close to the sphere, not stop early"


def test_flying_down_slides_along_the_ground():
    rig = CameraRig([0, 0.5, 5], [0, -0.3, -1], scale=10.0)
    end = fly(rig, sphere_and_ground, (0, -1, 1), 1 / 30, 60)
    assert end[1] >= rig.clearance * 0.9
    assert end[2] < 5 - 1.0, "sliding: the horizontal part of the move continues"


def test_a_crevice_never_lets_the_camera_inside():
    rig = CameraRig([0, 0.5, 5], [0, -0.3, -1], scale=10.0)
    for _ in range(20):
        end = fly(rig, sphere_and_ground, (0, -1, 1), 1 / 30, 10, fast=True)
        assert sphere_and_ground(end[None])[0] > 0.5 * rig.clearance


def test_a_fast_move_cannot_tunnel_through_a_thin_wall():
    rig = CameraRig([0, 0, 0], [0, 0, -1], scale=10.0)
    rig.speed = 300.0        # 10 units per frame, far more than the wall's thickness
    end = fly(rig, thin_wall, (0, 0, 1), 1 / 30, 30)
    assert end[2] > -1.0 + rig.clearance * 0.9


def test_geometry_growing_into_a_still_camera_pushes_it_out():
    current = np.array([0.0, 0.05, 0.0])
    h = 0.01
    d = sphere_and_ground(probe_points(current, current, h))
    out, settled = keep_clear(current, current, d, 0.2, h)
    assert np.isclose(out[1], 0.2) and not settled
    assert np.isclose(resolve_move(current, current, sphere_and_ground, 0.2, h)[1], 0.2)


@pytest.mark.parametrize("mode", ["fly", "orbit", "path"])
def test_modes_are_known(mode):
    rig = CameraRig([0, 0, 5], [0, 0, -1], scale=5.0)
    rig.set_mode(mode)
    assert rig.mode == mode
