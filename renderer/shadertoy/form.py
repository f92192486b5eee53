"""Which form a user's fragment shader is written in: Shadertoy or glslViewer.

Kept apart from wrap.py so that loading a shader world (which the scene layer's nexus loader may
do) imports nothing from the compile or GL layers: only renderer.errors.
"""

from __future__ import annotations

import re

from renderer.errors import InputError

__all__ = ["SHADERTOY", "GLSLVIEWER", "FORM_DESCRIPTIONS", "strip_comments", "detect_form", "comment_safe"]

SHADERTOY = "shadertoy"
GLSLVIEWER = "glslviewer"
FORM_DESCRIPTIONS = {
    SHADERTOY: "Shadertoy form (mainImage; iTime, iResolution, iMouse, iChannel0-3, ...)",
    GLSLVIEWER: "glslViewer form (main; u_time, u_resolution, u_mouse, ...)",
}

_MAIN_IMAGE = re.compile(r"\bvoid\s+mainImage\s*\(")
_MAIN = re.compile(r"\bvoid\s+main\s*\(\s*(?:void\s*)?\)")
_GLSLVIEWER_HINT = re.compile(r"\b(?:u_time|u_resolution|gl_FragColor)\b")


def comment_safe(text: str, limit: int = 120) -> str:
    """`text` (a file name, a scene name) made safe inside a generated `//` comment: no newline
    and no trailing backslash (which would continue the comment onto the next line)."""
    return re.sub(r"[^\w .,:;()/+=@#-]", "?", str(text))[:limit]


def strip_comments(text: str) -> str:
    """`text` with // and /* */ comments replaced by spaces (newlines kept, so lines still count)."""
    out = []
    i, n = 0, len(text)
    while i < n:
        if text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end < 0 else end
            out.append(" " * (end - i))
            i = end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            out.append(re.sub(r"[^\n]", " ", text[i:end]))
            i = end
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def detect_form(text: str, display: str) -> str:
    """SHADERTOY (defines mainImage) or GLSLVIEWER (defines main); InputError (one line, exit 2)
    when the text is neither or both. Comments are ignored."""
    code = strip_comments(text)
    has_main_image = bool(_MAIN_IMAGE.search(code))
    has_main = bool(_MAIN.search(code))
    if has_main_image and has_main:
        raise InputError(f"{display}: defines both mainImage() and main(); a Shadertoy shader "
                         "defines only mainImage, a glslViewer shader only main")
    if has_main_image:
        return SHADERTOY
    if has_main:
        return GLSLVIEWER
    if _GLSLVIEWER_HINT.search(code):
        raise InputError(f"{display}: uses glslViewer inputs but defines no main()")
    raise InputError(f"{display}: not a Shadertoy shader (no mainImage(out vec4, in vec2)) "
                     "nor a glslViewer shader (no main() with u_time/u_resolution/gl_FragColor)")
