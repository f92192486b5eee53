"""Evaluate GLSL snippets on the GPU (or llvmpipe) over a table of inputs.

A probe is a fullscreen-triangle fragment shader: texel i of an RGBA32F input texture is read into
`vec4 inp`, the body assigns `vec4 outp`, and the result is rendered into an RGBA32F framebuffer of
the same layout and read back. Library files are pulled in with the project's own preprocessor,
so the probes test the exact text a scene shader would see.

    with Probe(ctx, ["lib/sdf.glsl"], "outp = vec4(sdSphere(inp.xyz, 1.0));") as probe:
        out = probe.run(points)            # (N, 4) float32; compile once, run many times

`run_probe(...)` is the one-shot form. An optional `uniforms` dict sets `uniform` values declared
in `declarations` (e.g. `uniform int u_case;`) so one compiled probe can test several cases.
"""

from __future__ import annotations

import math
from pathlib import Path

import moderngl
import numpy as np

from renderer.compile.preprocess import map_driver_error, preprocess

__all__ = ["Probe", "run_probe", "case_branches", "map_values", "CASE_UNIFORM", "MAX_WIDTH"]

MAX_WIDTH = 256

_VERTEX = """#version 330 core
void main() {
    // One triangle covering the viewport: (-1,-1), (3,-1), (-1,3).
    vec2 pos = vec2(float((gl_VertexID & 1) << 2) - 1.0, float((gl_VertexID & 2) << 1) - 1.0);
    gl_Position = vec4(pos, 0.0, 1.0);
}
"""

_FRAGMENT = """#version 330 core
{includes}
uniform sampler2D ds_probe_input;
{declarations}
out vec4 ds_probe_out;
void main() {{
    vec4 inp = texelFetch(ds_probe_input, ivec2(gl_FragCoord.xy), 0);
    vec4 outp = vec4(0.0);
    {{
{body}
    }}
    ds_probe_out = outp;
}}
"""


class Probe:
    """A compiled probe shader; call `run(inputs)` any number of times, then `release()`."""

    def __init__(
        self,
        ctx: moderngl.Context,
        includes: list[str],
        body: str,
        declarations: str = "",
        root: Path | None = None,
    ):
        self.ctx = ctx
        text = _FRAGMENT.format(
            includes="\n".join(f'#include "{name}"' for name in includes),
            declarations=declarations,
            body=body,
        )
        source = preprocess(text, "<probe>", root)
        self.source = source
        try:
            self.program = ctx.program(vertex_shader=_VERTEX, fragment_shader=source.text)
        except moderngl.Error as exc:
            raise RuntimeError(map_driver_error(str(exc), source.source_map)) from None
        self.vao = ctx.vertex_array(self.program, [])

    def run(self, inputs: np.ndarray, uniforms: dict | None = None) -> np.ndarray:
        data = np.ascontiguousarray(inputs, dtype=np.float32)
        if data.ndim != 2 or data.shape[1] != 4:
            raise ValueError(f"inputs must have shape (N, 4), got {data.shape}")
        n = data.shape[0]
        if n == 0:
            return np.zeros((0, 4), np.float32)
        width = min(n, MAX_WIDTH)
        height = math.ceil(n / width)
        padded = np.zeros((width * height, 4), np.float32)
        padded[:n] = data

        for name, value in (uniforms or {}).items():
            self.program[name].value = value
        if "ds_probe_input" in self.program:
            self.program["ds_probe_input"].value = 0

        tex = self.ctx.texture((width, height), 4, padded.tobytes(), dtype="f4")
        target = self.ctx.texture((width, height), 4, dtype="f4")
        fbo = self.ctx.framebuffer(color_attachments=[target])
        try:
            tex.filter = (moderngl.NEAREST, moderngl.NEAREST)
            tex.use(location=0)
            fbo.use()
            fbo.clear(0.0, 0.0, 0.0, 0.0)
            self.vao.render(moderngl.TRIANGLES, vertices=3)
            raw = fbo.read(components=4, dtype="f4")
        finally:
            fbo.release()
            target.release()
            tex.release()
        return np.frombuffer(raw, dtype=np.float32).reshape(-1, 4)[:n].copy()

    def release(self) -> None:
        self.vao.release()
        self.program.release()

    def __enter__(self) -> "Probe":
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def run_probe(
    ctx: moderngl.Context,
    includes: list[str],
    body: str,
    inputs: np.ndarray,
    uniforms: dict | None = None,
    declarations: str = "",
) -> np.ndarray:
    """Compile a probe, evaluate it on `inputs` (N, 4) and return (N, 4) float32; releases it."""
    with Probe(ctx, includes, body, declarations) as probe:
        return probe.run(inputs, uniforms)


CASE_UNIFORM = "uniform int u_case;"


def case_branches(expressions, target: str) -> str:
    """An if / else-if chain assigning expression i to `target` when u_case == i, so one compiled
    probe serves a whole table of functions (set u_case through `run`'s uniforms)."""
    return "\n".join(f"    {'if' if i == 0 else 'else if'} (u_case == {i}) {target} = {expr};"
                     for i, expr in enumerate(expressions))



def map_values(ctx: moderngl.Context, root, points, values=None) -> np.ndarray:
    """dsMap(p) (distance, material, second material, weight) of the node graph `root`, compiled
    as a scene's map is, at `points` (N, 3); `values` is the FrameValues (neutral by default)."""
    from renderer.compile.frame_values import FrameValues
    from renderer.compile.program import LIBRARY, compile_scene
    from renderer.scene.model import Scene

    generated = compile_scene(Scene(root=root)).map
    params = generated.layout.pack(values or FrameValues())
    inputs = np.zeros((len(points), 4), np.float32)
    inputs[:, :3] = points
    declarations = f"uniform vec4 uParams[{len(params)}];\n{generated.source}"
    return run_probe(ctx, list(LIBRARY), "outp = dsMap(inp.xyz);", inputs,
                     uniforms={"uParams": [tuple(map(float, row)) for row in params]},
                     declarations=declarations)
