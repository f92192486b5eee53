"""Render single frames to PNG files (atomically)."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import Image

from renderer.compile.frame import FrameOptions
from renderer.compile.program import compile_scene
from renderer.errors import InputError
from renderer.output.atomic import write_bytes_atomic
from renderer.scene.model import Scene

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


def render_still(scene: Scene, size: tuple[int, int], t: float = 0.0,
                 options: FrameOptions = FrameOptions(), ctx=None) -> np.ndarray:
    """Render one frame of a scene to an (H, W, 3) uint8 array on a headless context."""
    from renderer.gl.context import create_headless_context
    from renderer.gl.raymarch import SceneRenderer

    own = ctx is None
    ctx = ctx or create_headless_context()
    try:
        renderer = SceneRenderer(ctx, compile_scene(scene), size)
        image = renderer.render(t, options)
        renderer.release()
        return image
    finally:
        if own:
            ctx.release()
