"""Contact sheet of generated dream worlds: rows are emotions, columns seeds (what
`dreamscape generate --emotion SPEC --seed N` writes), for people to look at.

    python tools/generated_sheet.py [-o docs/images/generated_worlds.png] [--seeds 5] [--size 192x108]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from renderer.cli import parse_size
from renderer.compile.frame import FrameOptions
from renderer.compile.program import compile_scene
from renderer.gl.context import create_headless_context
from renderer.gl.raymarch import SceneRenderer
from renderer.output.stills import save_png
from renderer.scene.emotion_io import parse_emotion_argument
from renderer.scene.generate import generate_scene
from sheet_label import label

EMOTIONS = ("fear=0.9", "joy=0.9", "sadness=0.8", "anger=0.8", "trust=0.8,calm=0.6")


def sheet(ctx, emotions, seeds: int, size) -> np.ndarray:
    rows = []
    for spec in emotions:
        pad = parse_emotion_argument(spec)
        cells = []
        for seed in range(seeds):
            renderer = SceneRenderer(ctx, compile_scene(generate_scene(pad, seed)), size)
            cells.append(label(renderer.render(2.0, FrameOptions(shake=False)), f"{spec} seed {seed}"))
            renderer.release()
        rows.append(np.concatenate(cells, axis=1))
    return np.concatenate(rows, axis=0)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=Path("docs/images/generated_worlds.png"))
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--size", type=parse_size, default=(192, 108))
    args = parser.parse_args(argv)
    save_png(sheet(create_headless_context(), EMOTIONS, args.seeds, args.size), args.output)
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
