"""Domain repetition is seamless: the field is continuous across the walls between cells.

A repeated child is evaluated in the cell its point falls in. Noise below a repeat used to be
sampled in cell-local coordinates, so a displaced copy's field jumped at each wall by up to twice
its displacement, and a smooth union carried the jump onto the lawn beside Elena's hedges as
dark specks. Noise is now sampled at the unwrapped point (each copy gets its own bumps and
neighbours agree on the wall), and a child whose shape is not mirror-symmetric in its cell is also
evaluated in the neighbouring cells.
"""

import numpy as np
import pytest
from glsl_probe import map_values

from renderer.compile.frame_values import FrameValues
from renderer.compile.program import compile_scene
from renderer.compile.symmetry import bounded, round_about_y, seamed_repeat_axes, seamless
from renderer.gl.raymarch import SceneRenderer
from renderer.scene.bundled import load_scene_arg
from renderer.scene.model import Scene
from renderer.scene.nodes import (
    Box, Capsule, Cone, Displace, Grow, Intersection, Mirror, Repeat, Rotate, Sphere, Terrain, Translate, Twist,
    Union, Warp,
)

BALL = Sphere(radius=0.5)
SEAMLESS_CASES = [
    (BALL, 0, True),
    (Box(size=(0.3, 0.5, 0.2)), 2, True),
    (Translate(offset=(0.0, 0.6, 0.0), child=BALL), 0, True),
    (Translate(offset=(0.4, 0.0, 0.0), child=BALL), 0, False),
    (Translate(offset=(0.4, 0.0, 0.0), child=BALL), 2, True),
    (Translate(bob=(0.0, 0.0, 0.2), child=BALL), 2, False),
    (Mirror(axes=(1.0, 0.0, 0.0), child=Translate(offset=(0.4, 0.0, 0.0), child=BALL)), 0, True),
    (Rotate(degrees=(0.0, 30.0, 0.0), child=Box()), 0, False),
    (Rotate(degrees=(0.0, 360.0, 0.0), child=Box()), 0, True),
    (Capsule(a=(-1.0, 0.0, 0.0), b=(1.0, 0.0, 0.0)), 0, True),
    (Capsule(a=(0.0, 0.0, 0.0), b=(1.0, 0.0, 0.0)), 0, False),
    (Capsule(a=(0.0, 0.0, 0.0), b=(1.0, 0.0, 0.0)), 2, True),
    (Cone(height=1.0, r1=0.5, r2=0.0), 0, True),
    (Cone(height=1.0, r1=0.5, r2=0.0), 1, False),
    (Terrain(), 0, True),
    (Terrain(), 1, False),
    (Displace(amplitude=0.2, child=BALL), 0, True),        # noise sampled at the unwrapped point
    (Warp(amplitude=0.2, child=BALL), 0, False),            # moves the local point itself
    (Twist(rate=0.9, child=Cone()), 0, True),                # round about y: a twist changes nothing
    (Twist(rate=0.9, child=Box()), 0, False),
    (Twist(rate=0.9, child=Displace(amplitude=0.1, child=Cone())), 0, False),   # noise rides on the twist
    (Rotate(spin=(0.0, 360.0, 0.0), child=Box()), 0, False),   # turns at all other times
    (Rotate(degrees=(0.0, 0.0, 720.0), child=Box()), 0, True),
    (Mirror(axes=(1.0, 0.0, 0.0), child=Displace(amplitude=0.1, child=BALL)), 0, False),   # noise mirrored
    (Mirror(axes=(1.0, 0.0, 0.0), child=Displace(amplitude=0.1, child=BALL)), 2, True),
    (Grow(child=BALL), 0, True),
    (Grow(child=Displace(amplitude=0.1, child=BALL)), 0, False),
    (Union(children=(BALL, Translate(offset=(0.3, 0.0, 0.0), child=BALL))), 0, False),
    (Union(children=(BALL, Translate(offset=(0.0, 0.0, 0.3), child=BALL))), 0, True),
]


@pytest.mark.parametrize("node, axis, expected", SEAMLESS_CASES)
def test_seamless_rules(node, axis, expected):
    assert seamless(node, axis) is expected


def test_round_about_y():
    assert round_about_y(Twist(rate=1.0, child=Translate(offset=(0.0, 1.0, 0.0), child=Cone())))
    assert not round_about_y(Translate(offset=(0.1, 0.0, 0.0), child=Cone()))
    assert not round_about_y(Box())


def test_bundled_repeats_need_no_neighbour_cells():
    """Mia's twisted, displaced spires, Sam's lattice and Elena's hedges are all seamless, so
    they cost one evaluation of their child, as before."""
    for name in ("mia", "sam", "elena"):
        source = compile_scene(load_scene_arg(name)).map.source
        assert "domRepeatLimited" in source and "domRepeatNeighbour" not in source, name


def field(gl_ctx, root, points, values=None) -> np.ndarray:
    """dsMap(p).x of the compiled `root` at `points` (N, 3)."""
    return map_values(gl_ctx, root, points, values)[:, 0]


def across_the_wall(wall_x: float, eps: float = 1e-3) -> np.ndarray:
    """Pairs of points a hair either side of the wall x = wall_x, at many heights and depths."""
    rng = np.random.default_rng(5)
    yz = rng.uniform([-0.6, -0.6], [0.6, 0.6], (200, 2))
    near = np.column_stack([np.full(200, wall_x - eps), yz])
    far = np.column_stack([np.full(200, wall_x + eps), yz])
    return np.vstack([near, far]).astype(np.float32)


def test_displaced_copies_differ_but_meet_at_the_walls(gl_ctx):
    bumpy = Repeat(period=(2.0, 0.0, 0.0), child=Displace(amplitude=0.3, frequency=2.0, child=BALL))
    values = field(gl_ctx, bumpy, across_the_wall(1.0))
    jump = np.abs(values[:200] - values[200:])
    assert jump.max() < 0.01, jump.max()   # the field's slope is at most ~3 here: 2e-3 apart
    # The same local point in two neighbouring cells: each copy has bumps of its own.
    local = np.array([[0.45, 0.1, 0.2], [2.45, 0.1, 0.2], [-1.55, 0.1, 0.2]], np.float32)
    copies = field(gl_ctx, bumpy, local)
    assert np.ptp(copies) > 0.02, copies


def test_an_off_centre_child_is_found_in_the_next_cell(gl_ctx):
    """A ball placed near its cell's +x wall: points just past the wall are nearest to it, in the
    cell they do not fall in. The field equals the distance to the nearest copy on both sides."""
    r = 0.4
    shifted = Repeat(period=(3.0, 0.0, 0.0), child=Translate(offset=(1.0, 0.0, 0.0), child=Sphere(radius=r)))
    assert seamed_repeat_axes(shifted) == (True, False, False)
    assert "domRepeatNeighbour" in compile_scene(Scene(root=shifted)).map.source
    points = across_the_wall(1.5)
    values = field(gl_ctx, shifted, points)
    centres = np.array([3.0 * i + 1.0 for i in range(-3, 4)])
    offsets = points[:, None, :] - np.stack([centres, np.zeros(7), np.zeros(7)], axis=1)[None]
    nearest = np.linalg.norm(offsets, axis=2).min(axis=1) - r
    np.testing.assert_allclose(values, nearest, atol=1e-4)


def isolated_dark_pixels(image: np.ndarray, levels: float = 40.0) -> int:
    """Pixels darker than every one of their 8 neighbours by more than `levels`."""
    lum = image.astype(float).mean(axis=2)
    h, w = lum.shape
    pad = np.pad(lum, 1, mode="edge")
    neighbours = np.stack([pad[1 + dy:h + 1 + dy, 1 + dx:w + 1 + dx]
                           for dy in (-1, 0, 1) for dx in (-1, 0, 1) if (dy, dx) != (0, 0)])
    return int(((neighbours.min(axis=0) - lum) > levels).sum())


@pytest.mark.parametrize("size", [(256, 144), (320, 180)])
def test_elenas_lawn_has_no_dark_specks_along_the_hedge_row(gl_ctx, size):
    """Before, 2 and 7 pixels of the lawn (at these sizes, t = 2 s) sat 40 to 150 levels below all
    their neighbours, on the walls between hedge cells."""
    renderer = SceneRenderer(gl_ctx, compile_scene(load_scene_arg("elena")), size)
    try:
        image = renderer.render(2.0)
    finally:
        renderer.release()
    assert image.std() > 10
    assert isolated_dark_pixels(image) == 0


def _key(child) -> str:
    return compile_scene(Scene(root=Repeat(period=(3.0, 0.0, 3.0), child=child))).key("main")


def test_only_crossing_the_symmetry_line_changes_the_program():
    """Numbers stay uniforms, except the few that decide whether the neighbouring cells are
    needed: moving the copy off-centre along a repeated axis recompiles once."""
    centred = _key(Translate(offset=(0.0, 0.5, 0.0), child=Sphere(radius=0.5)))
    assert _key(Translate(offset=(0.0, 0.9, 0.0), child=Sphere(radius=0.8))) == centred
    assert _key(Translate(offset=(0.3, 0.5, 0.0), child=Sphere(radius=0.5))) != centred
    assert _key(Translate(offset=(0.6, 0.5, 0.0), child=Sphere(radius=0.5))) == \
        _key(Translate(offset=(0.3, 0.5, 0.0), child=Sphere(radius=0.5)))


def test_a_copy_that_spins_a_whole_turn_a_second_is_seamless_at_any_time(gl_ctx):
    spun = Repeat(period=(2.0, 0.0, 2.0), child=Rotate(spin=(0.0, 360.0, 0.0), child=Box(size=(0.7, 0.3, 0.15))))
    assert seamed_repeat_axes(spun) == (True, False, True)
    values = field(gl_ctx, spun, across_the_wall(1.0), FrameValues(anim_time=1.0 / 12.0))   # 30 degrees
    assert np.abs(values[:200] - values[200:]).max() < 0.01


def test_noise_rides_on_a_spinning_copy_wherever_the_copy_is(gl_ctx):
    """Below a spinning rotation the noise turns with the copy about its own centre; turned about
    the repeat's origin instead, a copy 40 units out would see it slide past 40 times faster."""
    spinning = Repeat(period=(4.0, 0.0, 4.0), child=Rotate(
        spin=(0.0, 30.0, 0.0), child=Displace(amplitude=0.2, frequency=2.0, child=Sphere(radius=1.0))))
    rng = np.random.default_rng(3)
    local = rng.uniform(-1.3, 1.3, (300, 3)).astype(np.float32)
    change = []
    for centre in (0.0, 40.0):
        points = local + np.float32([centre, 0.0, 0.0])
        before = field(gl_ctx, spinning, points, FrameValues(anim_time=1.0))
        after = field(gl_ctx, spinning, points, FrameValues(anim_time=1.05))
        change.append(np.abs(after - before).mean())
    assert change[0] > 1e-4   # it does move
    assert change[1] < 1.5 * change[0], change


def test_noise_rides_on_a_growing_copy_wherever_the_copy_is(gl_ctx):
    """A grow's channel changes over time; scaling the noise about the repeat's origin would slide
    it across a far copy 40 times faster than across the centre one."""
    growing = Repeat(period=(4.0, 0.0, 4.0), child=Grow(
        channel=0, child=Displace(amplitude=0.2, frequency=2.0, child=Sphere(radius=1.0))))
    rng = np.random.default_rng(4)
    local = rng.uniform(-1.3, 1.3, (300, 3)).astype(np.float32)
    change = []
    for centre in (0.0, 40.0):
        points = local + np.float32([centre, 0.0, 0.0])
        before = field(gl_ctx, growing, points, FrameValues(channels=(0.80,)))
        after = field(gl_ctx, growing, points, FrameValues(channels=(0.81,)))
        change.append(np.abs(after - before).mean())
    assert change[0] > 1e-4
    assert change[1] < 1.5 * change[0], change


UNBOUNDED_CHILDREN = {
    "mirror over terrain": Mirror(axes=(0.0, 0.0, 1.0), child=Terrain(height=1.0, wavelength=3.0, octaves=3)),
    "mirror over an endless row of bumpy balls": Mirror(axes=(1.0, 0.0, 0.0), child=Repeat(
        period=(0.0, 0.0, 1.3), child=Displace(amplitude=0.1, frequency=2.0, child=Sphere(radius=0.4)))),
    "grow over terrain": Grow(child=Terrain(height=1.0, wavelength=3.0, octaves=3)),
}


@pytest.mark.parametrize("name", list(UNBOUNDED_CHILDREN))
def test_an_unbounded_child_is_continuous_across_walls_and_cell_centres(gl_ctx, name):
    """The neighbouring cells cannot mend a child that reaches past them: the pair of cells looked
    at changes at each cell's centre, where such a child jumped by up to 0.155."""
    child = UNBOUNDED_CHILDREN[name]
    assert not bounded(child)
    grid = Repeat(period=(3.0, 0.0, 3.0), child=child)
    assert seamed_repeat_axes(grid) == (False, False, False)
    values = FrameValues(channels=(0.8,))
    for x in (1.5, 6.0, 7.5):   # a wall, a cell's centre, a wall
        pair = field(gl_ctx, grid, across_the_wall(x), values)
        assert np.abs(pair[:200] - pair[200:]).max() < 0.01, x


def test_bounded():
    assert bounded(Displace(child=Translate(child=BALL)))
    assert not bounded(Union(children=(BALL, Terrain())))
    assert bounded(Intersection(children=(Terrain(), BALL)))
    assert not bounded(Repeat(period=(2.0, 0.0, 0.0), child=BALL))
    assert bounded(Repeat(period=(2.0, 0.0, 0.0), count=(3.0, 0.0, 0.0), child=BALL))
