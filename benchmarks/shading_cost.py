"""Where a frame's time goes: the same scene with shading features switched off one at a time.

Times (median of --frames, interleaved) the default render, then without soft shadows, without
ambient occlusion, without both, and without the cone prepass; prints each variant's cost relative
to the default and records JSON in benchmarks/results/.

    python benchmarks/shading_cost.py [SCENE...] [--size 640x360] [--frames 5]
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import time
from pathlib import Path

import numpy as np

from renderer.cli import parse_size
from renderer.compile.frame import FrameOptions, evaluate_frame
from renderer.compile.program import compile_scene
from renderer.gl.context import create_headless_context
from renderer.gl.raymarch import SceneRenderer
from renderer.scene.bundled import bundled_scene_names, load_scene_arg

from results_io import save_record

VARIANTS = {
    "default": {},
    "no soft shadows": {"shadows": False},
    "no AO": {"ambient_occlusion": False},
    "no shadows, no AO": {"shadows": False, "ambient_occlusion": False},
    "no prepass": {"prepass": False},
}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenes", nargs="*")
    parser.add_argument("--size", type=parse_size, default=(640, 360))
    parser.add_argument("--frames", type=int, default=5)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results")
    args = parser.parse_args(argv)
    ctx = create_headless_context()
    results = {}
    for name in args.scenes or bundled_scene_names():
        scene = load_scene_arg(name)
        runs = {}
        for label, change in VARIANTS.items():
            variant = dataclasses.replace(scene, render=dataclasses.replace(scene.render, **change))
            compiled = compile_scene(variant)
            renderer = SceneRenderer(ctx, compiled, args.size)
            frame = evaluate_frame(compiled, 2.0, FrameOptions(shake=False))
            renderer.draw(frame)
            ctx.finish()
            runs[label] = (renderer, frame)
        times = {label: [] for label in runs}
        for _ in range(args.frames):
            for label, (renderer, frame) in runs.items():
                start = time.perf_counter()
                renderer.draw(frame)
                ctx.finish()
                times[label].append(time.perf_counter() - start)
        for renderer, _ in runs.values():
            renderer.release()
        medians = {label: 1000 * float(np.median(v)) for label, v in times.items()}
        results[name] = medians
        base = medians["default"]
        print(f"{name}: " + ", ".join(f"{label} {ms:.1f} ms ({ms / base:.2f}x)" for label, ms in medians.items()))
    record = {"benchmark": "shading_cost", "date": datetime.datetime.now().isoformat(timespec="seconds"),
              "size": list(args.size), "frames": args.frames, "renderer": ctx.info["GL_RENDERER"],
              "median_ms": results}
    save_record(args.out, "shading_cost", record, f"{args.size[0]}x{args.size[1]}", ctx=ctx)


if __name__ == "__main__":
    main()
