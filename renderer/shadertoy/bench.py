"""`dreamscape bench FILE.glsl`: frame times of a shader world, recorded like a scene's.

A shader has no sphere-tracing step count Dreamscape can read, so the record's steps per pixel are
0 (the report shows frame times only for it). Frames k = 0, 1, 2, ... are drawn in order (iFrame =
k, iTime = k * time_step), so a multipass project never replays history inside the measurement.
"""

from __future__ import annotations

from renderer.bench.recorder import BenchSettings, SceneRecord, timed_frames
from renderer.shadertoy.renderer import ShaderRenderer
from renderer.shadertoy.world import ShaderWorld

__all__ = ["record_shader"]


def record_shader(ctx, name: str, world: ShaderWorld, settings: BenchSettings) -> SceneRecord:
    """Render warm-up + measured frames of a shader world; CPU wall time around ctx.finish()."""
    renderer = ShaderRenderer(ctx, world, settings.size, fps=1.0 / settings.time_step)
    options = settings.options
    try:
        first_frame, times, evaluate, clock = timed_frames(
            ctx, settings, lambda t: t, lambda t, k: renderer.draw(t, options, k))
        return SceneRecord(name=name, source=str(world.source), prepass=False, times_s=times,
                           evaluate_s=evaluate, clock_t=clock, first_frame_s=first_frame,
                           steps_main=0.0, steps_prepass=0.0, pass_s=None)
    finally:
        renderer.release()
