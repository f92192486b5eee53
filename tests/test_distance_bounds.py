"""The map stays a distance bound: |f(a) - f(b)| <= |a - b| everywhere, so sphere tracing never
steps through a surface.

Nodes that stretch space divide their distance by their own Lipschitz factor, computed from
measured noise slopes (`codegen.fbm_gradient_bound`). These tests check that measurement on the
numpy mirror of the noise, and the compiled maps' slopes on the GPU probe, including copies far
from a repeat's origin (noise below a twist or a spin there once stretched with the distance).
"""

import numpy as np
import pytest
import reference_glsl as R
from glsl_probe import map_values

from renderer.compile.codegen import fbm_gradient_bound
from renderer.compile.frame_values import FrameValues
from renderer.scene.nodes import (
    Bend, Cone, Displace, Mirror, Repeat, Rotate, Sphere, Terrain, Translate, Twist, Union, Warp,
)


@pytest.mark.parametrize("octaves", [1, 3, 5, 8])
@pytest.mark.parametrize("gain", [0.35, 0.5, 0.65])
def test_fbm_slope_stays_under_its_bound(octaves, gain):
    rng = np.random.default_rng(octaves * 100 + int(gain * 100))
    p = rng.uniform(-40.0, 40.0, (20000, 3))
    h = 1e-4
    grad = np.stack([(R.fbm3(p + h * e, octaves, 2.0, gain, 7.0) - R.fbm3(p - h * e, octaves, 2.0, gain, 7.0))
                     / (2 * h) for e in np.eye(3)], axis=-1)
    slope = np.linalg.norm(grad, axis=-1).max()
    assert 0.3 * fbm_gradient_bound(octaves, gain) < slope <= fbm_gradient_bound(octaves, gain), slope


CONE = Cone(height=1.2, r1=0.5, r2=0.0)
GRIDS = {
    "twist over displace": Repeat(period=(3.0, 0.0, 3.0), child=Twist(
        rate=0.9, extent=0.6, child=Displace(amplitude=0.08, frequency=3.0, octaves=2, child=CONE))),
    "bend over displace": Repeat(period=(3.0, 0.0, 3.0), child=Bend(
        rate=0.4, extent=1.2, child=Displace(amplitude=0.08, frequency=3.0, octaves=2, child=CONE))),
    "spin over displace": Repeat(period=(3.0, 0.0, 3.0), child=Rotate(
        spin=(0.0, 40.0, 0.0), child=Displace(amplitude=0.1, frequency=2.0, child=Sphere(radius=0.6)))),
    "mirror over spin over displace": Repeat(period=(3.0, 0.0, 3.0), child=Mirror(axes=(1.0, 0.0, 0.0), child=Rotate(
        spin=(0.0, 180.0, 0.0), child=Displace(amplitude=0.3, frequency=3.0, child=Sphere(radius=0.6))))),
    "warp of an off-centre ball": Repeat(period=(3.0, 0.0, 3.0), child=Warp(
        amplitude=0.15, frequency=1.5, child=Translate(offset=(0.8, 0.0, 0.0), child=Sphere(radius=0.5)))),
    "terrain and displaced spires": Union(children=(
        Terrain(height=1.5, wavelength=5.0, octaves=4, ridge=0.6),
        Repeat(period=(3.0, 0.0, 3.0), child=Displace(amplitude=0.1, frequency=2.5, child=CONE)))),
}


@pytest.mark.parametrize("name", list(GRIDS))
def test_compiled_maps_are_one_lipschitz_near_every_copy(gl_ctx, name):
    rng = np.random.default_rng(11)
    centres = [0.0, 15.0, 60.0]
    a = np.concatenate([rng.uniform([-1.5, -1.5, -1.5], [1.5, 1.5, 1.5], (3000, 3)) + [c, 0.0, 0.0]
                        for c in centres]).astype(np.float32)
    step = rng.normal(size=a.shape)
    step *= 0.02 / np.linalg.norm(step, axis=1, keepdims=True)
    b = (a + step).astype(np.float32)
    values = FrameValues(anim_time=0.7)
    fa = map_values(gl_ctx, GRIDS[name], a, values)[:, 0]
    fb = map_values(gl_ctx, GRIDS[name], b, values)[:, 0]
    slope = np.abs(fa - fb) / np.linalg.norm(b - a, axis=1)
    worst = [slope[k * 3000:(k + 1) * 3000].max() for k in range(len(centres))]
    assert max(worst) <= 1.02, worst
    if isinstance(GRIDS[name], Repeat):
        # Every copy is the same shape with its own noise: a far copy steeper than the centre one
        # means its noise is stretched with the distance from the repeat's origin.
        assert max(worst[1:]) <= 1.3 * worst[0], worst
