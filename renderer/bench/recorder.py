"""Record per-frame times of a compiled scene on a fixed-step clock.

Frame k is rendered at t = k * time_step (k = 0, 1, ...); the first `warmup` frames run the same
timed loop and are discarded, so measured frame j is clock frame warmup + j. Before the clock
starts, one untimed frame is drawn so that shader compilation (reported as `first_frame_ms`)
never lands in a timed frame, whatever the warm-up count.

What a frame's time is: CPU wall time with `time.perf_counter()` from before `evaluate_frame`
(the uniforms for time t) to the return of `ctx.finish()` after `SceneRenderer.draw`. That is the
time a caller waits for a finished frame; the uniform evaluation part is also kept per frame
(`evaluate_ms`) so the GL part can be told apart.

GL timer queries (`ctx.query(time=True)`) bracket each pass (prepass, raymarch) on hardware
renderers. On software rasterisers (llvmpipe, softpipe) they are not used by default: Mesa runs
a frame's tiles on worker threads and the queries are documented (DESIGN.md section 7) to see only
part of the frame, so the report states that instead of printing per-pass numbers. (With Mesa
22.3.6 llvmpipe, forced on, they summed to within ~1% of the wall time; see benchmarks/README.md.)

Steps per pixel come from one separate debug render (`debug_steps=True`) at the clock time of the
middle measured frame: the main pass's steps (channel 0) averaged over all pixels, plus, when the
prepass is on, the prepass's steps (`read_prepass()[..., 1]`) summed and divided by the
full-resolution pixel count.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from renderer.compile.frame import FrameOptions, evaluate_frame
from renderer.compile.program import CompiledScene
from renderer.gl.context import is_software_renderer
from renderer.gl.programs import ProgramCache
from renderer.gl.raymarch import SceneRenderer

__all__ = ["BenchSettings", "SceneRecord", "record_scene", "record_nexus", "timed_frames", "steps_per_pixel", "timer_queries_wanted",
           "SOFTWARE_TIMER_NOTE"]

SOFTWARE_TIMER_NOTE = (
    "GL timer queries not used: {renderer} is a software rasteriser, whose timer queries do not "
    "measure a pass's whole cost (DESIGN.md section 7); frame times are CPU wall time around "
    "ctx.finish(), per pass times are not reported")
PASSES = ("prepass", "main")


@dataclass(frozen=True)
class BenchSettings:
    size: tuple[int, int] = (640, 360)
    frames: int = 120
    warmup: int = 10
    time_step: float = 1.0 / 30.0
    timer_queries: str = "auto"   # "auto" (hardware renderers only), "on", "off"
    options: FrameOptions = field(default_factory=FrameOptions)

    def __post_init__(self):
        if self.frames < 1 or self.warmup < 0 or not self.time_step > 0.0:
            raise ValueError(f"bad bench settings: {self}")
        if self.timer_queries not in ("auto", "on", "off"):
            raise ValueError(f"timer_queries must be auto, on or off, got {self.timer_queries!r}")


@dataclass
class SceneRecord:
    """One scene's measured frames (times in seconds) and its steps per pixel."""

    name: str
    source: str
    prepass: bool
    times_s: list[float]
    evaluate_s: list[float]
    clock_t: list[float]
    first_frame_s: float
    steps_main: float
    steps_prepass: float
    pass_s: dict[str, list[float]] | None = None   # GL timer query per pass, when used

    @property
    def steps_total(self) -> float:
        return self.steps_main + self.steps_prepass


def timer_queries_wanted(ctx, mode: str) -> bool:
    if mode == "auto":
        return not is_software_renderer(ctx)
    return mode == "on"


class _TimedDraw:
    """A vertex array whose `render` is bracketed by a GL_TIME_ELAPSED query."""

    def __init__(self, vao, query):
        self._vao = vao
        self._query = query

    def render(self, *args, **kwargs):
        with self._query:
            self._vao.render(*args, **kwargs)


class _PassTimedRenderer(SceneRenderer):
    """SceneRenderer with one timer query per pass.

    SceneRenderer has no per-pass hook, so this relies on `draw` fetching each pass's program with
    `_program(name)` right before drawing it through `_vao(program)`; tests check that both passes
    are still timed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.queries = {name: self.ctx.query(time=True) for name in PASSES}
        self._pass = None

    def _program(self, pass_name):
        self._pass = pass_name
        return super()._program(pass_name)

    def _vao(self, program):
        vao = super()._vao(program)
        return _TimedDraw(vao, self.queries[self._pass])

    def elapsed_s(self, pass_name: str) -> float:
        return self.queries[pass_name].elapsed * 1e-9   # ns; read after ctx.finish(), no stall

    def release(self) -> None:
        self.queries.clear()   # moderngl's Query has no release(); the context frees it
        super().release()


def steps_per_pixel(ctx, compiled: CompiledScene, size, t: float, options=FrameOptions(),
                    cache: ProgramCache | None = None) -> tuple[float, float]:
    """(main, prepass) steps per full-resolution pixel from one debug render at time t."""
    debug = SceneRenderer(ctx, compiled, size, debug_steps=True, cache=cache)
    try:
        data = debug.render(t, options)
        main = float(data[..., 0].mean(dtype="f8"))
        prepass = 0.0
        if debug.use_prepass:
            prepass = float(debug.read_prepass()[..., 1].sum(dtype="f8")) / (size[0] * size[1])
        return main, prepass
    finally:
        debug.release()


def timed_frames(ctx, settings: BenchSettings, prepare, draw, after_frame=None):
    """Warm-up plus measured frames on the fixed-step clock. `prepare(t)` is the CPU half (timed
    as evaluate), `draw(prepared, k)` the GL half, timed to the return of ctx.finish().
    Returns (first_frame_s, times, evaluate, clock); `after_frame()` runs after each measured frame."""
    start = time.perf_counter()
    draw(prepare(0.0), 0)
    ctx.finish()
    first_frame = time.perf_counter() - start
    times, evaluate, clock = [], [], []
    for k in range(settings.warmup + settings.frames):
        t = k * settings.time_step
        start = time.perf_counter()
        prepared = prepare(t)
        evaluated = time.perf_counter()
        draw(prepared, k)
        ctx.finish()
        end = time.perf_counter()
        if k < settings.warmup:
            continue
        times.append(end - start)
        evaluate.append(evaluated - start)
        clock.append(t)
        if after_frame is not None:
            after_frame()
    return first_frame, times, evaluate, clock


def record_nexus(ctx, name: str, nexus, settings: BenchSettings) -> SceneRecord:
    """Like record_scene for a Dream Nexus: every shown dreamer's raymarch plus the compositor.
    The evaluate time is the CPU half (glitch timeline and every layer's uniforms); steps per
    pixel are the host layer's (with its bleeds). No per-pass timer queries."""
    from renderer.compositor.nexus_renderer import NexusRenderer

    renderer = NexusRenderer(ctx, nexus, settings.size)
    options = settings.options
    try:
        first_frame, times, evaluate, clock = timed_frames(
            ctx, settings, lambda t: renderer.prepare(t, options), renderer.draw)
        middle = (settings.warmup + settings.frames // 2) * settings.time_step
        host = renderer.layers[0].compiled
        steps_main, steps_prepass = steps_per_pixel(ctx, host, settings.size, middle, options)
        return SceneRecord(
            name=name, source=str(nexus.source), prepass=bool(renderer.layers[0].use_prepass),
            times_s=times, evaluate_s=evaluate, clock_t=clock, first_frame_s=first_frame,
            steps_main=steps_main, steps_prepass=steps_prepass, pass_s=None)
    finally:
        renderer.release()


def record_scene(ctx, name: str, compiled: CompiledScene, settings: BenchSettings) -> SceneRecord:
    """Render warm-up + measured frames of one scene and return the measured ones."""
    use_queries = timer_queries_wanted(ctx, settings.timer_queries)
    cache = ProgramCache(ctx)
    cls = _PassTimedRenderer if use_queries else SceneRenderer
    renderer = cls(ctx, compiled, settings.size, cache=cache)
    options = settings.options
    passes = {name: [] for name in PASSES if name == "main" or renderer.use_prepass}

    def collect_passes():
        if use_queries:
            for pass_name, values in passes.items():
                values.append(renderer.elapsed_s(pass_name))

    try:
        first_frame, times, evaluate, clock = timed_frames(
            ctx, settings, lambda t: evaluate_frame(compiled, t, options),
            lambda frame, k: renderer.draw(frame), collect_passes)
        middle = (settings.warmup + settings.frames // 2) * settings.time_step
        steps_main, steps_prepass = steps_per_pixel(ctx, compiled, settings.size, middle, options, cache)
        return SceneRecord(
            name=name, source=str(compiled.scene.source), prepass=bool(renderer.use_prepass),
            times_s=times, evaluate_s=evaluate, clock_t=clock, first_frame_s=first_frame,
            steps_main=steps_main, steps_prepass=steps_prepass,
            pass_s=passes if use_queries else None)
    finally:
        renderer.release()
        cache.release()
