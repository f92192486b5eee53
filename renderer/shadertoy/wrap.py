"""Wrap a user's fragment shader (Shadertoy or glslViewer form) into a GLSL 3.30 core program.

Two forms are understood, told apart by what the code (comments stripped) defines (form.py):

- **shadertoy**: `void mainImage(out vec4 fragColor, in vec2 fragCoord)`, with Shadertoy's inputs
  iResolution, iTime, iTimeDelta, iFrame, iFrameRate, iMouse, iDate, iSampleRate, iChannelTime[4],
  iChannelResolution[4] and iChannel0..3, which the wrapper declares (as Shadertoy does).
- **glslviewer**: a plain `void main()` writing `gl_FragColor` (or its own `out vec4`), reading
  u_time, u_resolution, u_mouse, u_delta, u_frame, u_date and u_tex0..3 / u_tex0Resolution..; the
  author declares these (as glslViewer expects); the wrapper declares any that are used but not
  declared. `gl_FragColor`, `texture2D` and `varying` get #define shims for GLSL 3.30 core, and a
  `varying vec2 v_texcoord` is filled with gl_FragCoord.xy / u_resolution.

Both forms also see `uniform vec3 uEmotion` (pleasure, arousal, dominance in [-1, 1]) and
`#define DREAMSCAPE 1`, so a shader can supply its own neutral uEmotion elsewhere:
`#ifndef DREAMSCAPE` / `const vec3 uEmotion = vec3(0.0);` / `#endif`.

Error lines. The wrapper is source string 0; the user's files follow as 1, 2, ... and their lines
are emitted with the preprocessor's folding (`#line <index * LINE_STRIDE + line> <index>`, see
renderer/compile/preprocess.py), because Mesa reports source 0 for semantic errors. The returned
`SourceMap` therefore turns a driver log into `path/to/user.glsl:LINE: message`.

Pure Python: no GL here.
"""

from __future__ import annotations

import re

from renderer.compile.preprocess import LINE_STRIDE, PreprocessedSource, SourceMap, ShaderSourceError
from renderer.shadertoy.form import (
    FORM_DESCRIPTIONS, GLSLVIEWER, SHADERTOY, comment_safe, detect_form, strip_comments,
)

__all__ = [
    "SHADERTOY", "GLSLVIEWER", "FORM_DESCRIPTIONS", "SHADERTOY_UNIFORMS", "GLSLVIEWER_UNIFORMS",
    "WRAPPER_NAME", "strip_comments", "detect_form", "wrap_pass", "webgl2_harness", "encode_mouse",
]

WRAPPER_NAME = "<shader wrapper>"

#: Shadertoy's inputs in its WebGL2 prelude order (type, name).
SHADERTOY_UNIFORMS = (
    ("vec3", "iResolution"), ("float", "iTime"), ("float", "iTimeDelta"), ("int", "iFrame"),
    ("float", "iFrameRate"), ("float", "iChannelTime[4]"), ("vec3", "iChannelResolution[4]"),
    ("vec4", "iMouse"), ("vec4", "iDate"), ("float", "iSampleRate"),
    ("sampler2D", "iChannel0"), ("sampler2D", "iChannel1"), ("sampler2D", "iChannel2"),
    ("sampler2D", "iChannel3"),
)
#: glslViewer's inputs (type, name); u_texN / u_texNResolution map to channel N.
GLSLVIEWER_UNIFORMS = (
    ("float", "u_time"), ("vec2", "u_resolution"), ("vec2", "u_mouse"), ("float", "u_delta"),
    ("int", "u_frame"), ("vec4", "u_date"),
    *((("sampler2D", f"u_tex{i}") for i in range(4))),
    *((("vec2", f"u_tex{i}Resolution") for i in range(4))),
)
_EMOTION = ("vec3", "uEmotion")

_VERSION = re.compile(r"^\s*#\s*version\b")
_INCLUDE = re.compile(r"^\s*#\s*include\b")
_OWN_OUTPUT = re.compile(r"(?:^|[;}\s])(?:layout\s*\([^)]*\)\s*)?out\s+(?:(?:highp|mediump|lowp)\s+)?vec4\s+\w+\s*;")


def _declared(code: str, name: str) -> bool:
    base = name.split("[")[0]
    return re.search(rf"\buniform\s+(?:(?:highp|mediump|lowp)\s+)?\w+\s+{re.escape(base)}\b", code) is not None


def _user_lines(text: str, display: str) -> list[str]:
    """The user's lines, with #version blanked (the wrapper sets it) and #include refused."""
    lines = text.splitlines()
    if len(lines) >= LINE_STRIDE:
        raise ShaderSourceError(f"{display}: too long ({len(lines)} lines, limit {LINE_STRIDE - 1})")
    code_lines = strip_comments(text).splitlines()
    out = []
    for number, (line, code) in enumerate(zip(lines, code_lines + [""] * len(lines)), start=1):
        if _VERSION.match(code):
            out.append("")
        elif _INCLUDE.match(code):
            raise ShaderSourceError(f"{display}:{number}: #include is not supported in Shadertoy or "
                                    "glslViewer shaders (paste the code in, or use a multipass common file)")
        else:
            # moderngl's own include pass acts on `#include` even inside comments: defuse it.
            out.append(line.replace("#include", "# include"))
    return out


class _Builder:
    def __init__(self):
        self.files = [WRAPPER_NAME]
        self.lines: list[str] = []

    def wrapper(self, *lines: str) -> None:
        self.lines.extend(lines)

    def user(self, display: str, text: str) -> None:
        index = len(self.files)
        self.files.append(display)
        self.lines.append(f"#line {index * LINE_STRIDE + 1} {index}")
        self.lines.extend(_user_lines(text, display))
        # Back to the wrapper: the marker names the number of the line that follows it.
        self.lines.append(f"#line {len(self.lines) + 2} 0")

    def result(self) -> PreprocessedSource:
        return PreprocessedSource("\n".join(self.lines) + "\n", SourceMap(tuple(self.files)))


def wrap_pass(text: str, display: str, form: str | None = None, *, output_alpha: bool = False,
              common: tuple[str, str] | None = None) -> PreprocessedSource:
    """A `#version 330 core` fragment shader running the user's `text` (shown as `display`).

    form: SHADERTOY or GLSLVIEWER (detected when None). output_alpha: keep the alpha the shader
    writes (multipass buffers) instead of forcing 1 (the Image pass, as Shadertoy shows it).
    common: (display, text) of a Shadertoy "Common" file, placed before the pass's code.
    """
    form = form or detect_form(text, display)
    code = strip_comments(text) + (strip_comments(common[1]) if common else "")
    b = _Builder()
    b.wrapper("#version 330 core",
              f"// Dreamscape wrapper for {comment_safe(display)} ({form} form); the user's code "
              "follows the #line marker.",
              "#define DREAMSCAPE 1")
    if form == SHADERTOY:
        b.wrapper("#define HW_PERFORMANCE 1")
        for gtype, name in (*SHADERTOY_UNIFORMS, _EMOTION):
            if not _declared(code, name):
                b.wrapper(f"uniform {gtype} {name};")
        if common is not None:
            b.user(*common)
        b.user(display, text)
        alpha = "color.a" if output_alpha else "1.0"
        b.wrapper("out vec4 dsShaderOutput;",
                  "void main() {",
                  "    vec4 color = vec4(0.0, 0.0, 0.0, 1.0);",
                  "    mainImage(color, gl_FragCoord.xy);",
                  f"    dsShaderOutput = vec4(color.rgb, {alpha});",
                  "}")
        return b.result()
    if form != GLSLVIEWER:
        raise ValueError(f"unknown shader form {form!r}")
    if common is not None:
        raise ShaderSourceError(f"{display}: a common file needs Shadertoy-form passes")
    b.wrapper("#define GLSLVIEWER 1", "#define texture2D texture", "#define textureCube texture")
    if re.search(r"\bvarying\b", code):
        b.wrapper("#define varying")
    if re.search(r"\bgl_FragColor\b", code) or not _OWN_OUTPUT.search(code):
        b.wrapper("out vec4 dsShaderOutput;", "#define gl_FragColor dsShaderOutput")
    texcoord = re.search(r"\bvarying\s+vec2\s+v_texcoord\s*;", code) is not None
    for gtype, name in (*GLSLVIEWER_UNIFORMS, _EMOTION):
        used = re.search(rf"\b{name}\b", code) or (texcoord and name == "u_resolution")
        if used and not _declared(code, name):
            b.wrapper(f"uniform {gtype} {name};")
    b.wrapper("#define main dsUserMain")
    b.user(display, text)
    b.wrapper("#undef main", "void main() {")
    if texcoord:
        b.wrapper("    v_texcoord = gl_FragCoord.xy / u_resolution;")
    b.wrapper("    dsUserMain();", "}")
    return b.result()


def webgl2_harness(body: str) -> str:
    """`body` (a Shadertoy Image shader) inside a WebGL2 prelude like the one Shadertoy adds.

    Used to check that an exported shader compiles as GLSL ES 3.00, the dialect Shadertoy runs.
    """
    head = ["#version 300 es", "precision highp float;", "precision highp int;",
            "precision mediump sampler3D;", "#define HW_PERFORMANCE 1"]
    head += [f"uniform {gtype} {name};" for gtype, name in SHADERTOY_UNIFORMS]
    tail = ["out vec4 dsWebglOutput;", "void main() {", "    vec4 color = vec4(0.0, 0.0, 0.0, 1.0);",
            "    mainImage(color, gl_FragCoord.xy);", "    dsWebglOutput = vec4(color.rgb, 1.0);", "}"]
    return "\n".join(head) + "\n" + body + "\n" + "\n".join(tail) + "\n"


def encode_mouse(position: tuple[float, float], click: tuple[float, float] | None = None, *,
                 down: bool = True, clicked_now: bool = False) -> tuple[float, float, float, float]:
    """Shadertoy's iMouse from a pointer state, in pixels with the origin at the bottom left.

    xy: the pointer while the button is held (the last held position after release); zw: where
    the button went down, with z > 0 while it is held and w > 0 only on the frame of the click
    (negated otherwise). `click` defaults to `position`.
    """
    x, y = (float(v) for v in position)
    cx, cy = (float(v) for v in (click if click is not None else position))
    return (x, y, cx if down else -abs(cx), cy if clicked_now else -abs(cy))
