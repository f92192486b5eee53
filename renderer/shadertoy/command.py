"""Command-line pieces for shader worlds: `dreamscape export SCENE --shadertoy`, the shader options
of still/render/bench/explore (`--channel0..3`, `--mouse`), and loading a SCENE argument that names
a shader file or a Shadertoy manifest.

These are meant to be wired into renderer/cli.py; nothing here registers itself.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from renderer.errors import InputError

__all__ = ["add_export_parser", "run_export", "shader_args", "parse_mouse", "load_shader_arg",
           "is_shader_arg"]


def parse_mouse(text: str) -> tuple[float, float, float, float]:
    """`X,Y` or `X,Y,CX,CY` (pixels, origin bottom-left) -> iMouse: button held at X,Y since a
    click at CX,CY (default X,Y), as Shadertoy encodes it (z > 0 held, w < 0 not this frame)."""
    from renderer.shadertoy.wrap import encode_mouse

    try:
        values = [float(v) for v in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"mouse must be X,Y or X,Y,CX,CY in pixels, got {text!r}") from None
    if len(values) not in (2, 4) or not all(abs(v) < 1e6 for v in values):
        raise argparse.ArgumentTypeError(f"mouse must be X,Y or X,Y,CX,CY in pixels, got {text!r}")
    click = tuple(values[2:]) if len(values) == 4 else None
    return encode_mouse(tuple(values[:2]), click)


def shader_args(parser: argparse.ArgumentParser) -> None:
    """Add --channel0..3 and --mouse (used only when SCENE is a shader file)."""
    for i in range(4):
        parser.add_argument(f"--channel{i}", metavar="IMAGE",
                            help="image for iChannel0 / u_tex0 of a .glsl/.frag shader (--channel1..3 likewise)"
                            if i == 0 else argparse.SUPPRESS)
    parser.add_argument("--mouse", type=parse_mouse, metavar="X,Y[,CX,CY]",
                        help="iMouse of a shader: held at X,Y (pixels from the bottom left) since a click at CX,CY")


def _channels(args) -> list:
    return [getattr(args, f"channel{i}", None) for i in range(4)]


def is_shader_arg(arg: str) -> bool:
    """Whether SCENE names a shader file (.glsl/.frag/.fs) or a Shadertoy manifest (by suffix, or
    a .toml whose tables say so)."""
    from renderer.shadertoy.world import is_shader_manifest_data, is_shader_path

    if is_shader_path(arg):
        return True
    path = Path(arg)
    if path.suffix.lower() == ".toml" and path.is_file():
        from renderer.scene.loader import read_toml

        try:
            data, _ = read_toml(path)
        except InputError:
            return False
        return is_shader_manifest_data(data)
    return False


def load_shader_arg(arg: str, args=None):
    """The ShaderWorld a SCENE argument names, or None when it is not a shader (load it as a
    scene or nexus then). Options given for a non-shader SCENE are an InputError (exit 2)."""
    channels = _channels(args) if args is not None else [None] * 4
    mouse = getattr(args, "mouse", None) if args is not None else None
    if not is_shader_arg(arg):
        used = [f"--channel{i}" for i, c in enumerate(channels) if c is not None] + (["--mouse"] if mouse else [])
        if used:
            raise InputError(f"{arg}: {used[0]} applies to shader files (.glsl, .frag, *.shadertoy.toml) only")
        return None
    from renderer.shadertoy.world import load_shader_world

    return load_shader_world(arg, channels=channels, mouse=mouse)


# -- dreamscape export ---------------------------------------------------------------------------

def add_export_parser(subparsers) -> argparse.ArgumentParser:
    """`dreamscape export SCENE --shadertoy [-o dream.glsl] [--time T | --duration S] [--rate N]`."""
    p = subparsers.add_parser("export", help="write a scene as a self-contained Shadertoy Image shader")
    p.add_argument("scene", metavar="SCENE", help="a scene file or a bundled scene's name")
    p.add_argument("--shadertoy", action="store_true", help="Shadertoy Image shader (WebGL2, GLSL ES 3.00)")
    p.add_argument("-o", "--output", metavar="OUT.glsl", help="default: standard output")
    when = p.add_mutually_exclusive_group()
    when.add_argument("--time", type=float, metavar="T", help="bake one frame at T seconds (no animation)")
    when.add_argument("--duration", type=float, metavar="S",
                      help="seconds of animation to export, looped by iTime (default: the story length or 10)")
    p.add_argument("--rate", type=float, default=None, metavar="N",
                   help="samples per second of the animated values (default 5)")
    p.add_argument("--emotion", metavar="SPEC", help="a constant emotion, e.g. fear=0.9 or valence=0.5")
    p.add_argument("--seed", type=int, default=None, metavar="N")
    return p


def run_export(args) -> int:
    import dataclasses
    import math

    from renderer.compile.frame import FrameOptions
    from renderer.scene.bundled import load_world_arg
    from renderer.scene.model import Scene
    from renderer.shadertoy.export import DEFAULT_RATE, export_shadertoy

    if not args.shadertoy:
        raise InputError("export: choose a format: --shadertoy")
    if is_shader_arg(args.scene):
        raise InputError(f"{args.scene}: is already a shader; export takes a scene")
    for name, value, lo, hi in (("time", args.time, 0.0, 1e6), ("duration", args.duration, 1e-3, 1e4),
                                ("rate", args.rate, 0.1, 120.0)):
        if value is not None and not (math.isfinite(value) and lo <= value <= hi):
            raise InputError(f"export: --{name} must be in [{lo:g}, {hi:g}], got {value:g}")
    if args.seed is not None and not 0 <= args.seed <= 2**31 - 1:
        raise InputError(f"export: --seed must be in [0, 2147483647], got {args.seed}")
    world = load_world_arg(args.scene)
    if not isinstance(world, Scene):
        raise InputError(f"{args.scene}: is a nexus; export one of its dreamers' scenes")
    if args.seed is not None:
        world = dataclasses.replace(world, seed=args.seed)
    options = FrameOptions()
    if args.emotion:
        from renderer.scene.emotion_io import parse_emotion_argument

        options = FrameOptions(emotion=parse_emotion_argument(args.emotion))
    output = None
    if args.output:
        from renderer.output.stills import check_writable_output

        output = check_writable_output(args.output)
    try:
        text = export_shadertoy(world, args.time, duration=args.duration,
                                rate=args.rate or DEFAULT_RATE, options=options)
    except ValueError as exc:
        raise InputError(f"{args.scene}: {exc}") from None
    if output is None:
        sys.stdout.write(text)
        return 0
    from renderer.output.atomic import write_text_atomic

    write_text_atomic(output, text)
    kind = f"baked at t={args.time:g}s" if args.time is not None else "animated by iTime"
    print(f"wrote {output} (Shadertoy Image shader, {len(text.splitlines())} lines, {kind})")
    return 0
