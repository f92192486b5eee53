"""Render the frames of a job in the current process, keeping one EGL context warm.

Every worker process (local pool or Dask) renders through this module; the context and the
compiled scenes are cached per process, so a worker pays context creation and shader compilation
once, not once per segment.
"""

from __future__ import annotations

import tomllib

import numpy as np

from renderer.compile.frame import FrameOptions
from renderer.compile.program import compile_scene
from renderer.output.job import RenderJob
from renderer.scene.colour import srgb_decode, srgb_encode
from renderer.scene.loader import parse_scene

__all__ = ["JobRenderer", "job_renderer"]

_STATE: dict = {}


class JobRenderer:
    def __init__(self, job: RenderJob, ctx):
        from renderer.gl.raymarch import SceneRenderer

        self.job = job
        options = FrameOptions()
        if job.emotion:
            from renderer.scene.emotion_io import parse_emotion_argument

            options = FrameOptions(emotion=parse_emotion_argument(job.emotion))
        self.options = options
        self.renderers = []
        for shot in job.shots:
            scene = parse_scene(tomllib.loads(shot.scene_toml), shot.source)
            if job.seed is not None:
                import dataclasses

                scene = dataclasses.replace(scene, seed=job.seed)
            self.renderers.append(SceneRenderer(ctx, compile_scene(scene), job.size))

    def _sample(self, t: float) -> np.ndarray:
        index, scene_t = self.job.shot_at(t)
        return self.renderers[index].render(scene_t, self.options)

    def frame(self, k: int) -> np.ndarray:
        """Frame k as (H, W, 3) uint8: motion-blurred if asked, faded at shot boundaries."""
        job = self.job
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
