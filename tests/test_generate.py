"""Procedural dream worlds: `renderer.scene.generate.generate_scene(pad, seed)`.

Fifteen worlds (five seeds x fear, joy and a calm-ish emotion) must round-trip through TOML, be
deterministic (also in a fresh process with another hash salt), differ from each other, store
their emotion, stay within the node and step budgets, render to something that is not blank, and
follow EMOTION.md section 3 structurally: fear sharper than joy, arousal -> more shapes and more
motion, dominance -> bigger features.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import numpy as np
import pytest

from renderer.errors import InputError
from renderer.scene.emotion import PAD, EmotionTrack
from renderer.scene.emotion_io import parse_emotion_argument
from renderer.scene.emotion_map import map_emotion
from renderer.scene.generate import MAX_NODES, MAX_SEED, generate_scene, structural_sharpness
from renderer.scene.loader import parse_scene
from renderer.scene.nodes import (
    Box, Capsule, Cone, Displace, Mirror, Plane, Primitive, Repeat, Rotate, RoundBox, Sphere,
    Terrain, Torus, Translate, Warp, count_nodes, walk,
)
from renderer.scene.serialize import scene_to_toml

EMOTIONS = {"fear": "fear=1", "joy": "joy=1", "calm": "valence=0.5,arousal=-0.6"}
SEEDS = (1, 2, 3, 4, 5)
KEYS = [(e, s) for e in EMOTIONS for s in SEEDS]


def _pad(emotion: str) -> PAD:
    return parse_emotion_argument(EMOTIONS[emotion])


@pytest.fixture(scope="module")
def scenes():
    return {(e, s): generate_scene(_pad(e), s) for e, s in KEYS}


@pytest.fixture(scope="module")
def tomls(scenes):
    return {key: scene_to_toml(scene) for key, scene in scenes.items()}


# -- validity ---------------------------------------------------------------------------------
@pytest.mark.parametrize("key", KEYS, ids=[f"{e}-{s}" for e, s in KEYS])
def test_round_trips_through_its_own_toml(scenes, tomls, key):
    loaded = parse_scene(tomllib.loads(tomls[key]), "gen")
    assert loaded == scenes[key]
    assert scene_to_toml(loaded) == tomls[key]


def test_budgets_materials_and_names(scenes):
    for key, scene in scenes.items():
        assert count_nodes(scene.root) <= MAX_NODES, key
        assert scene.render.max_steps <= 384, key
        noise = [n for n in walk(scene.root) if isinstance(n, (Terrain, Displace, Warp))]
        assert len(noise) <= 1, f"{key}: {len(noise)} noise nodes (each is costly to compile)"
        for node in walk(scene.root):
            if isinstance(node, Primitive):
                assert node.material in scene.materials, (key, node.material)
                assert node.name, f"{key}: unnamed {node.TYPE}"
        assert scene.root.name == "world", key
        assert scene.name == f"Generated dream (seed {key[1]})"
        assert key[0] in scene.description, scene.description


def _ground_top(scene, emotion) -> float:
    """The highest the ground can be drawn: the renderer scales terrain heights by the noise
    amplitude, then the whole world by the feature scale about the camera's target."""
    params = map_emotion(_pad(emotion))
    tops = [n.offset + n.height * params.noise_amplitude for n in walk(scene.root) if isinstance(n, Terrain)]
    tops += [-n.offset for n in walk(scene.root) if isinstance(n, Plane)]
    pivot = scene.camera.target[1]
    return max(pivot + (top - pivot) * params.feature_scale for top in tops)


def test_camera_is_above_the_ground_and_away_from_the_shapes(scenes):
    for key, scene in scenes.items():
        cam, target = np.array(scene.camera.position), np.array(scene.camera.target)
        assert cam[1] > _ground_top(scene, key[0]) + 0.3, key
        # Every shape's translation but the moon's lies nearer the world's y axis than the camera,
        # also once the renderer has scaled the world about the target.
        fs = map_emotion(_pad(key[0])).feature_scale
        for node in walk(scene.root):
            if isinstance(node, Translate) and node.name != "moon":
                drawn = target + (np.array(node.offset) - target) * fs
                assert np.hypot(*(drawn - cam)[[0, 2]]) > 1.0, (key, node.name)
        assert np.linalg.norm(target - cam) > 1.0, key


# -- determinism and variety ---------------------------------------------------------------------
def test_deterministic(tomls):
    for (e, s), text in tomls.items():
        assert scene_to_toml(generate_scene(_pad(e), s)) == text


def test_deterministic_across_processes(tomls):
    """A fresh interpreter with a different string-hash salt writes the same files."""
    code = (
        "import hashlib, sys\n"
        "from renderer.scene.emotion_io import parse_emotion_argument\n"
        "from renderer.scene.generate import generate_scene\n"
        "from renderer.scene.serialize import scene_to_toml\n"
        "for spec in sys.argv[1:]:\n"
        "    e, s = spec.split('@')\n"
        "    text = scene_to_toml(generate_scene(parse_emotion_argument(e), int(s)))\n"
        "    print(hashlib.sha256(text.encode()).hexdigest())\n"
    )
    args = [f"{EMOTIONS[e]}@{s}" for e, s in KEYS]
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True,
                         env=env, cwd=Path(__file__).resolve().parent.parent).stdout.split()
    assert out == [hashlib.sha256(tomls[key].encode()).hexdigest() for key in KEYS]


def test_all_fifteen_differ(tomls):
    texts = list(tomls.values())
    assert len(set(texts)) == len(texts)


def test_seeds_pick_different_layouts(scenes):
    """Not just different numbers: the seeds choose among arrangements and ground styles."""
    for emotion in EMOTIONS:
        shapes = {_structure(scenes[(emotion, s)].root) for s in SEEDS}
        assert len(shapes) == len(SEEDS), emotion
        arrangements = {_arrangement(scenes[(emotion, s)].root) for s in SEEDS}
        assert arrangements == {"ring", "grid", "scattered", "tower"}, (emotion, arrangements)


def _structure(node) -> tuple:
    return (node.TYPE, tuple(_structure(c) for c in node.children_nodes()))


def _arrangement(root) -> str:
    names = {n.name for n in walk(root)}
    for name in ("ring", "grid", "tower"):
        if name in names:
            return name
    return "scattered"


# -- the emotion ----------------------------------------------------------------------------------
def test_emotion_is_stored(scenes):
    for (e, s), scene in scenes.items():
        assert scene.emotion == EmotionTrack.constant(_pad(e))
        assert scene.emotion.sample(0.0) == _pad(e)
        assert scene.seed == s


def test_fear_is_sharper_than_joy(scenes):
    fear = [structural_sharpness(scenes[("fear", s)].root) for s in SEEDS]
    joy = [structural_sharpness(scenes[("joy", s)].root) for s in SEEDS]
    calm = [structural_sharpness(scenes[("calm", s)].root) for s in SEEDS]
    assert all(f > j for f, j in zip(fear, joy)), (fear, joy)
    assert np.mean(fear) > 0.8 and np.mean(joy) < 0.2 and np.mean(calm) < 0.2, (fear, joy, calm)


def test_fear_is_foggier_and_lower_than_joy(scenes):
    for s in SEEDS:
        fear, joy = scenes[("fear", s)], scenes[("joy", s)]
        assert fear.world.fog_density > 2 * joy.world.fog_density, s
        assert fear.world.sun_direction[1] < joy.world.sun_direction[1], s
        # Camera height over the ground's highest point: a worm's-eye view for fear.
        assert _eye_height(fear, "fear") < _eye_height(joy, "joy"), s
    # Joy floats and bobs; fear's shapes mostly stand on the ground (towers' satellites float in both).
    assert sum(_bobbing(scenes[("joy", s)]) for s in SEEDS) > 2 * sum(_bobbing(scenes[("fear", s)]) for s in SEEDS)


def _eye_height(scene, emotion) -> float:
    return scene.camera.position[1] - _ground_top(scene, emotion)


def _bobbing(scene) -> int:
    return sum(1 for n in walk(scene.root) if isinstance(n, Translate) and any(n.bob))


def _instances(node, factor: int = 1):
    """(primitive, number of copies) pairs, copies multiplied through mirror and repeat."""
    if isinstance(node, Mirror):
        factor *= 2 ** int(sum(node.axes))
    if isinstance(node, Repeat):
        factor *= int(np.prod([2 * int(c) + 1 for c, p in zip(node.count, node.period) if p > 0]))
    if isinstance(node, Primitive):
        yield node, factor
    for child in node.children_nodes():
        yield from _instances(child, factor)


def _shape_count(scene) -> int:
    return sum(k for prim, k in _instances(scene.root) if not isinstance(prim, (Terrain, Plane)))


def _motion_count(scene) -> int:
    count = 0
    for n in walk(scene.root):
        count += isinstance(n, Rotate) and any(n.spin)
        count += isinstance(n, Translate) and any(n.bob)
        count += isinstance(n, (Displace, Warp)) and n.flow != 0.0
    return count


def _size(prim) -> float:
    if isinstance(prim, Sphere):
        return prim.radius
    if isinstance(prim, (Box, RoundBox)):
        return max(prim.size)
    if isinstance(prim, Cone):
        return prim.height
    if isinstance(prim, Torus):
        return prim.major + prim.minor
    if isinstance(prim, Capsule):
        return 0.5 * float(np.linalg.norm(np.subtract(prim.b, prim.a))) + prim.radius
    return 0.0


def test_arousal_brings_more_shapes_and_motion():
    for s in SEEDS:
        calm = generate_scene(PAD(0.0, -0.8, 0.0), s)
        wild = generate_scene(PAD(0.0, 0.8, 0.0), s)
        assert _shape_count(wild) > _shape_count(calm), s
        assert _motion_count(wild) > _motion_count(calm), s
        assert _motion_count(calm) <= 2, s


def test_low_arousal_gives_fewer_larger_shapes():
    """Same seed, same sharpness (so the same primitive kinds), arousal low vs high: the calm
    world has fewer shapes, and each shape drawn in both is larger in the calm one."""
    for s in SEEDS:
        calm = generate_scene(PAD(-0.4, -0.8, 0.0), s)     # sharpness 0.5 + 0.18 - 0.24 = 0.44
        wild = generate_scene(PAD(0.667, 0.8, 0.0), s)     # sharpness 0.5 - 0.3 + 0.24 = 0.44
        assert _shape_count(calm) < _shape_count(wild), s
        calm_sizes = {p.name: _size(p) for p in walk(calm.root) if isinstance(p, Primitive)}
        wild_sizes = {p.name: _size(p) for p in walk(wild.root) if isinstance(p, Primitive)}
        shared = [n for n in calm_sizes if n in wild_sizes and calm_sizes[n] and "moon" not in n]
        assert shared, s
        assert all(calm_sizes[n] > wild_sizes[n] for n in shared), (s, shared)


def test_dominance_makes_features_bigger():
    for s in SEEDS:
        small = generate_scene(PAD(0.0, 0.2, -0.8), s)
        big = generate_scene(PAD(0.0, 0.2, 0.8), s)
        small_sizes = [_size(p) for p, _ in _instances(small.root) if _size(p)]
        big_sizes = [_size(p) for p, _ in _instances(big.root) if _size(p)]
        assert np.mean(big_sizes) > 1.5 * np.mean(small_sizes), s
        for a, b in zip(walk(small.root), walk(big.root)):
            if isinstance(a, Terrain):
                assert b.wavelength > a.wavelength, s


# -- arguments --------------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", [-1, MAX_SEED + 1, 1.5, True, "3"])
def test_bad_seed_is_an_input_error(seed):
    with pytest.raises(InputError, match="seed"):
        generate_scene(PAD(0.0, 0.0, 0.0), seed)


def test_pad_must_be_a_pad():
    with pytest.raises(TypeError):
        generate_scene((0.0, 0.0, 0.0), 1)


def test_extreme_emotions_and_seeds_stay_valid():
    for pad in (PAD(-1, -1, -1), PAD(1, 1, 1), PAD(-1, 1, -1), PAD(1, -1, 1), PAD(0, 0, 0)):
        for seed in (0, MAX_SEED):
            scene = generate_scene(pad, seed)
            assert parse_scene(tomllib.loads(scene_to_toml(scene)), "gen") == scene
            assert count_nodes(scene.root) <= MAX_NODES


# -- rendering ---------------------------------------------------------------------------------------
def test_all_fifteen_render(gl_ctx, scenes):
    from renderer.output.stills import render_still

    for key, scene in scenes.items():
        image = render_still(scene, (48, 27), 1.0, ctx=gl_ctx)
        assert image.shape == (27, 48, 3)
        assert image.std() > 5.0, f"{key}: nearly flat (std {image.std():.1f})"
        colours = np.unique(image.reshape(-1, 3), axis=0)
        assert len(colours) > 20, f"{key}: only {len(colours)} colours"
        # Not a wall: the frame's top and bottom differ (sky or fog above, land or shapes below).
        top, bottom = image[:9].astype(float).mean(axis=(0, 1)), image[-9:].astype(float).mean(axis=(0, 1))
        assert np.abs(top - bottom).max() > 3.0, key
