"""The explorer opens Shadertoy/glslViewer shaders as well as scenes (scripted, headless)."""

from pathlib import Path

import numpy as np
from PIL import Image

from renderer.cli import main

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "shadertoy"


def test_explorer_runs_a_shader_headless(capsys, tmp_path):
    shot = tmp_path / "shot.png"
    code = main(["explore", str(EXAMPLES / "emotion_waves.glsl"), "--window", "headless", "--size", "64x36",
                 "--frames", "3", "--screenshot", str(shot)])
    assert code == 0, capsys.readouterr().err
    image = np.asarray(Image.open(shot).convert("RGB")).astype(float)
    assert image.std() > 5, "the shader's frame must not be blank"


MOUSE_SHADER = """
void mainImage(out vec4 fragColor, in vec2 fragCoord) {
    // Red and green: where the pointer is (0..1); blue: 1 while the button is held.
    fragColor = vec4(iMouse.xy / iResolution.xy, iMouse.z > 0.0 ? 1.0 : 0.0, 1.0);
}
"""


def test_explorer_feeds_imouse_to_a_shader(tmp_path):
    from renderer.app.explorer import ExploreSettings
    from renderer.app.launch import close_explorer, open_explorer, run_loop
    from renderer.shadertoy.world import load_shader_world

    path = tmp_path / "mouse.glsl"
    path.write_text(MOUSE_SHADER)
    settings = ExploreSettings(scene=str(path), path=path, fixed_step=True, output_dir=tmp_path, hud=False,
                               dynamic=False, min_scale=1.0, max_scale=1.0)
    app = open_explorer(load_shader_world(path), settings, size=(160, 90), window="headless")
    try:
        app.wnd.mouse_press_event_func(40, 30, 1)       # window pixels, origin top left
        run_loop(app, frames=2, sleep=lambda s: None)
        held = app.explorer.read_screen(app.wnd.fbo)[45, 80].astype(float) / 255.0
        app.wnd.mouse_release_event_func(40, 30, 1)
        run_loop(app, frames=1, sleep=lambda s: None)
        released = app.explorer.read_screen(app.wnd.fbo)[45, 80].astype(float) / 255.0
    finally:
        close_explorer(app)
    # x = 40 / 160 = 0.25; y from the bottom = (90 - 30) / 90 = 0.667 (a shader's colour is shown as
    # it writes it, as on Shadertoy).
    assert abs(held[0] - 0.25) < 0.02 and abs(held[1] - 0.667) < 0.02
    assert held[2] > 0.9 and released[2] < 0.1
