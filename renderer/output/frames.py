"""Render the frames of a job in the current process, keeping one EGL context warm.

Every worker process (local pool or Dask) renders through this module; the context and the
compiled scenes are cached per process, so a worker pays context creation and shader compilation
once, not once per segment.
"""

from __future__ import annotations

import numpy as np

from renderer.compile.frame import FrameOptions
from renderer.compile.program import compile_scene
from renderer.output.job import RenderJob
from renderer.scene.colour import srgb_decode, srgb_encode

__all__ = ["JobRenderer", "job_renderer", "world_renderer"]

_STATE: dict = {}


class _SceneWorld:
    """A single dreamer's world behind the same interface as a nexus."""

    def __init__(self, ctx, scene, size):
        from renderer.gl.raymarch import SceneRenderer

        self.renderer = SceneRenderer(ctx, compile_scene(scene), size)

    def render(self, t: float, options: FrameOptions, frame_index: int) -> np.ndarray:
        return self.renderer.render(t, options)

    def release(self) -> None:
        self.renderer.release()


def world_renderer(ctx, world, size, seed: int | None = None, fps: float | None = None, **nexus_options):
    """A renderer for a Scene, a Nexus or a ShaderWorld: `.render(t, options, frame_index) -> (H, W, 3) uint8`."""
    import dataclasses

    from renderer.scene.nexus import Nexus
    from renderer.shadertoy.world import ShaderWorld

    if isinstance(world, ShaderWorld):
        from renderer.shadertoy.renderer import shader_world_renderer

        return shader_world_renderer(ctx, world, size, fps=fps)

    if isinstance(world, Nexus):
        from renderer.compositor.nexus_renderer import NexusRenderer

        if seed is not None:
            world = dataclasses.replace(world, seed=seed)
        return NexusRenderer(ctx, world, size, **nexus_options)
    if seed is not None:
        world = dataclasses.replace(world, seed=seed)
    return _SceneWorld(ctx, world, size)  # nexus_options only concern nexus worlds


class JobRenderer:
    def __init__(self, job: RenderJob, ctx):
        self.job = job
        options = FrameOptions()
        if job.emotion:
            from renderer.scene.emotion_io import parse_emotion_argument

            options = FrameOptions(emotion=parse_emotion_argument(job.emotion))
        self.options = options
        # Compositor history resets on key frames every segment_frames, so segments rendered
        # separately (other workers, a resumed run) equal a single pass.
        self.renderers = [world_renderer(ctx, shot.world, job.size, job.seed, allow_flashing=job.allow_flashing,
                                         keyframe_interval=job.segment_frames, fps=job.fps)
                          for shot in job.shots]
        self._frame_index = 0

    def _sample(self, t: float) -> np.ndarray:
        index, scene_t = self.job.shot_at(t)
        return self.renderers[index].render(scene_t, self.options, self._frame_index)

    def frame(self, k: int) -> np.ndarray:
        """Frame k as (H, W, 3) uint8: motion-blurred if asked, faded at shot boundaries."""
        job = self.job
        self._frame_index = k
        t = job.time_of(k)
        n = job.motion_blur
        if n <= 1:
            image = self._sample(t)
            fade = job.fade_at(t)
            if fade >= 1.0:
                return image
            linear = srgb_decode(image / 255.0) * fade
        else:
            # Average sub-frames in linear light across the open shutter, centred on t.
            span = job.shutter / job.fps
            linear = np.zeros((job.size[1], job.size[0], 3))
            for i in range(n):
                ts = t + ((i + 0.5) / n - 0.5) * span
                linear += srgb_decode(self._sample(ts) / 255.0) * job.fade_at(ts)
            linear /= n
        return np.clip(np.rint(srgb_encode(linear) * 255.0), 0, 255).astype(np.uint8)

    def release(self) -> None:
        for r in self.renderers:
            r.release()
        self.renderers = []


def job_renderer(job: RenderJob) -> JobRenderer:
    """The process's renderer for this job (the context is created once per process)."""
    from renderer.gl.context import create_headless_context

    if "ctx" not in _STATE:
        _STATE["ctx"] = create_headless_context()
    key = job.fingerprint()
    cached = _STATE.get("job")
    if cached is None or cached[0] != key:
        if cached is not None:
            cached[1].release()
        _STATE["job"] = (key, JobRenderer(job, _STATE["ctx"]))
    return _STATE["job"][1]
