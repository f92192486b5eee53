"""Loading, building and serialising scenes: bundled scenes, the builder API, shared subtrees, and
the guarantee that nothing but checked numbers travels from a scene file into GLSL."""

from __future__ import annotations

import dataclasses
import tomllib

import pytest

from renderer.compile.program import compile_scene
from renderer.errors import SceneError
from renderer.resources import scene_root
from renderer.scene.bundled import bundled_scene_names
from renderer.scene.loader import load_scene, parse_scene
from renderer.scene.model import DEFAULT_MATERIAL_TABLE, Camera, CameraKey, Material, Scene, World
from renderer.scene.nodes import (
    NODE_TYPES, Blend, Box, Capsule, Cone, Difference, Intersection, Mandelbulb, Plane, RoundBox, Scale,
    SmoothUnion, Sphere, Terrain, Torus, Translate, Union, walk,
)
from renderer.scene.serialize import scene_to_toml


def reload(scene: Scene, file: str = "x") -> Scene:
    return parse_scene(tomllib.loads(scene_to_toml(scene)), file)


def assert_round_trips(scene: Scene) -> Scene:
    text = scene_to_toml(scene)
    again = parse_scene(tomllib.loads(text), "x")
    assert again == scene
    assert scene_to_toml(again) == text, "a second round trip must give the same TOML text"
    return again


# ---------------------------------------------------------------------------------------------
# Bundled scenes
# ---------------------------------------------------------------------------------------------
def test_there_are_bundled_scenes():
    assert set(bundled_scene_names()) >= {"mia", "leo", "sam", "elena"}


@pytest.mark.parametrize("name", bundled_scene_names())
def test_bundled_scene_loads_and_round_trips(name):
    scene = load_scene(scene_root() / f"{name}.toml")
    assert scene.source.endswith(f"{name}.toml")
    assert len(list(walk(scene.root))) > 1
    again = assert_round_trips(scene)
    # Equality covers the graph and every section; check the structure-derived shader too.
    assert compile_scene(again).key() == compile_scene(scene).key()


def test_round_trip_keeps_emotion_track_and_world_colours():
    scene = load_scene(scene_root() / "mia.toml")
    assert scene.emotion is not None and len(scene.emotion.keys) == 3
    world = dataclasses.replace(scene.world, sky_zenith=(0.1, 0.2, 0.3),
                                palette=((0, 0, 0), (0.2, 0.2, 0.2), (0.5, 0.5, 0.5), (1, 0, 0)))
    camera = Camera(keys=(CameraKey(0.0), CameraKey(2.5, (1.0, 2.0, 3.0), (0.0, 0.0, -1.0))))
    changed = dataclasses.replace(scene, world=world, camera=camera)
    again = assert_round_trips(changed)
    assert again.world.palette[3] == (1.0, 0.0, 0.0)
    assert again.camera.keys[1].position == (1.0, 2.0, 3.0)
    assert again.emotion == scene.emotion


def test_round_trip_is_not_vacuous():
    """A changed value must survive the trip (so equality above is not trivially true)."""
    scene = load_scene(scene_root() / "sam.toml")
    junction = next(n for n in walk(scene.root) if n.name == "junction")
    assert junction.radius == 0.24
    text = scene_to_toml(scene).replace("radius = 0.24", "radius = 0.5")
    assert parse_scene(tomllib.loads(text), "x") != scene


# ---------------------------------------------------------------------------------------------
# Builder API
# ---------------------------------------------------------------------------------------------
def every_feature_graph():
    blob = (Sphere(1) | Box((1, .5, 1)).translate(0, 1, 0)).smooth(0.3)
    carved = ((blob - Torus(1.0, 0.2).rotate(10, 20, 30, spin=(0, 5, 0))).smooth(0.1)
              & RoundBox((1, 1, 1), 0.2)).smooth(0.05)
    cut = (Sphere(2) & Box((1.5, 1.5, 1.5))) - Sphere(0.5)
    lattice = Capsule((0, 0, 0), (0, 1, 0), 0.2).repeat((4, 0, 4), (2, 0, 2)).mirror(True, False, True)
    noisy = Cone(1.0, 0.5, 0.0).twist(0.5).bend(0.2).warp(0.3, 1.0, 3, 0.1).displace(0.1, 2.0, 3, 4, 0.2)
    ground = Terrain(1.5, 9.0, 4, 0.25, -1.0, 3).with_material("grass")
    fractal = Mandelbulb(7.0, 6, 1.2).scale(0.5).grow(1).with_material("glow")
    bled = Blend((ground, fractal), k=0.4, channel=1)
    return carved | cut | lattice | noisy | bled | Plane((0, 1, 0), -2.0)


def every_feature_scene():
    materials = dict(DEFAULT_MATERIAL_TABLE)
    materials["grass"] = Material(color=(0.1, 0.8, 0.2), palette=-1, roughness=0.3)
    materials["glow"] = Material(palette=3, emission=2.0, pulse_hz=0.5)
    return Scene(root=every_feature_graph(), name="builder", seed=7, materials=materials,
                 world=World(fog_density=0.1), camera=Camera(fov=40.0))


def test_builder_graph_covers_every_node_type():
    types = {type(n).TYPE for n in walk(every_feature_graph())}
    assert types == set(NODE_TYPES)


def test_builder_scene_serialises_and_loads_back_equal():
    scene = every_feature_scene()
    again = assert_round_trips(scene)
    terrain = next(n for n in walk(again.root) if isinstance(n, Terrain))
    assert (terrain.height, terrain.wavelength, terrain.octaves, terrain.ridge, terrain.seed) == (1.5, 9.0, 4, 0.25, 3)
    assert terrain.material == "grass"
    # Generated names are written into the file, so the reloaded program key is stable from here.
    assert compile_scene(reload(again)).key() == compile_scene(again).key()


def test_builder_operators_build_the_expected_nodes():
    a, b, c = Sphere(1), Box((1, 1, 1)), Torus(1, 0.2)
    u = a | b | c
    assert type(u) is Union and u.children == (a, b, c)
    assert (a | (b | c)).children == (a, b, c)
    i = a & b & c
    assert type(i) is Intersection and len(i.children) == 3
    d = a - b
    assert type(d) is Difference and d.children == (a, b)
    s = u.smooth(0.3)
    assert type(s) is SmoothUnion and s.k == 0.3 and s.children == (a, b, c)
    assert s.smooth(0.1).k == 0.1
    t = a.translate(0, 1, 0)
    assert type(t) is Translate and t.offset == (0.0, 1.0, 0.0) and t.child is a
    assert a.translate((0, 1, 0)) == t


def test_a_named_union_is_not_flattened_into_its_parent():
    named = Union((Sphere(1), Sphere(2)), name="pair")
    assert len((named | Sphere(3)).children) == 2


def test_operators_return_new_nodes_and_never_mutate():
    a, b = Sphere(1), Box((1, 1, 1))
    before_a, before_b = repr(a), repr(b)
    results = [a | b, a & b, a - b, (a | b).smooth(0.2), a.translate(1, 2, 3), a.rotate(0, 90, 0),
               a.scale(2), a.repeat((2, 0, 2)), a.mirror(), a.twist(1), a.bend(1), a.warp(0.5),
               a.displace(0.5), a.with_material("other")]
    assert all(r is not a and r is not b for r in results)
    assert repr(a) == before_a and repr(b) == before_b
    assert a.material == "default" and results[-1].material == "other"
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.radius = 2.0
    u = a | b
    with pytest.raises(dataclasses.FrozenInstanceError):
        u.children = (a,)


def test_with_material_reaches_every_primitive_below():
    tree = (Sphere(1) | Box((1, 1, 1)).translate(0, 1, 0)).with_material("stone")
    assert {n.material for n in walk(tree) if hasattr(n, "material")} == {"stone"}


def test_builder_values_obey_the_file_rules():
    with pytest.raises(SceneError, match="radius"):
        Sphere(-1)
    with pytest.raises(SceneError, match="at least 2 children"):
        Union((Sphere(1),))
    with pytest.raises(SceneError, match="material"):
        Sphere(1).with_material("bad name;")
    with pytest.raises(SceneError, match="name"):
        Sphere(1, name="x\n#error")


def test_nodes_compare_by_value_not_by_name():
    assert Sphere(1, name="a") == Sphere(1, name="b")
    assert Sphere(1) != Sphere(2)


# ---------------------------------------------------------------------------------------------
# Shared subtrees
# ---------------------------------------------------------------------------------------------
SHARED = """
[scene]
root = "pair"

[nodes.pair]
type = "union"
children = ["left", "right", "ball"]

[nodes.left]
type = "translate"
offset = [-2.0, 0.0, 0.0]
child = "ball"

[nodes.right]
type = "translate"
offset = [2.0, 0.0, 0.0]
child = "ball"

[nodes.ball]
type = "sphere"
radius = 0.75
"""


def test_a_shared_subtree_loads_and_round_trips():
    scene = parse_scene(tomllib.loads(SHARED), "shared.toml")
    left, right, ball = scene.root.children
    assert left.child is ball and right.child is ball
    assert ball.radius == 0.75
    text = scene_to_toml(scene)
    data = tomllib.loads(text)
    assert sum(1 for t in data["nodes"].values() if t["type"] == "sphere") == 1, "written once"
    again = assert_round_trips(scene)
    a_left, a_right, a_ball = again.root.children
    assert a_left.child is a_ball and a_right.child is a_ball


def test_a_builder_shared_subtree_is_written_once():
    ball = Sphere(0.5)
    scene = Scene(root=ball.translate(-1, 0, 0) | ball.translate(1, 0, 0))
    data = tomllib.loads(scene_to_toml(scene))
    assert sum(1 for t in data["nodes"].values() if t["type"] == "sphere") == 1
    assert_round_trips(scene)


# ---------------------------------------------------------------------------------------------
# Loading never executes or injects anything
# ---------------------------------------------------------------------------------------------
HOSTILE = """
[scene]
name = "__import__('os').system('touch PWNED_scene_name')"
description = "}; void main() { evil_description(); } /*"
root = "evilnode"

[nodes.evilnode]
type = "sphere"
radius = 0.5
material = "evilmaterial"

[materials.evilmaterial]
palette = -1
color = [0.1, 0.2, 0.3]
"""


def test_strings_from_a_scene_never_reach_the_shader(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    scene = parse_scene(tomllib.loads(HOSTILE), "hostile.toml")
    assert scene.name.startswith("__import__")  # kept as inert data
    text = compile_scene(scene).source().text
    for fragment in ("__import__", "PWNED", "evil_description", "evilmaterial"):
        assert fragment not in text
    # A node name is an identifier-like label; it may appear only in `// nodes.<name>` comments.
    for line in text.splitlines():
        if "evilnode" in line:
            assert line.split("//", 1)[1].strip() == "nodes.evilnode", line
    assert not (tmp_path / "PWNED_scene_name").exists()


@pytest.mark.parametrize("material", ["a;b", "x{y}", "m()", "e\nvil", "é", ""])
def test_material_names_with_code_characters_are_rejected(material):
    data = {"nodes": {"root": {"type": "sphere", "material": material}},
            "materials": {material: {"palette": 1}}}
    with pytest.raises(SceneError) as info:
        parse_scene(data, "m.toml")
    assert str(info.value).startswith("m.toml: materials.")
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("key", ["x\n#error boom", "a b", "semi;colon", "brace{", "ünï", "x" * 65, ""])
def test_node_names_are_restricted_like_material_names(key):
    data = {"nodes": {"root": {"type": "translate", "child": key}, key: {"type": "sphere"}}}
    with pytest.raises(SceneError) as info:
        parse_scene(data, "n.toml")
    message = str(info.value)
    assert info.value.path.startswith("nodes.")
    assert "node name" in message and "letters, digits" in message
    assert "\n" not in message  # a quoted key is shown escaped, never as a second line


def test_an_unreferenced_bad_node_name_is_also_rejected():
    data = {"nodes": {"root": {"type": "sphere"}, "x\n#error": {"type": "sphere"}}}
    with pytest.raises(SceneError, match="node name"):
        parse_scene(data, "n.toml")


def test_toml_with_an_injected_node_key_is_rejected(tmp_path):
    bad = tmp_path / "inject.toml"
    bad.write_text('[scene]\nroot = "x\\n#error boom"\n\n[nodes."x\\n#error boom"]\ntype = "sphere"\n')
    with pytest.raises(SceneError) as info:
        load_scene(bad)
    assert str(info.value).startswith(f"{bad}: nodes.x\\n#error boom: node name")


def test_valid_node_names_with_dash_and_underscore_load():
    data = {"scene": {"root": "My-node_1"}, "nodes": {"My-node_1": {"type": "sphere"}}}
    scene = parse_scene(data, "ok.toml")
    assert scene.root.name == "My-node_1"
    compiled = compile_scene(scene)
    # Names stay out of the shader text (renaming must not change the program key) but still
    # locate generated lines for compile errors.
    assert "My-node_1" not in compiled.source().text
    assert "nodes.My-node_1" in compiled.map.node_lines.values()


def test_only_numbers_travel_into_the_map():
    """Changing every number in a scene leaves the generated map text untouched."""
    scene = parse_scene(tomllib.loads(SHARED), "shared.toml")
    text = compile_scene(scene).map.source
    bumped = parse_scene(tomllib.loads(SHARED.replace("0.75", "0.123456").replace("2.0", "3.987654")), "s")
    assert compile_scene(bumped).map.source == text
    assert "0.123456" not in compile_scene(bumped).source().text
    assert "3.987654" not in compile_scene(bumped).source().text


def test_scale_node_type_round_trips_factor():
    scene = Scene(root=Scale(Sphere(1), 0.25))
    assert reload(scene).root.factor == 0.25


def test_a_python_built_scene_checks_its_materials():
    with pytest.raises(SceneError) as info:
        Scene(root=Sphere(1.0).with_material("nowhere"))
    assert 'unknown material "nowhere"' in str(info.value)
