"""Every shaders/fx file documents its functions in its header and follows the portability rules.

The same contract as tests/test_shader_headers.py for shaders/lib: each defined function appears
in the header comment with its exact signature and nothing stale is listed; macros are DS_-
prefixed; loops have constant bounds; includes stay in lib/ and fx/; each effect file compiles on
its own as GLSL 3.30 core and as GLSL ES 3.00 (strict: no implicit int -> float).
"""

from __future__ import annotations

import re

import moderngl
import pytest
from glsl_headers import (
    HEADS,
    assert_portable,
    compile_standalone,
    definitions,
    header_entries,
    header_lines,
    strip_comments,
)

from renderer.compile.preprocess import map_driver_error, preprocess
from renderer.resources import shader_root

FX = shader_root() / "fx"
FILES = sorted(FX.glob("*.glsl"))
TOP_LEVEL = ("composite.glsl", "scene.glsl", "fields.glsl")  # the passes' main shaders
EFFECT_FILES = [p for p in FILES if p.name not in TOP_LEVEL]



def test_every_effect_has_its_file():
    names = {p.stem for p in FILES}
    assert {"portal", "tear", "channel_split", "blocks", "datamosh", "interlace", "posterize",
            "composite", "scene", "fields", "random"} <= names


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_header_lists_every_function_with_its_signature(path):
    defined = definitions(path)
    listed = {name: signature for name, (signature, rest) in header_entries(path).items() if rest.strip()}
    assert defined, f"{path.name}: no functions found"
    assert header_lines(path.read_text())[0].startswith(f"// {path.name}: ")
    for name, signature in defined.items():
        if name == "main":
            continue
        assert name in listed, f"{path.name}: {name} is not listed in the header"
        assert listed[name] == signature, f"{path.name}: header says {listed[name]!r}, code says {signature!r}"
        assert name.startswith("fx"), f"{path.name}: {name} must use the fx prefix"
    stale = set(listed) - set(defined)
    assert not stale, f"{path.name}: header lists functions that are not defined: {sorted(stale)}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_portability_rules(path):
    text = path.read_text()
    code = strip_comments(text)
    if path.name not in TOP_LEVEL:
        assert not re.search(r"^\s*#\s*version", text, re.MULTILINE), "effect files must not set #version"
    assert "gl_FragCoord" not in code or path.name in TOP_LEVEL, "effects take positions as arguments"
    assert not re.search(r"\buTime\b|\btime\b", code), "randomness comes from seed and frame, never time"
    assert_portable(path, code, "DS_FX_", ("lib/", "fx/"))


@pytest.mark.parametrize("version", list(HEADS))
@pytest.mark.parametrize("path", EFFECT_FILES, ids=lambda p: p.name)
def test_each_effect_file_compiles_standalone(gl_ctx, path, version):
    compile_standalone(gl_ctx, f"fx/{path.name}", version)


@pytest.mark.parametrize("name, define", [("composite.glsl", ""), ("scene.glsl", ""),
                                          ("fields.glsl", "#define DS_FX_FIELD 0\n"),
                                          ("fields.glsl", "#define DS_FX_FIELD 1\n")])
def test_pass_shaders_compile_as_glsl_es(gl_ctx, name, define):
    """The passes too, with their #version swapped, so a WebGL2 export can reuse them."""
    text = (FX / name).read_text().replace("#version 330 core\n", HEADS["300 es"] + define)
    frag = preprocess(text, f"shaders/fx/{name}")
    vert = HEADS["300 es"] + "void main() { gl_Position = vec4(0.0); }\n"
    try:
        program = gl_ctx.program(vertex_shader=vert, fragment_shader=frag.text)
    except moderngl.Error as exc:
        pytest.fail(map_driver_error(str(exc), frag.source_map))
    program.release()
