"""A real window: the explorer under xvfb-run with the pyglet backend (skipped without xvfb-run)."""

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

XVFB = shutil.which("xvfb-run")


@pytest.mark.skipif(XVFB is None, reason="xvfb-run is not installed (Debian: apt-get install xvfb); "
                                         "the headless tests still cover the explorer")
def test_pyglet_window_under_xvfb_writes_a_non_blank_screenshot(tmp_path):
    from PIL import Image

    out = tmp_path / "pyglet.png"
    command = [XVFB, "-a", "-s", "-screen 0 640x480x24", sys.executable, "-m", "renderer.app.command", "sam",
               "--window", "pyglet", "--size", "160x90", "--frames", "6", "--screenshot", str(out),
               "--target-fps", "120"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120,
                            cwd=Path(__file__).resolve().parent.parent)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "in a pyglet window" in result.stdout
    image = np.asarray(Image.open(out))
    assert image.shape == (90, 160, 3)
    assert image.std() > 10 and len(np.unique(image.reshape(-1, 3), axis=0)) > 50
