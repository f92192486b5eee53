"""The program key depends on structure only: values travel as uniforms, so changing them never
recompiles, while changing node types or nesting does."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import numpy as np
import pytest

from renderer.compile.frame import FrameOptions, evaluate_frame
from renderer.compile.frame_values import FrameValues
from renderer.compile.program import compile_scene
from renderer.scene.loader import parse_scene

ROOT = Path(__file__).resolve().parent.parent

BASE = {
    "radius": "1.0", "height": "1.0", "degrees": "[0.0, 30.0, 0.0]", "stone_color": "[0.5, 0.5, 0.5]",
    "stone_roughness": "0.4", "cam": "[0.0, 1.0, 6.0]", "emotion": "joy = 0.6",
    "world": "union", "world_extra": "", "ball": "sphere", "ball_size": "radius = {radius}",
    "extra_children": "",
}

TEMPLATE = """
[scene]
name = "keyed"
seed = 3
root = "world"

[emotion]
{emotion}

[nodes.world]
type = "{world}"
{world_extra}
children = ["ground", "ball", "spun"{extra_children}]

[nodes.ground]
type = "terrain"
height = {height}
wavelength = 8.0
octaves = 3
offset = -1.5
material = "grass"

[nodes.ball]
type = "{ball}"
{ball_size}
material = "stone"

[nodes.spun]
type = "rotate"
degrees = {degrees}
child = "cube"

[nodes.cube]
type = "box"
size = [0.4, 0.4, 0.4]
material = "stone"

[nodes.extra]
type = "torus"
major = 1.0
minor = 0.1

[materials.grass]
palette = -1
color = [0.2, 0.6, 0.2]
roughness = 0.8

[materials.stone]
palette = -1
color = {stone_color}
roughness = {stone_roughness}

[camera]
position = {cam}
target = [0.0, 0.0, 0.0]

[render]
max_steps = 64
"""


def make(**changes):
    values = {**BASE, **changes}
    values["ball_size"] = values["ball_size"].format(radius=values["radius"])
    return compile_scene(parse_scene(tomllib.loads(TEMPLATE.format(**values)), "keyed.toml"))


def uniforms(compiled):
    return evaluate_frame(compiled, 0.5, FrameOptions(shake=False, flicker=False)).uniforms


def all_keys(compiled):
    return (compiled.key("main"), compiled.key("prepass"), compiled.key("main", debug_steps=True))


# Each value change and the uniform it must show up in.
VALUE_CHANGES = [
    ("radius", {"radius": "2.5"}, "uParams"),
    ("terrain-height", {"height": "3.0"}, "uParams"),
    ("rotate-angle", {"degrees": "[0.0, 75.0, 10.0]"}, "uParams"),
    ("colour", {"stone_color": "[0.9, 0.1, 0.1]"}, "uMatAlbedo"),
    ("roughness", {"stone_roughness": "0.95"}, "uMatAlbedo"),
    ("camera", {"cam": "[3.0, 2.0, 5.0]"}, "uCamPos"),
    ("emotion", {"emotion": "fear = 0.9\nsadness = 0.4"}, "uParams"),
]


@pytest.mark.parametrize("changes, uniform", [c[1:] for c in VALUE_CHANGES], ids=[c[0] for c in VALUE_CHANGES])
def test_value_changes_keep_the_key_and_change_the_uniforms(changes, uniform):
    base, changed = make(), make(**changes)
    assert changed.scene != base.scene
    assert all_keys(changed) == all_keys(base)
    assert changed.source().text == base.source().text
    a, b = uniforms(base)[uniform], uniforms(changed)[uniform]
    assert not np.allclose(np.asarray(a, dtype=float), np.asarray(b, dtype=float)), uniform


@pytest.mark.parametrize("field", ["radius", "terrain-height", "rotate-angle"])
def test_node_values_travel_through_the_param_layout(field):
    changes = dict((c[0], c[1]) for c in VALUE_CHANGES)[field]
    base, changed = make(), make(**changes)
    packed_a = base.map.layout.pack(FrameValues())
    packed_b = changed.map.layout.pack(FrameValues())
    assert packed_a.shape == packed_b.shape
    assert not np.array_equal(packed_a, packed_b)


def test_the_radius_itself_is_in_the_packed_params():
    packed = make(radius="2.75").map.layout.pack(FrameValues())
    assert np.isclose(packed, 2.75).sum() >= 1
    assert not np.isclose(make().map.layout.pack(FrameValues()), 2.75).any()


def test_emotion_changes_the_packed_terrain_params():
    """The terrain's amplitude follows the emotion's noise amplitude (a per-frame value)."""
    base, scared = make(), make(emotion="fear = 1.0")
    fv_a = evaluate_frame(base, 0.0).values
    fv_b = evaluate_frame(scared, 0.0).values
    assert fv_a != fv_b
    assert not np.array_equal(base.map.layout.pack(fv_a), base.map.layout.pack(fv_b))


STRUCTURE_CHANGES = [
    ("add-node", {"extra_children": ', "extra"'}),
    ("sphere-to-box", {"ball": "box", "ball_size": "size = [1.0, 1.0, 1.0]"}),
    ("union-to-smooth-union", {"world": "smooth_union", "world_extra": "k = 0.3"}),
    ("union-to-intersection", {"world": "intersection"}),
]


@pytest.mark.parametrize("changes", [c[1] for c in STRUCTURE_CHANGES], ids=[c[0] for c in STRUCTURE_CHANGES])
def test_structure_changes_change_the_key(changes):
    base, changed = make(), make(**changes)
    for a, b in zip(all_keys(base), all_keys(changed)):
        assert a != b


def test_prepass_and_debug_steps_have_their_own_keys():
    compiled = make()
    keys = (compiled.key("main"), compiled.key("prepass"), compiled.key("main", True),
            compiled.key("prepass", True))
    assert len(set(keys[:3])) == 3
    assert "#define DS_DEBUG_STEPS 1" in compiled.source("main", True).text
    assert "#define DS_DEBUG_STEPS" not in compiled.source("main").text
    assert compiled.key("main") == make().key("main"), "the key is deterministic"


def test_compile_layer_does_not_import_moderngl():
    code = (
        "import sys\n"
        "import renderer.compile.program, renderer.compile.codegen, renderer.compile.frame\n"
        "import renderer.scene.loader, renderer.scene.serialize, renderer.scene.nodes, renderer.scene.model\n"
        "import renderer.scene.fields, renderer.scene.emotion_io, renderer.scene.bundled\n"
        "from renderer.scene.bundled import load_scene_arg\n"
        "from renderer.compile.frame import evaluate_frame\n"
        "c = renderer.compile.program.compile_scene(load_scene_arg('mia'))\n"
        "c.source('main'); c.source('prepass'); evaluate_frame(c, 1.0)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('moderngl', 'glcontext')"
        " or m.startswith('renderer.gl'))\n"
        "assert not bad, bad\n"
        "print('clean')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "clean"


def test_the_program_cache_compiles_once_per_structure(gl_ctx):
    from renderer.gl.programs import ProgramCache
    from renderer.gl.raymarch import SceneRenderer

    options = FrameOptions(shake=False, flicker=False)
    cache = ProgramCache(gl_ctx)
    small = make(radius="0.6", cam="[0.0, 0.5, 4.0]")
    large = make(radius="1.8", cam="[0.0, 0.5, 4.0]")
    assert small.key() == large.key()
    renderer = SceneRenderer(gl_ctx, small, (32, 18), prepass=False, cache=cache)
    try:
        first = renderer.render(0.5, options)
        assert cache.compiles == 1
        assert first.shape == (18, 32, 3)
        assert np.array_equal(renderer.render(0.5, options), first)
        assert cache.compiles == 1

        renderer.set_scene(large)
        second = renderer.render(0.5, options)
        assert cache.compiles == 1, "a new radius must not recompile"
        assert np.abs(second.astype(int) - first.astype(int)).max() > 10, "the new radius must show"

        renderer.set_scene(make(ball="box", ball_size="size = [1.0, 1.0, 1.0]", cam="[0.0, 0.5, 4.0]"))
        renderer.render(0.5, options)
        assert cache.compiles == 2, "a new structure compiles a new program"
    finally:
        renderer.release()
        cache.release()
