"""The include-once preprocessor, its source map, and driver-error rewriting."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import moderngl
import pytest

from renderer.compile.preprocess import (
    LINE_STRIDE,
    PreprocessedSource,
    ShaderSourceError,
    SourceMap,
    map_driver_error,
    preprocess,
    preprocess_file,
)
from renderer.errors import InputError

REPO = Path(__file__).resolve().parents[1]

VERTEX = "#version 330 core\nvoid main() { gl_Position = vec4(0.0); }\n"


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


@pytest.fixture
def root(tmp_path: Path) -> Path:
    shaders = tmp_path / "shaders"
    write(shaders, "lib/b.glsl", "// b\nfloat fb() { return 2.0; }\n")
    write(shaders, "lib/a.glsl", '#include "lib/b.glsl"\nfloat fa() { return fb() + 1.0; }\n')
    return shaders


def simulate_lines(result: PreprocessedSource):
    """Yield (output line, source-string, line) the way a GLSL compiler numbers them."""
    source, line = 0, 1
    for text in result.text.splitlines():
        if text.startswith("#line "):
            _, number, string = text.split()
            line, source = int(number), int(string)
            continue
        yield text, source, line
        line += 1


def error_of(call) -> str:
    with pytest.raises(ShaderSourceError) as info:
        call()
    message = str(info.value)
    assert "\n" not in message
    return message


# ------------------------------------------------------------------ includes
def test_includes_are_resolved_recursively(root):
    result = preprocess('#include "lib/a.glsl"\nvoid main() {}\n', "<scene map>", root)
    text = result.text
    assert "float fb()" in text and "float fa()" in text
    assert text.index("float fb()") < text.index("float fa()") < text.index("void main()")
    assert result.source_map.files == ("<scene map>", "shaders/lib/a.glsl", "shaders/lib/b.glsl")
    assert result.source_map.name(2) == "shaders/lib/b.glsl"


def test_include_once(root):
    text = '#include "lib/b.glsl"\n#include "lib/a.glsl"\n#include "lib/b.glsl"\nvoid main() {}\n'
    result = preprocess(text, "<scene map>", root)
    assert result.text.count("float fb()") == 1
    assert result.text.count("float fa()") == 1
    assert result.source_map.files.count("shaders/lib/b.glsl") == 1


def test_output_has_no_include_text_for_moderngl(root):
    # moderngl substitutes `#include "..."` anywhere in the source, even inside comments.
    write(root, "lib/c.glsl", '/* see #include "lib/b.glsl"\n#include "lib/zzz.glsl" */\nfloat fc() { return 1.0; } // #include "x"\n')
    text = '#include "lib/a.glsl"\n#include "lib/b.glsl"\n#include "lib/c.glsl"\n'
    result = preprocess(text, "<t>", root)
    assert "#include" not in result.text
    assert "float fc()" in result.text  # the include inside the block comment was not resolved


def test_every_line_maps_back_to_its_origin(root):
    top = '#version 330 core\n// top\n#include "lib/a.glsl"\nfloat g() { return fa(); }\n#include "lib/b.glsl"\nvoid main() {}\n'
    result = preprocess(top, "<scene map>", root)
    originals = {
        "<scene map>": top.splitlines(),
        "shaders/lib/a.glsl": (root / "lib/a.glsl").read_text().splitlines(),
        "shaders/lib/b.glsl": (root / "lib/b.glsl").read_text().splitlines(),
    }
    checked = 0
    for text, source, line in list(simulate_lines(result))[1:]:  # skip the hoisted #version
        name, original = result.source_map.locate(source, line)
        if text.startswith("//") and ("begin" in text or "end" in text or "already" in text):
            continue  # marker comments added by the preprocessor
        if text == "":
            continue
        assert originals[name][original - 1] == text, (name, original, text)
        checked += 1
    assert checked >= 6


def test_line_markers_use_file_index(root):
    result = preprocess('#include "lib/a.glsl"\n', "<t>", root)
    assert f"#line {1 * LINE_STRIDE + 1} 1" in result.text.splitlines()
    assert f"#line {2 * LINE_STRIDE + 1} 2" in result.text.splitlines()


def test_cycle_reports_chain(root):
    write(root, "lib/a.glsl", '#include "lib/b.glsl"\n')
    write(root, "lib/b.glsl", '\n#include "lib/a.glsl"\n')
    message = error_of(lambda: preprocess('#include "lib/a.glsl"\n', "<t>", root))
    assert message == (
        "shaders/lib/b.glsl:2: include cycle: shaders/lib/a.glsl -> shaders/lib/b.glsl -> shaders/lib/a.glsl"
    )


def test_self_include_is_a_cycle(root):
    write(root, "lib/x.glsl", '#include "lib/x.glsl"\n')
    message = error_of(lambda: preprocess('#include "lib/x.glsl"\n', "<t>", root))
    assert message == "shaders/lib/x.glsl:1: include cycle: shaders/lib/x.glsl -> shaders/lib/x.glsl"


def test_cycle_back_to_top_level_file(root):
    write(root, "lib/top.glsl", '#include "lib/u.glsl"\n')
    write(root, "lib/u.glsl", '#include "lib/top.glsl"\n')
    message = error_of(lambda: preprocess_file("lib/top.glsl", root))
    assert message.endswith("include cycle: shaders/lib/top.glsl -> shaders/lib/u.glsl -> shaders/lib/top.glsl")


@pytest.mark.parametrize(
    "line, expected",
    [
        ('#include "/etc/passwd.glsl"', 'must be a relative path inside shaders/'),
        ('#include "../outside.glsl"', 'must not use ".."'),
        ('#include "lib/../../outside.glsl"', 'must not use ".."'),
        ('#include "lib\\\\b.glsl"', "must be a relative path"),
        ('#include "lib/notes.txt"', "must name a .glsl file"),
        ('#include "lib/nope.glsl"', 'include "lib/nope.glsl" not found'),
        ('#include "lib"', "must name a .glsl file"),
        ("#include <lib/b.glsl>", "malformed include"),
        ("#include lib/b.glsl", "malformed include"),
        ('#include "lib/b.glsl" trailing', "malformed include"),
        ('#include ""', "empty include path"),
    ],
)
def test_bad_includes_are_rejected_with_location(root, line, expected):
    write(root.parent, "outside.glsl", "float secret() { return 1.0; }\n")
    write(root, "lib/notes.txt", "not glsl\n")
    message = error_of(lambda: preprocess(f"// first\n{line}\n", "shaders/raymarch.frag", root))
    assert message.startswith("shaders/raymarch.frag:2: ")
    assert expected in message


def test_symlink_escaping_root_is_rejected(root):
    outside = write(root.parent, "secret.glsl", "float secret() { return 1.0; }\n")
    try:
        os.symlink(outside, root / "lib/link.glsl")
    except OSError:
        pytest.skip("symlinks not supported here")
    message = error_of(lambda: preprocess('#include "lib/link.glsl"\n', "<t>", root))
    assert message == '<t>:1: include "lib/link.glsl" resolves outside shaders/'


def test_missing_file_names_including_file_and_line(root):
    write(root, "raymarch.frag", "#version 330 core\n" + "\n" * 10 + '#include "lib/nope.glsl"\n')
    message = error_of(lambda: preprocess_file("raymarch.frag", root))
    assert message == 'shaders/raymarch.frag:12: include "lib/nope.glsl" not found'


def test_missing_nested_include_names_the_lib_file(root):
    write(root, "lib/a.glsl", '// a\n#include "lib/gone.glsl"\n')
    message = error_of(lambda: preprocess('#include "lib/a.glsl"\n', "<t>", root))
    assert message == 'shaders/lib/a.glsl:2: include "lib/gone.glsl" not found'


def test_preprocess_file_rejects_paths_outside_root(root):
    assert "not found" in error_of(lambda: preprocess_file("nope.frag", root))
    assert "inside shaders/" in error_of(lambda: preprocess_file("../x.frag", root))


def test_errors_are_input_errors():
    assert issubclass(ShaderSourceError, InputError)
    assert ShaderSourceError("x").exit_code == 2


# ------------------------------------------------------------------ #version
def test_version_stays_first(root):
    text = "// leading comment\n\n#version 330 core\n#include \"lib/a.glsl\"\nvoid main() {}\n"
    result = preprocess(text, "<t>", root)
    lines = result.text.splitlines()
    assert lines[0] == "#version 330 core"
    assert sum(1 for line in lines if "#version" in line) == 1
    # The comment that preceded #version keeps its original line number.
    mapped = {t: (s, n) for t, s, n in simulate_lines(result)}
    assert mapped["// leading comment"] == (0, 1)
    assert mapped["void main() {}"] == (0, 5)


def test_version_in_lib_file_is_rejected(root):
    write(root, "lib/v.glsl", "#version 330 core\n")
    message = error_of(lambda: preprocess('#include "lib/v.glsl"\n', "<t>", root))
    assert message == "shaders/lib/v.glsl:1: #version is only allowed in the top-level shader"


def test_text_without_version_starts_with_line_marker(root):
    result = preprocess("void main() {}\n", "<t>", root)
    assert result.text.splitlines()[0] == "#line 1 0"


def test_default_root_is_bundled_shaders():
    result = preprocess('#include "lib/domain.glsl"\n#include "lib/noise.glsl"\n', "<t>")
    assert result.source_map.files == (
        "<t>",
        "shaders/lib/domain.glsl",
        "shaders/lib/common.glsl",
        "shaders/lib/noise.glsl",
    )
    assert result.text.count("float noiseGradient3(vec3 p, float seed) {") == 1


# ------------------------------------------------------------------ driver errors
def compile_error(ctx, source: PreprocessedSource) -> str:
    with pytest.raises(moderngl.Error) as info:
        ctx.program(vertex_shader=VERTEX, fragment_shader=source.text)
    return str(info.value)


def test_semantic_error_in_included_file_maps_through_real_compile(gl_ctx, root):
    write(root, "lib/broken.glsl", "// broken\n\nfloat broken(float x) {\n    float y = x;\n    return y + foo;\n}\n")
    top = '#version 330 core\n#include "lib/a.glsl"\n#include "lib/broken.glsl"\nout vec4 c;\nvoid main() { c = vec4(broken(fa())); }\n'
    source = preprocess(top, "<scene map>", root)
    log = compile_error(gl_ctx, source)
    mapped = map_driver_error(log, source.source_map)
    assert "shaders/lib/broken.glsl:5: 'foo' undeclared" in mapped.splitlines()


def test_syntax_error_in_included_file_maps_through_real_compile(gl_ctx, root):
    write(root, "lib/broken.glsl", "float broken(float x) {\n    return x +;\n}\n")
    top = '#version 330 core\n#include "lib/broken.glsl"\nout vec4 c;\nvoid main() { c = vec4(broken(1.0)); }\n'
    source = preprocess(top, "<scene map>", root)
    mapped = map_driver_error(compile_error(gl_ctx, source), source.source_map)
    assert any(line.startswith("shaders/lib/broken.glsl:2: syntax error") for line in mapped.splitlines()), mapped


def test_error_after_include_returns_maps_to_top_level(gl_ctx, root):
    top = '#version 330 core\n#include "lib/a.glsl"\nout vec4 c;\nvoid main() {\n    c = vec4(fa() + bar);\n}\n'
    source = preprocess(top, "<scene map>", root)
    mapped = map_driver_error(compile_error(gl_ctx, source), source.source_map)
    assert "<scene map>:5: 'bar' undeclared" in mapped.splitlines()


def test_map_driver_error_formats():
    smap = SourceMap(("<scene map>", "shaders/lib/sdf.glsl"))
    log = "\n".join(
        [
            "GLSL Compiler failed",
            f"0:{LINE_STRIDE + 42}(5): error: `foo' undeclared",
            "1:42(5): error: syntax error, unexpected ';'",
            "0:7(1): warning: unused",
            '1(42) : error C1008: undefined variable "foo"',
            "0(7) : error C0000: syntax error",
            "ERROR: 1:42: 'foo' : undeclared identifier",
            "9:3(1): error: from a source string we never emitted",
            "link error: something else",
        ]
    )
    assert map_driver_error(log, smap).splitlines() == [
        "GLSL Compiler failed",
        "shaders/lib/sdf.glsl:42: 'foo' undeclared",
        "shaders/lib/sdf.glsl:42: syntax error, unexpected ';'",
        "<scene map>:7: warning: unused",
        'shaders/lib/sdf.glsl:42: undefined variable "foo"',
        "<scene map>:7: syntax error",
        "shaders/lib/sdf.glsl:42: 'foo' : undeclared identifier",
        "9:3(1): error: from a source string we never emitted",
        "link error: something else",
    ]


def test_source_map_name_and_locate():
    smap = SourceMap(("<t>", "shaders/lib/a.glsl"))
    assert smap.name(1) == "shaders/lib/a.glsl"
    assert smap.name(5) == "<source 5>"
    assert smap.locate(0, LINE_STRIDE + 3) == ("shaders/lib/a.glsl", 3)
    assert smap.locate(1, 3) == ("shaders/lib/a.glsl", 3)
    assert smap.locate(0, 3) == ("<t>", 3)
    assert smap.locate(4, 3) is None


def test_preprocess_does_not_import_moderngl():
    code = "import sys, renderer.compile.preprocess; sys.exit('moderngl' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
