"""Make a contact strip of a rendered video (every Nth frame), for READMEs and for looking at.

    python tools/frame_strip.py out/dream.mp4 docs/images/dream_strip.png [--count 8] [--width 160]
"""

from __future__ import annotations

import argparse

import imageio_ffmpeg
import numpy as np
from PIL import Image

from renderer.output.stills import save_png


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("video")
    parser.add_argument("output")
    parser.add_argument("--count", type=int, default=8)
    parser.add_argument("--width", type=int, default=160)
    parser.add_argument("--columns", type=int, default=4)
    args = parser.parse_args(argv)
    reader = imageio_ffmpeg.read_frames(args.video)
    meta = next(reader)
    w, h = meta["size"]
    frames = [np.frombuffer(f, np.uint8).reshape(h, w, 3) for f in reader]
    picks = ((np.arange(args.count) + 0.5) / args.count * len(frames)).astype(int)  # skip fades at the ends
    th = round(args.width * h / w)
    tiles = [np.asarray(Image.fromarray(frames[i]).resize((args.width, th), Image.LANCZOS)) for i in picks]
    tiles += [np.zeros_like(tiles[0])] * (-len(tiles) % args.columns)   # fill the last row with black
    rows = [np.concatenate(tiles[r:r + args.columns], axis=1) for r in range(0, len(tiles), args.columns)]
    save_png(np.concatenate(rows, axis=0), args.output)
    print(f"wrote {args.output} ({len(picks)} of {len(frames)} frames)")


if __name__ == "__main__":
    main()
