"""Steps per pixel and frame time of the three marching strategies on a terrain-heavy scene.

Compares plain sphere tracing (omega = 1, no prepass), over-relaxation (Keinert et al. 2014) and
cone prepass + over-relaxation, in one run on the same context, and reports the fraction of pixels
whose hit/miss classification differs from plain sphere tracing. Results go to
benchmarks/results/march_steps-<date>.json.

    python benchmarks/march_steps.py [--scene mia] [--size 640x360] [--frames 5]
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import platform
import sys
import time
from pathlib import Path

import numpy as np

from renderer.cli import parse_size
from renderer.compile.frame import FrameOptions, evaluate_frame
from renderer.compile.program import compile_scene
from renderer.gl.context import create_headless_context
from renderer.gl.raymarch import SceneRenderer
from renderer.scene.bundled import load_scene_arg

from results_io import save_record

VARIANTS = {
    "sphere tracing": dict(over_relaxation=1.0, prepass=False),
    "over-relaxation": dict(over_relaxation=1.6, prepass=False),
    "prepass + over-relaxation": dict(over_relaxation=1.6, prepass=True),
}


def measure(ctx, scene, size, t, frames):
    out = {}
    reference_hits = None
    for label, settings in VARIANTS.items():
        variant = dataclasses.replace(scene, render=dataclasses.replace(scene.render, **settings))
        compiled = compile_scene(variant)
        debug = SceneRenderer(ctx, compiled, size, debug_steps=True)
        data = debug.render(t, FrameOptions(shake=False))
        steps = data[..., 0]
        hits = data[..., 1] > 0.5
        prepass_steps = 0.0
        if settings["prepass"]:
            pre = debug.read_prepass()[..., 1]
            prepass_steps = float(pre.sum()) / (size[0] * size[1])
        debug.release()
        colour = SceneRenderer(ctx, compiled, size)
        frame = evaluate_frame(compiled, t, FrameOptions(shake=False))
        colour.draw(frame)
        ctx.finish()
        times = []
        for _ in range(frames):
            start = time.perf_counter()
            colour.draw(frame)
            ctx.finish()
            times.append(time.perf_counter() - start)
        colour.release()
        if reference_hits is None:
            reference_hits = hits
        changed = float(np.mean(hits != reference_hits))
        out[label] = {
            "steps_per_pixel_main": float(steps.mean()),
            "steps_per_pixel_prepass": prepass_steps,
            "steps_per_pixel_total": float(steps.mean()) + prepass_steps,
            "frame_ms_median": 1000.0 * float(np.median(times)),
            "hit_fraction": float(hits.mean()),
            "pixels_hit_miss_changed": changed,
        }
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scene", default="mia")
    parser.add_argument("--size", type=parse_size, default=(640, 360))
    parser.add_argument("--time", type=float, default=2.0)
    parser.add_argument("--frames", type=int, default=5)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results")
    args = parser.parse_args(argv)

    ctx = create_headless_context()
    scene = load_scene_arg(args.scene)
    results = measure(ctx, scene, args.size, args.time, args.frames)
    base = results["sphere tracing"]["steps_per_pixel_total"]
    print(f"{args.scene} {args.size[0]}x{args.size[1]} t={args.time} on {ctx.info['GL_RENDERER']}")
    print(f"{'variant':<28}{'steps/px':>10}{'vs plain':>10}{'frame ms':>10}{'hit/miss changed':>18}")
    for label, r in results.items():
        print(f"{label:<28}{r['steps_per_pixel_total']:>10.2f}{r['steps_per_pixel_total'] / base:>10.2f}"
              f"{r['frame_ms_median']:>10.1f}{100 * r['pixels_hit_miss_changed']:>17.3f}%")
    record = {
        "benchmark": "march_steps",
        "date": datetime.datetime.now().isoformat(timespec="seconds"),
        "scene": args.scene, "size": list(args.size), "time": args.time, "frames": args.frames,
        "renderer": ctx.info["GL_RENDERER"], "gl_version": ctx.info["GL_VERSION"],
        "machine": platform.machine(), "processor": platform.processor(), "python": sys.version.split()[0],
        "results": results,
    }
    save_record(args.out, "march_steps", record, args.scene, f"{args.size[0]}x{args.size[1]}", ctx=ctx)


if __name__ == "__main__":
    main()
