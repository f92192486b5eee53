"""Every shaders/lib file documents each function in its header, and follows the portability rules.

The header is the comment block at the top of the file. Each defined function must appear there
with its exact signature; sd*/op*/dom* lines must say whether the distance is `exact` or a `bound`;
and the header must not list functions that no longer exist. Each file must also compile on its
own both as GLSL 3.30 core and as GLSL ES 3.00 (strict: no implicit int->float), which is what the
WebGL2 export will need.
"""

from __future__ import annotations

import re

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

from renderer.resources import shader_root

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
    assert_portable(path, code, "DS_", ("lib/",))


@pytest.mark.parametrize("version", list(HEADS))
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_each_file_compiles_standalone(gl_ctx, path, version):
    compile_standalone(gl_ctx, f"lib/{path.name}", version)
