"""Each compositor effect, measured on synthetic layers: identity at zero, and what it does above.

Images are top-down numpy arrays, uploaded with `Compositor.upload` (which flips them into GL row
order) and read back with `Compositor.read`, so every index here is (row from the top, column).
"""

from __future__ import annotations

import numpy as np
import pytest

from renderer.compositor import EFFECT_NAMES, Compositor, GlitchParams, Portal
from renderer.compositor.effects import (
    BLOCK_SIZE, SCANLINE_DARK, posterize_levels, split_offset_pixels, tear_max_shift_pixels,
)
from renderer.gl.programs import ProgramCache

W, H = 128, 64


@pytest.fixture(scope="module")
def cache(gl_ctx):
    cache = ProgramCache(gl_ctx)
    yield cache
    cache.release()


@pytest.fixture(scope="module")
def images():
    rng = np.random.default_rng(5)
    y, x = np.mgrid[0:H, 0:W]
    unique = np.stack([x * 2, y * 4, (x * 7 + y * 13) % 256], axis=-1).astype(np.uint8)
    gradient = np.stack([x * 2, x * 2, 255 - x * 2], axis=-1).astype(np.uint8)
    return {
        "noise": rng.integers(0, 256, (H, W, 3), dtype=np.uint8),
        "noise2": rng.integers(0, 256, (H, W, 3), dtype=np.uint8),
        "noise3": rng.integers(0, 256, (H, W, 3), dtype=np.uint8),
        "columns": np.repeat(rng.integers(0, 256, (1, W, 3), dtype=np.uint8), H, axis=0),
        "unique": unique,
        "gradient": gradient,
        "grey": np.full((H, W, 3), 128, np.uint8),
        "host": np.full((H, W, 3), (40, 90, 200), np.uint8),
    }


@pytest.fixture(scope="module")
def comp(gl_ctx, cache):
    c = Compositor(gl_ctx, (W, H), keyframe_interval=4, seed=3, cache=cache)
    yield c
    c.release()


@pytest.fixture(scope="module")
def textures(comp, images):
    tex = {name: comp.upload(img) for name, img in images.items()}
    yield tex
    for t in tex.values():
        t.release()


def run(comp, textures, names, params, frame):
    comp.composite([textures[n] for n in names], params, frame)
    return comp.read()


# -- identity ------------------------------------------------------------------------------------

def test_all_zero_and_no_portals_returns_layer0_exactly(comp, textures, images):
    out = run(comp, textures, ["noise", "unique", "grey"], GlitchParams.zero(), 0)
    np.testing.assert_array_equal(out, images["noise"])
    closed = GlitchParams(portals=(Portal(openness=0.0, source=1),))
    np.testing.assert_array_equal(run(comp, textures, ["noise", "unique"], closed, 1), images["noise"])


@pytest.mark.parametrize("name", EFFECT_NAMES)
def test_each_effect_at_zero_is_identity_even_with_history(comp, textures, images, name):
    comp.reset()
    run(comp, textures, ["noise2"], GlitchParams.only(name, 1.0), 8)
    on = run(comp, textures, ["noise"], GlitchParams.only(name, 1.0), 9)
    assert np.any(on != images["noise"]), f"{name} at 1 changed nothing"
    comp.reset()
    # Frames 5, 6, 7 follow key frame 4, so history is live; the layer changes each frame.
    for frame, layer in zip((4, 5, 6, 7), ("noise2", "noise3", "unique", "noise")):
        out = run(comp, textures, [layer], GlitchParams(**{name: 0.0}), frame)
        np.testing.assert_array_equal(out, images[layer])
    assert comp.used_history


# -- tearing -------------------------------------------------------------------------------------

def row_shifts(original: np.ndarray, out: np.ndarray) -> np.ndarray:
    """Per row, the circular shift s with roll(original_row, s) == out_row (a row that matches no
    shift fails the test): cross-correlation of each row with every shift of the original."""
    shifts = np.empty(original.shape[0], int)
    for r in range(original.shape[0]):
        errors = [np.abs(np.roll(original[r], s, axis=0).astype(int) - out[r]).sum() for s in range(W)]
        best = int(np.argmin(errors))
        assert errors[best] == 0, f"row {r} is not a whole-pixel shift of the input"
        shifts[r] = best if best <= W // 2 else best - W
    return shifts


def test_tearing_shifts_rows_in_bands_within_the_bound(comp, textures, images):
    img = images["noise"]
    seen = []
    for intensity in (1.0, 0.5):
        bound = tear_max_shift_pixels(W, intensity)
        for frame in (10, 11, 12):
            out = run(comp, textures, ["noise"], GlitchParams(tear=intensity), frame)
            shifts = row_shifts(img, out)
            moved = shifts != 0
            assert moved.any() and not moved.all(), (intensity, frame, shifts)
            assert np.abs(shifts).max() <= bound
            np.testing.assert_array_equal(out[~moved], img[~moved])
            # Rows move in bands: far fewer runs of moved rows than moved rows.
            runs = np.count_nonzero(np.diff(moved.astype(int)) == 1) + int(moved[0])
            assert runs <= max(2, moved.sum() // 2)
            seen.append(tuple(shifts))
    assert len(set(seen)) == len(seen), "different frames must tear differently"
    again = run(comp, textures, ["noise"], GlitchParams(tear=1.0), 10)
    assert tuple(row_shifts(img, again)) == seen[0], "same frame, same tear"


def test_tearing_depends_on_the_seed(gl_ctx, cache, comp, textures, images):
    other = Compositor(gl_ctx, (W, H), seed=4, cache=cache)
    try:
        other.composite([textures["noise"]], GlitchParams(tear=1.0), 10)
        a = other.read()
    finally:
        other.release()
    b = run(comp, textures, ["noise"], GlitchParams(tear=1.0), 10)
    assert np.any(a != b)


# -- channel split -------------------------------------------------------------------------------

def column_shift(original: np.ndarray, out: np.ndarray, limit: int = 12) -> int:
    """The horizontal shift s of one channel: out[:, x] == original[:, x - s] away from the edges."""
    inner = slice(limit, W - limit)
    errors = {s: np.abs(np.roll(original, s, axis=1)[:, inner].astype(int) - out[:, inner]).sum()
              for s in range(-limit, limit + 1)}
    best = min(errors, key=errors.get)
    assert errors[best] == 0
    return best


@pytest.mark.parametrize("intensity", [1.0, 0.6])
def test_channel_split_offsets_red_and_blue_opposite_ways(comp, textures, images, intensity):
    d = split_offset_pixels(W, intensity)
    assert d >= 2
    img = images["columns"]
    out = run(comp, textures, ["columns"], GlitchParams(channel_split=intensity), 3)
    np.testing.assert_array_equal(out[..., 1], img[..., 1])
    assert column_shift(img[..., 0], out[..., 0]) == d
    assert column_shift(img[..., 2], out[..., 2]) == -d


# -- blocks --------------------------------------------------------------------------------------

def test_blocks_change_whole_block_aligned_rectangles(comp, textures, images):
    img = images["unique"]  # every pixel distinct, so a corrupted block changes (nearly) all pixels
    corrupted = 0
    for frame in (1, 2, 3):
        out = run(comp, textures, ["unique"], GlitchParams(blocks=1.0), frame)
        changed = np.any(out != img, axis=-1)
        fraction = changed.reshape(H // BLOCK_SIZE, BLOCK_SIZE, W // BLOCK_SIZE, BLOCK_SIZE).mean(axis=(1, 3))
        hit = fraction > 0
        assert np.all(fraction[hit] >= 0.9), fraction
        corrupted += int(hit.sum())
        assert not hit.all()
    assert corrupted >= 3


# -- posterise -----------------------------------------------------------------------------------

def test_posterize_reduces_the_number_of_levels(comp, textures, images):
    counts = []
    for intensity in (0.3, 0.6, 1.0):
        out = run(comp, textures, ["gradient"], GlitchParams(posterize=intensity), 1)
        levels = len(np.unique(out[..., 0]))
        assert levels <= posterize_levels(intensity)
        counts.append(levels)
    assert len(np.unique(images["gradient"][..., 0])) == W
    assert counts == sorted(counts, reverse=True) and counts[-1] < counts[0]


# -- interlace / VHS -----------------------------------------------------------------------------

def test_interlace_darkens_alternate_lines(comp, textures, images):
    comp.reset()
    out = run(comp, textures, ["grey"], GlitchParams(interlace=1.0), 4).astype(float)
    row_change = (out - 128.0).mean(axis=(1, 2))
    odd, even = row_change[1::2], row_change[0::2]
    assert np.median(odd) < -0.7 * SCANLINE_DARK * 128
    assert np.median(np.abs(even)) < 6
    again = run(comp, textures, ["grey"], GlitchParams(interlace=1.0), 4)
    np.testing.assert_array_equal(out, again)


def test_interlace_combs_the_previous_field_into_old_field_lines(comp, textures, images):
    comp.reset()
    run(comp, textures, ["noise"], GlitchParams(interlace=1.0), 4)
    out = run(comp, textures, ["noise2"], GlitchParams(interlace=1.0), 5).astype(float)
    assert comp.used_history
    a, b = images["noise"].astype(float), images["noise2"].astype(float)
    old_rows = np.arange(H) % 2 != 5 % 2  # lines of the old field show the previous frame
    to_prev = np.abs(out - a).mean(axis=(1, 2))
    to_cur = np.abs(out - b).mean(axis=(1, 2))
    assert np.median(to_prev[old_rows]) < np.median(to_cur[old_rows])
    assert np.median(to_cur[~old_rows]) < np.median(to_prev[~old_rows])


# -- datamosh and key frames ---------------------------------------------------------------------

SEQUENCE = ("noise", "noise2", "unique", "noise3", "gradient")


def layer_for(frame: int) -> str:
    return SEQUENCE[frame % len(SEQUENCE)]


def test_datamosh_frame_after_a_key_frame_depends_on_the_previous_frame(comp, textures, images):
    mosh = GlitchParams(datamosh=1.0)
    comp.reset()
    key = run(comp, textures, ["noise"], mosh, 8)
    np.testing.assert_array_equal(key, images["noise"])  # key frame: nothing to smear yet
    assert not comp.used_history
    after_a = run(comp, textures, ["noise2"], mosh, 9)
    assert comp.used_history
    comp.reset()
    run(comp, textures, ["unique"], mosh, 8)
    after_b = run(comp, textures, ["noise2"], mosh, 9)
    assert np.any(after_a != after_b)
    # Held blocks show the previous picture moved: much of frame 9 is not the new layer.
    assert np.mean(np.any(after_a != images["noise2"], axis=-1)) > 0.3


def test_rendering_from_a_key_frame_equals_rendering_continuously(gl_ctx, cache, textures):
    params = GlitchParams(datamosh=1.0, interlace=0.7, tear=0.3, blocks=0.4)
    continuous = Compositor(gl_ctx, (W, H), keyframe_interval=4, seed=3, cache=cache)
    segment = Compositor(gl_ctx, (W, H), keyframe_interval=4, seed=3, cache=cache)
    late = Compositor(gl_ctx, (W, H), keyframe_interval=4, seed=3, cache=cache)
    try:
        full = {}
        for f in range(0, 11):
            full[f] = run(continuous, textures, [layer_for(f)], params, f)
        for f in range(8, 11):
            np.testing.assert_array_equal(run(segment, textures, [layer_for(f)], params, f), full[f])
        # A segment that starts off a key frame lacks the history and differs until the next one.
        assert np.any(run(late, textures, [layer_for(9)], params, 9) != full[9])
        assert late.keyframe_at_or_before(9) == 8
    finally:
        for c in (continuous, segment, late):
            c.release()


def test_recompositing_a_frame_is_stable_and_jumps_reset_history(comp, textures):
    params = GlitchParams(datamosh=1.0)
    comp.reset()
    run(comp, textures, ["noise"], params, 12)
    first = run(comp, textures, ["noise2"], params, 13)
    again = run(comp, textures, ["noise2"], params, 13)
    np.testing.assert_array_equal(first, again)
    assert comp.used_history
    run(comp, textures, ["noise2"], params, 15)  # skipped frame 14: history is stale
    assert not comp.used_history


# -- portals -------------------------------------------------------------------------------------

def portal_distances(centre, shape=(H, W)):
    y, x = np.mgrid[0:shape[0], 0:shape[1]]
    return np.hypot(x + 0.5 - centre[0] * W, y + 0.5 - centre[1] * H)


@pytest.mark.parametrize("centre", [(0.5, 0.5), (0.25, 0.3)])
def test_portal_shows_the_source_layer_inside_and_the_host_outside(comp, textures, images, centre):
    portal = Portal(centre=centre, radius=0.4, source=2, rim_width=0.06, rim_color=(1.0, 0.5, 0.2))
    # Stale content in the portal pass's texture must never show (the pass is scissored).
    comp._scene.write(np.random.default_rng(1).integers(0, 256, (H, W, 4), dtype=np.uint8).tobytes())
    out = run(comp, textures, ["host", "noise", "unique"], GlitchParams(portals=(portal,)), 5)
    r = portal.radius * H
    rim = portal.rim_width * H
    d = portal_distances(centre)
    inside = d < r * 0.95 - rim - 2
    outside = d > r * 1.05 + rim + 2
    assert inside.sum() > 100 and outside.sum() > 1000
    diff_in = np.abs(out.astype(int) - images["unique"])[inside]
    assert diff_in.max() <= 1
    np.testing.assert_array_equal(out[outside], images["host"][outside])
    ring = (d > r * 0.95 + 1) & (d < r * 1.05 + 1)
    assert out[ring].astype(int).sum(axis=-1).mean() > images["host"][0, 0].astype(int).sum() + 30


def test_portals_apply_in_order_and_open_from_their_centre(comp, textures, images):
    a = Portal(centre=(0.3, 0.5), radius=0.3, source=1, rim_width=0.0)
    b = Portal(centre=(0.7, 0.5), radius=0.3, source=2, rim_width=0.0, openness=0.5)
    out = run(comp, textures, ["host", "noise", "unique"], GlitchParams(portals=(a, b)), 2)
    da, db = portal_distances(a.centre), portal_distances(b.centre)
    np.testing.assert_array_equal(out[da < 0.3 * H * 0.95 - 2], images["noise"][da < 0.3 * H * 0.95 - 2])
    half = 0.3 * H * 0.5
    np.testing.assert_array_equal(out[db < half * 0.95 - 2], images["unique"][db < half * 0.95 - 2])
    far = (da > 0.3 * H * 1.05 + 2) & (db > half * 1.05 + 2)
    np.testing.assert_array_equal(out[far], images["host"][far])
    # A later portal is drawn over an earlier one where they overlap.
    c = Portal(centre=(0.4, 0.5), radius=0.3, source=2, rim_width=0.0)
    out = run(comp, textures, ["host", "noise", "unique"], GlitchParams(portals=(a, c)), 2)
    dc = portal_distances(c.centre)
    both = (da < 0.3 * H * 0.95 - 2) & (dc < 0.3 * H * 0.95 - 2)
    assert both.sum() > 100
    np.testing.assert_array_equal(out[both], images["unique"][both])


@pytest.mark.parametrize("portal_depth, hidden_on_left", [(5.0, True), (0.0, False)],
                         ids=["anchored portal", "overlay portal"])
def test_host_geometry_nearer_than_a_portal_hides_it(gl_ctx, comp, textures, images, portal_depth,
                                                     hidden_on_left):
    """Host depth: a surface 1 unit away on the left half, nothing (a miss) on the right half."""
    depth = np.full((H, W), 1e30, np.float32)
    depth[:, : W // 2] = 1.0
    host_depth = gl_ctx.texture((W, H), 1, np.ascontiguousarray(depth[::-1]).tobytes(), dtype="f4")
    try:
        portal = Portal(centre=(0.5, 0.5), radius=0.4, source=2, rim_width=0.05, depth=portal_depth)
        comp.composite([textures["host"], textures["noise"], textures["unique"]],
                       GlitchParams(portals=(portal,)), 3, host_depth)
        out = comp.read()
    finally:
        host_depth.release()
    near = portal_distances(portal.centre) < portal.radius * H * 1.2 + 3   # portal, rim and glow
    left, right = near.copy(), near.copy()
    left[:, W // 2:] = False
    right[:, : W // 2] = False
    inner_right = right & (portal_distances(portal.centre) < portal.radius * H * 0.6)
    assert left.sum() > 200 and inner_right.sum() > 100
    np.testing.assert_array_equal(out[inner_right], images["unique"][inner_right])
    if hidden_on_left:
        np.testing.assert_array_equal(out[left], images["host"][left])
    else:
        inner_left = left & (portal_distances(portal.centre) < portal.radius * H * 0.6)
        np.testing.assert_array_equal(out[inner_left], images["unique"][inner_left])


def test_portal_depth_must_be_a_distance():
    for bad in (-1.0, float("nan"), float("inf"), True, "far"):
        with pytest.raises(ValueError, match="Portal.depth"):
            Portal(depth=bad)


def test_prepare_compiles_every_program_a_frame_needs(gl_ctx, textures):
    cache = ProgramCache(gl_ctx)
    comp = Compositor(gl_ctx, (W, H), cache=cache)
    try:
        everything = GlitchParams(tear=0.5, channel_split=0.5, blocks=0.5, datamosh=0.5, interlace=0.5,
                                  posterize=0.5, portals=(Portal(source=1), Portal(centre=(0.2, 0.2), source=2)))
        ready = comp.prepare([GlitchParams.zero(), everything])
        assert ready == cache.compiles == 1 + 4  # identity; effects + portal pass + 2 tables
        for frame in range(3):
            comp.composite([textures["host"], textures["noise"], textures["unique"]], everything, frame)
            comp.composite([textures["host"]], GlitchParams.zero(), frame)
        assert cache.compiles == 5
    finally:
        comp.release()
        cache.release()


# -- argument checks -----------------------------------------------------------------------------

def test_bad_arguments_are_rejected(gl_ctx, comp, textures):
    small = gl_ctx.texture((W // 2, H), 3)
    try:
        with pytest.raises(ValueError, match="size"):
            comp.composite([small], GlitchParams.zero(), 0)
    finally:
        small.release()
    with pytest.raises(ValueError, match="source"):
        comp.composite([textures["host"]], GlitchParams(portals=(Portal(source=1),)), 0)
    with pytest.raises(ValueError, match="layers"):
        comp.composite([textures["host"]] * 5, GlitchParams.zero(), 0)
    with pytest.raises(ValueError, match="frame_index"):
        comp.composite([textures["host"]], GlitchParams.zero(), -1)
    with pytest.raises(ValueError, match="own textures"):
        comp.composite([comp.output], GlitchParams.zero(), 0)
    with pytest.raises(ValueError, match="keyframe_interval"):
        Compositor(gl_ctx, (W, H), keyframe_interval=0)


def test_a_portal_centred_outside_the_frame_draws_the_part_that_reaches_in(comp, textures, images):
    portal = Portal(centre=(-0.1, 0.5), radius=0.4, source=2, rim_width=0.0)
    out = run(comp, textures, ["host", "noise", "unique"], GlitchParams(portals=(portal,)), 4)
    d = portal_distances(portal.centre)
    inside, outside = d < portal.radius * H * 0.9, d > portal.radius * H * 1.1
    assert inside.sum() > 100, "part of it is in the frame"
    np.testing.assert_array_equal(out[inside], images["unique"][inside])
    np.testing.assert_array_equal(out[outside], images["host"][outside])


def test_a_portal_rim_at_the_frame_edge_does_not_read_the_opposite_side(gl_ctx, comp, images):
    """The source is black on its left edge and white on its right; the rim's swirl of a portal
    straddling the left edge must never bring in white from the right."""
    source = np.zeros((H, W, 3), np.uint8)
    source[:, W - 8:] = 255
    host = comp.upload(images["grey"])
    other = comp.upload(source)
    try:
        portal = Portal(centre=(0.02, 0.5), radius=0.45, source=1, rim_width=0.15, rim_color=(0.0, 0.0, 0.0))
        comp.composite([host, other], GlitchParams(portals=(portal,)), 2)
        out = comp.read()
    finally:
        host.release()
        other.release()
    inside = portal_distances(portal.centre) < portal.radius * H * 0.95
    assert out[inside].max() < 200, "white from the far edge was read through the swirl"
