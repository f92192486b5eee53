"""`dreamscape bench FILE.glsl`: frame times of a shader world, recorded like a scene's.

A shader has no sphere-tracing step count Dreamscape can read, so the record's steps per pixel are
0 (the report shows frame times only for it). Frames k = 0, 1, 2, ... are drawn in order (iFrame =
k, iTime = k * time_step), so a multipass project never replays history inside the measurement.
"""

from __future__ import annotations

import time

from renderer.bench.recorder import BenchSettings, SceneRecord
from renderer.shadertoy.renderer import ShaderRenderer
from renderer.shadertoy.world import ShaderWorld

__all__ = ["record_shader"]


def record_shader(ctx, name: str, world: ShaderWorld, settings: BenchSettings) -> SceneRecord:
    """Render warm-up + measured frames of a shader world; CPU wall time around ctx.finish()."""
    renderer = ShaderRenderer(ctx, world, settings.size, fps=1.0 / settings.time_step)
    options = settings.options
    try:
        start = time.perf_counter()
        renderer.draw(0.0, options, 0)
        ctx.finish()
        first_frame = time.perf_counter() - start
        times, evaluate, clock = [], [], []
        for k in range(settings.warmup + settings.frames):
            t = k * settings.time_step
            start = time.perf_counter()
            renderer.draw(t, options, k)
            ctx.finish()
            end = time.perf_counter()
            if k < settings.warmup:
                continue
            times.append(end - start)
            evaluate.append(0.0)
            clock.append(t)
        return SceneRecord(name=name, source=str(world.source), prepass=False, times_s=times,
                           evaluate_s=evaluate, clock_t=clock, first_frame_s=first_frame,
                           steps_main=0.0, steps_prepass=0.0, pass_s=None)
    finally:
        renderer.release()
