"""`make demo`: stills of every bundled world and the story video, so a new user sees what
Dreamscape makes: Mia's nightmare torn open by the glitch into her friends' worlds, then Leo's
adventure, Sam's network and Elena's garden, as one short dream sequence with fades between."""

from __future__ import annotations

import time
from pathlib import Path

from renderer.gl.context import create_headless_context
from renderer.output.flash_check import check_file
from renderer.output.formats import parse_output
from renderer.output.job import RenderJob, Shot
from renderer.output.stills import render_still, save_png
from renderer.output.video import render_job
from renderer.scene.bundled import bundled_world_names, load_world_arg

__all__ = ["run_demo", "story_job", "STORY"]

# (world, its time at the shot's start, seconds shown): each at a telling moment. The nexus shot
# is the height of the glitch, both portals open (its whole 24 s story is `dreamscape render
# nexus`); its frames cost about twice a single world's, so it is kept short.
STORY = (("mia", 2.0, 2.0), ("nexus", 9.5, 3.0), ("leo", 1.0, 2.0), ("sam", 1.0, 2.0), ("elena", 1.0, 2.0))


def story_job(output: Path, size: tuple[int, int], fps: float = 30.0) -> RenderJob:
    shots = tuple(
        Shot(world=load_world_arg(name), source=f"scenes/{name}.toml", duration=seconds, offset=offset,
             fade=0.35)
        for name, offset, seconds in STORY)
    seconds = sum(shot.duration for shot in shots)
    return RenderJob(shots=shots, size=size, fps=fps, frames=round(seconds * fps),
                     target=parse_output(str(output)))


def run_demo(out: Path, size: tuple[int, int]) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    ctx = create_headless_context()
    written = []
    for name in bundled_world_names():
        start = time.perf_counter()
        image = render_still(load_world_arg(name), size, 2.0 if name != "nexus" else 12.0, ctx=ctx)
        path = out / f"{name}.png"
        save_png(image, path)
        written.append(path)
        print(f"wrote {path} ({size[0]}x{size[1]}, {time.perf_counter() - start:.1f}s)")
    ctx.release()
    job = story_job(out / "dream.mp4", size)
    summary = render_job(job)
    print(f"wrote {summary.path}: the story video, {summary.frames} frames at {job.fps:g} fps "
          f"({summary.frames / job.fps:.1f} s) in {summary.seconds:.0f} s")
    print(check_file(summary.path).describe())
    written.append(summary.path)
    return written
