"""Render a compiled scene: optional cone-marching prepass, then the full-resolution raymarch.

One `SceneRenderer` owns the framebuffers for one output size and re-renders any time `t`; changing
values never recompiles (the programs come from the cache by structure key).
"""

from __future__ import annotations

import math

import moderngl
import numpy as np

from renderer.compile.frame import Frame, FrameOptions, evaluate_frame
from renderer.compile.program import CompiledScene
from renderer.gl.programs import ProgramCache

__all__ = ["SceneRenderer", "set_uniforms", "PREPASS_BLOCK"]

PREPASS_BLOCK = 4
# Largest offset of a pixel centre from its 4x4 block's centre, in pixels (1.5 * sqrt 2), with 10%
# margin: the cone must contain every pixel ray of the block.
_CONE_PIXELS = 1.5 * math.sqrt(2.0) * 1.1


def set_uniforms(program: moderngl.Program, values: dict) -> None:
    """Write the uniforms a program actually uses (the driver drops unused ones)."""
    for name, value in values.items():
        if name not in program:
            continue
        uniform = program[name]
        if isinstance(value, np.ndarray):
            data = np.ascontiguousarray(value, dtype=np.float32)
            expected = uniform.array_length * uniform.dimension * 4
            buf = data.tobytes()[:expected]
            uniform.write(buf.ljust(expected, b"\0"))
        else:
            uniform.value = value


class SceneRenderer:
    def __init__(self, ctx: moderngl.Context, compiled: CompiledScene, size: tuple[int, int], *,
                 prepass: bool | None = None, debug_steps: bool = False,
                 cache: ProgramCache | None = None):
        self.ctx = ctx
        self.size = size
        self.compiled = compiled
        self.use_prepass = compiled.scene.render.prepass if prepass is None else prepass
        self.debug_steps = debug_steps
        self.cache = cache or ProgramCache(ctx)
        self._vao_cache: dict[int, moderngl.VertexArray] = {}
        w, h = size
        if debug_steps:
            self.color = ctx.texture(size, 4, dtype="f4")
        else:
            self.color = ctx.texture(size, 4)
        # Hit distance along each pixel's ray (1e30 where the ray missed), for depth-aware portals.
        self.depth = ctx.texture(size, 1, dtype="f4")
        self.depth.filter = (moderngl.NEAREST, moderngl.NEAREST)
        self.fbo = ctx.framebuffer(color_attachments=[self.color, self.depth])
        pw, ph = math.ceil(w / PREPASS_BLOCK), math.ceil(h / PREPASS_BLOCK)
        self.prepass_tex = ctx.texture((pw, ph), 4, dtype="f4")
        self.prepass_tex.filter = (moderngl.NEAREST, moderngl.NEAREST)
        self.prepass_fbo = ctx.framebuffer(color_attachments=[self.prepass_tex])
        self.last_frame: Frame | None = None

    def set_scene(self, compiled: CompiledScene) -> None:
        """Swap the scene (hot reload, new emotion); programs come from the cache by key."""
        self.compiled = compiled

    def _program(self, pass_name: str) -> moderngl.Program:
        debug = self.debug_steps and pass_name == "main"
        compiled = self.compiled
        return self.cache.get(compiled.key(pass_name, debug),
                              lambda: compiled.source(pass_name, debug),
                              describe_line=lambda line: compiled.node_for_line(line, pass_name, debug))

    def _vao(self, program: moderngl.Program) -> moderngl.VertexArray:
        vao = self._vao_cache.get(id(program))
        if vao is None:
            vao = self.ctx.vertex_array(program, [])
            self._vao_cache[id(program)] = vao
        return vao

    def draw(self, frame: Frame, target: moderngl.Framebuffer | None = None, *,
             region: tuple[int, int, int, int] | None = None, prepass: bool = True) -> None:
        """Run the passes for an evaluated frame into `target` (default: own framebuffer).
        `region` (x, y, w, h in GL pixels, origin bottom-left) limits the main pass to a
        rectangle, and `prepass=False` reuses the prepass of the previous draw (same frame): the
        explorer renders a still picture band by band this way."""
        w, h = self.size
        uniforms = dict(frame.uniforms)
        uniforms["uResolution"] = (float(w), float(h))
        # A ray is "on" the surface once the distance is below half a pixel's footprint: finer is
        # invisible, and it stops grazing rays from creeping along far terrain until the budget
        # runs out (which made hit/miss depend on the step budget rather than the geometry).
        pixel_angle = 2.0 * uniforms["uTanHalfFov"] / h
        uniforms["uHitEps"] = max(uniforms["uHitEps"], 0.5 * pixel_angle)
        if self.use_prepass and prepass:
            program = self._program("prepass")
            uniforms["uConeSlope"] = _CONE_PIXELS * 2.0 * uniforms["uTanHalfFov"] / h
            set_uniforms(program, uniforms)
            self.prepass_fbo.use()
            self._vao(program).render(moderngl.TRIANGLES, vertices=3)
        main = self._program("main")
        uniforms["uUsePrepass"] = int(self.use_prepass)
        uniforms["uPrepass"] = 0
        set_uniforms(main, uniforms)
        self.prepass_tex.use(location=0)
        fbo = target or self.fbo
        fbo.use()
        fbo.scissor = region
        try:
            self._vao(main).render(moderngl.TRIANGLES, vertices=3)
        finally:
            fbo.scissor = None

    def render(self, t: float, options: FrameOptions = FrameOptions()) -> np.ndarray:
        """Render time t and read it back: (H, W, 3) uint8 sRGB, or (H, W, 4) float32 of
        (steps, hit, t, 1) with debug_steps."""
        frame = evaluate_frame(self.compiled, t, options)
        self.last_frame = frame
        self.draw(frame)
        return self.read()

    def read(self) -> np.ndarray:
        w, h = self.size
        if self.debug_steps:
            data = np.frombuffer(self.fbo.read(components=4, dtype="f4"), dtype=np.float32)
            return data.reshape(h, w, 4)[::-1].copy()
        data = np.frombuffer(self.fbo.read(components=3, alignment=1), dtype=np.uint8)
        return data.reshape(h, w, 3)[::-1].copy()

    def read_depth(self) -> np.ndarray:
        """(H, W) float32 hit distance along each pixel's ray, top row first; 1e30 for a miss."""
        w, h = self.size
        data = np.frombuffer(self.fbo.read(components=1, attachment=1, dtype="f4"), dtype=np.float32)
        return data.reshape(h, w)[::-1].copy()

    def read_prepass(self) -> np.ndarray:
        pw, ph = self.prepass_tex.size
        data = np.frombuffer(self.prepass_tex.read(), dtype=np.float32).reshape(ph, pw, 4)
        return data[::-1].copy()

    def release(self) -> None:
        for vao in self._vao_cache.values():
            vao.release()
        self._vao_cache.clear()
        for obj in (self.fbo, self.color, self.depth, self.prepass_fbo, self.prepass_tex):
            obj.release()
