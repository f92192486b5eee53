"""Every shaders/lib file documents each function in its header, and follows the portability rules.

The header is the comment block at the top of the file. Each defined function must appear there
with its exact signature; sd*/op*/dom* lines must say whether the distance is `exact` or a `bound`;
and the header must not list functions that no longer exist. Each file must also compile on its
own both as GLSL 3.30 core and as GLSL ES 3.00 (strict: no implicit int->float), which is what the
WebGL2 export will need.
"""

from __future__ import annotations

import re

import moderngl
import pytest

from renderer.compile.preprocess import map_driver_error, preprocess
from renderer.resources import shader_root
from glsl_headers import definitions, header_entries, header_lines, strip_comments

LIB = shader_root() / "lib"
FILES = sorted(LIB.glob("*.glsl"))
DISTANCE_PREFIXES = ("sd", "op", "dom")


def test_all_families_present():
    names = {p.name for p in FILES}
    assert {"common.glsl", "sdf.glsl", "ops.glsl", "domain.glsl", "noise.glsl", "palette.glsl"} <= names


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_header_lists_every_function_with_its_signature(path):
    defined = definitions(path)
    listed = header_entries(path)
    assert defined, f"{path.name}: no functions found"
    assert header_lines(path.read_text()), f"{path.name}: no header comment"
    for name, signature in defined.items():
        assert name in listed, f"{path.name}: {name} is not listed in the header"
        assert listed[name][0] == signature, f"{path.name}: header says {listed[name][0]!r}, code says {signature!r}"
    stale = set(listed) - set(defined)
    assert not stale, f"{path.name}: header lists functions that are not defined: {sorted(stale)}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_distance_functions_say_exact_or_bound(path):
    for name, (_, rest) in header_entries(path).items():
        if name.startswith(DISTANCE_PREFIXES):
            words = rest.split()
            assert words and words[0] in ("exact", "bound"), f"{path.name}: {name} must say exact or bound"
            assert len(words) > 1, f"{path.name}: {name} must name its source"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_portability_rules(path):
    text = path.read_text()
    code = strip_comments(text)
    assert not re.search(r"^\s*#\s*version", text, re.MULTILINE), "lib files must not set #version"
    assert not re.search(r"\bdouble\b|\bdvec\d\b|\blf\b", code), "no double precision"
    for macro in re.findall(r"^\s*#\s*(?:define|ifndef|ifdef|undef)\s+(\w+)", code, re.MULTILINE):
        assert macro.startswith("DS_"), f"{path.name}: macro {macro} must be DS_-prefixed"
    for loop in re.findall(r"\bfor\s*\(([^)]*)\)", code):
        assert re.fullmatch(r"\s*int\s+(\w+)\s*=\s*0\s*;\s*\1\s*<\s*(DS_\w+|\d+)\s*;\s*\1\+\+\s*", loop), (
            f"{path.name}: loop bounds must be constant: for ({loop})"
        )
    for inc in re.findall(r'^\s*#\s*include\s+"([^"]*)"', code, re.MULTILINE):
        assert inc.startswith("lib/") and (shader_root() / inc).is_file()


HEADS = {
    "330 core": "#version 330 core\n",
    "300 es": "#version 300 es\nprecision highp float;\nprecision highp int;\n",
}


@pytest.mark.parametrize("version", list(HEADS))
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_each_file_compiles_standalone(gl_ctx, path, version):
    head = HEADS[version]
    frag = preprocess(f'{head}#include "lib/{path.name}"\nout vec4 ds_out;\nvoid main() {{ ds_out = vec4(1.0); }}\n', "<t>")
    vert = f"{head}void main() {{ gl_Position = vec4(0.0); }}\n"
    try:
        ctx_program = gl_ctx.program(vertex_shader=vert, fragment_shader=frag.text)
    except moderngl.Error as exc:
        pytest.fail(map_driver_error(str(exc), frag.source_map))
    ctx_program.release()
