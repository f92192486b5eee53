"""Render a Dream Nexus frame: each dreamer raymarched into its own layer (its own framebuffer,
its own emotion-driven palette and light), then the glitch compositor blends them through
screen-space portals and applies the timeline's effects.

Dreamers that no open portal shows are not rendered at all; the host always is. A dreamer seen
through a world-anchored portal is rendered from the host camera carried into its world
(`renderer.compile.portal_view`), so the portal is a hole with parallax, not a picture; through a
screen-fixed portal it is seen from its own camera.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from renderer.compile.frame import CameraPose, Frame, FrameOptions, camera_target, camera_uniforms, evaluate_frame
from renderer.compile.nexus_frame import GLITCH_PATTERNS_PER_SECOND, nexus_frame, project_sphere, reaches_frame
from renderer.compile.portal_view import PortalMap, portal_map
from renderer.compile.program import compile_scene
from renderer.compositor.compositor import Compositor
from renderer.compositor.effects import PORTAL_WOBBLE, GlitchParams, Portal
from renderer.gl.raymarch import SceneRenderer
from renderer.scene.emotion_map import map_emotion
from renderer.scene.nexus import BLEED_SEPARATOR, Nexus
from renderer.shadertoy.renderer import ShaderRenderer, shader_world_renderer
from renderer.shadertoy.world import ShaderWorld

__all__ = ["NexusRenderer", "anchored_sphere"]

_PORTAL_MAPS_KEPT = 8   # sets of portal maps kept, one per FrameOptions (an --emotion override)


def anchored_sphere(position, world_radius: float, values):
    """Where a sphere anchored in the host's world is this frame: the feature scale grows the
    world about the camera's target (`values.pivot`), so the anchor moves and grows with it and
    stays on the geometry it was placed on."""
    pivot = np.asarray(values.pivot, dtype=float)
    scale = values.feature_scale
    return pivot + (np.asarray(position, dtype=float) - pivot) * scale, world_radius * scale


class NexusRenderer:
    def __init__(self, ctx, nexus: Nexus, size: tuple[int, int], *, allow_flashing: bool = False,
                 keyframe_interval: int = 48):
        self.ctx = ctx
        self.nexus = nexus
        self.size = size
        self.allow_flashing = allow_flashing
        self.layers = []
        for index, dreamer in enumerate(nexus.dreamers):
            if isinstance(dreamer.scene, ShaderWorld):
                # A shader dreamer is a 2D layer; its uEmotion is the dreamer's PAD (see prepare).
                self.layers.append(shader_world_renderer(ctx, dreamer.scene, size))
                continue
            # The host's layer carries the bled-in elements of other dreamers (3D blending).
            scene = nexus.host_scene() if index == 0 else dreamer.scene
            if dreamer.emotion is not None:
                scene = dataclasses.replace(scene, emotion=dreamer.emotion)
            self.layers.append(SceneRenderer(ctx, compile_scene(scene), size))
        self.compositor = Compositor(ctx, size, keyframe_interval=keyframe_interval, seed=nexus.seed)
        self.last_state = None
        self._portal_maps: dict[FrameOptions, dict[int, PortalMap]] = {}

    def portal_maps(self, options: FrameOptions = FrameOptions()) -> dict[int, PortalMap]:
        """For each world-anchored portal into a raymarched world: the map from the host's world
        into the guest's, fixed when the portal is first fully open (or, never fully open, when
        it is most open). Kept per FrameOptions: an --emotion override moves the host's anchor."""
        key = dataclasses.replace(options, shake=False, flicker=False)
        if key in self._portal_maps:
            return self._portal_maps[key]
        if len(self._portal_maps) >= _PORTAL_MAPS_KEPT:   # the explorer eases emotions frame by frame
            del self._portal_maps[next(iter(self._portal_maps))]
        maps = self._portal_maps[key] = {}
        host = self.layers[0]
        if not isinstance(host, SceneRenderer):
            return maps
        for index, p in enumerate(self.nexus.portals):
            guest = self.layers[self.nexus.dreamer_index(p.dreamer)]
            if p.position is None or not isinstance(guest, SceneRenderer):
                continue
            widest = max(value for _, value, _ in p.openness.keys)
            t_ref = next(t for t, value, _ in p.openness.keys if value >= widest)
            frame = evaluate_frame(host.compiled, t_ref, key)
            anchor, radius = anchored_sphere(p.position, p.world_radius, frame.values)
            guest_frame = evaluate_frame(guest.compiled, t_ref, FrameOptions(shake=False))
            maps[index] = portal_map(frame.camera.position, anchor, radius, guest_frame.camera.position,
                                     camera_target(guest.compiled.scene.camera, t_ref))
        return maps

    def _placed(self, host, state) -> list[tuple[int, Portal, tuple | None]]:
        """The portals drawn this frame: (index in the nexus, Portal, (anchor, radius) in the
        host's world or None for a screen-fixed one). World-anchored portals are placed with the
        host's frame (`host`, a Frame: its camera pose, and the feature scale that grows the
        host's world about the camera's target, which carries the anchor with it); without one
        they are left out. Their depth (distance from the camera) lets nearer host geometry hide
        them."""
        aspect = self.size[0] / self.size[1]
        placed = []
        for index, (p, amount) in enumerate(zip(self.nexus.portals, state.openness)):
            if amount <= 0.0:
                continue
            centre, radius, depth, sphere = p.centre, p.radius, 0.0, None
            if p.position is not None:
                if host is None:
                    continue
                sphere = anchored_sphere(p.position, p.world_radius, host.values)
                on_screen = project_sphere(*sphere, host.camera, aspect)
                if on_screen is None:
                    continue   # behind the camera, or far outside the frame
                centre, radius = on_screen
                # What is drawn (edge wobble, rim glow; both grow with openness) must reach in.
                if not reaches_frame(centre, amount * (radius * (1.0 + PORTAL_WOBBLE) + p.rim_width), aspect):
                    continue
                depth = float(np.linalg.norm(sphere[0] - host.camera.position))
            placed.append((index, Portal(centre=centre, radius=radius, openness=amount,
                                         source=self.nexus.dreamer_index(p.dreamer), rim_color=p.rim_color,
                                         rim_width=p.rim_width, depth=depth), sphere))
        return placed

    def glitch_params(self, t: float, host=None, state=None) -> GlitchParams:
        """Glitch parameters at t (see `_placed` for `host`). `state` is the timeline at t when
        the caller already has it (it samples the limiter's window, so it is not free)."""
        state = state or nexus_frame(self.nexus, t, self.allow_flashing)
        self.last_state = state
        return self._glitch_params(t, state, self._placed(host, state))

    def _glitch_params(self, t: float, state, placed) -> GlitchParams:
        glitch_frame = None if self.allow_flashing else int(max(0.0, t) * GLITCH_PATTERNS_PER_SECOND)
        return GlitchParams(portals=tuple(portal for _, portal, _ in placed), glitch_frame=glitch_frame,
                            **state.effects)

    def _portal_views(self, t: float, host, placed, options: FrameOptions) -> dict[int, CameraPose]:
        """Guest layer index -> the camera it is rendered from, for guests whose largest drawn
        portal this frame is world-anchored. A layer is rendered once, so when one world shows
        through several portals, the one that covers most of the screen decides."""
        largest = {}
        for index, portal, sphere in placed:
            drawn = portal.radius * portal.openness
            if portal.source not in largest or drawn > largest[portal.source][0]:
                largest[portal.source] = (drawn, index, sphere)
        maps = self.portal_maps(options)
        views = {}
        for source, (_, index, sphere) in largest.items():
            if sphere is not None and index in maps:
                guest_scene = self.layers[source].compiled.scene
                views[source] = maps[index].view(host.camera, *sphere, camera_target(guest_scene.camera, t))
        return views

    def _layer_frame(self, index: int, t: float, options: FrameOptions, state, camera=None):
        # A --emotion override replaces the host's emotion only; other dreamers keep theirs.
        layer_options = options if index == 0 else dataclasses.replace(options, emotion=None)
        if isinstance(self.layers[index], ShaderRenderer):
            pad = layer_options.emotion if layer_options.emotion is not None else state.pads[index]
            return (t, dataclasses.replace(layer_options, emotion=pad))
        compiled = self.layers[index].compiled
        if index == 0:
            frame = evaluate_frame(compiled, t, layer_options, channels=state.bleeds,
                                   material_palettes=self._bled_palettes(state))
        else:
            frame = evaluate_frame(compiled, t, layer_options)
        if camera is None:
            return frame
        return dataclasses.replace(frame, camera=camera, uniforms={**frame.uniforms, **camera_uniforms(camera)})

    def host_frame(self, t: float, options: FrameOptions = FrameOptions()):
        """The host layer's frame at t as `prepare` makes it (the nexus's emotion for the host,
        the bleeds' growth): a Frame, or (t, options) for a shader host."""
        return self._layer_frame(0, t, options, nexus_frame(self.nexus, t, self.allow_flashing))

    def prepare(self, t: float, options: FrameOptions = FrameOptions(), host_camera: CameraPose | None = None):
        """The CPU half of a frame: glitch parameters and each shown layer's uniforms.
        `host_camera` replaces the host's own camera (the explorer's free camera); anchored
        portals and the worlds seen through them follow it."""
        state = nexus_frame(self.nexus, t, self.allow_flashing)
        self.last_state = state
        host = self._layer_frame(0, t, options, state, host_camera)
        placed = self._placed(host if isinstance(host, Frame) else None, state)
        params = self._glitch_params(t, state, placed)
        views = self._portal_views(t, host, placed, options)
        frames = {0: host}
        for index in sorted({p.source for p in params.portals} - {0}):
            frames[index] = self._layer_frame(index, t, options, state, views.get(index))
        return params, frames

    def draw(self, prepared, frame_index: int) -> None:
        """The GPU half: raymarch the shown layers and composite them (no read-back)."""
        params, frames = prepared
        for index, frame in frames.items():
            if isinstance(self.layers[index], ShaderRenderer):
                self.layers[index].draw(*frame, frame_index)
            else:
                self.layers[index].draw(frame)
        host = self.layers[0]
        host_depth = host.depth if isinstance(host, SceneRenderer) else None
        self.compositor.composite([layer.color for layer in self.layers], params, frame_index, host_depth)

    def render(self, t: float, options: FrameOptions = FrameOptions(), frame_index: int = 0,
               host_camera: CameraPose | None = None) -> np.ndarray:
        self.draw(self.prepare(t, options, host_camera), frame_index)
        return self.compositor.read()

    def _bled_palettes(self, state) -> dict:
        """Bled-in materials (named <dreamer>__<material>) keep their own dreamer's emotion palette."""
        palettes = {}
        if isinstance(self.layers[0], ShaderRenderer):
            return palettes
        for name in self.layers[0].compiled.material_names:
            dreamer, sep, _ = name.partition(BLEED_SEPARATOR)
            if sep:
                index = self.nexus.dreamer_index(dreamer)
                scene = self.nexus.dreamers[index].scene
                palettes[name] = map_emotion(state.pads[index], scene.overrides).palette
        return palettes

    def release(self) -> None:
        for layer in self.layers:
            layer.release()
        self.compositor.release()
