"""Blend several dreamers' layers into one frame, with portals and glitch effects, in one GPU pass.

Each dreamer is rendered once to its own texture (RGBA, sRGB-encoded colour, GL row order: row 0
at the bottom, as `SceneRenderer` leaves it); `Compositor.composite` runs `shaders/fx/composite.glsl`
over them and returns an RGBA8 texture of the same size. The effect order is documented there and
in `effects.EFFECT_ORDER`.

Determinism and history. Random choices hash (seed, frame index), so a frame index always gives
the same glitches. Datamosh and interlace combing also read the previous frame, kept in a feedback
buffer (two textures, ping-ponged). That history is used only when the previous call composited
frame_index - 1 and frame_index is not a key frame (`frame_index % keyframe_interval != 0`);
otherwise the frame starts clean, as a video codec's I-frame does. Hence rendering frames a..b
with a a key frame gives exactly the frames a continuous render from 0 gives: **video segments
(and the frames each worker renders) must start on key-frame indices** (`keyframe_at_or_before`),
or render warm-up frames from the key frame before them and discard those. Compositing the same
frame index twice in a row reuses the same history, so re-compositing a paused frame is stable.

This module never imports moderngl (tests/test_layering.py keeps that to renderer/gl); it drives
the context through the objects it is given and through renderer.gl helpers.
"""

from __future__ import annotations

import numpy as np

from renderer.compile.preprocess import preprocess_file
from renderer.compositor.effects import MAX_LAYERS, MAX_PORTALS, GlitchParams
from renderer.gl.programs import ProgramCache
from renderer.gl.raymarch import set_uniforms

__all__ = ["Compositor", "keyframe_at_or_before", "COMPOSITE_SHADER"]

COMPOSITE_SHADER = "fx/composite.glsl"
_PROGRAM_KEY = "compositor:" + COMPOSITE_SHADER
_PREVIOUS_UNIT = MAX_LAYERS
_INT32_MAX = 2**31 - 1


def keyframe_at_or_before(frame_index: int, keyframe_interval: int) -> int:
    """The key frame a segment containing `frame_index` must start rendering from."""
    return frame_index - frame_index % keyframe_interval


def _check_int(name: str, value, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name}: must be an integer, got {value!r}")
    if not lo <= int(value) <= hi:
        raise ValueError(f"{name}: must be in [{lo}, {hi}], got {value!r}")
    return int(value)


class Compositor:
    """One output size's composite pass: program, output texture and feedback buffers.

    ctx: a moderngl context. size: (width, height) of the layers and the output.
    keyframe_interval: frames between history resets (datamosh/interlace start clean there).
    seed: drives every random choice together with the frame index (0 <= seed < 2^31).
    cache: a renderer.gl ProgramCache to share compiled programs (one of its own otherwise).
    """

    def __init__(self, ctx, size: tuple[int, int], *, keyframe_interval: int = 48, seed: int = 0,
                 cache: ProgramCache | None = None):
        try:
            w, h = size
        except (TypeError, ValueError):
            raise ValueError(f"size: must be (width, height), got {size!r}") from None
        self.size = (_check_int("size width", w, 1, 16384), _check_int("size height", h, 1, 16384))
        self.keyframe_interval = _check_int("keyframe_interval", keyframe_interval, 1, _INT32_MAX)
        self.seed = _check_int("seed", seed, 0, _INT32_MAX)
        self.ctx = ctx
        self._own_cache = cache is None
        self.cache = cache or ProgramCache(ctx)
        self.program = self.cache.get(_PROGRAM_KEY, lambda: preprocess_file(COMPOSITE_SHADER))
        self._vao = ctx.vertex_array(self.program, [])
        self.output = ctx.texture(self.size, 4)
        self._feedback = (ctx.texture(self.size, 4), ctx.texture(self.size, 4))
        self._fbos = tuple(ctx.framebuffer(color_attachments=[self.output, fb]) for fb in self._feedback)
        samplers = {f"uLayer{i}": i for i in range(MAX_LAYERS)}
        samplers["uPrevious"] = _PREVIOUS_UNIT
        set_uniforms(self.program, samplers)
        self._last_frame: int | None = None
        self._last_read = 1
        self._last_has_previous = False
        self._last_fbo = self._fbos[0]

    # -- history ---------------------------------------------------------------------------------

    def is_keyframe(self, frame_index: int) -> bool:
        return frame_index % self.keyframe_interval == 0

    def keyframe_at_or_before(self, frame_index: int) -> int:
        return keyframe_at_or_before(frame_index, self.keyframe_interval)

    @property
    def used_history(self) -> bool:
        """Whether the last composite read the previous frame (False on key frames and jumps)."""
        return self._last_has_previous

    def reset(self) -> None:
        """Forget the previous frame: the next composite starts clean, as on a key frame."""
        self._last_frame = None
        self._last_has_previous = False

    def _history_for(self, frame_index: int) -> tuple[int, bool]:
        """(feedback buffer to read, whether it holds frame_index - 1's picture)."""
        if frame_index == self._last_frame:
            return self._last_read, self._last_has_previous
        if (self._last_frame is not None and frame_index == self._last_frame + 1
                and not self.is_keyframe(frame_index)):
            return 1 - self._last_read, True
        return 1 - self._last_read, False

    # -- compositing -----------------------------------------------------------------------------

    def _check_layers(self, layers) -> list:
        layers = list(layers)
        if not 1 <= len(layers) <= MAX_LAYERS:
            raise ValueError(f"layers: need 1 to {MAX_LAYERS} textures, got {len(layers)}")
        own = (self.output, *self._feedback)
        for i, tex in enumerate(layers):
            if any(tex is o for o in own):
                raise ValueError(f"layers[{i}]: is this compositor's own output or feedback texture")
            if tuple(tex.size) != self.size:
                raise ValueError(f"layers[{i}]: size {tuple(tex.size)} differs from the compositor's {self.size}")
        return layers

    def composite(self, layers, params: GlitchParams, frame_index: int):
        """Composite `layers` (layer 0 is the host) for frame `frame_index`; returns the RGBA8
        output texture (owned by the compositor, overwritten by the next call)."""
        if not isinstance(params, GlitchParams):
            raise ValueError(f"params: must be GlitchParams, got {type(params).__name__}")
        frame_index = _check_int("frame_index", frame_index, 0, _INT32_MAX)
        layers = self._check_layers(layers)
        for i, portal in enumerate(params.portals):
            if portal.source >= len(layers):
                raise ValueError(f"portals[{i}].source: layer {portal.source} not given "
                                 f"({len(layers)} layer{'s' if len(layers) != 1 else ''})")
        read, has_previous = self._history_for(frame_index)
        write = 1 - read

        w, h = self.size
        geom = np.zeros((MAX_PORTALS, 4), np.float32)
        rim = np.zeros((MAX_PORTALS, 4), np.float32)
        extra = np.zeros((MAX_PORTALS, 4), np.float32)
        for i, p in enumerate(params.portals):
            # The whole portal grows from a point as it opens; its glow reaches full strength at
            # half open, so an opening portal starts as a bright spark.
            geom[i] = (p.centre[0] * w, p.centre[1] * h, p.radius * h * p.openness, min(1.0, 2.0 * p.openness))
            rim[i] = (*p.rim_color, p.rim_width * h * p.openness)
            extra[i, 0] = p.source
        uniforms = {
            "uSize": (w, h),
            "uSeed": self.seed,
            "uFrame": frame_index,
            "uHasPrevious": int(has_previous),
            "uTear": params.tear,
            "uChannelSplit": params.channel_split,
            "uBlocks": params.blocks,
            "uDatamosh": params.datamosh,
            "uInterlace": params.interlace,
            "uPosterize": params.posterize,
            "uPortalCount": len(params.portals),
            "uPortalGeom": geom,
            "uPortalRim": rim,
            "uPortalExtra": extra,
        }
        set_uniforms(self.program, uniforms)
        for unit in range(MAX_LAYERS):
            (layers[unit] if unit < len(layers) else layers[0]).use(location=unit)
        self._feedback[read].use(location=_PREVIOUS_UNIT)
        fbo = self._fbos[write]
        fbo.use()
        self._vao.render(self.ctx.TRIANGLES, vertices=3)

        self._last_frame = frame_index
        self._last_read = read
        self._last_has_previous = has_previous
        self._last_fbo = fbo
        return self.output

    # -- images ----------------------------------------------------------------------------------

    def upload(self, image: np.ndarray):
        """A layer texture from a top-down (H, W, 3 or 4) uint8 image (the caller releases it)."""
        image = np.asarray(image)
        if image.dtype != np.uint8 or image.ndim != 3 or image.shape[2] not in (3, 4):
            raise ValueError(f"image: expected (H, W, 3|4) uint8, got {image.shape} {image.dtype}")
        if (image.shape[1], image.shape[0]) != self.size:
            raise ValueError(f"image: size {(image.shape[1], image.shape[0])} differs from {self.size}")
        data = np.ascontiguousarray(image[::-1]).tobytes()
        return self.ctx.texture(self.size, image.shape[2], data)

    def read(self) -> np.ndarray:
        """The last composite as a top-down (H, W, 3) uint8 sRGB image."""
        w, h = self.size
        data = np.frombuffer(self._last_fbo.read(components=3, attachment=0, alignment=1), dtype=np.uint8)
        return data.reshape(h, w, 3)[::-1].copy()

    def release(self) -> None:
        self._vao.release()
        for obj in (*self._fbos, self.output, *self._feedback):
            obj.release()
        if self._own_cache:
            self.cache.release()
