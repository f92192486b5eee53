"""Parsing of GLSL file headers, shared by the tests that keep shaders/lib and shaders/fx
headers true to the code: a header is the comment block at the top of a file, listing every
function with its exact signature."""

from __future__ import annotations

import re
from pathlib import Path

TYPES = r"(?:void|bool|int|uint|float|vec[234]|ivec[234]|uvec[234]|bvec[234]|mat[234])"
DEFINITION = re.compile(rf"^({TYPES})\s+(\w+)\s*\(([^)]*)\)\s*\{{", re.MULTILINE)
HEADER_ENTRY = re.compile(rf"^//\s+({TYPES})\s+(\w+)\s*\(([^)]*)\)(.*)$")


def strip_comments(text: str) -> str:
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.DOTALL)
    return re.sub(r"//[^\n]*", "", text)


def header_lines(text: str) -> list[str]:
    lines = []
    for line in text.splitlines():
        if not line.startswith("//"):
            break
        lines.append(line)
    return lines


def normalise(ret: str, name: str, params: str) -> str:
    params = ", ".join(" ".join(p.split()) for p in params.split(",")) if params.strip() else ""
    return f"{ret} {name}({params})"


def definitions(path: Path) -> dict[str, str]:
    """Function name -> normalised signature, for every function defined in the file."""
    return {m[2]: normalise(m[1], m[2], m[3]) for m in DEFINITION.finditer(strip_comments(path.read_text()))}


def header_entries(path: Path) -> dict[str, tuple[str, str]]:
    """Function name -> (normalised signature, the rest of its header line)."""
    entries = {}
    for line in header_lines(path.read_text()):
        m = HEADER_ENTRY.match(line)
        if m:
            entries[m[2]] = (normalise(m[1], m[2], m[3]), m[4])
    return entries


# -- rules and compile checks shared by the lib/ and fx/ shader tests -----------------------------

HEADS = {
    "330 core": "#version 330 core\n",
    "300 es": "#version 300 es\nprecision highp float;\nprecision highp int;\n",
}


def assert_portable(path: Path, code: str, macro_prefix: str, include_prefixes: tuple[str, ...]) -> None:
    """Rules every shader file keeps so it runs on GLSL 3.30 and ES 3.00 alike: no doubles, its
    own macro prefix, constant loop bounds, includes that exist under the allowed folders."""
    from renderer.resources import shader_root

    assert not re.search(r"\bdouble\b|\bdvec\d\b|\blf\b", code), "no double precision"
    for macro in re.findall(r"^\s*#\s*(?:define|ifndef|ifdef|undef)\s+(\w+)", code, re.MULTILINE):
        assert macro.startswith(macro_prefix), f"{path.name}: macro {macro} must be {macro_prefix}-prefixed"
    for loop in re.findall(r"\bfor\s*\(([^)]*)\)", code):
        assert re.fullmatch(r"\s*int\s+(\w+)\s*=\s*0\s*;\s*\1\s*<\s*(DS_\w+|\d+)\s*;\s*\1\+\+\s*", loop), (
            f"{path.name}: loop bounds must be constant: for ({loop})"
        )
    for inc in re.findall(r'^\s*#\s*include\s+"([^"]*)"', code, re.MULTILINE):
        assert inc.startswith(include_prefixes) and (shader_root() / inc).is_file()


def compile_standalone(gl_ctx, include: str, version: str) -> None:
    """Compile `include` (e.g. "lib/noise.glsl") alone under one of HEADS; fail with the mapped
    driver error."""
    import moderngl
    import pytest

    from renderer.compile.preprocess import map_driver_error, preprocess

    head = HEADS[version]
    frag = preprocess(f'{head}#include "{include}"\nout vec4 ds_out;\nvoid main() {{ ds_out = vec4(1.0); }}\n', "<t>")
    vert = f"{head}void main() {{ gl_Position = vec4(0.0); }}\n"
    try:
        program = gl_ctx.program(vertex_shader=vert, fragment_shader=frag.text)
    except moderngl.Error as exc:
        pytest.fail(map_driver_error(str(exc), frag.source_map))
    program.release()
