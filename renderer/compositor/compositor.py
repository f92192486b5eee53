"""Blend several dreamers' layers into one frame, with portals and glitch effects, on the GPU.

Each dreamer is rendered once to its own texture (RGBA, sRGB-encoded colour, GL row order: row 0
at the bottom, as `SceneRenderer` leaves it); `Compositor.composite` returns an RGBA8 texture of
the same size. Up to four passes a frame, each only when needed:

1. portals (`shaders/fx/scene.glsl`): the open portals drawn over the host layer into an
   intermediate texture, one draw per portal under a scissor box around it;
2. row table (`shaders/fx/fields.glsl`, rows): tear and VHS shifts, one texel per row;
3. block table (`fields.glsl`, blocks): block corruption and datamosh vectors, one texel per block;
4. effects (`shaders/fx/composite.glsl`): the effect chain, in the order documented there (and in
   `effects.EFFECT_ORDER`), writing the output and the feedback buffer.

Why not one pass: on llvmpipe, shader code costs time even in branches no pixel takes, and work
done per pixel that depends only on a row or a block is wasted 640 or 256 times over. Measured at
640x360 (benchmarks/compositor_effects.py): the all-in-one pass cost 24 ms with every effect at 0;
per-variant programs (the effects above 0 pick `#define`s) bring the identity to about 1 ms, and
the passes above bring every effect plus two portals from 37 ms to about 7 ms
(benchmarks/results/compositor_effects-llvmpipe-640x360-*.json).
`prepare()` compiles a timeline's variants before its first frame.

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

import math

import numpy as np

from renderer.compile.preprocess import PreprocessedSource, preprocess_file
from renderer.compositor.effects import BLOCK_SIZE, MAX_LAYERS, MAX_PORTALS, PORTAL_WOBBLE, GlitchParams
from renderer.gl.programs import ProgramCache
from renderer.gl.raymarch import set_uniforms

__all__ = [
    "Compositor", "keyframe_at_or_before", "variant_key", "portal_uniforms", "STAGE_BITS",
    "COMPOSITE_SHADER", "SCENE_SHADER", "FIELDS_SHADER",
]

COMPOSITE_SHADER = "fx/composite.glsl"
SCENE_SHADER = "fx/scene.glsl"
FIELDS_SHADER = "fx/fields.glsl"
_INT32_MAX = 2**31 - 1

# Bits of DS_FX_STAGES in shaders/fx/composite.glsl.
STAGE_BITS = {"channel_split": 2, "tear": 4, "blocks": 8, "interlace": 16, "datamosh": 32, "posterize": 64}
_ROW_STAGES = STAGE_BITS["tear"] | STAGE_BITS["interlace"]
_BLOCK_STAGES = STAGE_BITS["blocks"] | STAGE_BITS["datamosh"]

# Texture units. Portal pass: the host, then one per portal slot. Effect pass: the host, the
# portal pass's picture, the feedback buffer, the row table, the two block tables.
_HOST_UNIT = 0
_PORTAL_UNITS = tuple(range(1, 1 + MAX_PORTALS))
_HOST_DEPTH_UNIT = 1 + MAX_PORTALS
_COMPOSITE_UNITS = {"uLayer0": 0, "uScene": 1, "uPrevious": 2, "uRowField": 3, "uBlockField": 4,
                    "uMoshField": 5}


def variant_key(params: GlitchParams) -> tuple[int, int]:
    """(DS_FX_STAGES, number of open portals) of the programs `params` needs."""
    mask = 0
    for name, value in params.intensities().items():
        if value > 0.0:
            mask |= STAGE_BITS[name]
    return mask, sum(1 for p in params.portals if p.openness > 0.0)


def _with_defines(relative: str, defines: dict[str, int]) -> PreprocessedSource:
    """A top-level shader with `#define`s after its #version line. They go before the
    preprocessor's first #line marker, so error locations stay right."""
    source = preprocess_file(relative)
    head, _, rest = source.text.partition("\n")
    if not head.startswith("#version"):
        raise AssertionError(f"{relative}: expected a #version line first")
    lines = "".join(f"#define {name} {value}\n" for name, value in defines.items())
    return PreprocessedSource(f"{head}\n{lines}{rest}", source.source_map)


def portal_uniforms(portals, size: tuple[int, int]):
    """(uPortalGeom, uPortalRim, uPortalDepth, boxes) for open `portals`: boxes[i] = (x0, y0, x1,
    y1), top-down pixels, end exclusive, holds every pixel portal i can change (fxPortalReach plus
    a pixel)."""
    w, h = size
    geom = np.zeros((MAX_PORTALS, 4), np.float32)
    rim = np.zeros((MAX_PORTALS, 4), np.float32)
    depth = np.zeros(MAX_PORTALS, np.float32)
    boxes = []
    for i, p in enumerate(portals):
        # The whole portal grows from a point as it opens; its glow reaches full strength at half
        # open, so an opening portal starts as a bright spark.
        radius = p.radius * h * p.openness
        rim_width = p.rim_width * h * p.openness
        cx, cy = p.centre[0] * w, p.centre[1] * h
        geom[i] = (cx, cy, radius, min(1.0, 2.0 * p.openness))
        rim[i] = (*p.rim_color, rim_width)
        depth[i] = p.depth
        reach = radius * (1.0 + PORTAL_WOBBLE) + max(rim_width, 0.75, 0.15 * rim_width)
        x0 = min(w, max(0, math.floor(cx - reach) - 1))
        y0 = min(h, max(0, math.floor(cy - reach) - 1))
        boxes.append((x0, y0, max(x0, min(w, math.ceil(cx + reach) + 1)),
                      max(y0, min(h, math.ceil(cy + reach) + 1))))
    return geom, rim, depth, boxes


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
    """One output size's passes, textures and feedback buffers.

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
        w, h = self.size
        self.keyframe_interval = _check_int("keyframe_interval", keyframe_interval, 1, _INT32_MAX)
        self.seed = _check_int("seed", seed, 0, _INT32_MAX)
        self.ctx = ctx
        self._own_cache = cache is None
        self.cache = cache or ProgramCache(ctx)
        self._passes: dict[tuple, tuple] = {}  # pass key -> (program, vertex array)
        self.output = ctx.texture(self.size, 4)
        self._feedback = (ctx.texture(self.size, 4), ctx.texture(self.size, 4))
        self._fbos = tuple(ctx.framebuffer(color_attachments=[self.output, fb]) for fb in self._feedback)
        self._scene = ctx.texture(self.size, 4)
        self._scene_fbo = ctx.framebuffer(color_attachments=[self._scene])
        blocks = (math.ceil(w / BLOCK_SIZE), math.ceil(h / BLOCK_SIZE))
        self._row_field = ctx.texture((h, 1), 4, dtype="f4")
        self._block_field = ctx.texture(blocks, 4, dtype="f4")
        self._mosh_field = ctx.texture(blocks, 4, dtype="f4")
        for tex in (self._row_field, self._block_field, self._mosh_field):
            tex.filter = (ctx.NEAREST, ctx.NEAREST)
        self._row_fbo = ctx.framebuffer(color_attachments=[self._row_field])
        self._block_fbo = ctx.framebuffer(color_attachments=[self._block_field, self._mosh_field])
        self._last_frame: int | None = None
        self._last_read = 1
        self._last_has_previous = False
        self._last_fbo = self._fbos[0]

    # -- programs --------------------------------------------------------------------------------

    def _pass(self, key: tuple) -> tuple:
        found = self._passes.get(key)
        if found is None:
            kind = key[0]
            if kind == "scene":
                source, defines = SCENE_SHADER, {"DS_FX_PORTALS": key[1]}
                samplers = {"uLayer0": _HOST_UNIT}
                samplers.update({f"uPortalLayer{i}": unit for i, unit in enumerate(_PORTAL_UNITS)})
                samplers["uHostDepth"] = _HOST_DEPTH_UNIT
            elif kind == "fields":
                source, defines, samplers = FIELDS_SHADER, {"DS_FX_FIELD": key[1]}, {}
            else:
                source = COMPOSITE_SHADER
                defines = {"DS_FX_STAGES": key[1], "DS_FX_SCENE": key[2]}
                samplers = dict(_COMPOSITE_UNITS)
            name = f"compositor:{source}:" + ",".join(f"{k}={v}" for k, v in defines.items())
            program = self.cache.get(name, lambda: _with_defines(source, defines))
            set_uniforms(program, samplers)
            found = (program, self.ctx.vertex_array(program, []))
            self._passes[key] = found
        return found

    def _passes_for(self, key: tuple[int, int]) -> list[tuple]:
        mask, portals = key
        passes = [self._pass(("composite", mask, int(portals > 0)))]
        if portals:
            passes.append(self._pass(("scene", portals)))
        if mask & _ROW_STAGES:
            passes.append(self._pass(("fields", 0)))
        if mask & _BLOCK_STAGES:
            passes.append(self._pass(("fields", 1)))
        return passes

    def prepare(self, params_list) -> int:
        """Compile the programs these parameters need now rather than at their first frame (a
        glitch timeline can pass one GlitchParams per distinct combination of effects that are on
        and number of open portals); returns how many programs are ready."""
        for params in params_list:
            self._passes_for(variant_key(params))
        return len(self._passes)

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
        own = (self.output, self._scene, *self._feedback)
        for i, tex in enumerate(layers):
            if any(tex is o for o in own):
                raise ValueError(f"layers[{i}]: is one of this compositor's own textures (output, feedback)")
            if tuple(tex.size) != self.size:
                raise ValueError(f"layers[{i}]: size {tuple(tex.size)} differs from the compositor's {self.size}")
        return layers

    def _draw(self, key: tuple, uniforms: dict, target) -> None:
        program, vao = self._pass(key)
        set_uniforms(program, uniforms)
        target.use()
        vao.render(self.ctx.TRIANGLES, vertices=3)

    def composite(self, layers, params: GlitchParams, frame_index: int, host_depth=None):
        """Composite `layers` (layer 0 is the host) for frame `frame_index`; returns the RGBA8
        output texture (owned by the compositor, overwritten by the next call). `host_depth`, a
        one-channel float texture of the host's hit distances (`SceneRenderer.depth`), lets host
        geometry hide the portals that have a depth; without it every portal is an overlay."""
        if not isinstance(params, GlitchParams):
            raise ValueError(f"params: must be GlitchParams, got {type(params).__name__}")
        frame_index = _check_int("frame_index", frame_index, 0, _INT32_MAX)
        layers = self._check_layers(layers)
        if host_depth is not None and tuple(host_depth.size) != self.size:
            raise ValueError(f"host_depth: size {tuple(host_depth.size)} differs from the compositor's {self.size}")
        for i, portal in enumerate(params.portals):
            if portal.source >= len(layers):
                raise ValueError(f"portals[{i}].source: layer {portal.source} not given "
                                 f"({len(layers)} layer{'s' if len(layers) != 1 else ''})")
        read, has_previous = self._history_for(frame_index)
        w, h = self.size
        mask, n_portals = variant_key(params)
        self._passes_for((mask, n_portals))  # compile everything before drawing anything
        glitch_frame = frame_index if params.glitch_frame is None else params.glitch_frame
        common = {"uSize": (w, h), "uSeed": self.seed, "uFrame": frame_index, "uGlitchFrame": glitch_frame}

        rects = np.zeros((MAX_PORTALS, 4), np.float32)
        if n_portals:
            open_portals = [p for p in params.portals if p.openness > 0.0]
            geom, rim, depth, boxes = portal_uniforms(open_portals, self.size)
            layers[0].use(location=_HOST_UNIT)
            (layers[0] if host_depth is None else host_depth).use(location=_HOST_DEPTH_UNIT)
            for i, unit in enumerate(_PORTAL_UNITS):
                source = layers[open_portals[i].source] if i < n_portals else layers[0]
                # The rim's swirl reads the source between pixels and, at the frame's edge, past
                # it: clamp there rather than wrap to the opposite side.
                source.repeat_x = source.repeat_y = False
                source.use(location=unit)
            for i, (x0, y0, x1, y1) in enumerate(boxes):
                rects[i] = (x0, y0, x1, y1)
                if x1 > x0 and y1 > y0:
                    # Each draw evaluates every portal, so overlapping boxes agree.
                    self._scene_fbo.scissor = (x0, h - y1, x1 - x0, y1 - y0)  # GL: origin bottom-left
                    self._draw(("scene", n_portals),
                               {**common, "uPortalGeom": geom, "uPortalRim": rim, "uPortalDepth": depth,
                                "uHasHostDepth": int(host_depth is not None)}, self._scene_fbo)
        intensities = {"uTear": params.tear, "uBlocks": params.blocks, "uDatamosh": params.datamosh,
                       "uInterlace": params.interlace}
        if mask & _ROW_STAGES:
            self._draw(("fields", 0), {**common, **intensities}, self._row_fbo)
        if mask & _BLOCK_STAGES:
            self._draw(("fields", 1), {**common, **intensities}, self._block_fbo)

        layers[0].use(location=_COMPOSITE_UNITS["uLayer0"])
        self._scene.use(location=_COMPOSITE_UNITS["uScene"])
        self._feedback[read].use(location=_COMPOSITE_UNITS["uPrevious"])
        self._row_field.use(location=_COMPOSITE_UNITS["uRowField"])
        self._block_field.use(location=_COMPOSITE_UNITS["uBlockField"])
        self._mosh_field.use(location=_COMPOSITE_UNITS["uMoshField"])
        fbo = self._fbos[1 - read]
        self._draw(("composite", mask, int(n_portals > 0)), {
            **common,
            "uHasPrevious": int(has_previous),
            "uChannelSplit": params.channel_split,
            "uBlocks": params.blocks,
            "uInterlace": params.interlace,
            "uPosterize": params.posterize,
            "uSceneRect": rects,
        }, fbo)

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
        for _, vao in self._passes.values():
            vao.release()
        self._passes.clear()
        for obj in (*self._fbos, self._scene_fbo, self._row_fbo, self._block_fbo, self.output,
                    self._scene, self._row_field, self._block_field, self._mosh_field, *self._feedback):
            obj.release()
        if self._own_cache:
            self.cache.release()
