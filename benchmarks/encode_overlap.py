"""Does encoding overlap rendering? Wall time of render-only vs render+encode for the same frames.

Renders the bundled story (Mia, Leo, Sam, Elena, as in `make demo`) for `--seconds` of video at
640x360, 30 fps, in one process: once discarding frames, once piping them into the H.264 encoder
(the ffmpeg subprocess driven by imageio-ffmpeg, exactly as `dreamscape render` does), alternating
the two `--repeats` times. Target: render+encode <= 1.15 x render-only.

    python benchmarks/encode_overlap.py [--seconds 10] [--repeats 1]
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

from renderer.output.demo import story_job
from renderer.output.encode import encode_mp4
from renderer.output.frames import job_renderer

from results_io import save_record


def frames(job):
    renderer = job_renderer(job)
    for k in range(job.frames):
        yield renderer.frame(k)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        job = story_job(Path(tmp) / "bench.mp4", (640, 360), seconds=args.seconds)
        renderer = job_renderer(job)
        renderer.frame(0)  # compile and warm up outside the timings
        runs = {"render only": [], "render + encode": []}
        for _ in range(args.repeats):
            start = time.perf_counter()
            for _frame in frames(job):
                pass
            runs["render only"].append(time.perf_counter() - start)
            start = time.perf_counter()
            encode_mp4(Path(tmp) / "bench.mp4", frames(job), job.size, job.fps, job.crf, job.segment_frames)
            runs["render + encode"].append(time.perf_counter() - start)
        size = (Path(tmp) / "bench.mp4").stat().st_size

    best = {k: min(v) for k, v in runs.items()}
    ratio = best["render + encode"] / best["render only"]
    from renderer.gl.context import create_headless_context

    ctx = create_headless_context()  # only to name the renderer in the record
    print(f"{job.frames} frames at 640x360 on {ctx.info['GL_RENDERER']} ({os.cpu_count()} cores)")
    for label, seconds in best.items():
        print(f"{label:<18}{seconds:8.1f} s  {1000 * seconds / job.frames:7.1f} ms/frame")
    print(f"ratio {ratio:.3f} (target <= 1.15); mp4 {size / 1e6:.2f} MB")
    record = {
        "benchmark": "encode_overlap", "date": datetime.datetime.now().isoformat(timespec="seconds"),
        "frames": job.frames, "size": list(job.size), "fps": job.fps, "crf": job.crf,
        "renderer": ctx.info["GL_RENDERER"], "cpu_count": os.cpu_count(), "machine": platform.machine(),
        "python": sys.version.split()[0], "runs_seconds": runs, "best_seconds": best,
        "ratio": ratio, "target": 1.15, "mp4_bytes": size,
    }
    save_record(args.out, "encode_overlap", record)


if __name__ == "__main__":
    main()
