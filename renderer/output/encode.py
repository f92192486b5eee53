"""Encoders: H.264 segments, animated GIF/WebP, lossless concatenation, PNG frames.

All video encoding runs in the ffmpeg subprocess that imageio-ffmpeg ships and drives, so it
overlaps rendering: moderngl holds the GIL while drawing, so an encoder *thread* could not.
imageio-ffmpeg's defaults are overridden on purpose: `macro_block_size=1` (its 16 would silently
resize 640x360 to 640x368) and an explicit crf (its `quality=5` means crf 25). x264's thread
count is pinned so the same frames always give the same bytes.
"""

from __future__ import annotations

import logging
import subprocess
from pathlib import Path
from typing import Iterable

import imageio_ffmpeg
import numpy as np

from renderer.errors import DreamscapeError, InputError, first_line

__all__ = ["encode_mp4", "encode_animation", "concat_mp4", "check_video_size", "X264_THREADS"]

X264_THREADS = 2


def check_video_size(kind: str, size: tuple[int, int]) -> None:
    if kind == "mp4" and (size[0] % 2 or size[1] % 2):
        raise InputError(f"--size {size[0]}x{size[1]}: mp4 (yuv420p) needs an even width and height")


# An interrupted segment closes its writer with no frames; imageio-ffmpeg then logs a warning that
# would add a second line to the one-line "interrupted" message. The partial file is discarded.
logging.getLogger("imageio_ffmpeg").setLevel(logging.ERROR)


def _feed(writer, frames: Iterable[np.ndarray]) -> int:
    """Feed frames to an imageio-ffmpeg writer. ffmpeg runs at log level "fatal": when a render is
    interrupted its half-started process must not print onto the user's terminal after our one
    line; a real encoder failure still surfaces, as imageio-ffmpeg's exception, turned into one line
    (exit 1) here."""
    try:
        count = 0
        try:
            # Starting ffmpeg is inside the try: a Ctrl-C that lands while it starts still closes
            # the writer (and so tears ffmpeg down) before our one-line report is printed.
            writer.send(None)
            for frame in frames:
                writer.send(np.ascontiguousarray(frame))
                count += 1
        finally:
            writer.close()
    except (OSError, RuntimeError) as exc:
        raise DreamscapeError(f"video encoder (ffmpeg) failed: {first_line(exc)}") from None
    return count


def encode_mp4(path: Path, frames: Iterable[np.ndarray], size: tuple[int, int], fps: float, crf: int,
               gop: int, container: str = "mp4") -> int:
    """Encode frames to H.264 (yuv420p, browser-playable); returns the frame count.

    B-frames are off: x264's B-frame delay is hidden in an mp4 edit list that the concat demuxer's
    `-c copy` ignores (joins then gained a two-frame gap), and in MPEG-TS or raw H.264 segments the
    reordered timestamps of short segments came out wrong. Without B-frames every join is exact.
    The cost is roughly 10% more bits at the same crf."""
    writer = imageio_ffmpeg.write_frames(
        str(path), size, fps=fps, codec="libx264", pix_fmt_out="yuv420p", quality=None,
        macro_block_size=1, ffmpeg_log_level="fatal",
        output_params=["-crf", str(crf), "-preset", "medium", "-threads", str(X264_THREADS),
                       "-g", str(gop), "-bf", "0", "-f", container])
    return _feed(writer, frames)


def encode_animation(path: Path, kind: str, frames: Iterable[np.ndarray], size: tuple[int, int],
                     fps: float) -> int:
    """Animated GIF (per-stream optimal palette) or WebP, looping forever."""
    if kind == "gif":
        params = ["-vf", "split[a][b];[a]palettegen=stats_mode=full[p];[b][p]paletteuse=dither=bayer",
                  "-loop", "0", "-f", "gif"]
        codec, pix_fmt = "gif", "pal8"
    else:
        params = ["-loop", "0", "-quality", "85", "-f", "webp"]
        codec, pix_fmt = "libwebp_anim", "yuv420p"
    writer = imageio_ffmpeg.write_frames(
        str(path), size, fps=fps, codec=codec, pix_fmt_out=pix_fmt, quality=None, macro_block_size=1,
        ffmpeg_log_level="fatal", output_params=params)
    return _feed(writer, frames)


def concat_mp4(parts: list[Path], out: Path) -> None:
    """Join mp4 segments losslessly with ffmpeg's concat demuxer (`-c copy`)."""
    listing = out.with_name(out.name + ".txt")
    listing.write_text("".join(f"file '{p.resolve().as_posix()}'\n" for p in parts))
    try:
        result = subprocess.run(
            [imageio_ffmpeg.get_ffmpeg_exe(), "-y", "-loglevel", "error", "-f", "concat", "-safe", "0",
             "-i", str(listing), "-c", "copy", "-movflags", "+faststart", "-f", "mp4", str(out)],
            capture_output=True, text=True)
    finally:
        listing.unlink(missing_ok=True)
    if result.returncode != 0:
        raise RuntimeError(f"ffmpeg concat failed: {result.stderr.strip()[:500]}")
