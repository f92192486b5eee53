"""The explorer driven headless (moderngl-window's headless window on EGL): events in, pixels out."""

import inspect
import os
import shutil
import time
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("moderngl_window")

import moderngl_window as mglw  # noqa: E402
from moderngl_window.context.base import KeyModifiers  # noqa: E402

from renderer.app.explorer import ExploreSettings  # noqa: E402
from renderer.app.launch import close_explorer, open_explorer, run_loop  # noqa: E402
from renderer.app.window import ExplorerWindow  # noqa: E402
from renderer.scene.bundled import load_world_path  # noqa: E402

SIZE = (160, 90)

ROOM = """
[scene]
name = "Test room"
seed = 3
root = "world"

[emotion]
joy = 0.4

[nodes.world]
type = "union"
children = ["ground", "ball"]

[nodes.ground]
type = "plane"
material = "floor"

[nodes.ball_shape]
type = "sphere"
radius = 1.0
material = "glow"

[nodes.ball]
type = "translate"
offset = [0.0, 1.0, -3.0]
child = "ball_shape"

[materials.floor]
palette = 1
roughness = 0.8

[materials.glow]
palette = -1
color = [0.9, 0.3, 0.2]

[camera]
position = [0.0, 1.5, 4.0]
target = [0.0, 1.0, -3.0]
fov = 60.0
"""


def touch_later(path: Path) -> None:
    """Make sure the edit is seen even on file systems with coarse modification times."""
    stamp = time.time_ns() + 2 * 10**9
    os.utime(path, ns=(stamp, stamp))


@pytest.fixture
def room(tmp_path):
    path = tmp_path / "room.toml"
    path.write_text(ROOM)
    return path


def open_app(path, tmp_path, **settings):
    options = dict(scene=str(path), path=path, fixed_step=True, output_dir=tmp_path)
    options.update(settings)
    app = open_explorer(load_world_path(path), ExploreSettings(**options), size=SIZE, window="headless")
    app.explorer.watcher.interval = 0.0 if app.explorer.watcher else None
    return app


@pytest.fixture
def app(room, tmp_path):
    app = open_app(room, tmp_path)
    yield app
    close_explorer(app)


def frames(app, n=1):
    """Run n frames without pacing sleeps."""
    return run_loop(app, frames=n, sleep=lambda s: None)


def press(app, name, hold_frames=0, shift=False):
    keys = app.wnd.keys
    mods = KeyModifiers()
    mods.shift = shift
    app.wnd.key_event_func(app.key_code(name), keys.ACTION_PRESS, mods)
    if hold_frames:
        frames(app, hold_frames)
    app.wnd.key_event_func(app.key_code(name), keys.ACTION_RELEASE, mods)


def screen(app):
    return app.explorer.read_screen(app.wnd.fbo)


def test_every_handler_name_exists_in_the_window_config_api():
    handlers = [name for name, _ in inspect.getmembers(ExplorerWindow, inspect.isfunction) if name.startswith("on_")]
    assert len(handlers) >= 5
    for name in handlers:
        assert hasattr(mglw.WindowConfig, name), f"{name} is not a moderngl-window WindowConfig handler"
        ours = inspect.signature(getattr(ExplorerWindow, name)).parameters
        theirs = inspect.signature(getattr(mglw.WindowConfig, name)).parameters
        assert len(ours) == len(theirs), name


def test_keys_fly_the_camera_and_mouse_looks(app):
    frames(app, 2)
    rig = app.explorer.rig
    start, yaw = rig.position.copy(), rig.yaw
    press(app, "W", hold_frames=10)
    moved = rig.position - start
    assert np.linalg.norm(moved) > 0.5 and moved[2] < 0, "W flies forward (towards -z here)"
    press(app, "E", hold_frames=5)
    assert rig.position[1] > start[1] + 0.2
    app.wnd.mouse_drag_event_func(80, 45, 40, 0)
    assert rig.yaw < yaw
    press(app, "TAB")
    assert rig.mode == "orbit"
    before = rig.distance
    app.wnd.mouse_scroll_event_func(0.0, 2.0)
    assert rig.distance < before
    press(app, "F")
    frames(app)
    assert rig.mode == "path"
    press(app, "R")
    rig = app.explorer.rig
    assert rig.mode == "fly" and np.allclose(rig.position, start, atol=0.05)


def test_the_camera_never_enters_the_ball(app):
    frames(app)
    rig = app.explorer.rig
    app.wnd.key_event_func(app.key_code("LEFT_SHIFT"), app.wnd.keys.ACTION_PRESS, KeyModifiers())
    press(app, "W", hold_frames=40)     # with Shift held: 4x speed, straight at the ball
    centre = np.array([0.0, 1.0, -3.0])
    assert np.linalg.norm(rig.position - centre) >= 1.0 + 0.9 * rig.clearance


def test_emotion_keys_change_the_emotion_smoothly_and_the_picture(app):
    frames(app, 2)
    explorer = app.explorer
    before_pad = explorer.emotion.current
    before = screen(app).astype(float)
    press(app, "NUMBER_3")          # fear
    frames(app, 1)
    mid = explorer.emotion.current
    frames(app, 20)
    after = explorer.emotion.current
    assert explorer.emotion.goal_name == "fear"
    assert after.pleasure < mid.pleasure < before_pad.pleasure, "eased, not jumped"
    assert after.pleasure == pytest.approx(-0.64)
    assert np.abs(screen(app).astype(float) - before).mean() > 3.0
    press(app, "X")                  # valence +0.1
    frames(app, 20)
    assert explorer.emotion.current.pleasure == pytest.approx(-0.54)
    assert "V -0.54" in " ".join(explorer.panels.last_hud_lines)


def test_hud_help_and_time_controls(app):
    frames(app, 2)
    explorer = app.explorer
    with_hud = screen(app).astype(float)
    press(app, "F2")
    frames(app)
    without = screen(app).astype(float)
    assert not explorer.panels.show_hud
    corner = (slice(0, 30), slice(0, 80))
    assert np.abs(with_hud[corner] - without[corner]).mean() > 5.0, "the HUD panel was drawn"
    press(app, "F1")
    frames(app)
    assert explorer.panels.show_help
    press(app, "SPACE")
    t = explorer.time.t
    frames(app, 3)
    assert explorer.time.t == t and explorer.time.paused
    press(app, "PERIOD")
    assert explorer.time.t == pytest.approx(t + 1 / 30)
    press(app, "RIGHT", shift=True)
    assert explorer.time.t == pytest.approx(t + 1 / 30 + 5)
    press(app, "ESCAPE")
    assert app.wnd.is_closing


def test_a_still_view_sharpens_to_full_resolution_and_any_change_drops_it(room, tmp_path):
    """The room has no animation, so its picture is still whenever the camera is."""
    app = open_app(room, tmp_path, min_scale=0.25, max_scale=0.25, dynamic=False)
    try:
        explorer = app.explorer
        explorer.panels.show_hud = False
        frames(app)
        live = screen(app).astype(float)
        assert not explorer._still, "the first frame has nothing to compare with"
        frames(app, 4)
        assert explorer._still and explorer.refiner.complete
        sharp = screen(app).astype(float)
        explorer.panels.show_hud = True
        frames(app)
        assert f"still: sharp {SIZE[0]}x{SIZE[1]}" in explorer.panels.last_hud_lines
        # Band by band, it is exactly the picture one full-size pass of the same frame draws.
        from renderer.gl.raymarch import SceneRenderer

        one_pass = SceneRenderer(explorer.ctx, explorer.view.compiled, SIZE, cache=explorer.cache)
        one_pass.draw(explorer.last_frame)
        np.testing.assert_array_equal(one_pass.read(), explorer.view.renderer(SIZE).read())
        one_pass.release()

        def steepest_edges(image):
            """Mean of the 50 largest steps between horizontal neighbours: crisp silhouettes
            step in one pixel, a stretched 25% picture ramps over four."""
            steps = np.abs(np.diff(image.sum(axis=-1), axis=1)).ravel()
            return float(np.sort(steps)[-50:].mean())

        assert steepest_edges(sharp) > 1.8 * steepest_edges(live)
        press(app, "W", hold_frames=2)
        assert not explorer._still and not explorer.refiner.complete
        # An edited file gives a new view: the sharp picture of the old one is never shown.
        frames(app, 4)
        assert explorer.refiner.complete
        room.write_text(room.read_text().replace("color = [0.9, 0.3, 0.2]", "color = [0.2, 0.3, 0.9]"))
        touch_later(room)
        frames(app)
        assert explorer.reloads == 1 and not explorer._still
        frames(app, 4)
        image = screen(app).astype(int)
        assert explorer.refiner.complete and (image[..., 2] > image[..., 0] + 40).sum() > 100, "the ball is blue now"
    finally:
        close_explorer(app)


def test_screenshot_key_writes_a_non_blank_png(app, tmp_path):
    from PIL import Image

    frames(app, 2)
    press(app, "F12")
    frames(app)
    shots = list(tmp_path.glob("room-t*.png"))
    assert len(shots) == 1
    image = np.asarray(Image.open(shots[0]))
    assert image.shape == (SIZE[1], SIZE[0], 3) and image.std() > 10


def test_record_toggle_writes_an_mp4(app, tmp_path):
    import imageio_ffmpeg

    frames(app)
    press(app, "F9")
    frames(app, 6)
    press(app, "F9")
    videos = list(tmp_path.glob("room-t*.mp4"))
    assert len(videos) == 1 and not list(tmp_path.glob(".*part*"))
    count, _ = imageio_ffmpeg.count_frames_and_secs(str(videos[0]))
    assert count == 6


def test_hot_reload_picks_up_an_edited_scene(app, room):
    frames(app, 2)
    before = screen(app).astype(float)
    room.write_text(ROOM.replace("radius = 1.0", "radius = 2.5").replace("[0.9, 0.3, 0.2]", "[0.1, 0.9, 0.3]"))
    touch_later(room)
    frames(app)
    assert app.explorer.reloads == 1 and app.explorer.error is None
    assert np.abs(screen(app).astype(float) - before).mean() > 3.0


def test_a_broken_scene_shows_the_error_and_keeps_the_last_frame(app, room):
    press(app, "F2")   # no HUD: compare the scene itself
    frames(app, 2)
    good = screen(app)
    room.write_text(ROOM.replace("radius = 1.0", "radius = -1.0"))
    touch_later(room)
    frames(app, 2)
    explorer = app.explorer
    assert explorer.error is not None and explorer.error.startswith(f"{room}:")
    assert ":20: nodes.ball_shape.radius" in explorer.error
    shown = screen(app)
    bottom = shown[-25:].astype(int)
    assert ((bottom[..., 0] - bottom[..., 1]) > 60).any(), "the error panel (red text) is on screen"
    assert np.abs(shown[:8].astype(float) - good[:8]).mean() < 8.0, "the last good scene keeps running"
    room.write_text("[scene\n")
    touch_later(room)
    frames(app)
    assert f"{room}:1:" in explorer.error and "TOML syntax error" in explorer.error
    room.write_text(ROOM)
    touch_later(room)
    frames(app)
    assert explorer.error is None and explorer.reloads == 1


def test_a_broken_shader_shows_file_and_line_then_recovers(tmp_path, room, monkeypatch):
    import renderer.app.reload as reload_module
    import renderer.compile.preprocess as preprocess_module
    from renderer.resources import shader_root

    shaders = tmp_path / "shaders"
    shutil.copytree(shader_root(), shaders)
    monkeypatch.setattr(preprocess_module, "shader_root", lambda: shaders)
    monkeypatch.setattr(reload_module, "shader_root", lambda: shaders)
    app = open_app(room, tmp_path)
    try:
        frames(app)
        sdf = shaders / "lib" / "sdf.glsl"
        original = sdf.read_text()
        lines = original.splitlines()
        lines.insert(20, "float dsBroken() { return undefined_name; }")
        sdf.write_text("\n".join(lines) + "\n")
        touch_later(sdf)
        frames(app, 2)
        assert app.explorer.error is not None
        assert "lib/sdf.glsl:21:" in app.explorer.error, app.explorer.error
        sdf.write_text(original)
        touch_later(sdf)
        frames(app)
        assert app.explorer.error is None and app.explorer.reloads == 1
    finally:
        close_explorer(app)


def test_scripted_run_from_the_command(room, tmp_path, capsys):
    from PIL import Image

    from renderer.app.command import main

    out = tmp_path / "last.png"
    assert main([str(room), "--window", "headless", "--backend", "egl", "--size", "160x90",
                 "--frames", "4", "--screenshot", str(out), "--emotion", "fear=1", "--target-fps", "240"]) == 0
    image = np.asarray(Image.open(out))
    assert image.shape == (90, 160, 3) and image.std() > 10
    assert "wrote" in capsys.readouterr().out


@pytest.mark.parametrize("argv, message", [
    (["mia", "--size", "0x10"], "size"),
    (["mia", "--target-fps", "0"], "target fps"),
    (["mia", "--screenshot", "x.png"], "--frames"),
    (["mia", "--frames", "2", "--screenshot", "x.jpg"], ".png"),
    (["mia", "--window", "nope"], "invalid choice"),
    (["no-such-scene", "--window", "headless"], "no such file"),
])
def test_bad_arguments_exit_2_with_one_line(argv, message, capsys):
    from renderer.app.command import main

    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1


def test_changing_emotion_late_in_a_dream_does_not_race_the_animation(room, tmp_path):
    """The animation clock and the flicker phase are integrated, so a new emotion at t = 40 s
    changes their speed, not their value (a constant override would jump them by 40 s x the
    change in speed within the half-second ease, and flicker far above 3 Hz)."""
    import dataclasses

    room.write_text(ROOM.replace('child = "ball_shape"', 'child = "ball_shape"\nbob = [0.0, 0.3, 0.0]'))
    app = open_app(room, tmp_path, start_time=40.0)
    try:
        frames(app, 2)
        explorer = app.explorer
        press(app, "NUMBER_7")   # anger: high arousal, fast animation and flicker
        anims, cycles = [], []
        for _ in range(30):
            frames(app)
            anims.append(explorer.anim.anim)
            cycles.append(explorer.anim.flicker_cycles)
            frame = explorer.last_frame
            packed = explorer.view.compiled.map.layout.pack(dataclasses.replace(frame.values, anim_time=explorer.anim.anim))
            assert np.array_equal(frame.uniforms["uParams"], packed)
        step = np.diff(anims)
        assert step.max() <= 2.0 ** 1.5 / 30 + 1e-9, "animation advances at most max speed x dt"
        assert np.diff(cycles).max() <= 3.0 / 30 + 1e-9, "flicker stays at or under 3 Hz"
        assert explorer.emotion.current.arousal == pytest.approx(0.59)
    finally:
        close_explorer(app)


def test_readme_lists_every_control():
    from renderer.app.controls import help_lines

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    section = readme[readme.index("## Explore"):]
    for keys, _ in help_lines():
        assert f"| {keys} |" in section, f"README's Explore section does not list {keys!r}"


def test_the_free_camera_flies_through_a_nexus(tmp_path):
    """A nexus in the explorer: the free camera replaces the host's, so flying moves the picture,
    the collision probe reads the host world, and the anchored Leo portal's world follows."""
    from renderer.scene.bundled import scene_root

    app = open_app(scene_root() / "nexus.toml", tmp_path, start_time=12.0)
    try:
        frames(app, 2)
        explorer = app.explorer
        assert explorer.view.free_camera and explorer.rig.mode == "fly"
        before, start = screen(app), explorer.rig.position.copy()
        press(app, "W", hold_frames=8)
        frames(app)
        assert np.linalg.norm(explorer.rig.position - start) > 0.3
        assert np.abs(screen(app).astype(int) - before.astype(int)).mean() > 2.0
        assert explorer.view.distances(explorer.last_frame, [explorer.rig.position])[0] > 0.0
    finally:
        close_explorer(app)
