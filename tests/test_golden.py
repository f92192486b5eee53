"""Golden images of every bundled scene at 96x54 on the deterministic software rasteriser.

Regenerate after an intended visual change with:

    DREAMSCAPE_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py

then look at the PNGs in tests/golden/ before committing them.
"""

import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from renderer.compile.frame import FrameOptions
from renderer.output.stills import render_still
from renderer.scene.bundled import bundled_scene_names, load_scene_arg

GOLDEN = Path(__file__).parent / "golden"
SIZE = (96, 54)
TIME = 2.0
UPDATE = os.environ.get("DREAMSCAPE_UPDATE_GOLDEN") == "1"
STORY = ["mia", "leo", "sam", "elena"]


@pytest.fixture(scope="module")
def renders(gl_ctx):
    return {name: render_still(load_scene_arg(name), SIZE, TIME, FrameOptions(), ctx=gl_ctx)
            for name in STORY}


@pytest.mark.parametrize("name", STORY)
def test_matches_golden_image(renders, name):
    image = renders[name]
    path = GOLDEN / f"{name}.png"
    if UPDATE:
        Image.fromarray(image).save(path)
    golden = np.asarray(Image.open(path).convert("RGB")).astype(np.int16)
    diff = np.abs(image.astype(np.int16) - golden)
    # Same rasteriser, same inputs: near bit-identical. The tolerance absorbs LLVM/Mesa version
    # differences in transcendental functions, not visual changes.
    assert diff.mean() < 1.0, f"{name}: mean difference {diff.mean():.2f} from {path}"
    assert np.percentile(diff, 99) <= 24, f"{name}: 99th percentile difference too large"


@pytest.mark.parametrize("name", STORY)
def test_bundled_scene_is_not_blank_or_flat(renders, name):
    image = renders[name].astype(float)
    assert image.std() > 12.0, f"{name} is nearly flat (std {image.std():.1f})"
    assert 15.0 < image.mean() < 240.0, f"{name} is nearly black or white"
    # Structure, not noise: neighbouring pixels are mostly similar.
    dx = np.abs(np.diff(image, axis=1)).mean()
    assert dx < image.std(), f"{name} looks like noise"


def test_bundled_scenes_differ_from_each_other(renders):
    names = list(renders)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            diff = np.abs(renders[a].astype(float) - renders[b].astype(float)).mean()
            assert diff > 20.0, f"{a} and {b} look alike (mean difference {diff:.1f})"


def test_all_bundled_scenes_are_in_the_story():
    assert set(STORY) <= set(bundled_scene_names())
