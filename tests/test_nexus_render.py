"""The Dream Nexus rendered: identity when nothing glitches, portals show the other world,
segmented renders equal single passes, and the bundled story never flashes."""

from pathlib import Path

import numpy as np
import pytest
from nexus_files import garden_with_portals_into_leo

from renderer.compile.frame import FrameOptions
from renderer.compile.program import compile_scene
from renderer.compositor.nexus_renderer import NexusRenderer
from renderer.gl.raymarch import SceneRenderer
from renderer.output.executors import make_executor
from renderer.output.formats import parse_output
from renderer.output.job import RenderJob, Shot
from renderer.output.video import render_job
from renderer.scene.bundled import load_world_arg
from renderer.scene.colour import srgb_decode
from renderer.scene.nexus import load_nexus

SIZE = (96, 54)


def small_nexus(tmp_path, openness: float, amount: float = 0.0, centre=(0.5, 0.5), radius=0.3):
    return garden_with_portals_into_leo(tmp_path, f"""
        centre = [{centre[0]}, {centre[1]}]
        radius = {radius}
        rim_width = 0.02
        [[portals.keys]]
        t = 0
        openness = {openness}
        """, amount=amount)


def own_render(ctx, nexus, index, t):
    renderer = SceneRenderer(ctx, compile_scene(nexus.dreamers[index].scene), SIZE)
    image = renderer.render(t, FrameOptions())
    renderer.release()
    return image.astype(int)


def test_closed_portals_and_no_glitch_give_the_host_alone(gl_ctx, tmp_path):
    nexus = small_nexus(tmp_path, openness=0.0)
    renderer = NexusRenderer(gl_ctx, nexus, SIZE)
    image = renderer.render(1.5, FrameOptions(), 45).astype(int)
    renderer.release()
    assert np.abs(image - own_render(gl_ctx, nexus, 0, 1.5)).max() <= 1


def test_open_portal_shows_the_other_dreamer_inside_and_the_host_outside(gl_ctx, tmp_path):
    nexus = small_nexus(tmp_path, openness=1.0, radius=0.3)
    renderer = NexusRenderer(gl_ctx, nexus, SIZE)
    image = renderer.render(1.5, FrameOptions(), 45).astype(int)
    renderer.release()
    host, other = own_render(gl_ctx, nexus, 0, 1.5), own_render(gl_ctx, nexus, 1, 1.5)
    w, h = SIZE
    ys, xs = np.mgrid[0:h, 0:w]
    # Portal geometry in pixels: centre from the top-left, radius a fraction of the height.
    distance = np.hypot(xs + 0.5 - 0.5 * w, ys + 0.5 - 0.5 * h) / h
    inside, outside = distance < 0.3 * 0.6, distance > 0.3 * 1.4
    assert inside.sum() > 50 and outside.sum() > 500
    assert np.abs(image[inside] - other[inside]).max() <= 1
    assert np.abs(image[outside] - host[outside]).max() <= 1
    assert np.abs(host[inside] - other[inside]).mean() > 10, "the two worlds must differ there"


def test_segmented_nexus_video_equals_a_single_pass(tmp_path):
    nexus = load_world_arg("nexus")
    runs = {}
    for label, workers in (("one", 1), ("two", 2)):
        job = RenderJob(shots=(Shot(world=nexus, source="nexus", duration=100.0),), size=(48, 28), fps=24.0,
                        frames=8, start=11.0, segment_frames=4, target=parse_output(f"{tmp_path / label}/"))
        with make_executor(workers) as executor:
            render_job(job, executor, quiet=True)
        runs[label] = [p.read_bytes() for p in sorted((tmp_path / label).glob("frame_*.png"))]
    assert len(runs["one"]) == 8
    assert runs["one"] == runs["two"]


def test_bundled_story_never_flashes_more_than_three_times_a_second(gl_ctx):
    """WCAG 2.3.1 measured on the rendered 30 fps story, region by region (a third of the frame
    each; renderer/output/flash_check.py): no one-second window holds more than three flashes."""
    from renderer.output.flash_check import FlashMonitor

    nexus = load_world_arg("nexus")
    renderer = NexusRenderer(gl_ctx, nexus, (48, 27))
    fps = 30
    monitor = FlashMonitor(fps)
    luminance = []
    for k in range(int(nexus.duration * fps)):
        image = renderer.render(k / fps, FrameOptions(), k)
        monitor.add(image)
        luminance.append(float((srgb_decode(image / 255.0) @ [0.2126, 0.7152, 0.0722]).mean()))
    renderer.release()
    assert monitor.violations() == [], monitor.violations()[:3]
    # The story does change: it is not trivially flash-free because it is static.
    assert max(luminance) - min(luminance) > 0.05
    assert monitor.max_transitions_per_second() >= 1


def test_world_anchored_portal_projects_where_the_host_camera_sees_it(gl_ctx, tmp_path):
    from renderer.compile.frame import camera_target, evaluate_frame
    from renderer.compile.nexus_frame import project_sphere

    text = small_nexus(tmp_path, 1.0).source
    path = tmp_path / "anchored.toml"
    body = Path(text).read_text()
    host = load_nexus(text).dreamers[0].scene
    target = camera_target(host.camera, 1.5)
    body = body.replace("centre = [0.5, 0.5]\nradius = 0.3\n",
                        f"position = [{target[0]}, {target[1]}, {target[2]}]\nworld_radius = 0.8\n")
    path.write_text(body)
    nexus = load_nexus(path)
    assert nexus.portals[0].position is not None
    renderer = NexusRenderer(gl_ctx, nexus, SIZE)
    host_frame = evaluate_frame(renderer.layers[0].compiled, 1.5, FrameOptions())
    params = renderer.glitch_params(1.5, host_frame)
    renderer.release()
    (portal,) = params.portals
    cam = host_frame.camera
    # The camera looks at its target, so the anchored portal sits near the middle of the frame
    # (drift moves the camera a little), with the size perspective gives it.
    assert abs(portal.centre[0] - 0.5) < 0.08 and abs(portal.centre[1] - 0.5) < 0.08
    distance = float(np.linalg.norm(np.asarray(target) - cam.position))
    expected = 0.8 / (2 * distance * np.tan(np.radians(cam.fov) / 2))
    assert portal.radius == pytest.approx(expected, rel=0.1)
    # Behind the camera it is not drawn at all.
    behind = cam.position - 3.0 * cam.forward
    assert project_sphere(behind, 0.8, cam, SIZE[0] / SIZE[1]) is None


def test_world_anchored_portal_buried_in_the_host_ground_is_hidden(gl_ctx, tmp_path):
    """A portal anchored under Elena's lawn projects into the frame, but the lawn is nearer than it
    at every pixel it covers, so the frame is the host's alone; moved above the lawn it shows."""
    from renderer.compile.frame import camera_target, evaluate_frame

    text = small_nexus(tmp_path, 1.0).source
    host = load_nexus(text).dreamers[0].scene
    target = camera_target(host.camera, 1.5)
    frames = {}
    for label, lift, radius in (("buried", -1.2, 0.5), ("raised", 2.6, 1.2)):
        path = tmp_path / f"{label}.toml"
        position = (target[0], target[1] + lift, target[2])
        path.write_text(Path(text).read_text().replace(
            "centre = [0.5, 0.5]\nradius = 0.3\n",
            f"position = [{position[0]}, {position[1]}, {position[2]}]\nworld_radius = {radius}\n"))
        renderer = NexusRenderer(gl_ctx, load_nexus(path), SIZE)
        host_frame = evaluate_frame(renderer.layers[0].compiled, 1.5, FrameOptions())
        (portal,) = renderer.glitch_params(1.5, host_frame).portals
        assert portal.depth > 0 and portal.radius > 0.05, "the portal is placed in view"
        frames[label] = renderer.render(1.5, FrameOptions(), 45).astype(int)
        renderer.release()
    host_image = own_render(gl_ctx, load_nexus(text), 0, 1.5)
    assert np.abs(frames["buried"] - host_image).max() <= 1
    changed = np.abs(frames["raised"] - host_image).max(axis=-1) > 8
    assert changed.sum() > 40, changed.sum()


def test_an_anchored_portal_slides_out_of_the_frame_rather_than_popping_closed(gl_ctx, tmp_path):
    """A sphere sliding off to the camera's left keeps its placement, centre off the frame, for
    as long as its drawn extent (radius with wobble, plus the rim glow) reaches in."""
    from renderer.compile.frame import evaluate_frame
    from renderer.compile.nexus_frame import project_sphere, reaches_frame
    from renderer.compositor.effects import PORTAL_WOBBLE

    nexus = small_nexus(tmp_path, 1.0)
    renderer = NexusRenderer(gl_ctx, nexus, SIZE)
    cam = evaluate_frame(renderer.layers[0].compiled, 1.5, FrameOptions()).camera
    renderer.release()
    aspect, rim = SIZE[0] / SIZE[1], 0.02
    ahead = cam.position + 6.0 * cam.forward
    last = None
    for step in np.linspace(0.0, 20.0, 161):
        placed = project_sphere(ahead - step * cam.right, 1.0, cam, aspect)
        if placed is None or not reaches_frame(placed[0], placed[1] * (1 + PORTAL_WOBBLE) + rim, aspect):
            break
        last = placed
    (x, _), size = last
    assert x < 0.0, "the last placement still drawn had its centre off the frame"
    assert size * (1 + PORTAL_WOBBLE) + rim > -x * aspect > size * (1 + PORTAL_WOBBLE) + rim - 0.05
