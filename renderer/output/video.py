"""Offline rendering of a job to mp4, GIF, WebP or a PNG sequence: segmented, resumable,
pipelined, and runnable on any `concurrent.futures.Executor` (local processes or Dask).

mp4 renders in segments of `segment_frames` frames. Each finished segment is written to
`.<name>.parts/seg_NNNNN.mp4` (as `.part`, then renamed) beside the output, and the segments are
joined losslessly at the end with ffmpeg's concat demuxer. Re-running the same command resumes by
default: segments already finished under the same job fingerprint are skipped (`--no-resume`
starts over). PNG sequences resume the same way, frame by frame. GIF and WebP render in one pass.
The output name only ever receives a complete file (temporary file, then rename).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from concurrent.futures import Executor, as_completed
from dataclasses import dataclass
from pathlib import Path

from renderer.output.atomic import atomic_path, write_bytes_atomic, write_text_atomic
from renderer.output.encode import concat_mp4, encode_animation, encode_mp4
from renderer.output.job import RenderJob, plan_segments

__all__ = ["render_job", "render_segment", "RenderSummary", "parts_folder", "interruptible"]

_MANIFEST = ".dreamscape-render.json"
_SCRATCH_PREFIX = ".encoding-"


@dataclass(frozen=True)
class RenderSummary:
    path: Path
    frames: int
    rendered: int      # frames rendered by this run (the rest were resumed)
    seconds: float


def parts_folder(job: RenderJob) -> Path:
    target = job.target
    if target.kind == "png":
        return target.path
    return target.path.parent / f".{target.path.name}.parts"


# CPython drops (and prints as "Exception ignored") a KeyboardInterrupt raised while it runs an
# at-fork hook, such as the one logging registers, and starting each segment's ffmpeg forks: a
# Ctrl-C in that instant was lost and the render ran on to the end. So while a fork is under way
# the SIGINT handler only sets `_interrupted`, and the render checks the flag between frames and
# segments. Our `before` hook runs before any registered earlier and our `after` hooks after them,
# so the whole window is covered.
_interrupted = threading.Event()
_forking = threading.Event()
os.register_at_fork(before=_forking.set, after_in_parent=_forking.clear, after_in_child=_forking.clear)


@contextmanager
def interruptible():
    """Within: Ctrl-C raises KeyboardInterrupt as usual, except during a fork, where it is only
    remembered and raised at the render's next frame."""
    def on_sigint(signum, frame):
        _interrupted.set()
        if not _forking.is_set():
            raise KeyboardInterrupt

    _interrupted.clear()
    previous = signal.signal(signal.SIGINT, on_sigint)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        _interrupted.clear()


def _check_interrupted() -> None:
    if _interrupted.is_set():
        raise KeyboardInterrupt


def _frames(job: RenderJob, first: int, last: int, on_frame=None):
    from renderer.output.frames import job_renderer

    renderer = job_renderer(job)
    for k in range(first, last):
        _check_interrupted()
        yield renderer.frame(k)
        if on_frame:
            on_frame(1)


def _segment_bytes(job: RenderJob, first: int, last: int, on_frame=None, workdir: Path | None = None):
    """Render frames [first, last): mp4 bytes of one segment, or a list of PNG bytes.

    The in-process path encodes inside the parts folder (`workdir`): if the user interrupts,
    ffmpeg may still be opening its output as we unwind, and a folder that stays put means it
    fails quietly; the stray file is swept by the next run. Workers use a private temp folder."""
    if job.target.kind == "png":
        from renderer.output.stills import png_bytes

        return [png_bytes(frame) for frame in _frames(job, first, last, on_frame)]
    if workdir is not None:
        path = workdir / f"{_SCRATCH_PREFIX}{first:06d}.mp4"
        try:
            encode_mp4(path, _frames(job, first, last, on_frame), job.size, job.fps, job.crf, job.segment_frames)
            return path.read_bytes()
        finally:
            path.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="dreamscape-seg-") as tmp:
        path = Path(tmp) / "segment.mp4"
        encode_mp4(path, _frames(job, first, last, on_frame), job.size, job.fps, job.crf, job.segment_frames)
        return path.read_bytes()


def render_segment(job: RenderJob, first: int, last: int):
    """Executor entry point (runs in a worker process, locally or on a Dask worker)."""
    return _segment_bytes(job, first, last)


class _Progress:
    def __init__(self, total: int, done: int, quiet: bool):
        self.bar = None
        if not quiet and sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, initial=done, unit="frame", dynamic_ncols=True,
                            desc="rendering", smoothing=0.1)

    def __call__(self, n: int) -> None:
        if self.bar is not None:
            self.bar.update(n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _prepare_parts(job: RenderJob, resume: bool) -> Path:
    folder = parts_folder(job)
    manifest = folder / _MANIFEST
    fingerprint = job.fingerprint()
    if folder.exists() and job.target.kind != "png":
        same = manifest.exists() and json.loads(manifest.read_text()).get("fingerprint") == fingerprint
        if not (resume and same):
            shutil.rmtree(folder)
    if job.target.kind == "png" and manifest.exists():
        same = json.loads(manifest.read_text()).get("fingerprint") == fingerprint
        if not (resume and same):
            for k in range(job.frames):
                job.target.frame_path(k).unlink(missing_ok=True)
    folder.mkdir(parents=True, exist_ok=True)
    for scratch in folder.glob(f"{_SCRATCH_PREFIX}*"):
        scratch.unlink(missing_ok=True)
    write_text_atomic(manifest, json.dumps({"fingerprint": fingerprint, "frames": job.frames}) + "\n")
    return folder


def _segment_path(folder: Path, index: int) -> Path:
    return folder / f"seg_{index:05d}.mp4"


def _segment_done(job: RenderJob, folder: Path, index: int, first: int, last: int) -> bool:
    if job.target.kind == "png":
        return all(job.target.frame_path(k).exists() for k in range(first, last))
    return _segment_path(folder, index).exists()


def _store(job: RenderJob, folder: Path, index: int, first: int, data) -> None:
    if job.target.kind == "png":
        for offset, png in enumerate(data):
            write_bytes_atomic(job.target.frame_path(first + offset), png)
    else:
        write_bytes_atomic(_segment_path(folder, index), data)


def render_job(job: RenderJob, executor: Executor | None = None, resume: bool = True,
               quiet: bool = False) -> RenderSummary:
    """Render a job; `executor=None` renders in this process (frame-level progress)."""
    start = time.perf_counter()
    if not job.target.segmented:
        progress = _Progress(job.frames, 0, quiet)
        try:
            with atomic_path(job.target.path) as tmp:
                encode_animation(tmp, job.target.kind, _frames(job, 0, job.frames, progress),
                                 job.size, job.fps)
        finally:
            progress.close()
        return RenderSummary(job.target.path, job.frames, job.frames, time.perf_counter() - start)

    folder = _prepare_parts(job, resume)
    segments = plan_segments(job.frames, job.segment_frames)
    pending = [(i, a, b) for i, (a, b) in enumerate(segments) if not _segment_done(job, folder, i, a, b)]
    done_frames = job.frames - sum(b - a for _, a, b in pending)
    progress = _Progress(job.frames, done_frames, quiet)
    try:
        if executor is None:
            for i, a, b in pending:
                _store(job, folder, i, a, _segment_bytes(job, a, b, progress, workdir=folder))
        else:
            futures = {executor.submit(render_segment, job, a, b): (i, a, b) for i, a, b in pending}
            for future in as_completed(futures):
                i, a, b = futures[future]
                _store(job, folder, i, a, future.result())
                progress(b - a)
                _check_interrupted()
    finally:
        progress.close()
    _check_interrupted()

    if job.target.kind == "mp4":
        with atomic_path(job.target.path) as tmp:
            concat_mp4([_segment_path(folder, i) for i in range(len(segments))], tmp)
            _check_interrupted()   # a Ctrl-C lost while concat forked ffmpeg: discard, keep parts
        shutil.rmtree(folder)
    else:
        (folder / _MANIFEST).unlink(missing_ok=True)
    rendered = job.frames - done_frames
    return RenderSummary(job.target.path, job.frames, rendered, time.perf_counter() - start)
