"""World-anchored portals are holes: the other world is seen from the host camera carried into
it (renderer/compile/portal_view.py), so the view through the portal moves with parallax."""

import numpy as np
import pytest

from renderer.compile.frame import CameraPose, camera_target, evaluate_frame, look_at
from renderer.compile.portal_view import portal_map
from renderer.compositor.nexus_renderer import NexusRenderer, anchored_sphere

HOST_EYE, ANCHOR, RADIUS = np.array([0.0, 2.0, 8.0]), np.array([3.0, 1.0, 0.0]), 2.0
GUEST_EYE, GUEST_TARGET = np.array([1.0, 1.5, 6.0]), np.array([0.0, 1.0, -3.0])
MAP = portal_map(HOST_EYE, ANCHOR, RADIUS, GUEST_EYE, GUEST_TARGET)


def pose(eye, target, fov=60.0) -> CameraPose:
    return CameraPose(np.asarray(eye, float), *look_at(eye, target), fov)


def test_at_the_reference_the_portal_shows_the_guests_own_view():
    guest = MAP.view(pose(HOST_EYE, ANCHOR), ANCHOR, RADIUS, GUEST_TARGET)
    own = pose(GUEST_EYE, GUEST_TARGET)
    np.testing.assert_allclose(guest.position, own.position, atol=1e-9)
    for mine, theirs in zip((guest.forward, guest.right, guest.up), (own.forward, own.right, own.up)):
        np.testing.assert_allclose(mine, theirs, atol=1e-9)


def test_the_guest_target_sits_where_the_anchor_is_on_screen():
    """Wherever the host camera looks, the guest target projects where the anchor does."""
    host = pose(HOST_EYE + [0.5, 0.3, -1.0], [-1.0, 1.5, -2.0])
    guest = MAP.view(host, ANCHOR, RADIUS, GUEST_TARGET)

    def screen(camera, point):
        offset = np.asarray(point) - camera.position
        depth = offset @ camera.forward
        return np.array([offset @ camera.right, offset @ camera.up]) / depth
    np.testing.assert_allclose(screen(guest, GUEST_TARGET), screen(host, ANCHOR), atol=1e-9)


def test_moving_the_host_camera_moves_the_guest_camera_by_the_scaled_turned_step():
    step = np.array([0.4, -0.2, 0.3])
    before = MAP.view(pose(HOST_EYE, ANCHOR), ANCHOR, RADIUS, GUEST_TARGET)
    after = MAP.view(pose(HOST_EYE + step, ANCHOR), ANCHOR, RADIUS, GUEST_TARGET)
    moved = after.position - before.position
    assert np.linalg.norm(moved) == pytest.approx(MAP.scale * np.linalg.norm(step))
    np.testing.assert_allclose(moved, MAP.scale * MAP.rotation @ step, atol=1e-9)
    # A portal grown to twice its radius (the host world scaled up) shows the same region of the
    # guest world twice as large: the camera sits at half the scaled distance.
    grown = MAP.view(pose(HOST_EYE, ANCHOR), ANCHOR, 2 * RADIUS, GUEST_TARGET)
    assert np.linalg.norm(grown.position - GUEST_TARGET) == pytest.approx(
        0.5 * np.linalg.norm(GUEST_EYE - GUEST_TARGET))


def test_the_nexus_renders_an_anchored_portals_world_from_the_mapped_camera(gl_ctx):
    """The bundled story's Leo portal is anchored: Leo's layer gets the mapped camera, which
    follows Mia's dreaming drift; Sam's portal is screen-fixed: Sam keeps his own camera."""
    from renderer.scene.bundled import load_world_arg

    nexus = load_world_arg("nexus")
    renderer = NexusRenderer(gl_ctx, nexus, (32, 18))
    try:
        leo, sam = nexus.dreamer_index("leo"), nexus.dreamer_index("sam")
        _, frames = renderer.prepare(12.0)
        assert {leo, sam} <= set(frames)
        own_sam = evaluate_frame(renderer.layers[sam].compiled, 12.0)
        np.testing.assert_allclose(frames[sam].camera.position, own_sam.camera.position)
        host = frames[0]
        p = next(p for p in nexus.portals if p.dreamer == "leo")
        anchor, radius = anchored_sphere(p.position, p.world_radius, host.values)
        expected = renderer.portal_maps[nexus.portals.index(p)].view(
            host.camera, anchor, radius, camera_target(renderer.layers[leo].compiled.scene.camera, 12.0))
        np.testing.assert_allclose(frames[leo].camera.position, expected.position)
        np.testing.assert_allclose(frames[leo].uniforms["uCamForward"], expected.forward)
        # Mia's camera drifts, so the view through the portal moves between two moments.
        later = renderer.prepare(13.0)[1][leo].camera
        assert np.linalg.norm(later.position - frames[leo].camera.position) > 1e-3
    finally:
        renderer.release()
