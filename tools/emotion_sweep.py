"""Render emotion sweeps of the bundled scenes as a contact sheet for people to look at.

Rows: scenes; columns: one PAD axis swept over [-0.8, 0.8] with the others at 0. Also writes the
fear-versus-joy comparison shown in the README.

    python tools/emotion_sweep.py [--axis pleasure|arousal|dominance] [--out docs/images]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from renderer.compile.frame import FrameOptions
from renderer.compile.program import compile_scene
from renderer.gl.context import create_headless_context
from renderer.gl.raymarch import SceneRenderer
from renderer.output.stills import save_png
from renderer.scene.bundled import load_scene_arg
from renderer.scene.emotion import PAD
from renderer.scene.emotion_io import parse_emotion_argument
from sheet_label import label

SCENES = ["mia", "leo", "sam", "elena"]
AXES = {"pleasure": 0, "arousal": 1, "dominance": 2}


def sweep_sheet(ctx, axis: str, size=(192, 108), steps=5) -> np.ndarray:
    values = np.linspace(-0.8, 0.8, steps)
    rows = []
    for name in SCENES:
        renderer = SceneRenderer(ctx, compile_scene(load_scene_arg(name)), size)
        cells = []
        for v in values:
            pad = [0.0, 0.0, 0.0]
            pad[AXES[axis]] = float(v)
            image = renderer.render(2.0, FrameOptions(emotion=PAD(*pad), shake=False, flicker=False))
            cells.append(label(image, f"{name} {axis[0]}={v:+.1f}"))
        renderer.release()
        rows.append(np.concatenate(cells, axis=1))
    return np.concatenate(rows, axis=0)


def fear_versus_joy(ctx, scene="elena", size=(400, 225)) -> np.ndarray:
    renderer = SceneRenderer(ctx, compile_scene(load_scene_arg(scene)), size)
    pair = []
    for spec in ("fear=1", "joy=1"):
        image = renderer.render(2.0, FrameOptions(emotion=parse_emotion_argument(spec), shake=False))
        pair.append(label(image, f"{scene} --emotion {spec}"))
    renderer.release()
    return np.concatenate(pair, axis=1)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--axis", choices=list(AXES), action="append")
    parser.add_argument("--out", type=Path, default=Path("docs/images"))
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    ctx = create_headless_context()
    for axis in args.axis or list(AXES):
        path = args.out / f"emotion_sweep_{axis}.png"
        save_png(sweep_sheet(ctx, axis), path)
        print(f"wrote {path}")
    for scene in ("elena", "mia"):
        path = args.out / f"fear_vs_joy_{scene}.png"
        save_png(fear_versus_joy(ctx, scene), path)
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
