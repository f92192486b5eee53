"""Height fog is continuous across the horizon: rays within 1e-4 of level used to take the
uniform-fog formula without the camera-height factor, which drew a bright line along the horizon
row whenever a row of pixels happened to look exactly level."""

import numpy as np

from renderer.compile.frame import FrameOptions
from renderer.compile.program import compile_scene
from renderer.gl.raymarch import SceneRenderer
from renderer.scene.emotion import PAD
from renderer.scene.emotion_map import ParamOverrides
from renderer.scene.model import Camera, Scene, World
from renderer.scene.nodes import Plane

SIZE = (32, 33)   # odd height: with a level camera the middle row's rays have rd.y == 0 exactly


def middle_row(gl_ctx, target_y: float) -> np.ndarray:
    scene = Scene(root=Plane(offset=-2.0),
                  world=World(fog_density=0.08, fog_height=2.0, sky_zenith=(0.1, 0.2, 0.4),
                              sky_horizon=(0.2, 0.3, 0.5), fog_color=(0.9, 0.9, 0.9)),
                  camera=Camera(position=(0.0, 3.0, 0.0), target=(0.0, target_y, -10.0), fov=40.0))
    renderer = SceneRenderer(gl_ctx, compile_scene(scene), SIZE)
    image = renderer.render(0.0, FrameOptions(emotion=PAD(0.0, 0.0, 0.0), shake=False)).astype(float)
    renderer.release()
    return image[SIZE[1] // 2]


def test_level_rays_get_the_fog_of_rays_just_above_level(gl_ctx):
    level = middle_row(gl_ctx, 3.0)
    # Tilted up by 3e-4 rad: past the old 1e-4 switch, so the exact integral is used there.
    tilted = middle_row(gl_ctx, 3.003)
    assert np.abs(level - tilted).max() <= 2.0, (level[:4], tilted[:4])


def _fog_frame(gl_ctx, camera_position, feature_scale: float) -> np.ndarray:
    """A fogged valley floor seen from `camera_position`, the world grown by `feature_scale` about
    the camera's target, with the fog density per unit length divided by the same factor."""
    scene = Scene(root=Plane(offset=0.0),
                  world=World(fog_density=0.15, fog_height=1.5, sky_zenith=(0.1, 0.2, 0.4),
                              sky_horizon=(0.2, 0.3, 0.5), fog_color=(0.9, 0.9, 0.9)),
                  camera=Camera(position=camera_position, target=(0.0, 2.0, -6.0), fov=50.0),
                  overrides=ParamOverrides(pin={"feature_scale": feature_scale,
                                                "fog_density": 1.0 / feature_scale}))
    renderer = SceneRenderer(gl_ctx, compile_scene(scene), (48, 27))
    image = renderer.render(0.0, FrameOptions(emotion=PAD(0.0, 0.0, 0.0), shake=False)).astype(float)
    renderer.release()
    return image


def test_height_fog_layer_grows_with_the_world(gl_ctx):
    """Growing the world by s about the target, with the fog's density per unit length divided by
    s, is exactly a camera move towards the target: the height-fog layer must grow with the world
    (its base plane and its thickness) for the two pictures to agree. Before, the layer stayed
    where it was authored and the grown valley floor sank into denser fog."""
    target = np.array([0.0, 2.0, -6.0])
    camera = np.array([0.0, 3.0, 4.0])
    grown = _fog_frame(gl_ctx, tuple(camera), 2.0)
    moved = _fog_frame(gl_ctx, tuple(target + (camera - target) / 2.0), 1.0)
    assert grown.std() > 10   # fog over a floor under a sky, not a blank frame
    assert np.abs(grown - moved).mean() < 1.0, np.abs(grown - moved).mean()
