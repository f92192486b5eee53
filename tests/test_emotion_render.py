"""Emotions drive what a viewer sees, measured on rendered frames (EMOTION.md section 5).

Fixed seed, time and camera path; camera shake and flicker off (they pollute the metrics); one PAD
axis swept over 9 values in [-0.8, 0.8] with the others held at 0, on every bundled scene; the
dominance sweep on a frame of structure (see STRUCTURE below).
"""

import dataclasses

import numpy as np
import pytest

from renderer.compile.frame import FrameOptions
from renderer.compile.program import compile_scene
from renderer.gl.raymarch import SceneRenderer
from renderer.scene.bundled import load_scene_arg
from renderer.scene.emotion import PAD
from renderer.scene.emotion_map import ParamOverrides
from renderer.scene.image_metrics import dominant_wavelength, frame_difference, mean_lightness_chroma, spearman
from renderer.scene.model import Camera, Material, Scene, World
from renderer.scene.nodes import Repeat, Sphere, Terrain, Translate, Union

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


# A frame that is all structure: a noise terrain strewn with stones, seen from above, with the
# palette, fog and light of the emotion as for any scene. The bundled scenes' frames are largely
# sky and horizon, where a larger world barely moves the frame's spectrum (docs/emotion.md,
# section 6); here the spectrum measures the structure dominance is meant to grow.
STRUCTURE = Scene(
    root=Union(children=(
        Terrain(height=0.8, wavelength=3.0, octaves=4, ridge=0.3, seed=4, material="ground"),
        Repeat(period=(2.5, 0.0, 2.5),
               child=Translate(offset=(0.0, 0.3, 0.0), child=Sphere(radius=0.6, material="stone"))),
    )),
    seed=3,
    materials={"ground": Material(palette=2), "stone": Material(palette=0)},
    world=World(fog_density=0.02),
    camera=Camera(position=(0.0, 7.0, 5.0), target=(0.0, 0.0, 0.0), fov=50.0),
)


def _wavelengths(gl_ctx, scene, size) -> list[float]:
    r = SceneRenderer(gl_ctx, compile_scene(scene), size)
    try:
        return [dominant_wavelength(r.render(2.0, options(PAD(0.0, 0.0, d)))) for d in SWEEP]
    finally:
        r.release()


@pytest.mark.parametrize("size", [(96, 54), (192, 108)])
def test_dominant_wavelength_rises_with_dominance_on_a_frame_of_structure(gl_ctx, size):
    """The whole dominance mapping as shipped (feature scale, fog, dark-accent spread): the
    frame's dominant wavelength rises strictly with d, and it is the feature scale that lifts
    it: pinned to 1, the same sweep moves the wavelength less than a fifth as far."""
    grows = _wavelengths(gl_ctx, STRUCTURE, size)
    assert all(b > a for a, b in zip(grows, grows[1:])), np.round(grows, 2)
    assert grows[-1] > 1.4 * grows[0], np.round(grows, 2)
    pinned = _wavelengths(gl_ctx, dataclasses.replace(
        STRUCTURE, overrides=ParamOverrides(pin={"feature_scale": 1.0})), size)
    assert abs(pinned[-1] - pinned[0]) < 0.2 * (grows[-1] - grows[0]), np.round(pinned, 2)
