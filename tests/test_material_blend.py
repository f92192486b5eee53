"""Smooth unions and intersections blend their children's materials across the seam; sharp ones
keep a hard boundary.

The scene is lit by a white sun only (black sky, fill and fog, matte materials), so a pixel of the
pure red material has no blue at all and vice versa: a pixel with both is a blended one.
"""

import numpy as np
import pytest

from renderer.compile.frame import FrameOptions
from renderer.compile.program import compile_scene
from renderer.gl.raymarch import SceneRenderer
from renderer.scene.emotion import PAD
from renderer.scene.model import Camera, Material, Scene, World
from renderer.scene.nodes import Box, Intersection, Plane, SmoothIntersection, SmoothUnion, Sphere, Union

SIZE = (96, 54)
BLACK = (0.0, 0.0, 0.0)
MATERIALS = {
    "red": Material(color=(1.0, 0.0, 0.0), palette=-1, roughness=1.0),
    "blue": Material(color=(0.0, 0.0, 1.0), palette=-1, roughness=1.0),
}
WORLD = World(fog_density=0.0, sky_zenith=BLACK, sky_horizon=BLACK, fog_color=BLACK,
              sun_color=(1.0, 1.0, 1.0), sun_direction=(0.3, 0.8, 0.5), ambient=0.0)
CAMERA = Camera(position=(0.0, 1.6, 3.2), target=(0.0, 0.2, 0.0), fov=50.0)


def red_sphere():
    return Sphere(0.8).translate(0.0, 0.3, 0.0).with_material("red")


def union(k: float):
    children = (red_sphere(), Plane().with_material("blue"))
    return SmoothUnion(children=children, k=k) if k > 0 else Union(children=children)


def intersection(k: float):
    slab = Box((0.55, 2.0, 2.0)).translate(0.0, 0.3, 0.0).rotate(0.0, 35.0, 0.0).with_material("blue")
    children = (red_sphere(), slab)
    return SmoothIntersection(children=children, k=k) if k > 0 else Intersection(children=children)


def render(gl_ctx, root) -> np.ndarray:
    scene = Scene(root=root, materials=MATERIALS, world=WORLD, camera=CAMERA)
    renderer = SceneRenderer(gl_ctx, compile_scene(scene), SIZE)
    image = renderer.render(0.0, FrameOptions(emotion=PAD(0.0, 0.0, 0.0), shake=False, flicker=False))
    renderer.release()
    return image.astype(int)


def mixed_pixels(gl_ctx, root) -> int:
    image = render(gl_ctx, root)
    red, blue = image[..., 0], image[..., 2]
    assert (red > 25).sum() > 100 and (blue > 25).sum() > 100, "both materials should be in view"
    return int(((red > 25) & (blue > 25)).sum())


@pytest.mark.parametrize("combiner", [union, intersection], ids=["union", "intersection"])
def test_smooth_seam_blends_materials(gl_ctx, combiner):
    assert mixed_pixels(gl_ctx, combiner(0.6)) >= 40


@pytest.mark.parametrize("combiner", [union, intersection], ids=["union", "intersection"])
def test_sharp_seam_keeps_materials_apart(gl_ctx, combiner):
    assert mixed_pixels(gl_ctx, combiner(0.0)) == 0


def test_the_mix_runs_from_one_material_to_the_other_across_the_seam(gl_ctx):
    """Down the column through the sphere from its top edge (the plane behind it shows above):
    pure red on the sphere, then a steady slide through the fillet to pure blue on the plane in
    front (a reversed or jumpy weight would break the order)."""
    image = render(gl_ctx, union(0.6))
    column = image[:, SIZE[0] // 2]
    lit = column[..., 0] + column[..., 2] > 30
    red_share = column[lit, 0] / (column[lit, 0] + column[lit, 2])
    red_share = red_share[int(np.argmax(red_share > 0.97)):]   # from the sphere's top edge down
    assert red_share[0] > 0.97 and red_share[-1] < 0.03, red_share.round(2)
    assert np.all(np.diff(red_share) <= 0.03), red_share.round(2)

