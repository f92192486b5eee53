"""Offline video rendering: exact frame counts, determinism, workers, Dask, interruption and
resume, formats and argument checking."""

import signal
import subprocess
import sys
import time
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import pytest
from PIL import Image

from renderer.cli import main
from renderer.output.formats import parse_output
from renderer.output.frames import job_renderer
from renderer.output.job import RenderJob, Shot
from renderer.output.video import parts_folder, render_job
from renderer.scene.bundled import load_scene_arg
from renderer.scene.colour import srgb_decode, srgb_encode

SIZE = (48, 28)


def job_for(target: str, frames=10, scene="sam", segment_frames=4, **kw) -> RenderJob:
    shot = Shot(world=load_scene_arg(scene), source=scene, duration=100.0)
    return RenderJob(shots=(shot,), size=SIZE, fps=24.0, frames=frames, segment_frames=segment_frames,
                     target=parse_output(target), **kw)


def decode(path: Path) -> tuple[dict, np.ndarray]:
    reader = imageio_ffmpeg.read_frames(str(path))
    meta = next(reader)
    w, h = meta["size"]
    return meta, np.stack([np.frombuffer(f, np.uint8).reshape(h, w, 3) for f in reader])


def png_frames(folder: Path) -> list[bytes]:
    return [p.read_bytes() for p in sorted(folder.glob("frame_*.png"))]


def test_mp4_has_exact_frames_size_and_rate(tmp_path):
    out = tmp_path / "v.mp4"
    summary = render_job(job_for(str(out), frames=10, segment_frames=4), quiet=True)
    assert summary.frames == 10
    frames, seconds = imageio_ffmpeg.count_frames_and_secs(str(out))
    assert frames == 10
    assert seconds == pytest.approx(10 / 24.0, abs=0.011)  # ffmpeg reports centiseconds
    meta, decoded = decode(out)
    assert tuple(meta["size"]) == SIZE
    assert meta["fps"] == pytest.approx(24.0, abs=0.01)
    assert decoded.std() > 5
    assert not parts_folder(job_for(str(out))).exists(), "segment folder left behind"
    assert [p.name for p in tmp_path.iterdir()] == ["v.mp4"]


def test_png_sequences_are_bit_identical_between_runs_and_worker_counts(tmp_path):
    from renderer.output.executors import make_executor

    runs = {}
    for label, workers in (("a", 1), ("b", 1), ("c", 2)):
        folder = tmp_path / label
        with make_executor(workers) as executor:
            render_job(job_for(f"{folder}/", frames=8, segment_frames=3), executor, quiet=True)
        runs[label] = png_frames(folder)
    assert len(runs["a"]) == 8
    assert runs["a"] == runs["b"]
    assert runs["a"] == runs["c"]
    # Frames differ over time (the scene moves), so identity is not trivial.
    assert runs["a"][0] != runs["a"][-1]


def test_dask_cluster_renders_identical_frames(tmp_path):
    distributed = pytest.importorskip("distributed")
    from renderer.output.executors import make_executor

    local = tmp_path / "local"
    render_job(job_for(f"{local}/", frames=6, segment_frames=3), quiet=True)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        with make_executor(scheduler=cluster.scheduler_address) as executor:
            render_job(job_for(f"{tmp_path / 'dask'}/", frames=6, segment_frames=3), executor, quiet=True)
    assert png_frames(tmp_path / "dask") == png_frames(local)


def test_motion_blur_averages_subframes_in_linear_light(tmp_path):
    blurred_job = job_for(str(tmp_path / "b.mp4"), motion_blur=4)
    blurred = job_renderer(blurred_job).frame(5)
    sharp_job = job_for(str(tmp_path / "s.mp4"))
    renderer = job_renderer(sharp_job)
    t = sharp_job.time_of(5)
    span = sharp_job.shutter / sharp_job.fps
    subs = [renderer._sample(t + ((i + 0.5) / 4 - 0.5) * span) for i in range(4)]
    expected = np.rint(srgb_encode(np.mean([srgb_decode(s / 255.0) for s in subs], axis=0)) * 255)
    assert np.abs(blurred.astype(int) - expected.astype(int)).max() <= 1
    assert not np.array_equal(blurred, renderer.frame(5))


@pytest.mark.parametrize("suffix", ["gif", "webp"])
def test_animations_for_sharing(tmp_path, suffix):
    out = tmp_path / f"a.{suffix}"
    render_job(job_for(str(out), frames=6), quiet=True)
    assert out.stat().st_size > 0
    with Image.open(out) as image:
        assert image.size == SIZE
        assert getattr(image, "n_frames", 1) == 6


def _render_cli(out: Path, frames: int, *extra) -> subprocess.Popen:
    # Big enough that the render is still running when the test interrupts it after one segment.
    return subprocess.Popen(
        [sys.executable, "-m", "renderer", "render", "leo", "-o", str(out), "--size", "128x72",
         "--frames", str(frames), "--fps", "24", "--quiet", *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _start_until_first_segment(out: Path, frames: int) -> subprocess.Popen:
    """Start a CLI render and return once its first segment has been finished and stored."""
    parts = out.parent / f".{out.name}.parts"
    proc = _render_cli(out, frames)
    deadline = time.time() + 60
    while time.time() < deadline and not list(parts.glob("seg_*.mp4")):
        time.sleep(0.05)
    assert list(parts.glob("seg_*.mp4")), "no segment finished within a minute"
    return proc


def test_interrupted_render_leaves_no_output_and_resumes_to_the_same_video(tmp_path):
    out = tmp_path / "story.mp4"
    parts = tmp_path / ".story.mp4.parts"
    proc = _start_until_first_segment(out, 150)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not out.exists(), "a killed render left a file at the output path"
    done_before = len(list(parts.glob("seg_*.mp4")))

    resumed = _render_cli(out, 150)
    stdout, stderr = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, stderr
    assert "resumed" in stdout
    reference = tmp_path / "reference.mp4"
    fresh = _render_cli(reference, 150)
    fresh.communicate(timeout=300)
    assert done_before >= 1
    _, a = decode(out)
    _, b = decode(reference)
    assert a.shape[0] == 150
    assert np.array_equal(a, b)


def test_changed_settings_do_not_resume_stale_segments(tmp_path):
    out = tmp_path / "v.mp4"
    job = job_for(str(out), frames=8, segment_frames=4)
    folder = parts_folder(job)
    folder.mkdir()
    (folder / "seg_00000.mp4").write_bytes(b"stale")
    (folder / ".dreamscape-render.json").write_text('{"fingerprint": "other"}')
    render_job(job, quiet=True)
    assert imageio_ffmpeg.count_frames_and_secs(str(out))[0] == 8


@pytest.mark.parametrize("argv, fragment", [
    (["--size", "0x10"], "size"),
    (["--fps", "0"], "fps"),
    (["-o", "x.avi"], "unknown output type"),
    (["-o", "/no/such/dir/x.mp4"], "does not exist"),
    (["--size", "65x36"], "even width and height"),
    (["--frames", "0"], "frames"),
    (["--frames", "3", "--duration", "2"], "not allowed with"),
    (["--scheduler", "tcp://127.0.0.1:1"], "scheduler"),
])
def test_bad_render_arguments_exit_2_before_rendering(capsys, tmp_path, monkeypatch, argv, fragment):
    monkeypatch.chdir(tmp_path)
    code = main(["render", "sam", *argv])
    err = capsys.readouterr().err
    assert code == 2, err
    assert len(err.strip().splitlines()) == 1 and fragment in err
    assert list(tmp_path.iterdir()) == []


def test_render_prints_what_it_wrote_and_its_flash_check(capsys, tmp_path):
    out = tmp_path / "v.mp4"
    assert main(["render", "elena", "-o", str(out), "--size", "32x18", "--frames", "3", "--quiet"]) == 0
    wrote, checked = capsys.readouterr().out.strip().splitlines()[-2:]
    assert wrote.startswith(f"wrote {out}: 3 frames, 32x18 at 30 fps")
    assert checked.startswith("flash check: at most 0.0 flashes (0.0 red) in any second (3 frames at 30 fps)")


def test_ctrl_c_exits_130_with_one_line_and_no_output(tmp_path):
    out = tmp_path / "story.mp4"
    proc = _start_until_first_segment(out, 480)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    # Our own report is one line and comes last (an ffmpeg child torn down mid-start may print
    # its own complaint before it; nothing else of ours is printed, no traceback).
    lines = err.strip().splitlines()
    assert lines[-1] == "dreamscape: interrupted (finished segments are kept: run the same command again to resume)"
    assert "Traceback" not in err
    assert not out.exists()


def test_a_ctrl_c_during_a_fork_is_kept_and_stops_the_render_at_its_next_frame(tmp_path):
    """CPython drops a KeyboardInterrupt raised inside an at-fork hook (logging has one), and
    every segment's ffmpeg start forks: the interrupt must survive as a flag instead."""
    import os

    from renderer.output import video

    job = job_for(str(tmp_path / "v.mp4"))
    with video.interruptible():
        video._forking.set()            # as if the signal landed while ffmpeg was being forked
        try:
            os.kill(os.getpid(), signal.SIGINT)   # the handler must not raise here
        finally:
            video._forking.clear()
        with pytest.raises(KeyboardInterrupt):
            video.render_job(job, quiet=True)
    assert not (tmp_path / "v.mp4").exists()
    # Outside the block the flag is gone and the default handler is back.
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    assert video.render_job(job, quiet=True).frames == 10
