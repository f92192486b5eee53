"""What the explorer draws: a scene (or a nexus) at any internal size, from any camera.

`SceneView` keeps one `SceneRenderer` per internal size (the dynamic-resolution rungs are
quantised, so a handful of sizes), all sharing one `ProgramCache`: a rung change never compiles
and never reallocates a framebuffer that was used before. The frame's uniforms come from
`evaluate_frame`, then the explorer's own camera, shading rung and (after the user took over the
emotion) its own integrated animation clock replace the matching uniforms before `draw`.

`NexusView` shows a Dream Nexus through `NexusRenderer` as the offline renderer does, except that
the explorer's free camera replaces the host's: fly through Mia's valley and the worlds behind
its anchored portals move with parallax. `ShaderView` shows a Shadertoy/glslViewer shader, which
draws its own camera.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from renderer.app.emotion_control import AnimationClock
from renderer.app.probe import DistanceProbe
from renderer.compile.frame import CameraPose, Frame, FrameOptions, evaluate_frame, integrate_rate
from renderer.compile.program import compile_scene
from renderer.gl.programs import ProgramCache
from renderer.gl.raymarch import SceneRenderer

__all__ = ["SceneView", "NexusView", "NexusViewFrame", "ShaderView", "make_view"]


def _patch_animation(compiled, frame: Frame, clock: AnimationClock) -> None:
    """Replace the animation-clock-driven uniforms with the integrated clock's values."""
    values = dataclasses.replace(frame.values, anim_time=clock.anim)
    frame.uniforms["uParams"] = compiled.map.layout.pack(values)
    params = frame.params
    if frame.uniforms.get("uExposure", 1.0) != 1.0 or params.flicker_hz > 0.0:
        frame.uniforms["uExposure"] = clock.exposure(params.flicker_amount, params.flicker_hz)
    scene = compiled.scene
    emission = np.array(frame.uniforms["uMatEmission"], dtype=np.float32, copy=True)
    for i, name in enumerate(compiled.material_names):
        hz = scene.materials[name].pulse_hz
        if hz > 0.0:
            old = 1.0 + 0.5 * math.sin(2.0 * math.pi * hz * frame.values.anim_time)
            new = 1.0 + 0.5 * math.sin(2.0 * math.pi * hz * clock.anim)
            emission[i, :3] *= new / old
    frame.uniforms["uMatEmission"] = emission


class SceneView:
    free_camera = True
    reduced_shading = True      # honours the dynamic-resolution ladder's shading rungs
    can_sharpen = True          # a still view can be re-rendered band by band at window size

    def __init__(self, ctx, cache: ProgramCache, scene):
        self.ctx = ctx
        self.cache = cache
        self.compiled = compile_scene(scene)
        self.renderers: dict[tuple[int, int], SceneRenderer] = {}
        self.probe = DistanceProbe(ctx, cache)
        self._steps: SceneRenderer | None = None

    @property
    def scene(self):
        return self.compiled.scene

    @property
    def track(self):
        from renderer.scene.emotion import NEUTRAL, EmotionTrack

        return self.scene.emotion if self.scene.emotion is not None else EmotionTrack.constant(NEUTRAL)

    def prepare(self) -> None:
        """Compile every program this scene needs now, so a broken shader fails here (InputError)
        rather than in the middle of a frame."""
        compiled = self.compiled
        for pass_name in ("prepass", "main"):
            self.cache.get(compiled.key(pass_name), lambda p=pass_name: compiled.source(p),
                           describe_line=lambda line, p=pass_name: compiled.node_for_line(line, p))
        self.probe.program(compiled)

    def frame(self, t: float, pad=None, clock: AnimationClock | None = None) -> Frame:
        """Uniforms at scene time t; with `pad`, that emotion (and `clock`'s animation time)."""
        options = FrameOptions(emotion=pad, shake=False)
        frame = evaluate_frame(self.compiled, t, options)
        if pad is not None and clock is not None:
            _patch_animation(self.compiled, frame, clock)
        return frame

    def exact_clock(self, t: float) -> AnimationClock:
        """The scene track's own animation clock at t (what evaluate_frame uses)."""
        track, overrides = self.track, self.scene.overrides
        return AnimationClock(integrate_rate(track, overrides, t, "animation_speed"),
                              integrate_rate(track, overrides, t, "flicker_hz"))

    def distances(self, frame: Frame, points) -> np.ndarray:
        return self.probe.distances(self.compiled, frame.uniforms, points)

    def renderer(self, size: tuple[int, int]) -> SceneRenderer:
        r = self.renderers.get(size)
        if r is None:
            r = self.renderers[size] = SceneRenderer(self.ctx, self.compiled, size, cache=self.cache)
        return r

    def draw(self, frame: Frame, size: tuple[int, int], camera: dict | None, quality: int, frame_index: int):
        """Render into the size's own framebuffer; returns its colour texture."""
        if camera:
            frame.uniforms.update(camera)
        if quality >= 1:
            frame.uniforms["uShadows"] = 0
        if quality >= 2:
            frame.uniforms["uAmbientOcclusion"] = 0
        r = self.renderer(size)
        r.draw(frame)
        return r.color

    def steps_per_pixel(self, frame: Frame, size: tuple[int, int]) -> float:
        """Main-pass plus prepass steps per pixel from a debug render (same uniforms)."""
        if self._steps is None or self._steps.size != size:
            if self._steps is not None:
                self._steps.release()
            self._steps = SceneRenderer(self.ctx, self.compiled, size, debug_steps=True, cache=self.cache)
        r = self._steps
        r.draw(frame)
        data = r.read()
        total = float(data[..., 0].mean(dtype="f8"))
        if r.use_prepass:
            total += float(r.read_prepass()[..., 1].sum(dtype="f8")) / (size[0] * size[1])
        return total

    def release(self) -> None:
        for r in self.renderers.values():
            r.release()
        self.renderers.clear()
        if self._steps is not None:
            self._steps.release()
        self.probe.release()


class _ImageView:
    """A world the offline renderer draws as a finished image (a nexus, a user shader): rendered
    by its own renderer per internal size and uploaded to a texture. No free camera, no shading
    rungs: the world decides its own view."""

    free_camera = False
    reduced_shading = False
    can_sharpen = False

    def __init__(self, ctx, cache: ProgramCache, world):
        self.ctx = ctx
        self.cache = cache
        self.world = world
        self.renderers: dict = {}
        self.textures: dict = {}

    def _make_renderer(self, size):
        raise NotImplementedError

    def prepare(self) -> None:
        self.renderer((8, 8))

    def renderer(self, size):
        r = self.renderers.get(size)
        if r is None:
            r = self.renderers[size] = self._make_renderer(size)
        return r

    def frame(self, t: float, pad=None, clock=None):
        # An overridden emotion drops flicker: a constant override's flicker phase is hz * t,
        # which would race while the emotion eases (see emotion_control.py).
        options = FrameOptions(emotion=pad, shake=True, flicker=pad is None)
        return (t, options)

    def exact_clock(self, t: float) -> AnimationClock:
        return AnimationClock()

    def draw(self, frame, size, camera, quality: int, frame_index: int):
        t, options = frame
        return self._upload(self.renderer(size).render(t, options, frame_index), size)

    def _upload(self, image: np.ndarray, size):
        texture = self.textures.get(size)
        if texture is None:
            texture = self.textures[size] = self.ctx.texture(size, 3)
        texture.write(np.ascontiguousarray(image[::-1]).tobytes())
        return texture

    def steps_per_pixel(self, frame, size) -> float | None:
        return None

    def release(self) -> None:
        for r in self.renderers.values():
            r.release()
        for tex in self.textures.values():
            tex.release()
        self.renderers.clear()
        self.textures.clear()


@dataclasses.dataclass(frozen=True)
class NexusViewFrame:
    """A nexus frame for the explorer: the time and options the nexus renderer takes, and the
    host world's frame exactly as the renderer makes it (its camera for the camera rig, its
    uniforms, bleeds included, for the collision probe); None for a shader host."""

    t: float
    options: FrameOptions
    host: Frame | None

    @property
    def camera(self):
        return self.host.camera if self.host is not None else None

    @property
    def uniforms(self) -> dict:
        return self.host.uniforms if self.host is not None else {}


class NexusView(_ImageView):
    """A Dream Nexus as the offline renderer draws it, seen from the explorer's free camera when
    its host is a raymarched world (see the module docstring); a shader host draws its own."""

    def __init__(self, ctx, cache: ProgramCache, world):
        super().__init__(ctx, cache, world)
        self.probe = DistanceProbe(ctx, cache)

    @property
    def nexus(self):
        return self.world

    @property
    def _host_layer(self):
        """The host's layer in the nexus renderer (its compiled scene carries the nexus's emotion
        for the host and the bleeds), or None for a shader host. Any size's renderer will do."""
        layer = self.renderer((8, 8)).layers[0]
        return layer if isinstance(layer, SceneRenderer) else None

    @property
    def free_camera(self) -> bool:
        return self._host_layer is not None

    @property
    def scene(self):
        layer = self._host_layer
        return layer.compiled.scene if layer is not None else self.nexus.host_scene()

    @property
    def track(self):
        return SceneView.track.fget(self)

    def _make_renderer(self, size):
        from renderer.compositor.nexus_renderer import NexusRenderer

        return NexusRenderer(self.ctx, self.nexus, size)

    def frame(self, t: float, pad=None, clock=None) -> NexusViewFrame:
        t, options = super().frame(t, pad, clock)
        host = self.renderer((8, 8)).host_frame(t, options)
        return NexusViewFrame(t, options, host if isinstance(host, Frame) else None)

    def distances(self, frame: NexusViewFrame, points) -> np.ndarray:
        return self.probe.distances(self._host_layer.compiled, frame.host.uniforms, points)

    def draw(self, frame: NexusViewFrame, size, camera, quality: int, frame_index: int):
        pose = None
        if camera and frame.host is not None:
            pose = CameraPose(*(np.asarray(camera[name], dtype=float)
                                for name in ("uCamPos", "uCamForward", "uCamRight", "uCamUp")),
                              frame.host.camera.fov)
        return self._upload(self.renderer(size).render(frame.t, frame.options, frame_index, pose), size)

    def release(self) -> None:
        super().release()
        self.probe.release()


class ShaderView(_ImageView):
    """A Shadertoy or glslViewer shader: it draws its own camera; the explorer's emotion keys
    drive its `uEmotion` uniform."""

    # The explorer reads a scene's camera target and parameter overrides; a shader has neither,
    # so it stands on a neutral placeholder scene.
    _PLACEHOLDER = None

    @property
    def scene(self):
        if ShaderView._PLACEHOLDER is None:
            from renderer.scene.model import Scene
            from renderer.scene.nodes import Sphere

            ShaderView._PLACEHOLDER = Scene(root=Sphere(), name="shader")
        return ShaderView._PLACEHOLDER

    @property
    def track(self):
        from renderer.scene.emotion import NEUTRAL, EmotionTrack

        return self.world.emotion if self.world.emotion is not None else EmotionTrack.constant(NEUTRAL)

    pointer = None   # iMouse (x, y, click x, click y) in render pixels, set by the explorer per frame

    def _make_renderer(self, size):
        from renderer.shadertoy.renderer import ShaderRenderer

        return ShaderRenderer(self.ctx, self.world, size, cache=self.cache)

    def draw(self, frame, size, camera, quality: int, frame_index: int):
        if self.pointer is not None:
            self.renderer(size).mouse = self.pointer
        return super().draw(frame, size, camera, quality, frame_index)


def make_view(ctx, cache: ProgramCache, world):
    from renderer.scene.nexus import Nexus
    from renderer.shadertoy.world import ShaderWorld

    if isinstance(world, Nexus):
        return NexusView(ctx, cache, world)
    if isinstance(world, ShaderWorld):
        return ShaderView(ctx, cache, world)
    return SceneView(ctx, cache, world)
