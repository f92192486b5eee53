"""How frame time grows with resolution and with scene complexity (node count).

Resolution: one bundled scene at 320x180 ... 1920x1080. Complexity: scenes built in Python with
the builder API, a ground plane plus k translated primitives (sphere, box, torus in turn) on a
grid that keeps the covered screen area roughly the same as k grows, giving 1 to 200 nodes.
Frames are timed the way `dreamscape bench` times them (fixed-step clock, CPU wall time around
ctx.finish()), interleaved across the sizes (and across the scenes) of a sweep round by round, with
the bench's steps-per-pixel debug render. Both sweeps are fitted by least squares: frame time =
a + b * megapixels, = a + b * (megapixels * steps per pixel) and = a + b * nodes, each with the
log-log slope (1 = linear).

    python benchmarks/scaling.py [--scene mia] [--frames 5] [--warmup 1] [--out DIR]
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import math
import sys
import time
from pathlib import Path

import numpy as np

from renderer.bench.environment import describe_environment
from renderer.bench.recorder import steps_per_pixel
from renderer.compile.frame import evaluate_frame
from renderer.compile.program import compile_scene
from renderer.gl.context import create_headless_context, is_software_renderer
from renderer.gl.raymarch import SceneRenderer
from renderer.output.atomic import write_bytes_atomic, write_text_atomic
from renderer.scene.bundled import load_scene_arg
from renderer.scene.model import Camera, Scene
from renderer.scene.nodes import Box, Plane, Sphere, Torus, Union, count_nodes

SIZES = ((320, 180), (480, 270), (640, 360), (960, 540), (1280, 720), (1920, 1080))
NODE_COUNTS = (1, 4, 10, 20, 50, 100, 150, 200)
COMPLEXITY_SIZE = (320, 180)


def grid_scene(nodes: int) -> Scene:
    """A plane (1 node) or a union of the plane and k = (nodes - 2) / 2 translated primitives."""
    ground = Plane(offset=0.0)
    k = 0 if nodes <= 1 else max(1, (nodes - 2) // 2)
    if k == 0:
        root = ground
    else:
        side = math.ceil(math.sqrt(k))
        spacing = 8.0 / side
        r = 0.3 * spacing
        shapes = (Sphere(radius=r), Box(size=(0.8 * r, 0.8 * r, 0.8 * r)), Torus(major=0.8 * r, minor=0.3 * r))
        parts = [ground]
        for i in range(k):
            x = (i % side - (side - 1) / 2) * spacing
            z = (i // side - (side - 1) / 2) * spacing
            parts.append(shapes[i % 3].translate(x, r, z))
        root = Union(tuple(parts))
    camera = Camera(position=(0.0, 6.0, 9.0), target=(0.0, 0.0, 0.0), fov=55.0)
    return Scene(root=root, name=f"grid-{count_nodes(root)}", camera=camera)


def fit(x, y) -> dict:
    x, y = np.asarray(x, float), np.asarray(y, float)
    b, a = np.polyfit(x, y, 1)
    pred = a + b * x
    r2 = 1.0 - float(np.sum((y - pred) ** 2) / np.sum((y - y.mean()) ** 2))
    slope = float(np.polyfit(np.log(x), np.log(y), 1)[0])
    return {"intercept_ms": float(a), "slope_ms": float(b), "r2": r2, "loglog_slope": slope}


def sweep(ctx, items, frames: int, warmup: int, time_step: float = 1.0 / 30.0) -> list[dict]:
    """Time every (name, scene, size) item, interleaved: round r draws clock frame r of each item
    (in reverse order on odd rounds), so a burst of load from other work on the machine lands on
    all items alike instead of on whichever was being measured. Frame time as in `dreamscape
    bench`: evaluate_frame + draw + ctx.finish(), perf_counter() around it."""
    prepared = []
    for name, scene, size in items:
        started = time.perf_counter()
        compiled = compile_scene(scene)
        renderer = SceneRenderer(ctx, compiled, size)
        renderer.draw(evaluate_frame(compiled, 0.0))
        ctx.finish()
        prepared.append((name, scene, size, compiled, renderer, time.perf_counter() - started))
    times = [[] for _ in prepared]
    for r in range(warmup + frames):
        order = range(len(prepared)) if r % 2 == 0 else reversed(range(len(prepared)))
        for i in order:
            compiled, renderer = prepared[i][3], prepared[i][4]
            start = time.perf_counter()
            renderer.draw(evaluate_frame(compiled, r * time_step))
            ctx.finish()
            if r >= warmup:
                times[i].append(time.perf_counter() - start)
    rows = []
    middle = (warmup + frames // 2) * time_step
    for (name, scene, size, compiled, renderer, first), values in zip(prepared, times):
        main, pre = steps_per_pixel(ctx, compiled, size, middle, cache=renderer.cache)
        renderer.cache.release()
        renderer.release()
        ms = np.array(values) * 1e3
        rows.append({"name": name, "size": list(size), "megapixels": size[0] * size[1] / 1e6,
                     "nodes": count_nodes(scene.root), "median_ms": float(np.median(ms)),
                     "min_ms": float(ms.min()), "frames_ms": ms.tolist(), "steps_per_pixel": main + pre,
                     "first_frame_ms": 1e3 * first})
    return rows


def plot(result: dict, path: Path) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(11, 4), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    fig.suptitle(f"frame time scaling on {result['environment']['gl_renderer']}", fontsize=10)
    left, right = fig.subplots(1, 2)
    for ax, key, rows, fitted, xlabel in (
            (left, "megapixels", result["resolution"], result["resolution_fit"],
             f"megapixels ({result['scene']})"),
            (right, "nodes", result["complexity"], result["complexity_fit"],
             f"node count ({COMPLEXITY_SIZE[0]}x{COMPLEXITY_SIZE[1]})")):
        x = np.array([r[key] for r in rows])
        y = np.array([r["median_ms"] for r in rows])
        ax.plot(x, y, "o", label="median frame")
        xs = np.linspace(0, x.max(), 50)
        ax.plot(xs, fitted["intercept_ms"] + fitted["slope_ms"] * xs, "-", lw=0.8,
                label=f"{fitted['intercept_ms']:.1f} + {fitted['slope_ms']:.2f} x  (R2 {fitted['r2']:.3f})")
        ax.set_xlabel(xlabel)
        ax.set_ylabel("ms")
        twin = ax.twinx()
        twin.plot(x, [r["steps_per_pixel"] for r in rows], "s--", color="C2", ms=3, lw=0.8)
        twin.set_ylabel("steps / pixel", color="C2")
        twin.set_ylim(bottom=0)
        ax.set_ylim(bottom=0)
        ax.legend(fontsize=8, loc="upper left")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    write_bytes_atomic(path, buffer.getvalue())


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scene", default="mia", help="scene of the resolution sweep")
    parser.add_argument("--frames", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--sizes", default=",".join(f"{w}x{h}" for w, h in SIZES))
    parser.add_argument("--nodes", default=",".join(map(str, NODE_COUNTS)))
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results")
    args = parser.parse_args(argv)
    sizes = [tuple(int(v) for v in s.split("x")) for s in args.sizes.split(",")]
    node_counts = [int(n) for n in args.nodes.split(",")]

    ctx = create_headless_context()
    env = describe_environment(ctx)
    started = time.perf_counter()
    scene = load_scene_arg(args.scene)
    print(f"scaling: {args.scene} at {len(sizes)} sizes ...", file=sys.stderr, flush=True)
    resolution = sweep(ctx, [(args.scene, scene, size) for size in sizes], args.frames, args.warmup)
    print(f"scaling: {len(node_counts)} grid scenes at {COMPLEXITY_SIZE[0]}x{COMPLEXITY_SIZE[1]} ...",
          file=sys.stderr, flush=True)
    grids = [grid_scene(n) for n in node_counts]
    complexity = sweep(ctx, [(g.name, g, COMPLEXITY_SIZE) for g in grids], args.frames, args.warmup)
    elapsed = time.perf_counter() - started

    result = {
        "benchmark": "scaling", "date": datetime.datetime.now().isoformat(timespec="seconds"),
        "scene": args.scene, "frames": args.frames, "warmup": args.warmup,
        "complexity_size": list(COMPLEXITY_SIZE), "environment": env, "seconds": elapsed,
        "resolution": resolution, "complexity": complexity,
        "resolution_fit": fit([r["megapixels"] for r in resolution], [r["median_ms"] for r in resolution]),
        "complexity_fit": fit([r["nodes"] for r in complexity], [r["median_ms"] for r in complexity]),
    }
    # Steps per pixel change with resolution (the prepass's 4x4-block cones fit tighter), so also
    # fit against total march steps: megapixels * steps per pixel.
    result["resolution_per_megastep_fit"] = fit(
        [r["megapixels"] * r["steps_per_pixel"] for r in resolution], [r["median_ms"] for r in resolution])
    # Per node, the work also depends on how many steps rays take; normalise by steps per pixel.
    result["complexity_per_step_fit"] = fit(
        [r["nodes"] for r in complexity], [r["median_ms"] / r["steps_per_pixel"] for r in complexity])

    print(f"{'size':<11}{'MP':>7}{'median ms':>11}{'ms/MP':>9}{'steps/px':>10}")
    for r in resolution:
        print(f"{r['size'][0]}x{r['size'][1]:<6}{r['megapixels']:>7.3f}{r['median_ms']:>11.1f}"
              f"{r['median_ms'] / r['megapixels']:>9.0f}{r['steps_per_pixel']:>10.1f}")
    f = result["resolution_fit"]
    print(f"fit: {f['intercept_ms']:.1f} ms + {f['slope_ms']:.1f} ms/MP, R2 {f['r2']:.4f}, log-log slope {f['loglog_slope']:.3f}")
    f = result["resolution_per_megastep_fit"]
    print(f"fit on march steps: {f['intercept_ms']:.1f} ms + {f['slope_ms']:.2f} ms per million pixel-steps, "
          f"R2 {f['r2']:.4f}")
    print(f"{'nodes':<8}{'median ms':>11}{'steps/px':>10}{'ms/step':>9}")
    for r in complexity:
        print(f"{r['nodes']:<8}{r['median_ms']:>11.1f}{r['steps_per_pixel']:>10.1f}"
              f"{r['median_ms'] / r['steps_per_pixel']:>9.3f}")
    f, g = result["complexity_fit"], result["complexity_per_step_fit"]
    print(f"fit: {f['intercept_ms']:.1f} ms + {f['slope_ms']:.3f} ms/node, R2 {f['r2']:.4f}, "
          f"log-log slope {f['loglog_slope']:.3f}; per step per pixel: {g['intercept_ms']:.3f} + "
          f"{g['slope_ms']:.4f} ms/node, R2 {g['r2']:.4f}; {elapsed:.0f} s")

    tag = "llvmpipe" if is_software_renderer(ctx) else "gpu"
    ctx.release()
    args.out.mkdir(parents=True, exist_ok=True)
    stem = args.out / f"scaling-{tag}-{args.scene}-{datetime.date.today().isoformat()}"
    write_text_atomic(stem.with_suffix(".json"), json.dumps(result, indent=1) + "\n")
    print(f"recorded {stem.with_suffix('.json')}")
    try:
        plot(result, stem.with_suffix(".png"))
        print(f"plotted {stem.with_suffix('.png')}")
    except ImportError:
        print("no matplotlib: plot skipped (pip install 'dreamscape[bench]')")
    return 0


if __name__ == "__main__":
    sys.exit(main())
