"""`dreamscape bench`: frame-time benchmark of scenes on a fixed-step clock.

    dreamscape bench [SCENE...] [--size WxH] [--frames N] [--warmup N] [--time-step S]
                     [--json OUT.json] [--plot OUT.png] [--compare BASE.json] [--threshold PCT]

Without SCENE, every bundled scene. Exit status: 0 done; 2 bad arguments, a scene or baseline
that cannot be read, or a missing optional dependency; 3 when `--compare` finds a scene whose p50
or p99 frame time grew by more than `--threshold` percent; 1 no GL context.

The CLI wires this in with `add_bench_parser(subparsers)` and `run_bench(args)`;
`python -m renderer.bench.command ...` runs it on its own.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from renderer.argtypes import bounded_number as _number
from renderer.errors import DreamscapeError, InputError

__all__ = ["add_bench_parser", "run_bench", "main", "REGRESSION_EXIT"]

REGRESSION_EXIT = 3
DEFAULT_SIZE = (640, 360)


def add_bench_parser(subparsers) -> argparse.ArgumentParser:
    """Add the `bench` subcommand to an argparse subparsers object and return its parser."""
    from renderer.cli import parse_size   # here, not at import time: cli may import this module

    p = subparsers.add_parser(
        "bench", help="frame-time benchmark (avg FPS, percentiles, lows, stutters, steps/pixel)",
        description="Render scenes on a fixed-step clock and report frame-time statistics. "
                    "Without SCENE, every bundled scene.")
    p.add_argument("scenes", nargs="*", metavar="SCENE", help="a scene file or a bundled scene's name")
    p.add_argument("--size", type=parse_size, default=DEFAULT_SIZE, metavar="WxH",
                   help="render size (default 640x360)")
    p.add_argument("--frames", type=_number(int, "frames", 1, 1_000_000), default=120, metavar="N",
                   help="measured frames per scene (default 120)")
    p.add_argument("--warmup", type=_number(int, "warmup", 0, 1_000_000), default=10, metavar="N",
                   help="frames rendered first and discarded (default 10)")
    p.add_argument("--time-step", type=_number(float, "time step", 0.0, 3600.0, lo_open=True),
                   default=1.0 / 30.0, metavar="S", help="seconds of scene time per frame (default 1/30)")
    p.add_argument("--json", metavar="OUT.json", help="write every number, per-frame times and the environment")
    p.add_argument("--plot", metavar="OUT.png", help="frame time over frames and a histogram, per scene")
    p.add_argument("--compare", metavar="BASE.json", help="a saved bench JSON; exit 3 on regression")
    p.add_argument("--threshold", type=_number(float, "threshold", 0.0, 10_000.0), default=10.0,
                   metavar="PCT", help="allowed p50/p99 slow-down in percent for --compare (default 10)")
    from renderer.shadertoy.command import shader_args

    shader_args(p)
    return p


def _scene_name(arg: str) -> str:
    path = Path(arg)
    return path.stem if path.suffix.lower() in (".toml", ".glsl", ".frag", ".fs") else arg


def _load_scenes(args) -> list[tuple[str, object]]:
    from renderer.compile.program import compile_scene
    from renderer.scene.bundled import bundled_world_names, load_world_arg
    from renderer.scene.nexus import Nexus
    from renderer.shadertoy.command import load_shader_arg
    from renderer.shadertoy.world import ShaderWorld

    given = args.scenes or bundled_world_names()
    if not given:
        raise InputError("bench: no scenes given and none bundled")
    out, names = [], set()
    for arg in given:
        name = _scene_name(arg)
        if name in names:
            name = arg
        if name in names:
            raise InputError(f"bench: scene {arg} given twice")
        names.add(name)
        world = load_shader_arg(arg, args) or load_world_arg(arg)
        out.append((name, world if isinstance(world, (Nexus, ShaderWorld)) else compile_scene(world)))
    return out


def _check_outputs(args) -> None:
    from renderer.output.stills import check_writable_output

    if args.json:
        check_writable_output(args.json)
    if args.plot:
        if Path(args.plot).suffix.lower() != ".png":
            raise InputError(f"{args.plot}: --plot writes a .png file")
        check_writable_output(args.plot)
        from renderer.bench.plot import require_matplotlib

        require_matplotlib()


def run_bench(args) -> int:
    """Run the benchmark described by parsed arguments; returns the exit status (0 or 3)."""
    from renderer.bench.environment import describe_environment
    from renderer.bench.recorder import (
        SOFTWARE_TIMER_NOTE, BenchSettings, record_nexus, record_scene, timer_queries_wanted,
    )
    from renderer.scene.nexus import Nexus
    from renderer.bench.report import (build_result, compare_results, format_comparison, format_table,
                                       load_result)
    from renderer.gl.context import create_headless_context

    _check_outputs(args)
    baseline = load_result(args.compare) if args.compare else None
    scenes = _load_scenes(args)
    if baseline is not None:
        known = {s["name"] for s in baseline["scenes"]}
        if not known & {name for name, _ in scenes}:
            raise InputError(f"{args.compare}: has none of the benchmarked scenes "
                             f"(baseline: {', '.join(sorted(known))})")
    settings = BenchSettings(size=tuple(args.size), frames=args.frames, warmup=args.warmup,
                             time_step=args.time_step)
    ctx = create_headless_context()
    try:
        environment = describe_environment(ctx)
        note = None
        if not timer_queries_wanted(ctx, settings.timer_queries):
            note = SOFTWARE_TIMER_NOTE.format(renderer=environment["gl_renderer"])
        records = []
        for i, (name, compiled) in enumerate(scenes, 1):
            print(f"bench: {name} ({i}/{len(scenes)}): {settings.warmup} warm-up + "
                  f"{settings.frames} frames at {settings.size[0]}x{settings.size[1]}",
                  file=sys.stderr, flush=True)
            from renderer.shadertoy.world import ShaderWorld

            if isinstance(compiled, ShaderWorld):
                from renderer.shadertoy.bench import record_shader as record
            else:
                record = record_nexus if isinstance(compiled, Nexus) else record_scene
            records.append(record(ctx, name, compiled, settings))
    finally:
        ctx.release()

    result = build_result(records, settings, environment, note)
    print(format_table(result))
    if args.json:
        from renderer.output.atomic import write_text_atomic

        write_text_atomic(args.json, json.dumps(result, indent=1) + "\n")
        print(f"wrote {args.json}")
    if args.plot:
        from renderer.bench.plot import plot_result

        plot_result(result, args.plot)
        print(f"wrote {args.plot}")
    if baseline is not None:
        comparison = compare_results(result, baseline, args.threshold)
        print()
        print(format_comparison(comparison, args.compare))
        if comparison["regressed"]:
            return REGRESSION_EXIT
    return 0


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):
        raise InputError(f"{self.prog}: {message}")


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry point with the same exit statuses as `dreamscape bench`."""
    parser = _Parser(prog="dreamscape")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    add_bench_parser(sub)
    try:
        args = parser.parse_args(["bench", *(sys.argv[1:] if argv is None else argv)])
        return run_bench(args)
    except DreamscapeError as exc:
        print(f"dreamscape: {exc}" if not str(exc).startswith("dreamscape") else str(exc), file=sys.stderr)
        return exc.exit_code


if __name__ == "__main__":
    sys.exit(main())
