"""Shader worlds without GL: form detection, wrapping, line mapping, manifests, mouse and date."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from renderer.compile.preprocess import map_driver_error
from renderer.errors import InputError
from renderer.shadertoy.command import is_shader_arg, load_shader_arg, parse_mouse
from renderer.shadertoy.world import ShaderWorld, is_shader_manifest_data, is_shader_path, load_shader_world
from renderer.shadertoy.wrap import (
    GLSLVIEWER, SHADERTOY, detect_form, encode_mouse, strip_comments, webgl2_harness, wrap_pass,
)

SHADERS = Path(__file__).resolve().parent / "shaders"
FEEDBACK = SHADERS / "feedback" / "feedback.shadertoy.toml"


@pytest.mark.parametrize("name, form", [
    ("pattern.glsl", SHADERTOY), ("sphere.glsl", SHADERTOY), ("mouse_channel.glsl", SHADERTOY),
    ("pattern.frag", GLSLVIEWER), ("sphere.frag", GLSLVIEWER), ("mouse_channel.frag", GLSLVIEWER),
    ("emotion.frag", GLSLVIEWER),
])
def test_detects_the_form(name, form):
    assert detect_form((SHADERS / name).read_text(), name) == form


def test_detection_ignores_comments_and_explains_failures():
    text = "// void mainImage(out vec4 c, in vec2 f) {}\n/* u_time */\nvoid helper() {}\n"
    assert strip_comments(text).count("\n") == text.count("\n")
    with pytest.raises(InputError) as info:
        detect_form(text, "odd.glsl")
    message = str(info.value)
    assert message.startswith("odd.glsl: not a Shadertoy shader") and "\n" not in message
    with pytest.raises(InputError, match="both mainImage"):
        detect_form("void mainImage(out vec4 c, in vec2 f) {}\nvoid main() {}\n", "both.glsl")
    with pytest.raises(InputError, match="defines no main"):
        detect_form("uniform float u_time;\n", "half.frag")


def test_driver_errors_map_to_the_users_file_and_line():
    wrapped = wrap_pass((SHADERS / "error.glsl").read_text(), "shaders/error.glsl")
    lines = wrapped.text.splitlines()
    # The user's line 3 sits after a `#line 100001 1` marker; Mesa names source 0 for semantic
    # errors but keeps the folded line number, syntax errors name source 1.
    marker = lines.index("#line 100001 1")
    assert "undefinedBrightness" in lines[marker + 3]
    semantic = "0:100003(30): error: `undefinedBrightness' undeclared"
    syntax = "1:100003(12): error: syntax error, unexpected ';'"
    assert map_driver_error(semantic, wrapped.source_map) == "shaders/error.glsl:3: 'undefinedBrightness' undeclared"
    assert map_driver_error(syntax, wrapped.source_map).startswith("shaders/error.glsl:3: syntax error")
    # A line of the wrapper itself names the wrapper.
    assert map_driver_error("0:5(1): error: x", wrapped.source_map) == "<shader wrapper>:5: x"


def test_wrapper_lines_after_the_user_text_are_numbered_right():
    wrapped = wrap_pass("void mainImage(out vec4 c, in vec2 f)\n{\n    c = vec4(1.0);\n}\n", "u.glsl")
    lines = wrapped.text.splitlines()
    back = next(i for i, line in enumerate(lines) if line.endswith(" 0") and line.startswith("#line"))
    assert int(lines[back].split()[1]) == back + 2  # the marker names the 1-based number of the next line


def test_glslviewer_shims_and_user_declarations():
    text = (SHADERS / "mouse_channel.frag").read_text()
    wrapped = wrap_pass(text, "m.frag").text
    assert "#define gl_FragColor dsShaderOutput" in wrapped and "#define texture2D texture" in wrapped
    # The author declared u_tex0, u_resolution and u_mouse: the wrapper must not declare them again.
    head = wrapped.split("#line 100001 1")[0]
    assert "uniform vec2 u_mouse;" not in head and "uniform sampler2D u_tex0;" not in head
    # An author's own `out vec4` replaces the gl_FragColor shim.
    own = wrap_pass((SHADERS / "emotion.frag").read_text(), "e.frag").text
    assert "dsShaderOutput" not in own and "uniform vec3 uEmotion;" not in own.split("#line 100001 1")[0]


def test_version_lines_are_blanked_and_includes_refused():
    wrapped = wrap_pass("#version 300 es\nvoid mainImage(out vec4 c, in vec2 f) { c = vec4(1.0); }\n", "v.glsl")
    assert wrapped.text.count("#version") == 1 and wrapped.text.startswith("#version 330 core")
    with pytest.raises(InputError, match=r"^i.glsl:2: #include is not supported"):
        wrap_pass('void mainImage(out vec4 c, in vec2 f) {}\n#include "lib/noise.glsl"\n', "i.glsl")
    # `#include` inside a comment is defused (moderngl would try to substitute it).
    wrapped = wrap_pass('// #include "x"\nvoid mainImage(out vec4 c, in vec2 f) { c = vec4(1.0); }\n', "c.glsl")
    assert "#include" not in wrapped.text


def test_webgl2_harness_declares_shadertoy_inputs():
    text = webgl2_harness("void mainImage(out vec4 c, in vec2 f) { c = vec4(iTime); }")
    assert text.startswith("#version 300 es\nprecision highp float;")
    assert "uniform vec4 iMouse;" in text and "mainImage(color, gl_FragCoord.xy)" in text


def test_mouse_encoding_follows_shadertoy():
    assert encode_mouse((10, 20)) == (10.0, 20.0, 10.0, -20.0)                 # held, clicked earlier
    assert encode_mouse((10, 20), (3, 4), clicked_now=True) == (10.0, 20.0, 3.0, 4.0)
    assert encode_mouse((10, 20), (3, 4), down=False) == (10.0, 20.0, -3.0, -4.0)
    assert parse_mouse("10,20,3,4") == (10.0, 20.0, 3.0, -4.0)
    with pytest.raises(Exception):
        parse_mouse("10")


def test_date_is_a_fixed_clock():
    from renderer.shadertoy.renderer import date_uniform

    assert date_uniform(0.0) == (2024.0, 0.0, 1.0, 0.0)
    assert date_uniform(86400.0 + 3661.5) == (2024.0, 0.0, 2.0, 3661.5)
    assert date_uniform(31 * 86400.0) == (2024.0, 1.0, 1.0, 0.0)   # February is month 1, as in JS


def test_single_file_world(tmp_path):
    from PIL import Image

    png = tmp_path / "tex.png"
    Image.new("RGB", (4, 2), (10, 20, 30)).save(png)
    world = load_shader_world(SHADERS / "mouse_channel.glsl", channels=[str(png)], mouse=(1, 2, 3, -4))
    assert world.form == SHADERTOY and len(world.passes) == 1 and world.buffers == ()
    assert world.image.channels[0].kind == "image" and world.image.channels[1].kind == "none"
    assert world.mouse == (1.0, 2.0, 3.0, -4.0)
    assert "Shadertoy form" in world.describe()
    again = pickle.loads(pickle.dumps(world))
    assert again == world and repr(again) == repr(world)
    # The repr (which job fingerprints hash) changes with the content, not just the path.
    other = load_shader_world(SHADERS / "mouse_channel.glsl", channels=[None, str(png)], mouse=(1, 2, 3, -4))
    assert repr(other) != repr(world)
    assert "glslViewer form" in load_shader_world(SHADERS / "pattern.frag").describe()


def test_bad_channel_images_are_input_errors(tmp_path):
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"not an image")
    with pytest.raises(InputError, match=r"^--channel1: .*bad.png: not a readable image"):
        load_shader_world(SHADERS / "pattern.glsl", channels=[None, str(bad)])
    with pytest.raises(InputError, match="file not found"):
        load_shader_world(tmp_path / "missing.glsl")


def test_manifest_world():
    world = load_shader_world(FEEDBACK)
    assert [p.name for p in world.passes] == ["A", "B", "image"]
    assert world.name == "Feedback counter" and world.common[0].endswith("common.glsl")
    a, b, image = world.passes
    assert [c.buffer for c in a.channels[:2]] == ["A", "B"] and a.channels[0].filter == "linear"
    assert image.channels[0].filter == "nearest" and image.channels[2].kind == "none"
    assert "multipass: Buffer A, Buffer B + Image" in world.describe()
    with pytest.raises(InputError, match="--channel options apply"):
        load_shader_world(FEEDBACK, channels=["x.png"])


@pytest.mark.parametrize("body, message", [
    ('[passes.A]\nsource = "buffer_a.glsl"\n', "image: missing"),
    ('[image]\nsource = "image.glsl"\nchannels = ["C"]\n', r"image.channels\[0\]: buffer C has no \[passes.C\]"),
    ('[image]\nsource = "image.glsl"\nextra = 1\n', "image.extra: unknown key"),
    ('[passes.E]\nsource = "image.glsl"\n[image]\nsource = "image.glsl"\n', "passes.E: buffer passes are named"),
    ('[image]\nsource = "image.glsl"\nchannels = [{ source = "A", filter = "cubic" }]\n[passes.A]\nsource = "buffer_a.glsl"\n',
     r"image.channels\[0\].filter: must be one of"),
    ('[image]\nsource = "missing.glsl"\n', "missing.glsl: file not found"),
    ('[image]\nsource = "image.glsl"\nchannels = ["noise.txt"]\n', "expected a buffer A-D"),
])
def test_manifest_errors_are_one_line(tmp_path, body, message):
    folder = tmp_path / "p"
    folder.mkdir()
    for name in ("image.glsl", "buffer_a.glsl"):
        (folder / name).write_text((SHADERS / "feedback" / name).read_text())
    manifest = folder / "m.shadertoy.toml"
    manifest.write_text(body)
    with pytest.raises(InputError, match=message) as info:
        load_shader_world(manifest)
    assert "\n" not in str(info.value) and str(manifest) in str(info.value)


def test_scene_arguments_that_name_shaders(tmp_path):
    assert is_shader_path("a/b.glsl") and is_shader_path("x.FRAG") and is_shader_path("m.shadertoy.toml")
    assert not is_shader_path("scenes/mia.toml") and not is_shader_arg("mia")
    plain = tmp_path / "project.toml"
    plain.write_text(FEEDBACK.read_text())
    assert is_shader_arg(str(plain))  # any .toml whose tables make a manifest
    assert is_shader_manifest_data({"image": {}}) and not is_shader_manifest_data({"scene": {}, "image": {}})
    assert load_shader_arg("mia") is None

    class Args:
        channel0 = "x.png"
        channel1 = channel2 = channel3 = None
        mouse = None

    with pytest.raises(InputError, match="--channel0 applies to shader files"):
        load_shader_arg("mia", Args())
    assert isinstance(load_shader_arg(str(SHADERS / "pattern.glsl")), ShaderWorld)


def test_loading_a_world_needs_no_compile_or_gl_layer():
    """The nexus loader (scene layer) may load shader dreamers: that must not pull in GL."""
    import subprocess
    import sys

    code = ("import sys\n"
            "from renderer.shadertoy.world import load_shader_world\n"
            f"load_shader_world({str(FEEDBACK)!r}); load_shader_world({str(SHADERS / 'pattern.frag')!r})\n"
            "bad = sorted(m for m in sys.modules if m.startswith(('renderer.compile', 'renderer.gl', 'moderngl')))\n"
            "assert not bad, bad\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=Path(__file__).resolve().parent.parent)
    assert result.returncode == 0, result.stderr


def test_names_in_generated_comments_cannot_escape_them():
    from renderer.shadertoy.form import comment_safe

    wrapped = wrap_pass("void mainImage(out vec4 c, in vec2 f) { c = vec4(1.0); }\n", "evil\\\n#define x\\")
    assert wrapped.text.splitlines()[1].startswith("// Dreamscape wrapper for evil??#define x?")
    assert "\n" not in comment_safe("a\nb") and not comment_safe("a\\").endswith("\\")
