"""Nexus files: loading, the bundled story, and one test per validation rule."""

import textwrap

import pytest

from renderer.cli import main
from renderer.compile.nexus_frame import nexus_frame
from renderer.errors import SceneError
from renderer.scene.bundled import load_world_arg
from renderer.scene.nexus import NEXUS_LIMITS, Nexus, load_nexus

SCENE = """
[scene]
root = "a"
[nodes.a]
type = "sphere"
radius = 1.0
"""


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


def nexus_text(dreamers='[dreamers.a]\nscene = "a.toml"\n[dreamers.b]\nscene = "b.toml"\n', extra="",
               host="a"):
    return f'[nexus]\nhost = "{host}"\n{dreamers}\n{extra}'


@pytest.fixture
def folder(tmp_path):
    write(tmp_path, "a.toml", SCENE)
    write(tmp_path, "b.toml", SCENE.replace("1.0", "2.0"))
    return tmp_path


def error_of(path) -> str:
    with pytest.raises(SceneError) as info:
        load_nexus(path)
    return str(info.value)


def test_bundled_nexus_tells_the_story():
    nexus = load_world_arg("nexus")
    assert isinstance(nexus, Nexus)
    assert [d.name for d in nexus.dreamers] == ["mia", "leo", "sam"]
    start, chaos, end = (nexus_frame(nexus, t) for t in (0.0, 13.0, nexus.duration))
    assert max(start.openness) == 0.0 and max(end.openness) == 0.0
    assert min(chaos.openness) > 0.9
    assert chaos.effects["tear"] > 5 * max(start.effects["tear"], 0.01)
    assert all(v == 0.0 for v in end.effects.values()), "the Nexus must stabilise"
    # Mia moves from fear to courage inside the nexus.
    assert start.pads[0].pleasure < 0 < end.pads[0].pleasure


def test_glitch_follows_emotional_distance(folder):
    far = write(folder, "far.toml", nexus_text(extra="""
        [dreamers.a.emotion]
        fear = 1.0
        [dreamers.b.emotion]
        joy = 1.0
        [[portals]]
        dreamer = "b"
        [glitch]
        [[glitch.keys]]
        t = 0
        amount = 1.0
    """.replace("        ", "")))
    near = write(folder, "near.toml", far.read_text().replace("joy = 1.0", "fear = 0.9"))
    tear_far = nexus_frame(load_nexus(far), 1.0).effects["tear"]
    tear_near = nexus_frame(load_nexus(near), 1.0).effects["tear"]
    assert tear_far > 2 * tear_near > 0


def test_limiter_bounds_how_fast_controls_change(folder):
    path = write(folder, "snap.toml", nexus_text(extra="""
        [[portals]]
        dreamer = "b"
        [[portals.keys]]
        t = 1.0
        openness = 0.0
        [[portals.keys]]
        t = 1.01
        easing = "linear"
        openness = 1.0
    """.replace("        ", "")))
    nexus = load_nexus(path)
    step = 1 / 30
    limited = [nexus_frame(nexus, 1.0 + k * step).openness[0] for k in range(12)]
    free = [nexus_frame(nexus, 1.0 + k * step, allow_flashing=True).openness[0] for k in range(12)]
    assert max(abs(b - a) for a, b in zip(free, free[1:])) > 0.9
    assert max(abs(b - a) for a, b in zip(limited, limited[1:])) <= 0.13


def test_nested_nexus_borrows_the_host(folder):
    write(folder, "inner.toml", nexus_text(host="b"))
    outer = write(folder, "outer.toml", nexus_text('[dreamers.x]\nscene = "inner.toml"\n', host="x"))
    nexus = load_nexus(outer)
    assert nexus.dreamers[0].scene.root.radius == 2.0


@pytest.mark.parametrize("body, where, rule", [
    (nexus_text('[dreamers.a]\nscene = "missing.toml"\n'), "dreamers.a.scene", "not found"),
    (nexus_text(extra='[[portals]]\ndreamer = "zed"\n'), "portals[0].dreamer", 'unknown dreamer "zed"'),
    (nexus_text(extra='[[portals]]\ndreamer = "a"\n'), "portals[0].dreamer", "another dreamer"),
    (nexus_text('[dreamers.a]\nscene = "a.toml"\n[dreamers.A]\nscene = "b.toml"\n'), "dreamers.A", "overlaps"),
    (nexus_text(extra='[[portals]]\nname = "p"\ndreamer = "b"\n[[portals]]\nname = "p"\ndreamer = "b"\n'),
     "portals[1].name", "used twice"),
    (nexus_text(host="nobody"), "nexus.host", "not under [dreamers]"),
    (nexus_text(extra="[oops]\n"), "oops", "unknown key"),
    (nexus_text('[dreamers.a]\nscene = "a.toml"\nflavour = 1\n'), "dreamers.a.flavour", "unknown key"),
    (nexus_text('[dreamers.a]\n'), "dreamers.a", "exactly one of"),
    (nexus_text(extra='[[portals]]\ndreamer = "b"\nradius = 5\n'), "portals[0].radius", "must be in"),
    (nexus_text(extra='[[portals]]\ndreamer = "b"\ncentre = [0.5]\n'), "portals[0].centre", "2 numbers"),
    (nexus_text(extra='[[portals]]\ndreamer = "b"\n[[portals.keys]]\nt = 2\nopenness = 1\n'
                      '[[portals.keys]]\nt = 1\nopenness = 0\n'), "portals[0].keys[1].t", "strictly increase"),
    (nexus_text(extra='[glitch]\n[[glitch.keys]]\nt = 0\namount = 3\n'), "glitch.keys[0].amount", "must be in"),
    (nexus_text(extra='[glitch.weights]\nwobble = 1\n'), "glitch.weights.wobble", "unknown key"),
    (nexus_text('[dreamers.a.inline.scene]\nroot = "s"\n[dreamers.a.inline.nodes.s]\ntype = "sphere"\n'
                'radius = -1\n'), "dreamers.a.inline.nodes.s.radius", "must be in"),
])
def test_each_rule_is_one_clear_error(folder, body, where, rule):
    path = write(folder, "n.toml", body)
    message = error_of(path)
    assert message.startswith(f"{path}: {where}: "), message
    assert rule in message


def test_nexus_files_including_each_other_are_a_cycle(folder):
    write(folder, "one.toml", nexus_text('[dreamers.x]\nscene = "two.toml"\n', host="x"))
    two = write(folder, "two.toml", nexus_text('[dreamers.y]\nscene = "one.toml"\n', host="y"))
    message = error_of(two)
    assert "include each other: two.toml -> one.toml -> two.toml" in message


def test_too_many_dreamers_and_portals(folder):
    many = "".join(f'[dreamers.d{i}]\nscene = "a.toml"\n' for i in range(NEXUS_LIMITS["dreamers"] + 1))
    assert "at most" in error_of(write(folder, "many.toml", nexus_text(many, host="d0")))
    portals = '[[portals]]\ndreamer = "b"\n' * (NEXUS_LIMITS["portals"] + 1)
    assert "at most" in error_of(write(folder, "p.toml", nexus_text(extra=portals)))


def test_validate_accepts_a_nexus(capsys, folder):
    path = write(folder, "ok.toml", nexus_text(extra='[[portals]]\ndreamer = "b"\n'))
    assert main(["validate", str(path)]) == 0
    assert capsys.readouterr().out.strip() == f"{path}: ok"
