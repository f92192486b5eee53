"""Compile GLSL programs once per program key and report driver errors against our files.

A driver's log names a line in the concatenated source; `map_driver_error` turns it back into
`shaders/lib/sdf.glsl:42: 'foo' undeclared`, and errors inside generated code also name the scene
node that produced the line.
"""

from __future__ import annotations

import re

import moderngl

from renderer.compile.preprocess import (
    PreprocessedSource, ShaderSourceError, map_driver_error, preprocess_file,
)

__all__ = ["ProgramCache", "build_program"]

_VERTEX = "render/fullscreen.vert"


def build_program(ctx: moderngl.Context, fragment: PreprocessedSource, describe_line=None) -> moderngl.Program:
    vertex = preprocess_file(_VERTEX)
    try:
        return ctx.program(vertex_shader=vertex.text, fragment_shader=fragment.text)
    except moderngl.Error as exc:
        text = str(exc)
        mapped = map_driver_error(text, fragment.source_map)
        located = [ln for ln in mapped.splitlines() if re.match(r"^\S+:\d+: ", ln.strip())]
        lines = [ln for ln in located if "warning" not in ln.lower()] or located or mapped.splitlines()
        first = lines[0].strip() if lines else "shader failed to compile"
        if describe_line is not None:
            match = re.match(r"^(<[^>]*>):(\d+):", first)
            if match and (node := describe_line(int(match.group(2)))):
                first += f" (from scene node {node})"
        raise ShaderSourceError(first) from None


class ProgramCache:
    """Programs by key: the same scene structure is compiled once, whatever its values."""

    def __init__(self, ctx: moderngl.Context):
        self.ctx = ctx
        self._programs: dict[str, moderngl.Program] = {}
        self.compiles = 0

    def get(self, key: str, fragment_factory, describe_line=None) -> moderngl.Program:
        program = self._programs.get(key)
        if program is None:
            program = build_program(self.ctx, fragment_factory(), describe_line)
            self._programs[key] = program
            self.compiles += 1
        return program

    def release(self) -> None:
        for program in self._programs.values():
            program.release()
        self._programs.clear()
