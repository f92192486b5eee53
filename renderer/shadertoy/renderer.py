"""Render a ShaderWorld: the user's passes through the fullscreen triangle, like a scene world.

`ShaderRenderer(ctx, world, size)` has the interface the job, still, bench and nexus machinery use
for worlds: `.render(t, options, frame_index) -> (H, W, 3) uint8` (top-down sRGB as written by the
shader), `.draw(t, options, frame_index)` which leaves the Image pass in `.color` (an RGBA8 texture,
GL row order, as SceneRenderer leaves its layer for the compositor), `.read()` and `.release()`.

Inputs, all reproducible: iTime = t; iFrame = frame_index; iTimeDelta = 1/fps and iFrameRate = fps
(fps from the world, else the constructor's, 30 by default); iDate = DATE_EPOCH + t (a fixed
clock, not the wall clock, so renders repeat exactly); iMouse from the world (or `.mouse`, which an
interactive front end may set); uEmotion = options.emotion, else the world's emotion track at t,
else neutral (0, 0, 0).

Multipass. Each buffer is two RGBA32F textures, ping-ponged: a pass reads the front texture of
every buffer and writes its own back texture, then swaps, so passes after it in the frame see this
frame's output and the pass itself (and passes before it) see the previous frame's, as on
Shadertoy. Buffer contents depend on every earlier frame, so frame k always starts from the
history of frames 0..k-1: after frame k-1 it continues, the same frame index again redraws from
the same history (motion-blur sub-frames), and any other jump (a video segment starting at frame
48, a still at t) clears the buffers and replays the buffer passes for frames 0..k-1 at
t - (k - j) / fps. Output therefore never depends on how frames are split among workers; the cost
of a jump is k buffer-pass frames.

This module never imports moderngl (tests/test_layering.py keeps that to renderer/gl): it uses the
context's methods and renderer.gl helpers.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import io

import numpy as np

from renderer.compile.frame import FrameOptions
from renderer.gl.programs import ProgramCache
from renderer.gl.raymarch import set_uniforms
from renderer.shadertoy.world import CHANNELS, ChannelSpec, ShaderWorld
from renderer.shadertoy.wrap import wrap_pass

__all__ = ["ShaderRenderer", "shader_world_renderer", "DATE_EPOCH", "DEFAULT_FPS", "date_uniform"]

DEFAULT_FPS = 30.0
#: iDate / u_date at t = 0 (a fixed clock so renders are reproducible).
DATE_EPOCH = _dt.datetime(2024, 1, 1, 0, 0, 0)


def date_uniform(t: float) -> tuple[float, float, float, float]:
    """(year, month - 1, day, seconds since midnight) at DATE_EPOCH + t, as Shadertoy's iDate."""
    when = DATE_EPOCH + _dt.timedelta(seconds=float(t))
    seconds = when.hour * 3600 + when.minute * 60 + when.second + when.microsecond / 1e6
    return (float(when.year), float(when.month - 1), float(when.day), float(seconds))


def _decode_image(spec: ChannelSpec) -> np.ndarray:
    from PIL import Image

    with Image.open(io.BytesIO(spec.data)) as img:
        rgba = np.asarray(img.convert("RGBA"), dtype=np.uint8)
    return rgba[::-1] if spec.vflip else rgba


class _Buffer:
    """One buffer pass's ping-pong pair (RGBA32F) and its framebuffers."""

    def __init__(self, ctx, size):
        self.textures = [ctx.texture(size, 4, dtype="f4") for _ in range(2)]
        self.fbos = [ctx.framebuffer(color_attachments=[t]) for t in self.textures]
        self.front = 0
        self.mipmaps = False

    @property
    def read(self):
        return self.textures[self.front]

    def swap(self) -> None:
        self.front = 1 - self.front

    def clear(self) -> None:
        for fbo in self.fbos:
            fbo.clear(0.0, 0.0, 0.0, 0.0)
        self.front = 0

    def release(self) -> None:
        for obj in (*self.fbos, *self.textures):
            obj.release()


class ShaderRenderer:
    def __init__(self, ctx, world: ShaderWorld, size: tuple[int, int], *, fps: float | None = None,
                 cache: ProgramCache | None = None):
        self.ctx = ctx
        self.world = world
        self.size = (int(size[0]), int(size[1]))
        self.fps = float(world.fps or fps or DEFAULT_FPS)
        self.mouse = tuple(world.mouse)
        self._own_cache = cache is None
        self.cache = cache or ProgramCache(ctx)
        self._released = False
        self._objects = []
        self.programs = []
        self._vaos = []
        try:
            self._setup()
        except BaseException:
            self.release()
            raise

    def _setup(self) -> None:
        ctx, world = self.ctx, self.world
        for index, p in enumerate(world.passes):
            is_image = index == len(world.passes) - 1
            wrapped = wrap_pass(p.text, p.source, world.form, output_alpha=not is_image, common=world.common)
            key = "shader:" + hashlib.sha256(wrapped.text.encode()).hexdigest()[:20]
            program = self.cache.get(key, lambda w=wrapped: w)
            set_uniforms(program, {f"iChannel{i}": i for i in range(CHANNELS)}
                         | {f"u_tex{i}": i for i in range(CHANNELS)})
            self.programs.append(program)
            self._vaos.append(ctx.vertex_array(program, []))
        self.buffers = {p.name: _Buffer(ctx, self.size) for p in world.buffers}
        self.color = ctx.texture(self.size, 4)
        self.fbo = ctx.framebuffer(color_attachments=[self.color])
        self._dummy = ctx.texture((1, 1), 4, bytes(4))
        self._objects += [self.fbo, self.color, self._dummy]
        self._images = {}
        self._samplers = []
        for p in world.passes:
            samplers = []
            for spec in p.channels:
                samplers.append(self._sampler(spec))
                if spec.kind == "image" and id(spec) not in self._images:
                    self._images[id(spec)] = self._upload(spec)
                if spec.kind == "buffer" and spec.filter == "mipmap":
                    self.buffers[spec.buffer].mipmaps = True
            self._samplers.append(samplers)
        self._done: int | None = None   # the frame whose buffer outputs are in front

    def _sampler(self, spec: ChannelSpec):
        ctx = self.ctx
        filters = {"mipmap": (ctx.LINEAR_MIPMAP_LINEAR, ctx.LINEAR), "linear": (ctx.LINEAR, ctx.LINEAR),
                   "nearest": (ctx.NEAREST, ctx.NEAREST)}
        repeat = spec.wrap == "repeat"
        sampler = ctx.sampler(repeat_x=repeat, repeat_y=repeat, filter=filters[spec.filter])
        self._objects.append(sampler)
        return sampler

    def _upload(self, spec: ChannelSpec):
        image = _decode_image(spec)
        h, w = image.shape[:2]
        texture = self.ctx.texture((w, h), 4, np.ascontiguousarray(image).tobytes())
        texture.build_mipmaps()
        self._objects.append(texture)
        return texture

    # -- frames ----------------------------------------------------------------------------------

    def _emotion(self, t: float, options: FrameOptions) -> tuple[float, float, float]:
        pad = options.emotion
        if pad is None and self.world.emotion is not None:
            pad = self.world.emotion.sample(t)
        return pad.as_tuple() if pad is not None else (0.0, 0.0, 0.0)

    def _channel_texture(self, spec: ChannelSpec):
        if spec.kind == "image":
            return self._images[id(spec)]
        if spec.kind == "buffer":
            return self.buffers[spec.buffer].read
        return self._dummy

    def _run_pass(self, index: int, values: dict, target) -> None:
        program = self.programs[index]
        p = self.world.passes[index]
        resolution = np.zeros((CHANNELS, 3), np.float32)
        textures = []
        for unit, spec in enumerate(p.channels):
            texture = self._channel_texture(spec)
            textures.append(texture)
            if spec.kind != "none":
                resolution[unit] = (texture.size[0], texture.size[1], 1.0)
        uniforms = dict(values)
        uniforms["iChannelResolution"] = resolution
        for unit in range(CHANNELS):
            uniforms[f"u_tex{unit}Resolution"] = tuple(float(v) for v in resolution[unit, :2])
        set_uniforms(program, uniforms)
        for unit, texture in enumerate(textures):
            texture.use(location=unit)
            self._samplers[index][unit].use(location=unit)
        target.use()
        self._vaos[index].render(self.ctx.TRIANGLES, vertices=3)
        for unit in range(CHANNELS):
            # Leave no sampler bound: it would override other passes' textures on these units.
            self._samplers[index][unit].clear(location=unit)

    def _values(self, t: float, options: FrameOptions, frame_index: int) -> dict:
        w, h = self.size
        mouse = tuple(float(v) for v in self.mouse)
        date = date_uniform(t)
        return {
            "iResolution": (float(w), float(h), 1.0), "iTime": float(t), "iTimeDelta": 1.0 / self.fps,
            "iFrame": int(frame_index), "iFrameRate": self.fps, "iMouse": mouse, "iDate": date,
            "iSampleRate": 44100.0, "iChannelTime": np.full(CHANNELS, float(t), np.float32),
            "u_time": float(t), "u_resolution": (float(w), float(h)), "u_mouse": mouse[:2],
            "u_delta": 1.0 / self.fps, "u_frame": int(frame_index), "u_date": date,
            "uEmotion": self._emotion(t, options),
        }

    def _run_buffers(self, t: float, options: FrameOptions, frame_index: int) -> None:
        values = self._values(t, options, frame_index)
        for index, p in enumerate(self.world.buffers):
            buffer = self.buffers[p.name]
            self._run_pass(index, values, buffer.fbos[1 - buffer.front])
            buffer.swap()
            if buffer.mipmaps:
                buffer.read.build_mipmaps()
        self._done = frame_index

    def draw(self, t: float, options: FrameOptions = FrameOptions(), frame_index: int = 0) -> None:
        """Render frame `frame_index` at time t; the Image pass's output is left in `.color`."""
        frame_index = int(frame_index)
        if frame_index < 0:
            raise ValueError(f"frame_index: must be >= 0, got {frame_index}")
        if self.buffers:
            if self._done is not None and frame_index == self._done:
                for buffer in self.buffers.values():   # back to frame k-1's outputs
                    buffer.swap()
                    if buffer.mipmaps:
                        buffer.read.build_mipmaps()
            elif self._done is None or frame_index != self._done + 1:
                for buffer in self.buffers.values():
                    buffer.clear()
                for j in range(frame_index):
                    self._run_buffers(t - (frame_index - j) / self.fps, options, j)
            self._run_buffers(t, options, frame_index)
        self._run_pass(len(self.world.passes) - 1, self._values(t, options, frame_index), self.fbo)

    def render(self, t: float, options: FrameOptions = FrameOptions(), frame_index: int = 0) -> np.ndarray:
        self.draw(t, options, frame_index)
        return self.read()

    def read(self) -> np.ndarray:
        """The last Image pass as a top-down (H, W, 3) uint8 array."""
        w, h = self.size
        data = np.frombuffer(self.fbo.read(components=3, alignment=1), dtype=np.uint8)
        return data.reshape(h, w, 3)[::-1].copy()

    def read_buffer(self, name: str) -> np.ndarray:
        """A buffer's current contents as a top-down (H, W, 4) float32 array (for tests)."""
        w, h = self.size
        data = np.frombuffer(self.buffers[name].read.read(), dtype=np.float32)
        return data.reshape(h, w, 4)[::-1].copy()

    def release(self) -> None:
        if self._released:
            return
        self._released = True
        for vao in self._vaos:
            vao.release()
        for buffer in getattr(self, "buffers", {}).values():
            buffer.release()
        for obj in self._objects:
            obj.release()
        if self._own_cache:
            self.cache.release()


def shader_world_renderer(ctx, world: ShaderWorld, size: tuple[int, int], *, fps: float | None = None,
                          cache: ProgramCache | None = None, **_ignored) -> ShaderRenderer:
    """The renderer for a ShaderWorld, accepting (and ignoring) the nexus-only keyword options
    that `renderer.output.frames.world_renderer` passes along (allow_flashing, keyframe_interval)."""
    return ShaderRenderer(ctx, world, size, fps=fps, cache=cache)
