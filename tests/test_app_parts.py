"""Pure parts of the explorer: emotion easing, clocks, file watching, error locations, controls,
HUD text."""

import math
import os
import time

import pytest

from renderer.app.clock import FixedStepClock, SceneTime
from renderer.app.controls import ACTIONS, EMOTION_KEYS, HELD, PRESET_KEYS, KeyNames, help_lines
from renderer.app.emotion_control import AnimationClock, EmotionControl
from renderer.app.hud import HudStats, hud_lines, render_panel
from renderer.app.reload import FileWatcher, locate_error, shader_files
from renderer.scene.emotion import PAD, PLUTCHIK_PAD

SCENE_PAD = PAD(-0.5, 0.2, 0.0)


def test_emotion_follows_the_scene_until_touched():
    control = EmotionControl()
    assert control.update(1 / 30, SCENE_PAD) == SCENE_PAD
    assert not control.touched


def test_nudge_eases_over_half_a_second_without_jumping():
    control = EmotionControl()
    control.update(1 / 30, SCENE_PAD)
    control.nudge("pleasure", 0.5)
    values = [control.update(1 / 30, SCENE_PAD).pleasure for _ in range(20)]
    assert values[0] > -0.5 and abs(values[0] + 0.5) < 0.05          # starts where it was
    assert all(b >= a for a, b in zip(values, values[1:]))              # monotonic
    assert math.isclose(values[14], 0.0, abs_tol=1e-9)                 # 15 frames = 0.5 s
    assert control.touched and control.goal_name == "custom"


def test_preset_and_back_to_scene():
    control = EmotionControl()
    control.update(0.0, SCENE_PAD)
    control.preset("joy")
    for _ in range(20):
        pad = control.update(1 / 30, SCENE_PAD)
    assert pad == PLUTCHIK_PAD["joy"] and control.goal_name == "joy"
    control.follow_scene()
    for _ in range(20):
        pad = control.update(1 / 30, SCENE_PAD)
    assert pad == SCENE_PAD
    control.resync()
    assert not control.touched


def test_nudges_clip_to_the_pad_cube():
    control = EmotionControl(ease_seconds=0.0)
    control.update(0.0, SCENE_PAD)
    for _ in range(30):
        control.nudge("arousal", 0.1)
    assert control.update(0.1, SCENE_PAD).arousal == 1.0


def test_animation_clock_is_continuous_under_a_speed_change():
    clock = AnimationClock(anim=30.0)
    before = clock.anim
    clock.advance(1 / 30, 2.5, 3.0)
    assert clock.anim - before == pytest.approx(2.5 / 30)
    assert clock.exposure(0.0, 3.0) == 1.0
    assert 0.0 < clock.exposure(0.5, 3.0) <= 1.0


def test_scene_time_pause_step_scrub():
    t = SceneTime(2.0, 1 / 30)
    assert t.advance(0.1) == pytest.approx(0.1)
    t.toggle_pause()
    assert t.advance(0.1) == 0.0
    t.step(3)
    assert t.t == pytest.approx(2.2) and t.paused and t.jumped
    t.scrub(-10)
    assert t.t == 0.0
    clock = FixedStepClock(30)
    assert [clock.tick() for _ in range(3)] == [0.0, pytest.approx(1 / 30), pytest.approx(1 / 30)]


def test_file_watcher_sees_edits(tmp_path):
    path = tmp_path / "a.toml"
    path.write_text("x = 1\n")
    now = [0.0]
    watcher = FileWatcher([path], interval=0.25, now=lambda: now[0])
    assert not watcher.poll()
    path.write_text("x = 22\n")
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 10**9))
    now[0] = 0.1
    assert not watcher.poll(), "polls at most every interval"
    now[0] = 0.5
    assert watcher.poll()
    now[0] = 1.0
    assert not watcher.poll()
    assert shader_files() and all(p.suffix in (".glsl", ".vert", ".frag") for p in shader_files())


def test_errors_are_located_by_line(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text('[scene]\nroot = "a"\n\n[nodes.a]\ntype = "sphere"\nradius = -1\n')
    assert locate_error(f"{path}: nodes.a.radius: must be in (0, 10000], got -1").startswith(f"{path}:6: ")
    assert locate_error(f"{path}: nodes.a: unknown key").startswith(f"{path}:4: ")
    syntax = f"{path}: TOML syntax error: Invalid value (at line 3, column 8)"
    assert locate_error(syntax).startswith(f"{path}:3: ")
    shader = "shaders/lib/sdf.glsl:42: 'foo' undeclared"
    assert locate_error(shader) == shader


def test_every_control_is_in_the_help():
    text = " ".join(k + " " + v for k, v in help_lines())
    for name in ("Tab", "F1", "F2", "F3", "F9", "F12", "Esc", "Space", "Left", "Right", "Shift"):
        assert name in text
    assert "joy" in text and "anticipation" in text
    documented = {action for action, doc in ACTIONS.values() if doc}
    assert documented == {action for action, _ in ACTIONS.values()}
    assert len(PRESET_KEYS) == 8 and set(PRESET_KEYS.values()) == set(PLUTCHIK_PAD)


def test_key_names_fall_back_to_names_without_codes():
    class Headless:
        W = "undefined"

    class Pyglet:
        W = 119

    assert KeyNames(Headless).code("W") == "W" and KeyNames(Headless).name("W") == "W"
    assert KeyNames(Pyglet).name(119) == "W" and KeyNames(Pyglet).code("W") == 119
    assert set(HELD) | set(EMOTION_KEYS) <= set(KeyNames.NAMES)


def test_hud_lines_and_panel():
    stats = HudStats(frame_ms=33.3, fps=30.0, work_ms=25.0, target_fps=30, scale=0.5, internal=(480, 270),
                     quality="full shading", dynamic=True, pad=(0.1, -0.2, 0.3), emotion_name="joy", t=12.5,
                     paused=True, camera="fly", steps=8.25)
    lines = hud_lines(stats)
    text = "\n".join(lines)
    for part in ("33.3 ms", "30.0 fps", "scale 50%", "480x270", "steps/pixel 8.2", "V +0.10", "A -0.20",
                 "D +0.30", "joy", "12.50 s", "PAUSED", "fly", "help"):
        assert part in text, part
    image = render_panel(lines, 14)
    assert image.ndim == 3 and image.shape[2] == 4 and image[..., 3].min() > 0
    assert (image[..., :3] > 200).any(), "text is drawn in a light colour"
