"""`make demo`: render every bundled scene so a new user sees what Dreamscape makes."""

from __future__ import annotations

import time
from pathlib import Path

from renderer.gl.context import create_headless_context
from renderer.output.stills import render_still, save_png
from renderer.scene.bundled import bundled_scene_names, load_scene_arg

__all__ = ["run_demo"]


def run_demo(out: Path, size: tuple[int, int]) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    ctx = create_headless_context()
    written = []
    for name in bundled_scene_names():
        start = time.perf_counter()
        image = render_still(load_scene_arg(name), size, 2.0, ctx=ctx)
        path = out / f"{name}.png"
        save_png(image, path)
        written.append(path)
        print(f"wrote {path} ({size[0]}x{size[1]}, {time.perf_counter() - start:.1f}s)")
    return written
