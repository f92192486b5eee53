"""Every scene-file rule, one bad file each: `load_scene` raises a SceneError that names the file,
the exact node path and the rule; `dreamscape validate` reports one line per bad file."""

from __future__ import annotations

import pytest

from renderer.cli import main
from renderer.errors import SceneError
from renderer.scene.loader import load_scene
from renderer.scene.model import LIMITS

GOOD = """
[scene]
name = "tiny"
root = "root"

[nodes.root]
type = "sphere"
radius = 1.0
"""

SPHERE = '[nodes.root]\ntype = "sphere"\n'


def write(tmp_path, text: str, name: str = "bad.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def rejects(path) -> SceneError:
    with pytest.raises(SceneError) as info:
        load_scene(path)
    message = str(info.value)
    assert "\n" not in message, "an error is one line"
    return info.value


def assert_rule(tmp_path, text: str, node_path: str, phrase: str) -> str:
    path = write(tmp_path, text)
    error = rejects(path)
    message = str(error)
    assert message.startswith(f"{path}: {node_path}: "), message
    assert error.file == str(path) and error.path == node_path
    assert phrase in message, message
    return message


def test_the_good_file_loads(tmp_path):
    scene = load_scene(write(tmp_path, GOOD, "good.toml"))
    assert scene.root.radius == 1.0 and scene.name == "tiny"


# ---------------------------------------------------------------------------------------------
# Unknown names
# ---------------------------------------------------------------------------------------------
def test_unknown_section(tmp_path):
    assert_rule(tmp_path, GOOD + "[sceen]\nname = 'x'\n", "sceen", "unknown section")


@pytest.mark.parametrize("text, node_path", [
    (GOOD + "radiuss = 2.0\n", "nodes.root.radiuss"),
    (GOOD + "[materials.stone]\nroughnes = 0.5\n", "materials.stone.roughnes"),
    (GOOD + "[world]\nfogdensity = 0.1\n", "world.fogdensity"),
    (GOOD + "[camera]\nfield_of_view = 40.0\n", "camera.field_of_view"),
    (GOOD + "[[camera.keys]]\nt = 0.0\nposition = [0, 1, 2]\nlook = [0, 0, 0]\n", "camera.keys[0].look"),
    (GOOD + "[render]\nmaxsteps = 100\n", "render.maxsteps"),
    ('[scene]\ntitle = "x"\n' + SPHERE, "scene.title"),
], ids=["node", "material", "world", "camera", "camera-key", "render", "scene"])
def test_unknown_key(tmp_path, text, node_path):
    message = assert_rule(tmp_path, text, node_path, "unknown key (expected one of:")
    if node_path == "nodes.root.radiuss":
        assert "radius" in message.split("expected one of:")[1]


def test_unknown_node_type(tmp_path):
    message = assert_rule(tmp_path, '[nodes.root]\ntype = "sphear"\n', "nodes.root.type",
                          'unknown node type "sphear"')
    assert "sphere" in message  # lists the valid types


def test_missing_node_type(tmp_path):
    assert_rule(tmp_path, "[nodes.root]\nradius = 1.0\n", "nodes.root.type", "missing")


def test_node_type_that_is_not_a_string(tmp_path):
    assert_rule(tmp_path, '[nodes.root]\ntype = ["sphere"]\n', "nodes.root.type", "must be a string")


# ---------------------------------------------------------------------------------------------
# Wrong kinds of value, ranges, NaN and infinity
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, node_path, phrase", [
    (SPHERE + 'radius = "big"\n', "nodes.root.radius", 'must be a number, got "big"'),
    (SPHERE + "radius = true\n", "nodes.root.radius", "must be a number, got true"),
    ('[nodes.root]\ntype = "box"\nsize = [1.0, 2.0]\n', "nodes.root.size",
     "must be a list of 3 numbers, got a list of 2"),
    ('[nodes.root]\ntype = "box"\nsize = [1.0, "2", 3.0]\n', "nodes.root.size", "item 1 must be a number"),
    ('[nodes.root]\ntype = "terrain"\noctaves = 2.5\n', "nodes.root.octaves", "must be an integer"),
    (SPHERE + 'material = 3\n', "nodes.root.material", "must be a string"),
    (GOOD + "[render]\nprepass = 1\n", "render.prepass", "must be true or false"),
], ids=["string-for-number", "bool-for-number", "list-of-2-for-vec3", "string-in-vec3",
        "float-for-int", "number-for-name", "number-for-bool"])
def test_wrong_kind_of_value(tmp_path, text, node_path, phrase):
    assert_rule(tmp_path, text, node_path, phrase)


@pytest.mark.parametrize("text, node_path, phrase", [
    (SPHERE + "radius = -1.0\n", "nodes.root.radius", "must be in (0, 10000], got -1"),
    (SPHERE + "radius = 0\n", "nodes.root.radius", "must be in (0, 10000], got 0"),
    (GOOD + "[camera]\nfov = 1\n", "camera.fov", "must be in [5, 150], got 1"),
    (GOOD + "[render]\nmax_steps = 5000\n", "render.max_steps", "must be in [8, 1024], got 5000"),
    (GOOD + "[materials.m]\nroughness = 1.5\n", "materials.m.roughness", "must be in [0, 1], got 1.5"),
    (GOOD + "[materials.m]\ncolor = [0.5, 2.0, 0.5]\n", "materials.m.color", "item 1 must be in [0, 1]"),
    (GOOD + "[world]\nsun_direction = [0, 0, 0]\n", "world.sun_direction", "must not be the zero vector"),
    ('[nodes.root]\ntype = "mirror"\naxes = [1, 0.5, 0]\nchild = "s"\n[nodes.s]\ntype = "sphere"\n',
     "nodes.root.axes", "items must be 0 or 1"),
    (GOOD + "[world]\npalette = [[0, 0, 0]]\n", "world.palette", "must be a list of 4 colours"),
    (GOOD + "[world]\nsky_zenith = [0, 0, 9]\n", "world.sky_zenith", "item 2 must be in [0, 1]"),
    ('[scene]\nseed = -4\n' + SPHERE, "scene.seed", "must be in [0, 2147483647], got -4"),
], ids=["negative-radius", "zero-radius", "fov-1", "max-steps-5000", "roughness", "colour-item",
        "zero-direction", "mask", "palette-length", "sky-colour", "seed"])
def test_out_of_range(tmp_path, text, node_path, phrase):
    assert_rule(tmp_path, text, node_path, phrase)


@pytest.mark.parametrize("text, node_path", [
    (SPHERE + "radius = nan\n", "nodes.root.radius"),
    (SPHERE + "radius = inf\n", "nodes.root.radius"),
    (GOOD + "[camera]\nposition = [-inf, 1.0, 2.0]\n", "camera.position"),
    (GOOD + "[materials.m]\nemission = nan\n", "materials.m.emission"),
], ids=["nan", "inf", "minus-inf-in-vec3", "nan-material"])
def test_nan_and_infinity(tmp_path, text, node_path):
    assert_rule(tmp_path, text, node_path, "must be a finite number")


def test_integer_too_large_for_a_float(tmp_path):
    assert_rule(tmp_path, SPHERE + "radius = 1" + "0" * 400 + "\n", "nodes.root.radius",
                "must be a finite number")


# ---------------------------------------------------------------------------------------------
# Graph structure
# ---------------------------------------------------------------------------------------------
def test_dangling_child_reference(tmp_path):
    assert_rule(tmp_path, '[nodes.root]\ntype = "translate"\nchild = "ghost"\n',
                "nodes.root.child", 'unknown node "ghost"')


def test_dangling_children_reference(tmp_path):
    assert_rule(tmp_path, '[nodes.root]\ntype = "union"\nchildren = ["a", "ghost"]\n'
                '[nodes.a]\ntype = "sphere"\n', "nodes.root.children[1]", 'unknown node "ghost"')


def test_child_reference_that_is_not_a_name(tmp_path):
    assert_rule(tmp_path, '[nodes.root]\ntype = "translate"\nchild = 3\n',
                "nodes.root.child", "must name a node")


def test_unknown_material(tmp_path):
    assert_rule(tmp_path, SPHERE + 'material = "gold"\n', "nodes.root.material",
                'unknown material "gold" (define it under [materials])')


def test_cycle_shows_the_chain(tmp_path):
    text = ('[scene]\nroot = "a"\n'
            '[nodes.a]\ntype = "translate"\nchild = "b"\n'
            '[nodes.b]\ntype = "translate"\nchild = "a"\n')
    assert_rule(tmp_path, text, "nodes.b.child", "cycle: a -> b -> a")


def test_longer_cycle_below_the_root_shows_only_the_loop(tmp_path):
    text = ('[nodes.root]\ntype = "scale"\nchild = "a"\n'
            '[nodes.a]\ntype = "translate"\nchild = "b"\n'
            '[nodes.b]\ntype = "union"\nchildren = ["s", "c"]\n'
            '[nodes.c]\ntype = "rotate"\nchild = "a"\n'
            '[nodes.s]\ntype = "sphere"\n')
    assert_rule(tmp_path, text, "nodes.c.child", "cycle: a -> b -> c -> a")


def test_self_cycle(tmp_path):
    assert_rule(tmp_path, '[nodes.root]\ntype = "twist"\nchild = "root"\n',
                "nodes.root.child", "cycle: root -> root")


def test_too_many_nodes_in_a_wide_union(tmp_path):
    count = LIMITS["nodes"] + 10
    kids = ", ".join(f'"s{i}"' for i in range(count))
    spheres = "".join(f'[nodes.s{i}]\ntype = "sphere"\n' for i in range(count))
    text = f'[nodes.root]\ntype = "union"\nchildren = [{kids}]\n' + spheres
    # Children are counted as they are built: s0 .. s255 fit, s256 is one too many.
    assert_rule(tmp_path, text, f"nodes.s{LIMITS['nodes']}", f"more than {LIMITS['nodes']} nodes")


def test_too_many_nodes_through_a_shared_subtree(tmp_path):
    # 2 x 2 x ... sharing: each level doubles the expanded tree while the file stays tiny.
    levels = 9  # 2^9 leaves > 256
    text = '[scene]\nroot = "l0"\n'
    for i in range(levels):
        text += f'[nodes.l{i}]\ntype = "union"\nchildren = ["l{i + 1}", "l{i + 1}"]\n'
    text += f'[nodes.l{levels}]\ntype = "sphere"\n'
    path = write(tmp_path, text)
    error = rejects(path)
    assert error.path.startswith("nodes.l") and f"more than {LIMITS['nodes']} nodes" in str(error)


def test_a_shared_subtree_within_the_node_limit_loads(tmp_path):
    levels = 6  # 2^7 - 1 = 127 nodes expanded
    text = '[scene]\nroot = "l0"\n'
    for i in range(levels):
        text += f'[nodes.l{i}]\ntype = "union"\nchildren = ["l{i + 1}", "l{i + 1}"]\n'
    text += f'[nodes.l{levels}]\ntype = "sphere"\n'
    load_scene(write(tmp_path, text))


def chain(prefix: str, length: int, last: str) -> str:
    """`prefix0 -> prefix1 -> ... -> last`, all translates."""
    out = ""
    for i in range(length):
        nxt = f"{prefix}{i + 1}" if i + 1 < length else last
        out += f'[nodes.{prefix}{i}]\ntype = "translate"\nchild = "{nxt}"\n'
    return out


def test_too_deep(tmp_path):
    limit = LIMITS["depth"]
    text = '[scene]\nroot = "t0"\n' + chain("t", limit + 5, "leaf") + '[nodes.leaf]\ntype = "sphere"\n'
    # t0 is at depth 1, so t{limit} is the first node below the limit.
    assert_rule(tmp_path, text, f"nodes.t{limit}", f"nesting deeper than {limit}")


def test_exactly_the_depth_limit_loads(tmp_path):
    limit = LIMITS["depth"]
    text = '[scene]\nroot = "t0"\n' + chain("t", limit - 1, "leaf") + '[nodes.leaf]\ntype = "sphere"\n'
    load_scene(write(tmp_path, text))


def test_too_deep_through_a_shared_subtree(tmp_path):
    """A subtree first built near the root must not escape the depth limit when it is referenced
    again deep down (the loader reuses the built node)."""
    limit = LIMITS["depth"]
    half = limit // 2 + 4
    text = ('[nodes.root]\ntype = "union"\nchildren = ["s0", "l0"]\n'
            + chain("s", half, "leaf") + chain("l", half, "s0") + '[nodes.leaf]\ntype = "sphere"\n')
    assert_rule(tmp_path, text, "nodes.s0", f"nesting deeper than {limit}")


def test_combiner_with_one_child(tmp_path):
    assert_rule(tmp_path, '[nodes.root]\ntype = "smooth_union"\nchildren = ["a"]\n[nodes.a]\ntype = "sphere"\n',
                "nodes.root.children", "must list at least 2 node names")


def test_combiner_without_children(tmp_path):
    assert_rule(tmp_path, '[nodes.root]\ntype = "difference"\n',
                "nodes.root.children", "must list at least 2 node names")


def test_domain_op_without_child(tmp_path):
    assert_rule(tmp_path, '[nodes.root]\ntype = "rotate"\ndegrees = [0, 45, 0]\n',
                "nodes.root.child", "missing (a domain operator needs a child node)")


def test_root_naming_an_unknown_node(tmp_path):
    assert_rule(tmp_path, '[scene]\nroot = "nope"\n' + SPHERE, "scene.root",
                'names node "nope", which is not defined under [nodes]')


def test_no_nodes(tmp_path):
    assert_rule(tmp_path, '[scene]\nname = "empty"\n', "nodes", "at least one node")


def test_node_name_with_a_newline(tmp_path):
    text = '[scene]\nroot = "a\\nb"\n[nodes."a\\nb"]\ntype = "sphere"\n'
    assert_rule(tmp_path, text, "nodes.a\\nb", "node name must be a name of letters, digits")


def test_keys_quoted_with_control_characters_are_shown_escaped(tmp_path):
    assert_rule(tmp_path, SPHERE + '"rad\\nius\\u001b[2J" = 1.0\n', "nodes.root.rad\\nius\\x1b[2J",
                "unknown key")


# ---------------------------------------------------------------------------------------------
# Camera, emotion and overrides
# ---------------------------------------------------------------------------------------------
def test_camera_keys_not_increasing(tmp_path):
    text = GOOD + "[[camera.keys]]\nt = 2.0\n[[camera.keys]]\nt = 2.0\n"
    assert_rule(tmp_path, text, "camera.keys", "key times must strictly increase")


def test_camera_keys_not_an_array(tmp_path):
    assert_rule(tmp_path, GOOD + "[camera]\nkeys = 3\n", "camera.keys", "must be an array of tables")


def test_unknown_emotion_name(tmp_path):
    assert_rule(tmp_path, GOOD + "[emotion]\nglee = 0.5\n", "emotion.glee", "unknown emotion 'glee'")


@pytest.mark.parametrize("value", ["1.5", "-0.1"])
def test_emotion_intensity_out_of_range(tmp_path, value):
    assert_rule(tmp_path, GOOD + f"[emotion]\nfear = {value}\n", "emotion.fear",
                f"must be in [0, 1], got {value}")


def test_emotion_axis_out_of_range(tmp_path):
    assert_rule(tmp_path, GOOD + "[emotion]\narousal = 2\n", "emotion.arousal", "must be in [-1, 1], got 2")


def test_emotion_key_times_not_increasing(tmp_path):
    text = GOOD + "[[emotion.keys]]\nt = 5.0\nfear = 1.0\n[[emotion.keys]]\nt = 3.0\njoy = 1.0\n"
    assert_rule(tmp_path, text, "emotion.keys[1].t", "strictly increase")


def test_emotion_key_time_nan_names_the_file(tmp_path):
    text = GOOD + "[[emotion.keys]]\nt = 0.0\nfear = 1.0\n[[emotion.keys]]\nt = nan\njoy = 1.0\n"
    assert_rule(tmp_path, text, "emotion.keys[1].t", "must be a finite number")


def test_emotion_key_intensity_in_a_key(tmp_path):
    text = GOOD + "[[emotion.keys]]\nt = 0.0\nfear = 3.0\n"
    assert_rule(tmp_path, text, "emotion.keys[0].fear", "must be in [0, 1], got 3")


def test_unknown_easing(tmp_path):
    text = GOOD + '[[emotion.keys]]\nt = 0.0\njoy = 1.0\n[[emotion.keys]]\nt = 1.0\neasing = "bouncy"\n'
    message = assert_rule(tmp_path, text, "emotion.keys[1].easing", "'bouncy'")
    assert "smoothstep" in message  # lists the valid easings


def test_unknown_override_parameter(tmp_path):
    assert_rule(tmp_path, GOOD + "[overrides.pin]\nwobble = 1.0\n", "overrides.pin.wobble",
                "unknown parameter 'wobble'")


def test_unknown_override_kind(tmp_path):
    assert_rule(tmp_path, GOOD + "[overrides.nudge]\nfog_density = 1.0\n", "overrides.nudge", "unknown key")


# ---------------------------------------------------------------------------------------------
# The file itself
# ---------------------------------------------------------------------------------------------
def test_toml_syntax_error_names_the_file(tmp_path):
    path = write(tmp_path, GOOD + "radius = = 3\n")
    message = str(rejects(path))
    assert message.startswith(f"{path}: TOML syntax error")
    assert "line" in message


def test_file_not_found(tmp_path):
    path = tmp_path / "missing.toml"
    assert str(rejects(path)) == f"{path}: file not found"


def test_a_folder_is_not_a_scene(tmp_path):
    assert "is a folder" in str(rejects(tmp_path))


def test_file_too_large(tmp_path):
    path = tmp_path / "huge.toml"
    path.write_bytes(GOOD.encode() + b"#" * LIMITS["file_bytes"])
    assert str(rejects(path)) == f"{path}: file is larger than {LIMITS['file_bytes']} bytes"


def test_not_utf8(tmp_path):
    path = tmp_path / "latin1.toml"
    path.write_bytes(GOOD.encode() + '# caf\u00e9\n'.encode("latin-1"))
    assert str(rejects(path)) == f"{path}: is not UTF-8 text"


def test_integer_too_long_for_python(tmp_path):
    path = write(tmp_path, SPHERE + "radius = 1" + "0" * 5000 + "\n")
    assert str(rejects(path)).startswith(f"{path}: TOML")


def test_arrays_nested_too_deeply(tmp_path):
    path = write(tmp_path, GOOD + "[world]\nsun_color = " + "[" * 5000 + "]" * 5000 + "\n")
    assert str(rejects(path)).startswith(f"{path}: TOML")


# ---------------------------------------------------------------------------------------------
# dreamscape validate
# ---------------------------------------------------------------------------------------------
def test_validate_prints_ok_for_a_good_file(tmp_path, capsys):
    good = write(tmp_path, GOOD, "good.toml")
    assert main(["validate", str(good)]) == 0
    out, err = capsys.readouterr()
    assert out == f"{good}: ok\n"
    assert err == ""


def test_validate_reports_one_line_per_bad_file(tmp_path, capsys):
    good = write(tmp_path, GOOD, "good.toml")
    bad_range = write(tmp_path, SPHERE + "radius = -1.0\n", "range.toml")
    bad_syntax = write(tmp_path, "[nodes.root\n", "syntax.toml")
    bad_key = write(tmp_path, SPHERE + '"x\\ny" = 1\n', "newline-key.toml")
    missing = tmp_path / "missing.toml"
    code = main(["validate", str(bad_range), str(good), str(bad_syntax), str(bad_key), str(missing)])
    out, err = capsys.readouterr()
    assert code == 2
    assert out == f"{good}: ok\n"
    lines = err.splitlines()
    assert len(lines) == 4, err
    assert [line.split(": ")[0] for line in lines] == [str(bad_range), str(bad_syntax), str(bad_key), str(missing)]
    assert "nodes.root.radius" in lines[0]
    assert "Traceback" not in err


@pytest.mark.parametrize("text, section", [
    (GOOD + "[emotion]\nfear = 1" + "0" * 400 + "\n", "emotion"),
    (GOOD + "[[emotion.keys]]\nt = 1" + "0" * 400 + "\n", "emotion"),
    (GOOD + "[overrides.pin]\nfog_density = 1" + "0" * 400 + "\n", "overrides"),
], ids=["emotion", "emotion-key-time", "override"])
def test_huge_integers_in_emotion_sections_are_scene_errors(tmp_path, text, section):
    error = rejects(write(tmp_path, text))
    assert error.path.startswith(section) and "finite" in str(error)


def test_nodes_the_root_does_not_use_are_validated_too(tmp_path):
    path = tmp_path / "spare.toml"
    path.write_text('[scene]\nroot = "a"\n[nodes.a]\ntype = "sphere"\n[nodes.spare]\ntype = "sphere"\nradius = -2\n')
    with pytest.raises(SceneError) as info:
        load_scene(path)
    assert str(info.value) == f"{path}: nodes.spare.radius: must be in (0, 10000], got -2"
