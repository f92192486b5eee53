"""`dreamscape` command line: argument parsing only; the work is done by the layers below.

Exit status: 0 success, 2 bad input or usage (one line on stderr, no traceback), 1 other failures
(no GL context, missing library).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

from renderer.argtypes import bounded_number
from renderer.errors import DreamscapeError, EnvironmentProblem, InputError, first_line

__all__ = ["main", "build_parser", "parse_size"]

MAX_SIDE = 8192


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors are one line and exit 2 (not a usage block)."""

    def error(self, message: str):
        raise InputError(f"{self.prog}: {message}")


def parse_size(text: str) -> tuple[int, int]:
    w, sep, h = text.lower().partition("x")
    try:
        size = (int(w), int(h))
    except ValueError:
        raise argparse.ArgumentTypeError(f"size must be WxH like 640x360, got {text!r}") from None
    if not sep or not all(1 <= s <= MAX_SIDE for s in size):
        raise argparse.ArgumentTypeError(f"size must be WxH with sides in 1..{MAX_SIDE}, got {text!r}")
    return size


_time = bounded_number(float, "time (seconds)", 0.0, 1e6)
_duration = bounded_number(float, "duration (seconds)", 0.0, 1e5, lo_open=True)
_fps = bounded_number(float, "fps", 0.1, 240.0)
_frames = bounded_number(int, "frames", 1, 10**7)
_blur = bounded_number(int, "motion blur (sub-frames)", 1, 64)
_crf = bounded_number(int, "quality (crf)", 0, 51)
_workers = bounded_number(int, "workers", 1, 256)
_seed = bounded_number(int, "seed", 0, 2**31 - 1)


def build_parser() -> argparse.ArgumentParser:
    from renderer.shadertoy.command import add_export_parser, shader_args

    parser = _Parser(prog="dreamscape", description="Procedural, emotion-driven dreamscape renderer.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    sub.add_parser("scenes", help="list the bundled scenes")

    p = sub.add_parser("validate", help="check scene files; prints ok per valid file")
    p.add_argument("files", nargs="+", metavar="FILE")

    p = sub.add_parser("still", help="render one frame to a PNG")
    p.add_argument("scene", metavar="SCENE", help="a scene file or a bundled scene's name")
    p.add_argument("-o", "--output", metavar="OUT.png")
    p.add_argument("--size", type=parse_size, default=(640, 360), metavar="WxH")
    p.add_argument("--time", type=_time, default=0.0, metavar="T")
    p.add_argument("--seed", type=_seed, default=None, metavar="N")
    p.add_argument("--emotion", metavar="SPEC", help="e.g. fear=0.9,joy=0.1 or valence=-0.5,arousal=0.8")
    p.add_argument("--no-prepass", action="store_true", help="disable the cone-marching prepass")
    shader_args(p)

    p = sub.add_parser("render", help="render a video (mp4, gif, webp) or a PNG sequence")
    p.add_argument("scene", metavar="SCENE")
    p.add_argument("-o", "--output", metavar="OUT", help="x.mp4, x.gif, x.webp, a folder/ or frame_%%05d.png")
    p.add_argument("--size", type=parse_size, default=(640, 360), metavar="WxH")
    p.add_argument("--fps", type=_fps, default=30.0)
    length = p.add_mutually_exclusive_group()
    length.add_argument("--duration", type=_duration, metavar="S", help="seconds (default 5; a nexus: its story)")
    length.add_argument("--frames", type=_frames, metavar="N")
    p.add_argument("--start", type=_time, default=0.0, metavar="S", help="scene time of the first frame")
    p.add_argument("--motion-blur", type=_blur, default=1, metavar="N", help="sub-frames averaged per frame")
    p.add_argument("--quality", type=_crf, default=18, metavar="CRF", help="H.264 crf, lower is better (18)")
    p.add_argument("--workers", type=_workers, default=1, metavar="N", help="local worker processes")
    p.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler, e.g. tcp://host:8786")
    p.add_argument("--seed", type=_seed, default=None, metavar="N")
    p.add_argument("--emotion", metavar="SPEC")
    p.add_argument("--no-resume", action="store_true", help="discard finished segments of an earlier run")
    p.add_argument("--allow-flashing", action="store_true",
                   help="lift the photosensitivity limiter (nexus glitches may then flash > 3 times/s)")
    p.add_argument("--no-flash-check", action="store_true",
                   help="skip the WCAG three-flashes check of the written output")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    shader_args(p)

    p = sub.add_parser("flashcheck", help="count flashes in a video (WCAG 2.3.1 three flashes); exit 3 if over")
    p.add_argument("video", metavar="VIDEO", help="an mp4, GIF or WebP file")
    p.add_argument("--fps", type=_fps, default=None, help="frame rate, if the file has none")

    add_export_parser(sub)

    p = sub.add_parser("glsl", help="print the final fragment shader of a scene")
    p.add_argument("scene", metavar="SCENE")
    p.add_argument("--pass", dest="pass_name", choices=("main", "prepass"), default="main")

    p = sub.add_parser("generate", help="write a new scene generated from an emotion and a seed")
    p.add_argument("--emotion", required=True, metavar="SPEC", help="e.g. fear=0.9 or valence=0.5,arousal=-0.6")
    p.add_argument("--seed", type=_seed, default=0, metavar="N")
    p.add_argument("-o", "--output", required=True, metavar="OUT.toml")

    from renderer.app.command import add_explore_parser
    from renderer.bench.command import add_bench_parser

    add_bench_parser(sub)
    add_explore_parser(sub)

    p = sub.add_parser("demo", help="render every bundled scene (what `make demo` runs)")
    p.add_argument("--out", default="out", metavar="DIR")
    p.add_argument("--size", type=parse_size, default=(640, 360), metavar="WxH")
    return parser


def _load_world(arg: str, args=None):
    from renderer.scene.bundled import load_world_arg
    from renderer.shadertoy.command import load_shader_arg

    world = load_shader_arg(arg, args)
    if world is not None:
        print(world.describe())
        return world
    return load_world_arg(arg)


def _default_duration(world) -> float:
    """A nexus plays its whole story; a scene renders 5 s."""
    return getattr(world, "duration", 5.0)


def _load(arg: str, seed: int | None = None):
    from renderer.scene.bundled import load_scene_arg

    scene = load_scene_arg(arg)
    return dataclasses.replace(scene, seed=seed) if seed is not None else scene


def _cmd_scenes(args) -> int:
    from renderer.scene.bundled import describe_bundled

    for name, text in describe_bundled():
        print(f"{name:<8} {text}")
    return 0


def _cmd_validate(args) -> int:
    from renderer.scene.bundled import load_world_path

    status = 0
    for file in args.files:
        try:
            load_world_path(file)
            print(f"{file}: ok")
        except InputError as exc:
            print(str(exc), file=sys.stderr)
            status = 2
    return status


def _frame_options(args):
    from renderer.compile.frame import FrameOptions

    if getattr(args, "emotion", None):
        from renderer.scene.emotion_io import parse_emotion_argument

        return FrameOptions(emotion=parse_emotion_argument(args.emotion))
    return FrameOptions()


def _cmd_still(args) -> int:
    from renderer.output.stills import check_writable_output, render_still, save_png

    scene = _load_world(args.scene, args)
    if args.seed is not None:
        scene = dataclasses.replace(scene, seed=args.seed)
    output = Path(args.output or f"{Path(scene.source).stem}.png")
    if output.suffix.lower() != ".png":
        raise InputError(f"{output}: still output must end in .png")
    check_writable_output(output)
    options = _frame_options(args)
    if args.no_prepass and hasattr(scene, "render"):
        scene = dataclasses.replace(scene, render=dataclasses.replace(scene.render, prepass=False))
    image = render_still(scene, args.size, args.time, options)
    save_png(image, output)
    print(f"wrote {output} ({args.size[0]}x{args.size[1]}, t={args.time:g}s)")
    return 0


def _cmd_render(args) -> int:
    from renderer.output.encode import check_video_size
    from renderer.output.executors import make_executor
    from renderer.output.formats import parse_output
    from renderer.output.job import RenderJob, Shot
    from renderer.output.video import interruptible, render_job

    world = _load_world(args.scene, args)  # validates before anything renders
    if args.emotion:
        from renderer.scene.emotion_io import parse_emotion_argument

        parse_emotion_argument(args.emotion)
    target = parse_output(args.output or f"{Path(world.source).stem}.mp4")
    check_video_size(target.kind, args.size)
    frames = args.frames or max(1, round((args.duration or _default_duration(world)) * args.fps))
    shot = Shot(world=world, source=world.source, duration=args.start + frames / args.fps + 1.0)
    job = RenderJob(shots=(shot,), size=args.size, fps=args.fps, frames=frames, start=args.start,
                    motion_blur=args.motion_blur, crf=args.quality, emotion=args.emotion,
                    seed=args.seed, target=target, allow_flashing=args.allow_flashing)
    with interruptible(), make_executor(args.workers, args.scheduler) as executor:
        summary = render_job(job, executor, resume=not args.no_resume, quiet=args.quiet)
    _print_summary(summary, job)
    if args.no_flash_check:
        return 0
    return _report_flashes(_check_output_flashes(job), warn=not args.allow_flashing)


FLASH_EXIT = 3   # the check ran and found more than three flashes in a second


def _check_output_flashes(job):
    """Read the written output back and check it; a file that cannot be read back whole is
    reported as one line (exit 1), not a traceback after a successful render."""
    from renderer.output.flash_check import check_file, check_png_sequence

    path = job.target.path
    try:
        if job.target.kind == "png":
            report = check_png_sequence((job.target.frame_path(k) for k in range(job.frames)), job.fps)
        else:
            report = check_file(path, job.fps)
    except (OSError, RuntimeError, ValueError) as exc:
        raise EnvironmentProblem(f"{path}: written, but the flash check could not read it back ({first_line(exc)})") from None
    if report.frames != job.frames:
        raise EnvironmentProblem(f"{path}: written, but {report.frames} frames read back where {job.frames} were "
                                 "rendered (the file may be damaged)")
    return report


def _report_flashes(report, warn: bool) -> int:
    """Print the check's line; a failure is a warning on stderr and exit 3 (the file is kept)."""
    if report.passed or not warn:
        print(report.describe())
        return 0
    print(f"dreamscape: warning: {report.describe()}", file=sys.stderr)
    return FLASH_EXIT


def _cmd_flashcheck(args) -> int:
    from renderer.output.flash_check import check_file

    path = Path(args.video)
    if not path.is_file():
        raise InputError(f"{path}: {'not a video file' if path.exists() else 'no such file'}")
    if path.suffix.lower() == ".gif" and args.fps is None:
        raise InputError(f"{path}: a GIF does not store a reliable frame rate; give --fps")
    try:
        report = check_file(path, args.fps)
    except (OSError, RuntimeError, ValueError) as exc:
        raise InputError(f"{path}: cannot be read as a video ({first_line(exc)})") from None
    return _report_flashes(report, warn=True)


def _print_summary(summary, job) -> None:
    resumed = summary.frames - summary.rendered
    extra = f", {resumed} resumed" if resumed else ""
    print(f"wrote {summary.path}: {summary.frames} frames{extra}, {job.size[0]}x{job.size[1]} at "
          f"{job.fps:g} fps ({summary.frames / job.fps:.2f} s of video) in {summary.seconds:.1f} s")


def _cmd_glsl(args) -> int:
    from renderer.compile.program import compile_scene

    world = _load_world(args.scene)
    # A nexus's raymarched program is its host's graph with the bleeds merged in.
    scene = world.host_scene() if hasattr(world, "host_scene") else world
    print(compile_scene(scene).source(args.pass_name).text)
    return 0


def _cmd_generate(args) -> int:
    from renderer.output.stills import check_writable_output
    from renderer.scene.emotion_io import parse_emotion_argument
    from renderer.scene.generate import generate_scene
    from renderer.scene.serialize import save_scene

    output = Path(args.output)
    if output.suffix.lower() != ".toml":
        raise InputError(f"{output}: generated scenes are written as .toml")
    check_writable_output(output)
    scene = generate_scene(parse_emotion_argument(args.emotion), args.seed)
    save_scene(scene, output)
    print(f"wrote {output} ({scene.name})")
    return 0


def _cmd_bench(args) -> int:
    from renderer.bench.command import run_bench

    return run_bench(args)


def _cmd_export(args) -> int:
    from renderer.shadertoy.command import run_export

    return run_export(args)


def _cmd_explore(args) -> int:
    from renderer.app.command import run_explore

    return run_explore(args)


def _cmd_demo(args) -> int:
    from renderer.output.demo import run_demo
    from renderer.output.video import interruptible

    with interruptible():
        run_demo(Path(args.out), args.size)
    return 0


_COMMANDS = {"scenes": _cmd_scenes, "validate": _cmd_validate, "still": _cmd_still,
             "render": _cmd_render, "glsl": _cmd_glsl, "generate": _cmd_generate, "bench": _cmd_bench, "explore": _cmd_explore, "demo": _cmd_demo,
             "export": _cmd_export, "flashcheck": _cmd_flashcheck}


def argv_command(argv: list[str] | None) -> str | None:
    """The subcommand named on the command line, if any (for messages outside argparse)."""
    args = sys.argv[1:] if argv is None else argv
    return next((a for a in args if not a.startswith("-")), None)


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return _COMMANDS[args.command](args)
    except DreamscapeError as exc:
        print(f"dreamscape: {exc}" if not str(exc).startswith("dreamscape") else str(exc), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        hint = ""
        if argv_command(argv) == "render":
            hint = " (finished segments are kept: run the same command again to resume)"
        print(f"dreamscape: interrupted{hint}", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
