"""Frame-time cost of 3D blending (bleeds merged into the host's distance field) versus 2D
compositing (rendering another dreamer's layer and compositing it through a portal), at 640x360.

On the bundled nexus at t = 14 s (both bleeds grown, both portals open), in one run, interleaved:
  host alone          the host's graph without bleeds, one raymarch
  host + bleeds (3D)  the host's graph with both bleeds merged in, one raymarch
  + one layer (2D)    host + bleeds, plus Leo's layer and the composite pass with its portal
  full nexus frame    every shown layer plus the composite with all effects

    python benchmarks/nexus_blending.py [--frames 10] [--size 640x360]
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
from renderer.compositor.compositor import Compositor
from renderer.compositor.effects import GlitchParams
from renderer.compositor.nexus_renderer import NexusRenderer
from renderer.gl.context import create_headless_context
from renderer.gl.raymarch import SceneRenderer
from renderer.scene.bundled import load_world_arg

from results_io import save_record

T = 14.0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=10)
    parser.add_argument("--size", type=parse_size, default=(640, 360))
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results")
    args = parser.parse_args(argv)
    ctx = create_headless_context()
    nexus = load_world_arg("nexus")
    nexus_renderer = NexusRenderer(ctx, nexus, args.size)
    params, frames = nexus_renderer.prepare(T)
    host_plain = dataclasses.replace(nexus.dreamers[0].scene, emotion=nexus.dreamers[0].emotion)
    plain = SceneRenderer(ctx, compile_scene(host_plain), args.size)
    plain_frame = evaluate_frame(plain.compiled, T, FrameOptions())
    layers = nexus_renderer.layers
    leo = nexus.dreamer_index("leo")
    leo_portal = tuple(p for p in params.portals if p.source == leo)
    compositor = Compositor(ctx, args.size, seed=nexus.seed)
    one_layer = GlitchParams(portals=leo_portal)

    def host_alone():
        plain.draw(plain_frame)

    def host_bleeds():
        layers[0].draw(frames[0])

    def plus_layer():
        layers[0].draw(frames[0])
        layers[leo].draw(frames[leo])
        compositor.composite([layer.color for layer in layers], one_layer, 420)

    def full():
        nexus_renderer.draw((params, frames), 420)

    variants = {"host alone": host_alone, "host + bleeds (3D)": host_bleeds,
                "+ one layer and portal (2D)": plus_layer, "full nexus frame": full}
    times = {name: [] for name in variants}
    for fn in variants.values():
        fn()
        ctx.finish()
    for _ in range(args.frames):
        for name, fn in variants.items():
            start = time.perf_counter()
            fn()
            ctx.finish()
            times[name].append(time.perf_counter() - start)
    medians = {name: 1000 * float(np.median(v)) for name, v in times.items()}
    base = medians["host alone"]
    print(f"nexus t={T}s {args.size[0]}x{args.size[1]} on {ctx.info['GL_RENDERER']}")
    for name, ms in medians.items():
        print(f"{name:<32}{ms:9.1f} ms {ms / base:6.2f}x")
    record = {"benchmark": "nexus_blending", "date": datetime.datetime.now().isoformat(timespec="seconds"),
              "size": list(args.size), "time": T, "frames": args.frames,
              "renderer": ctx.info["GL_RENDERER"], "median_ms": medians,
              "frames_ms": {k: [1000 * x for x in v] for k, v in times.items()}}
    save_record(args.out, "nexus_blending", record, ctx=ctx)


if __name__ == "__main__":
    main()
