"""Render single frames to PNG files (atomically)."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import Image

from renderer.compile.frame import FrameOptions
from renderer.errors import InputError
from renderer.output.atomic import write_bytes_atomic

__all__ = ["render_still", "save_png", "check_writable_output", "png_bytes"]


def check_writable_output(path: str | Path) -> Path:
    """Fail early (exit 2) when the output cannot be written, before any rendering starts."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise InputError(f"{path}: is a folder, expected a file name")
    if not folder.is_dir():
        raise InputError(f"{path}: folder {folder} does not exist")
    import os

    if not os.access(folder, os.W_OK):
        raise InputError(f"{path}: folder {folder} is not writable")
    return path


def png_bytes(image: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(image).save(buf, format="PNG")
    return buf.getvalue()


def save_png(image: np.ndarray, path: str | Path) -> None:
    write_bytes_atomic(path, png_bytes(image))


def render_still(world, size: tuple[int, int], t: float = 0.0,
                 options: FrameOptions = FrameOptions(), ctx=None, fps: float = 30.0) -> np.ndarray:
    """Render one frame of a scene or nexus to an (H, W, 3) uint8 array on a headless context.

    Nexus glitches draw their randomness from the frame index, taken as round(t * fps)."""
    from renderer.gl.context import create_headless_context
    from renderer.output.frames import world_renderer

    own = ctx is None
    ctx = ctx or create_headless_context()
    try:
        renderer = world_renderer(ctx, world, size, fps=fps)
        image = renderer.render(t, options, round(t * fps))
        renderer.release()
        return image
    finally:
        if own:
            ctx.release()
