"""World-anchored portals are holes: the other world is seen from the host camera carried into
it (renderer/compile/portal_view.py), so the view through the portal moves with parallax."""

import numpy as np
import pytest
from nexus_files import garden_with_portals_into_leo, nexus_with_shader

from renderer.compile.frame import CameraPose, camera_target, evaluate_frame, look_at
from renderer.compile.portal_view import portal_map
from renderer.compositor.nexus_renderer import NexusRenderer, anchored_sphere

HOST_EYE, ANCHOR, RADIUS = np.array([0.0, 2.0, 8.0]), np.array([3.0, 1.0, 0.0]), 2.0
GUEST_EYE, GUEST_TARGET = np.array([1.0, 1.5, 6.0]), np.array([0.0, 1.0, -3.0])
MAP = portal_map(HOST_EYE, ANCHOR, RADIUS, GUEST_EYE, GUEST_TARGET)


def pose(eye, target, fov=60.0) -> CameraPose:
    return CameraPose(np.asarray(eye, float), *look_at(eye, target), fov)


def heading_and_elevation(direction) -> tuple[float, float]:
    x, y, z = direction
    return np.arctan2(x, z), np.arctan2(y, np.hypot(x, z))


def test_at_the_reference_the_guest_is_seen_from_its_own_distance_and_bearing():
    """From the host's reference position, the guest camera sits at its own distance and compass
    bearing from its target, at the height from which the host sees the anchor, and no horizon
    tilts: the map turns only about the vertical."""
    guest = MAP.view(pose(HOST_EYE, ANCHOR), ANCHOR, RADIUS, GUEST_TARGET)
    offset = guest.position - GUEST_TARGET
    assert np.linalg.norm(offset) == pytest.approx(np.linalg.norm(GUEST_EYE - GUEST_TARGET))
    bearing, elevation = heading_and_elevation(offset)
    assert bearing == pytest.approx(heading_and_elevation(GUEST_EYE - GUEST_TARGET)[0])
    assert elevation == pytest.approx(heading_and_elevation(HOST_EYE - ANCHOR)[1])
    np.testing.assert_allclose(MAP.rotation @ [0.0, 1.0, 0.0], [0.0, 1.0, 0.0], atol=1e-12)
    assert abs(guest.right[1]) < 1e-12   # the host camera has no roll, nor has the guest's


def screen(camera, point) -> np.ndarray:
    """Where a point lands on a camera's image plane (tangent units, x right, y up)."""
    offset = np.asarray(point) - camera.position
    return np.array([offset @ camera.right, offset @ camera.up]) / (offset @ camera.forward)


def test_the_guest_target_sits_where_the_anchor_is_on_screen():
    """Wherever the host camera looks, the guest target projects where the anchor does."""
    host = pose(HOST_EYE + [0.5, 0.3, -1.0], [-1.0, 1.5, -2.0])
    guest = MAP.view(host, ANCHOR, RADIUS, GUEST_TARGET)
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
    """The bundled story's Leo portal is anchored: Leo's target lands where the portal's anchor
    does in Mia's frame, and the view follows Mia's dreaming drift. Sam's portal is screen-fixed:
    Sam keeps his own camera."""
    from renderer.scene.bundled import load_world_arg

    nexus = load_world_arg("nexus")
    renderer = NexusRenderer(gl_ctx, nexus, (32, 18))
    try:
        leo, sam = nexus.dreamer_index("leo"), nexus.dreamer_index("sam")
        _, frames = renderer.prepare(12.0)
        assert {leo, sam} <= set(frames)
        np.testing.assert_allclose(frames[sam].camera.position,
                                   evaluate_frame(renderer.layers[sam].compiled, 12.0).camera.position)
        host, guest = frames[0], frames[leo]
        p = next(p for p in nexus.portals if p.dreamer == "leo")
        anchor, _ = anchored_sphere(p.position, p.world_radius, host.values)
        leo_target = camera_target(renderer.layers[leo].compiled.scene.camera, 12.0)
        np.testing.assert_allclose(screen(guest.camera, leo_target), screen(host.camera, anchor), atol=1e-6)
        np.testing.assert_allclose(guest.uniforms["uCamPos"], guest.camera.position)
        later = renderer.prepare(13.0)[1][leo].camera
        assert np.linalg.norm(later.position - guest.camera.position) > 1e-3
    finally:
        renderer.release()


def _portals_into_leo(tmp_path, *placements: str):
    """Elena's garden with fully open portals into Leo's world, placed as given."""
    return garden_with_portals_into_leo(tmp_path, *(f"{placement}\n[[portals.keys]]\nt = 0\nopenness = 1.0"
                                                    for placement in placements))


BEHIND = "position = [0.0, 1.0, 12.0]\nworld_radius = 1.0"
SMALL_AHEAD = "position = [1.0, 0.8, -2.0]\nworld_radius = 0.3"


def _leo_camera(gl_ctx, nexus):
    renderer = NexusRenderer(gl_ctx, nexus, (32, 18))
    try:
        params, frames = renderer.prepare(1.0)
        return params, frames[0], frames[1], renderer.layers[1].compiled
    finally:
        renderer.release()


def test_the_portal_drawn_largest_decides_the_view(gl_ctx, tmp_path):
    # The first portal listed is behind the camera: the one drawn sets Leo's camera.
    params, host, guest, leo = _leo_camera(gl_ctx, _portals_into_leo(tmp_path, BEHIND, SMALL_AHEAD))
    assert len(params.portals) == 1
    anchor, _ = anchored_sphere((1.0, 0.8, -2.0), 0.3, host.values)
    np.testing.assert_allclose(screen(guest.camera, camera_target(leo.scene.camera, 1.0)),
                               screen(host.camera, anchor), atol=1e-6)
    # A large screen-fixed portal beside the small anchored one: Leo is seen from his own camera.
    params, host, guest, leo = _leo_camera(gl_ctx, _portals_into_leo(
        tmp_path, SMALL_AHEAD, "centre = [0.3, 0.5]\nradius = 0.45"))
    assert len(params.portals) == 2
    np.testing.assert_allclose(guest.camera.position, evaluate_frame(leo, 1.0).camera.position)


def test_portal_maps_are_kept_for_a_few_emotions_only(gl_ctx):
    """The explorer eases an emotion frame by frame: every frame is a new override."""
    from renderer.compile.frame import FrameOptions
    from renderer.scene.bundled import load_world_arg
    from renderer.scene.emotion import PAD

    renderer = NexusRenderer(gl_ctx, load_world_arg("nexus"), (16, 9))
    try:
        for k in range(40):
            maps = renderer.portal_maps(FrameOptions(emotion=PAD(0.0, 0.0, k / 40)))
            assert maps   # the Leo portal
        assert len(renderer._portal_maps) <= 8
    finally:
        renderer.release()


def _view(gl_ctx, world):
    from renderer.app.view import make_view
    from renderer.gl.programs import ProgramCache

    cache = ProgramCache(gl_ctx)
    return make_view(gl_ctx, cache, world), cache


def test_the_explorer_view_carries_its_camera_into_the_portal_world(gl_ctx):
    """NexusView hands the explorer's camera to the nexus renderer as the host camera: the picture
    follows it, and Leo's world behind the anchored portal is seen from the camera carried along."""
    from renderer.scene.bundled import load_world_arg

    nexus = load_world_arg("nexus")
    view, cache = _view(gl_ctx, nexus)
    try:
        frame = view.frame(12.0)
        own = frame.camera
        moved = {"uCamPos": tuple(own.position + [0.8, 0.3, -1.0]), "uCamForward": tuple(own.forward),
                 "uCamRight": tuple(own.right), "uCamUp": tuple(own.up)}

        def picture(camera):
            texture = view.draw(frame, (48, 27), camera, 0, 30)
            return np.frombuffer(texture.read(), np.uint8).astype(int)

        assert np.abs(picture(moved) - picture(None)).mean() > 2.0
        renderer = view.renderer((48, 27))
        leo = nexus.dreamer_index("leo")
        pose = CameraPose(np.asarray(moved["uCamPos"]), own.forward, own.right, own.up, own.fov)
        guest_still = renderer.prepare(12.0, frame.options)[1][leo].camera.position
        guest_moved = renderer.prepare(12.0, frame.options, pose)[1][leo].camera.position
        assert np.linalg.norm(guest_moved - guest_still) > 0.5
    finally:
        view.release()
        cache.release()


def test_the_explorer_sees_the_host_frame_the_nexus_draws(gl_ctx):
    """The explorer's host frame is the renderer's own: the nexus's emotion for Mia (her world's
    size, her camera), and the bleeds as grown so far, so collisions meet only what is drawn."""
    from renderer.scene.bundled import load_world_arg

    nexus = load_world_arg("nexus")
    view, cache = _view(gl_ctx, nexus)
    try:
        for t in (2.0, 20.0):
            frame = view.frame(t)
            drawn = view.renderer((16, 9)).prepare(t, frame.options)[1][0]
            assert frame.host.values.feature_scale == pytest.approx(drawn.values.feature_scale)
            np.testing.assert_allclose(frame.camera.position, drawn.camera.position)
        assert view.track.sample(20.0) == nexus.dreamers[0].emotion.sample(20.0)
        # Leo's island bleeds into Mia's valley from 8 s: at 2 s its centre is empty space.
        (bleed,) = [b for b in nexus.bleeds if b.dreamer == "leo"]
        assert view.distances(view.frame(2.0), [bleed.offset])[0] > 0.0
    finally:
        view.release()
        cache.release()


def test_a_nexus_with_a_shader_host_opens_without_a_free_camera(gl_ctx, tmp_path):
    from renderer.scene.bundled import load_world_path

    view, cache = _view(gl_ctx, load_world_path(nexus_with_shader(tmp_path, host_is_shader=True)))
    try:
        assert not view.free_camera
        frame = view.frame(1.0)
        assert frame.camera is None
        texture = view.draw(frame, (32, 18), None, 0, 30)
        assert np.frombuffer(texture.read(), np.uint8).std() > 5
    finally:
        view.release()
        cache.release()
