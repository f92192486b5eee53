"""Dreamscape's per-frame overhead against a minimal hand-written moderngl loop.

Both sides run the same compiled fragment shader (`compiled.source("main").text`) with the same
uniforms at the same size, and the images are checked to be identical before timing:

- raw: this file's own program (with its own full-screen-triangle vertex shader), texture,
  framebuffer and vertex array; uniforms written once from `evaluate_frame(...).uniforms`. The
  timed loop is `fbo.use(); vao.render(); ctx.finish()`: no Dreamscape code in it.
- draw: `SceneRenderer(..., prepass=False).draw(frame); ctx.finish()` with the same evaluated
  frame (re-uploads every uniform each frame, as the explorer does).
- frame: `evaluate_frame(compiled, t) + draw + ctx.finish()`, the loop `dreamscape bench` times.
- prepass: like draw with the cone prepass on (the default renderer; a different algorithm, shown
  for information, not part of the overhead target).

Variants are interleaved frame by frame in one run (A B C D, then D C B A, ...), so drift in the
machine's speed (other jobs, clocks, thermals) hits all of them alike. The overhead of draw and
frame is reported as the median over rounds of the paired ratio variant / raw, with a bootstrap
95% interval, and as absolute CPU submit time (before ctx.finish()). Target: overhead <= 3%.

    python benchmarks/overhead.py [SCENE...] [--size 320x180] [--rounds 20] [--out DIR]
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
import time
from pathlib import Path

import moderngl
import numpy as np

from renderer.bench.environment import describe_environment
from renderer.cli import parse_size
from renderer.compile.frame import FrameOptions, evaluate_frame
from renderer.compile.program import compile_scene
from renderer.gl.context import create_headless_context, is_software_renderer
from renderer.gl.raymarch import SceneRenderer
from renderer.output.atomic import write_text_atomic
from renderer.scene.bundled import bundled_scene_names, load_scene_arg

VERTEX = """#version 330 core
void main() {
    vec2 p = vec2(gl_VertexID == 1 ? 3.0 : -1.0, gl_VertexID == 2 ? 3.0 : -1.0);
    gl_Position = vec4(p, 0.0, 1.0);
}
"""
VARIANTS = ("raw", "draw", "frame", "prepass")
TARGET = 0.03


class RawLoop:
    """The hand-written loop: nothing from Dreamscape once the uniforms are written."""

    def __init__(self, ctx, fragment_text: str, uniforms: dict, size):
        self.ctx = ctx
        self.program = ctx.program(vertex_shader=VERTEX, fragment_shader=fragment_text)
        self.texture = ctx.texture(size, 4)
        self.fbo = ctx.framebuffer(color_attachments=[self.texture])
        self.vao = ctx.vertex_array(self.program, [])
        for name, value in uniforms.items():
            if name not in self.program:
                continue
            uniform = self.program[name]
            if isinstance(value, np.ndarray):
                n = uniform.array_length * uniform.dimension * 4
                uniform.write(np.ascontiguousarray(value, dtype="f4").tobytes()[:n].ljust(n, b"\0"))
            else:
                uniform.value = value

    def draw(self):
        self.fbo.use()
        self.vao.render(moderngl.TRIANGLES, vertices=3)

    def image(self) -> np.ndarray:
        w, h = self.texture.size
        return np.frombuffer(self.fbo.read(components=3, alignment=1), np.uint8).reshape(h, w, 3)

    def release(self):
        for obj in (self.vao, self.fbo, self.texture, self.program):
            obj.release()


def raw_uniforms(frame, size) -> dict:
    """What SceneRenderer.draw adds to the frame's uniforms for a main pass without prepass."""
    w, h = size
    u = dict(frame.uniforms)
    u["uResolution"] = (float(w), float(h))
    u["uHitEps"] = max(u["uHitEps"], 0.5 * 2.0 * u["uTanHalfFov"] / h)
    u["uUsePrepass"] = 0
    u["uPrepass"] = 0
    return u


def bootstrap_median_ci(values: np.ndarray, rng, n: int = 2000) -> tuple[float, float]:
    picks = rng.choice(values, size=(n, values.size), replace=True)
    lo, hi = np.percentile(np.median(picks, axis=1), [2.5, 97.5])
    return float(lo), float(hi)


def measure_scene(ctx, name: str, size, rounds: int, t: float, rng) -> dict:
    compiled = compile_scene(load_scene_arg(name))
    options = FrameOptions()
    frame = evaluate_frame(compiled, t, options)
    raw = RawLoop(ctx, compiled.source("main").text, raw_uniforms(frame, size), size)
    plain = SceneRenderer(ctx, compiled, size, prepass=False)
    with_prepass = SceneRenderer(ctx, compiled, size, prepass=True, cache=plain.cache)

    raw.draw()
    plain.draw(frame)
    with_prepass.draw(frame)
    ctx.finish()
    same = bool(np.array_equal(raw.image(), np.frombuffer(
        plain.fbo.read(components=3, alignment=1), np.uint8).reshape(size[1], size[0], 3)))

    steps = {
        "raw": raw.draw,
        "draw": lambda: plain.draw(frame),
        "frame": lambda: plain.draw(evaluate_frame(compiled, t, options)),
        "prepass": lambda: with_prepass.draw(frame),
    }
    total = {v: [] for v in VARIANTS}
    submit = {v: [] for v in VARIANTS}
    for r in range(rounds + 1):                      # round 0 warms up and is dropped
        order = VARIANTS if r % 2 == 0 else VARIANTS[::-1]
        for variant in order:
            start = time.perf_counter()
            steps[variant]()
            submitted = time.perf_counter()
            ctx.finish()
            end = time.perf_counter()
            if r:
                total[variant].append(end - start)
                submit[variant].append(submitted - start)
    for obj in (raw, plain, with_prepass):
        obj.release()
    plain.cache.release()

    a = np.array(total["raw"])
    out = {"scene": name, "images_identical": same, "variants": {}}
    for variant in VARIANTS:
        v = np.array(total[variant])
        ratio = v / a
        lo, hi = bootstrap_median_ci(ratio - 1.0, rng)
        out["variants"][variant] = {
            "median_ms": 1e3 * float(np.median(v)), "mean_ms": 1e3 * float(v.mean()),
            "submit_median_ms": 1e3 * float(np.median(submit[variant])),
            "overhead_median": float(np.median(ratio) - 1.0), "overhead_ci95": [lo, hi],
            "overhead_of_medians": float(np.median(v) / np.median(a) - 1.0),
            "extra_ms_median": 1e3 * float(np.median(v - a)),
            "frames_ms": [1e3 * x for x in v],
        }
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenes", nargs="*", metavar="SCENE")
    parser.add_argument("--size", type=parse_size, default=(320, 180))
    parser.add_argument("--rounds", type=int, default=20, help="timed frames per variant and scene")
    parser.add_argument("--time", type=float, default=2.0, help="scene time of the frame drawn")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results")
    args = parser.parse_args(argv)
    scenes = args.scenes or bundled_scene_names()
    ctx = create_headless_context()
    env = describe_environment(ctx)
    rng = np.random.default_rng(0)
    started = time.perf_counter()
    results = []
    for name in scenes:
        print(f"overhead: {name} ...", file=sys.stderr, flush=True)
        results.append(measure_scene(ctx, name, args.size, args.rounds, args.time, rng))
    elapsed = time.perf_counter() - started

    w, h = args.size
    print(f"{w}x{h}, {args.rounds} interleaved rounds, t = {args.time:g} s, on {env['gl_renderer']}")
    print(f"{'scene':<8}{'raw ms':>9}{'draw ms':>9}{'frame ms':>10}{'prepass':>9}"
          f"{'draw overhead (95% CI)':>28}{'frame overhead (95% CI)':>29}{'submit raw/draw/frame ms':>27}  same image")
    for r in results:
        v = r["variants"]
        cells = "".join(
            f"{100 * v[k]['overhead_median']:>+10.2f}% [{100 * v[k]['overhead_ci95'][0]:+.2f}, "
            f"{100 * v[k]['overhead_ci95'][1]:+.2f}]".rjust(28 if k == 'draw' else 29) for k in ("draw", "frame"))
        submits = "/".join(f"{v[k]['submit_median_ms']:.3f}" for k in ("raw", "draw", "frame"))
        print(f"{r['scene']:<8}{v['raw']['median_ms']:>9.2f}{v['draw']['median_ms']:>9.2f}"
              f"{v['frame']['median_ms']:>10.2f}{v['prepass']['median_ms']:>9.2f}{cells}{submits:>27}  "
              f"{r['images_identical']}")
    worst = max(r["variants"]["draw"]["overhead_median"] for r in results)
    worst_frame = max(r["variants"]["frame"]["overhead_median"] for r in results)
    verdict = "meets" if worst <= TARGET else "misses"
    print(f"worst median overhead: draw {100 * worst:+.2f}%, frame {100 * worst_frame:+.2f}% "
          f"(target <= {100 * TARGET:.0f}%: draw {verdict} it); {elapsed:.0f} s")

    record = {
        "benchmark": "overhead", "date": datetime.datetime.now().isoformat(timespec="seconds"),
        "size": [w, h], "rounds": args.rounds, "time": args.time, "target": TARGET,
        "environment": env, "seconds": elapsed,
        "worst_draw_overhead": worst, "worst_frame_overhead": worst_frame, "scenes": results,
    }
    tag = "llvmpipe" if is_software_renderer(ctx) else "gpu"
    ctx.release()
    args.out.mkdir(parents=True, exist_ok=True)
    which = "all" if not args.scenes else "-".join(scenes)
    path = args.out / f"overhead-{tag}-{which}-{w}x{h}-{datetime.date.today().isoformat()}.json"
    write_text_atomic(path, json.dumps(record, indent=1) + "\n")
    print(f"recorded {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
