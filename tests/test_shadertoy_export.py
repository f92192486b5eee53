"""`export --shadertoy`: every bundled scene as one Shadertoy Image shader, rendered back through
the Shadertoy path, matches the direct render; the export compiles as GLSL ES 3.00 (WebGL2)."""

from __future__ import annotations

import argparse
import dataclasses
import re

import moderngl
import numpy as np
import pytest

from renderer.compile.frame import FrameOptions
from renderer.compile.program import CompiledScene, compile_scene
from renderer.errors import InputError
from renderer.gl.programs import ProgramCache
from renderer.gl.raymarch import SceneRenderer
from renderer.scene.bundled import bundled_scene_names, load_scene_arg
from renderer.shadertoy.command import add_export_parser, run_export
from renderer.shadertoy.export import default_duration, export_shadertoy
from renderer.shadertoy.renderer import ShaderRenderer
from renderer.shadertoy.world import ShaderPass, ShaderWorld
from renderer.shadertoy.wrap import SHADERTOY, detect_form, webgl2_harness

SIZE = (96, 54)
SCENES = bundled_scene_names()
ES_VERTEX = """#version 300 es
void main() {
    vec2 pos = vec2(float((gl_VertexID & 1) << 2) - 1.0, float((gl_VertexID & 2) << 1) - 1.0);
    gl_Position = vec4(pos, 0.0, 1.0);
}
"""
#: Per-scene mean absolute differences, printed at the end of the module (pytest -s).
REPORT: dict = {}


def world_of(text: str, name: str) -> ShaderWorld:
    return ShaderWorld(source=f"{name}.glsl", form=detect_form(text, name),
                       passes=(ShaderPass("image", f"{name}.glsl", text),))


def mad(a, b) -> float:
    return float(np.abs(a.astype(float) - b.astype(float)).mean()) / 255.0


def render_export(ctx, text, name, t):
    renderer = ShaderRenderer(ctx, world_of(text, name), SIZE)
    try:
        return renderer.render(t, FrameOptions(), round(t * 30))
    finally:
        renderer.release()


@pytest.fixture(scope="module")
def exports():
    return {name: export_shadertoy(load_scene_arg(name)) for name in SCENES}


@pytest.mark.parametrize("name", SCENES)
def test_round_trip_matches_the_scene(gl_ctx, exports, name):
    scene = load_scene_arg(name)
    t = 2.0   # a sample time of the animated export (samples every 0.2 s)
    shader_image = render_export(gl_ctx, exports[name], name, t)
    compiled = compile_scene(scene)
    cache = ProgramCache(gl_ctx)
    plain = SceneRenderer(gl_ctx, compiled, SIZE, prepass=False, cache=cache)
    direct = SceneRenderer(gl_ctx, compiled, SIZE, cache=cache)
    try:
        reference = plain.render(t)
        default = direct.render(t)
    finally:
        plain.release()
        direct.release()
        cache.release()
    REPORT[name] = (mad(shader_image, reference), mad(shader_image, default))
    # The export marches like SceneRenderer without the prepass: nearly identical.
    assert mad(shader_image, reference) < 0.25 / 255
    # Against the default render (with the cone prepass) the tolerance holds.
    assert mad(shader_image, default) < 2.0 / 255
    assert shader_image.std() > 5   # a picture, not a blank frame


@pytest.mark.parametrize("name", SCENES)
def test_export_compiles_as_glsl_es_300(gl_ctx, exports, name):
    fragment = webgl2_harness(exports[name])
    try:
        program = gl_ctx.program(vertex_shader=ES_VERTEX, fragment_shader=fragment)
    except moderngl.Error as exc:
        pytest.fail(str(exc)[:2000])
    program.release()


def test_export_is_self_contained(exports):
    for name, text in exports.items():
        assert detect_form(text, name) == SHADERTOY
        assert not re.search(r"^\s*#\s*(version|line|include)\b", text, re.MULTILINE), name
        assert not re.search(r"^\s*uniform\b", text, re.MULTILINE), name
        # Shadertoy declares the pass's one output itself; any other global `out` breaks GLSL ES
        # (several outputs all need locations).
        assert not re.search(r"^\s*(layout\s*\([^)]*\)\s*)?out\b", text, re.MULTILINE), name
        assert text.splitlines()[3:5] == ["precision highp float;", "precision highp int;"]
        assert "void mainImage(out vec4 dsOut, in vec2 dsCoord)" in text


def test_baked_export_between_samples(gl_ctx):
    """`--time T` bakes one frame: exact at any T, not just on the animated export's grid."""
    name, t = "sam", 1.37
    scene = load_scene_arg(name)
    text = export_shadertoy(scene, t)
    assert "DS_TRACK" not in text and "baked at t = 1.37 s" in text
    plain = SceneRenderer(gl_ctx, compile_scene(scene), SIZE, prepass=False)
    try:
        reference = plain.render(t)
    finally:
        plain.release()
    assert mad(render_export(gl_ctx, text, name, 5.0), reference) < 0.25 / 255   # iTime is unused


def test_animated_export_plays_the_emotion_track():
    scene = load_scene_arg("mia")           # fear to courage over a 24 s track
    assert default_duration(scene) == 24.0
    text = export_shadertoy(scene)
    assert "const float DS_LOOP = 24.0;" in text and "mod(iTime, DS_LOOP)" in text
    # Colours follow the emotion, so the sky colour is among the interpolated values.
    assert re.search(r"^\s*uSkyZenith\.[xyz] = v\.[xyzw];", text, re.MULTILINE)
    assert re.search(r"^const float uMaxDist = ", text, re.MULTILINE)   # constants stay constants
    with pytest.raises(ValueError):
        export_shadertoy(scene, rate=0.0)


def _export_args(argv):
    parser = argparse.ArgumentParser()
    add_export_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(["export", *argv])


def test_export_command_writes_the_file(tmp_path, capsys):
    out = tmp_path / "dream.glsl"
    assert run_export(_export_args(["sam", "--shadertoy", "-o", str(out), "--time", "1"])) == 0
    assert out.read_text() == export_shadertoy(load_scene_arg("sam"), 1.0)
    assert f"wrote {out}" in capsys.readouterr().out
    assert [p.name for p in tmp_path.iterdir()] == ["dream.glsl"]   # no temporary left behind
    assert run_export(_export_args(["sam", "--shadertoy", "--emotion", "joy=1", "--duration", "2"])) == 0
    assert "over 2 s" in capsys.readouterr().out


@pytest.mark.parametrize("argv, message", [
    (["sam"], "choose a format: --shadertoy"),
    (["nexus", "--shadertoy"], "is a nexus"),
    (["nosuch", "--shadertoy"], "no such file or bundled scene"),
    (["sam", "--shadertoy", "--rate", "0"], "--rate must be in"),
    (["tests/shaders/pattern.glsl", "--shadertoy"], "is already a shader"),
    (["sam", "--shadertoy", "-o", "/nonexistent/dir/x.glsl"], "does not exist"),
])
def test_export_command_errors(argv, message):
    with pytest.raises(InputError, match=message) as info:
        run_export(_export_args(argv))
    assert info.value.exit_code == 2


def test_print_round_trip_report():
    if REPORT:
        lines = [f"{n}: {a * 255:.4f}/255 vs prepass off, {b * 255:.4f}/255 vs default" for n, (a, b) in REPORT.items()]
        print("\nround trip mean abs difference: " + "; ".join(lines))


def test_export_refuses_a_uniform_declaration_it_cannot_read(monkeypatch):
    """A uniform line the exporter does not recognise would stay a real uniform that Shadertoy
    never sets (0): a silently wrong picture. It must be an error instead; a trailing comment on
    an ordinary declaration is fine."""
    import renderer.shadertoy.export as export_module

    real_source = CompiledScene.source

    def source_with(extra):
        def source(self, pass_name="main", debug_steps=False):
            text = real_source(self, pass_name, debug_steps)
            return dataclasses.replace(text, text=text.text.replace(
                "uniform float uFogBase;", "uniform float uFogBase;" + extra))
        return source

    monkeypatch.setattr(CompiledScene, "source", source_with("  // base of the fog layer"))
    assert "uFogBase = " in export_module.export_shadertoy(load_scene_arg("mia"), t=1.0)
    monkeypatch.setattr(CompiledScene, "source", source_with("\nuniform float uA, uB;"))
    with pytest.raises(ValueError, match="cannot read uniform declaration 'uniform float uA, uB;'"):
        export_module.export_shadertoy(load_scene_arg("mia"), t=1.0)
