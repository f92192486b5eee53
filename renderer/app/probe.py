"""Evaluate a compiled scene's own distance field at a few points on the GPU (camera clearance).

Choice: a GLSL probe pass, not a Python port of the field. It reuses the scene's exact shader
text (the prepass, whose `main` is renamed away by a `#define`) with a new `main` that writes
`dsMap(uProbePoints[i]).x` into pixel i of an 8x1 float target, with the frame's own uniforms.
So the clearance sees exactly the geometry on screen, emotion-driven scale, animation and noise
included, and needs no second implementation of every node. Cost: one 8-pixel draw and a 32-byte
read per frame, placed before the frame's main draw.
"""

from __future__ import annotations

import dataclasses

import moderngl
import numpy as np

from renderer.compile.program import CompiledScene
from renderer.gl.programs import ProgramCache
from renderer.gl.raymarch import set_uniforms

__all__ = ["DistanceProbe", "PROBE_POINTS", "probe_source"]

PROBE_POINTS = 8
_RENAME = "#define main dsPrepassMainUnused\n"
_PROBE_MAIN = f"""
#undef main
uniform vec3 uProbePoints[{PROBE_POINTS}];
void main() {{
    fragColor = vec4(dsMap(uProbePoints[int(gl_FragCoord.x)]).x, 0.0, 0.0, 1.0);
}}
"""


def probe_source(compiled: CompiledScene):
    """The scene's prepass source with its `main` replaced by the probe."""
    source = compiled.source("prepass")
    first, newline, rest = source.text.partition("\n")
    if not first.startswith("#version"):
        raise ValueError("prepass source does not start with #version")
    # The prepass text carries #line markers after the header, so driver errors still map back.
    return dataclasses.replace(source, text=first + newline + _RENAME + rest + _PROBE_MAIN)


class DistanceProbe:
    def __init__(self, ctx: moderngl.Context, cache: ProgramCache):
        self.ctx = ctx
        self.cache = cache
        self.texture = ctx.texture((PROBE_POINTS, 1), 4, dtype="f4")
        self.fbo = ctx.framebuffer(color_attachments=[self.texture])
        self._vaos: dict[int, moderngl.VertexArray] = {}

    def program(self, compiled: CompiledScene) -> moderngl.Program:
        return self.cache.get("probe:" + compiled.key("prepass"), lambda: probe_source(compiled))

    def distances(self, compiled: CompiledScene, uniforms: dict, points) -> np.ndarray:
        """Signed distance bounds at up to PROBE_POINTS points (N, 3)."""
        points = np.asarray(points, dtype=np.float32).reshape(-1, 3)
        n = len(points)
        if n > PROBE_POINTS:
            raise ValueError(f"at most {PROBE_POINTS} points per probe, got {n}")
        program = self.program(compiled)
        set_uniforms(program, uniforms)
        padded = np.zeros((PROBE_POINTS, 3), dtype=np.float32)
        padded[:n] = points
        program["uProbePoints"].write(padded.tobytes())
        vao = self._vaos.get(id(program))
        if vao is None:
            vao = self._vaos[id(program)] = self.ctx.vertex_array(program, [])
        self.fbo.use()
        self.fbo.viewport = (0, 0, n, 1)
        vao.render(moderngl.TRIANGLES, vertices=3)
        data = np.frombuffer(self.fbo.read(viewport=(0, 0, n, 1), components=4, dtype="f4"), dtype=np.float32)
        return data.reshape(n, 4)[:, 0].astype(float)

    def release(self) -> None:
        for vao in self._vaos.values():
            vao.release()
        self._vaos.clear()
        self.fbo.release()
        self.texture.release()
