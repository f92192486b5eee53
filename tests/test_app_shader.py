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
