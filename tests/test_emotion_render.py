"""Emotions drive what a viewer sees, measured on rendered frames (EMOTION.md section 5).

Fixed seed, time and camera path; camera shake and flicker off (they pollute the metrics); one PAD
axis swept over 9 values in [-0.8, 0.8] with the others held at 0, on every bundled scene.
"""

import numpy as np
import pytest

from renderer.compile.frame import FrameOptions
from renderer.compile.program import compile_scene
from renderer.gl.raymarch import SceneRenderer
from renderer.scene.bundled import load_scene_arg
from renderer.scene.emotion import PAD
from renderer.scene.image_metrics import frame_difference, mean_lightness_chroma, spearman

SCENES = ["mia", "leo", "sam", "elena"]
SWEEP = np.linspace(-0.8, 0.8, 9)
SIZE = (96, 54)


def options(pad: PAD) -> FrameOptions:
    return FrameOptions(emotion=pad, shake=False, flicker=False)


@pytest.fixture(scope="module")
def renderers(gl_ctx):
    made = {name: SceneRenderer(gl_ctx, compile_scene(load_scene_arg(name)), SIZE) for name in SCENES}
    yield made
    for r in made.values():
        r.release()


@pytest.mark.parametrize("name", SCENES)
def test_lightness_rises_with_valence(renderers, name):
    r = renderers[name]
    lightness = [mean_lightness_chroma(r.render(2.0, options(PAD(v, 0.0, 0.0))))[0] for v in SWEEP]
    assert spearman(SWEEP, lightness) >= 0.9, np.round(lightness, 1)
    assert lightness[-1] - lightness[0] >= 10.0, np.round(lightness, 1)


@pytest.mark.parametrize("name", SCENES)
def test_chroma_rises_with_arousal(renderers, name):
    r = renderers[name]
    chroma = [mean_lightness_chroma(r.render(2.0, options(PAD(0.3, v, 0.0))))[1] for v in SWEEP]
    assert spearman(SWEEP, chroma) >= 0.9, np.round(chroma, 1)


@pytest.mark.parametrize("name", SCENES)
def test_motion_rises_with_arousal(renderers, name):
    """Mean |frame(t) - frame(t + 0.5 s)|, averaged over start times 1..4 s so that where a bob
    or a drift happens to be in its cycle does not decide the result."""
    r = renderers[name]
    motion = []
    for v in SWEEP:
        pad = PAD(0.0, v, 0.0)
        motion.append(np.mean([frame_difference(r.render(t, options(pad)), r.render(t + 0.5, options(pad)))
                               for t in (1.0, 2.0, 3.0, 4.0)]))
    assert spearman(SWEEP, motion) >= 0.9, np.round(motion, 2)
    assert motion[-1] > 1.5 * motion[0], np.round(motion, 2)
