"""Contact sheet of a nexus at evenly spaced times across its story, for people to look at.

    python tools/nexus_sheet.py [NEXUS] [-o docs/images/nexus_story.png] [--count 12] [--size 320x180]
"""

from __future__ import annotations

import argparse

import numpy as np

from renderer.cli import parse_size
from renderer.compile.frame import FrameOptions
from renderer.compositor.nexus_renderer import NexusRenderer
from renderer.gl.context import create_headless_context
from renderer.output.stills import save_png
from renderer.scene.bundled import load_world_arg
from sheet_label import label


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("nexus", nargs="?", default="nexus")
    parser.add_argument("-o", "--output", default="docs/images/nexus_story.png")
    parser.add_argument("--count", type=int, default=12)
    parser.add_argument("--size", type=parse_size, default=(320, 180))
    parser.add_argument("--columns", type=int, default=4)
    parser.add_argument("--fps", type=float, default=30.0)
    args = parser.parse_args(argv)
    nexus = load_world_arg(args.nexus)
    renderer = NexusRenderer(create_headless_context(), nexus, args.size)
    times = [nexus.duration * (i + 0.5) / args.count for i in range(args.count)]
    tiles = []
    for t in times:
        image = renderer.render(t, FrameOptions(), round(t * args.fps))
        state = renderer.last_state
        tiles.append(label(image, f"t={t:4.1f}s glitch {state.effects['tear']:.2f} "
                                  f"mia p={state.pads[0].pleasure:+.2f}"))
    rows = [np.concatenate(tiles[r:r + args.columns], axis=1) for r in range(0, len(tiles), args.columns)]
    save_png(np.concatenate(rows, axis=0), args.output)
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
