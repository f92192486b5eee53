"""`dreamscape explore`: fly through a dream in a window, change its emotion, edit it live.

    dreamscape explore SCENE [--size WxH] [--window BACKEND] [--backend egl] [--fullscreen]
                       [--target-fps N] [--min-scale PCT | --scale PCT] [--full-shading]
                       [--time T] [--emotion SPEC] [--no-hud] [--steps] [--out DIR]
                       [--frames N [--screenshot PATH]]

The CLI wires this in with `add_explore_parser(subparsers)` and `run_explore(args)`;
`python -m renderer.app.command ...` runs it on its own. Importing this module does not import
moderngl_window (only running the command does). Exit status: 0 done; 2 bad arguments or scene;
1 no window / GL context.
"""

from __future__ import annotations

import dataclasses

import argparse
import sys
import types
from pathlib import Path

from renderer.argtypes import bounded_number as _number
from renderer.errors import DreamscapeError, InputError

__all__ = ["add_explore_parser", "run_explore", "main"]

WINDOW_CHOICES = ("pyglet", "headless", "glfw", "sdl2", "pygame2", "pyqt5", "pyside2", "tk")


def _raise_input_error(self, message: str):
    raise InputError(f"{self.prog}: {message}")


def add_explore_parser(subparsers) -> argparse.ArgumentParser:
    """Add the `explore` subcommand to an argparse subparsers object and return its parser.

    Usage errors raise InputError (exit 2, one line) whatever parser class the caller uses."""
    from renderer.cli import parse_size   # here, not at import time: cli may import this module

    p = subparsers.add_parser(
        "explore", help="fly through a scene in a window; live emotions, hot reload, HUD",
        description="Explore a scene or nexus in a window. F1 or H in the window lists every key.")
    p.error = types.MethodType(_raise_input_error, p)
    p.add_argument("scene", metavar="SCENE", help="a scene file or a bundled scene's name")
    p.add_argument("--size", type=parse_size, default=(960, 540), metavar="WxH", help="window size (960x540)")
    p.add_argument("--window", choices=WINDOW_CHOICES, default="pyglet", metavar="BACKEND",
                   help="moderngl-window backend: pyglet (default) or headless for scripted runs")
    p.add_argument("--backend", metavar="NAME", help="context backend, e.g. egl (headless defaults to egl)")
    p.add_argument("--fullscreen", action="store_true")
    p.add_argument("--target-fps", type=_number(float, "target fps", 1.0, 240.0), default=30.0, metavar="N",
                   help="frame rate that dynamic resolution holds and frames are paced to (30)")
    scale = p.add_mutually_exclusive_group()
    scale.add_argument("--min-scale", type=_number(float, "min scale", 5.0, 100.0), default=None, metavar="PCT",
                       help="lowest internal render scale in percent (10 on a CPU rasteriser, 35 on a GPU)")
    scale.add_argument("--scale", type=_number(float, "scale", 5.0, 100.0), metavar="PCT",
                       help="fixed internal render scale in percent (no dynamic resolution)")
    p.add_argument("--full-shading", action="store_true",
                   help="never drop soft shadows / AO below the minimum scale")
    p.add_argument("--time", type=_number(float, "time", 0.0, 1e6), default=0.0, metavar="T",
                   help="scene time to start at")
    p.add_argument("--emotion", metavar="SPEC", help="start with this emotion, e.g. fear=0.9 or valence=0.5")
    p.add_argument("--no-hud", action="store_true", help="start with the HUD hidden (F2 shows it)")
    p.add_argument("--steps", action="store_true", help="start with steps per pixel in the HUD (F3)")
    p.add_argument("--no-sharpen", action="store_true",
                   help="do not re-render a still view at full resolution (band by band)")
    p.add_argument("--out", default=".", metavar="DIR", help="folder for screenshots and recordings (.)")
    p.add_argument("--frames", type=_number(int, "frames", 1, 10**7), metavar="N",
                   help="scripted run: render N frames on a fixed-step clock, then quit")
    p.add_argument("--screenshot", metavar="PATH.png", help="with --frames: save the last frame here")
    from renderer.shadertoy.command import shader_args

    shader_args(p)
    return p


def _settings(args, path: Path):
    from renderer.app.explorer import ExploreSettings

    fixed = args.scale is not None
    chosen = args.scale if fixed else args.min_scale
    low = None if chosen is None else chosen / 100.0
    return ExploreSettings(
        scene=args.scene, path=path, target_fps=args.target_fps, start_time=args.time,
        fixed_step=args.frames is not None, min_scale=low, max_scale=low if fixed else 1.0,
        dynamic=not fixed, reduced_shading=not (fixed or args.full_shading), hud=not args.no_hud,
        show_steps=args.steps, sharpen=not args.no_sharpen,
        output_dir=Path(args.out))


def _check(args):
    from renderer.output.stills import check_writable_output

    if args.screenshot is not None:
        if args.frames is None:
            raise InputError("--screenshot needs --frames N (the number of frames to run first)")
        if Path(args.screenshot).suffix.lower() != ".png":
            raise InputError(f"{args.screenshot}: screenshots are written as .png")
        check_writable_output(args.screenshot)
    if not Path(args.out).is_dir():
        raise InputError(f"--out {args.out}: no such folder")
    pad = None
    if args.emotion:
        from renderer.scene.emotion_io import parse_emotion_argument

        pad = parse_emotion_argument(args.emotion)
    return pad


def run_explore(args) -> int:
    from renderer.scene.bundled import load_world_arg, resolve_scene_path

    from renderer.shadertoy.command import load_shader_arg

    pad = _check(args)
    path = resolve_scene_path(args.scene)

    def load():
        return load_shader_arg(args.scene, args) or load_world_arg(args.scene)

    world = load()                                # bad scenes exit 2 before any window opens
    settings = dataclasses.replace(_settings(args, path), load=load)

    from renderer.app.launch import close_explorer, open_explorer, run_loop

    app = open_explorer(world, settings, size=args.size, window=args.window, backend=args.backend,
                        fullscreen=args.fullscreen, visible=True)
    try:
        if pad is not None:
            app.explorer.start_emotion(pad)
        periods = run_loop(app, frames=args.frames, screenshot=args.screenshot)
    finally:
        close_explorer(app)
    if args.frames is not None:
        import statistics

        median = statistics.median(periods) * 1000 if periods else 0.0
        shot = f"wrote {args.screenshot}; " if args.screenshot else ""
        print(f"{shot}{args.frames} frames at {args.size[0]}x{args.size[1]} in a {args.window} window, "
              f"median frame {median:.1f} ms")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="dreamscape")
    parser.error = types.MethodType(_raise_input_error, parser)
    add_explore_parser(parser.add_subparsers(dest="command", required=True))
    try:
        return run_explore(parser.parse_args(["explore", *(sys.argv[1:] if argv is None else argv)]))
    except DreamscapeError as exc:
        print(f"dreamscape: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
