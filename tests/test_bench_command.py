"""`dreamscape bench` end to end at tiny sizes: files written, JSON self-consistent, exit codes
0 / 2 / 3, and the per-pass timer-query plumbing."""

import copy
import json
import sys

import pytest

from renderer.bench.command import main as bench_main
from renderer.bench.plot import MATPLOTLIB_MISSING

SIZE = "64x36"


def run(capsys, *argv):
    code = bench_main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def mia_run(tmp_path_factory):
    """The acceptance command (at 64x36): mia, 30 frames, JSON and plot."""
    pytest.importorskip("matplotlib")
    folder = tmp_path_factory.mktemp("bench")
    json_path, png_path = folder / "b.json", folder / "b.png"
    code = bench_main(["mia", "--frames", "30", "--warmup", "2", "--size", SIZE,
                       "--json", str(json_path), "--plot", str(png_path)])
    return code, json_path, png_path


def test_writes_json_and_plot(mia_run):
    code, json_path, png_path = mia_run
    assert code == 0
    assert png_path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not list(json_path.parent.glob(".*part*")), "temporary file left behind"
    data = json.loads(json_path.read_text())
    assert data["format"] == "dreamscape-bench"
    assert data["settings"]["size"] == [64, 36] and data["settings"]["frames"] == 30
    env = data["environment"]
    for key in ("gl_renderer", "gl_version", "cpu_model", "cpu_count", "python", "moderngl", "numpy"):
        assert env[key], key
    assert "git_commit" in env


def test_json_numbers_are_self_consistent(mia_run):
    data = json.loads(mia_run[1].read_text())
    (scene,) = data["scenes"]
    m, frames = scene["metrics"], scene["frames"]
    assert scene["name"] == "mia"
    assert m["frames"] == 30 == len(frames["frame_ms"]) == len(frames["t"])
    assert m["p50_ms"] <= m["p95_ms"] <= m["p99_ms"] <= m["max_ms"]
    assert m["min_ms"] <= m["p50_ms"]
    assert m["total_ms"] == pytest.approx(sum(frames["frame_ms"]))
    assert m["avg_fps"] == pytest.approx(m["frames"] / (m["total_ms"] / 1000))
    assert m["max_ms"] == pytest.approx(max(frames["frame_ms"]))
    assert m["megapixels_per_s"] == pytest.approx(64 * 36 * m["avg_fps"] / 1e6)
    # Fixed-step clock: measured frame j is clock frame warmup + j at t = k / 30.
    assert frames["index"][0] == 2
    assert frames["t"][:2] == pytest.approx([2 / 30, 3 / 30])
    assert all(e < f for e, f in zip(frames["evaluate_ms"], frames["frame_ms"]))
    steps = scene["steps_per_pixel"]
    assert scene["prepass"] and steps["prepass"] > 0
    assert steps["total"] == pytest.approx(steps["main"] + steps["prepass"])
    assert 1 < steps["main"] < 384
    timers = data["timer_queries"]
    if data["environment"]["software_renderer"]:
        assert not timers["used"] and "software rasteriser" in timers["note"]
        assert scene["passes"] is None and "pass_ms" not in frames


def test_compare_exits_3_on_a_planted_regression_and_0_otherwise(mia_run, tmp_path, capsys):
    data = json.loads(mia_run[1].read_text())
    faster, slower = copy.deepcopy(data), copy.deepcopy(data)
    for scene in faster["scenes"]:          # a baseline 20x faster than any real run: a regression
        for key in ("p50_ms", "p99_ms", "mean_ms"):
            scene["metrics"][key] /= 20
    for scene in slower["scenes"]:          # a baseline 20x slower: an improvement
        for key in ("p50_ms", "p99_ms", "mean_ms"):
            scene["metrics"][key] *= 20
    (tmp_path / "fast.json").write_text(json.dumps(faster))
    (tmp_path / "slow.json").write_text(json.dumps(slower))
    args = ["mia", "--frames", "8", "--warmup", "1", "--size", SIZE]
    code, out, _ = run(capsys, *args, "--compare", str(tmp_path / "fast.json"))
    assert code == 3, out
    assert "REGRESSED" in out
    code, out, _ = run(capsys, *args, "--compare", str(tmp_path / "slow.json"))
    assert code == 0, out
    assert "REGRESSED" not in out and " ok" in out
    # Against its own saved result: only noise can differ, far below a 1000% threshold.
    code, out, _ = run(capsys, *args, "--compare", str(mia_run[1]), "--threshold", "1000")
    assert code == 0, out


@pytest.mark.parametrize("argv, fragment", [
    (["sam", "--frames", "0"], "frames must be in"),
    (["sam", "--frames", "many"], "frames must be a number"),
    (["sam", "--warmup", "-1"], "warmup"),
    (["sam", "--time-step", "0"], "time step"),
    (["sam", "--size", "0x9"], "size"),
    (["sam", "--threshold", "-5"], "threshold"),
    (["no-such-scene"], "no such file or bundled scene"),
    (["sam", "--compare", "{tmp}/missing.json"], "no such file"),
    (["sam", "--compare", "{tmp}/other.json"], "not a bench JSON"),
    (["sam", "--compare", "{tmp}/text.json"], "invalid JSON"),
    (["sam", "--plot", "{tmp}/b.jpg"], ".png"),
    (["sam", "--json", "{tmp}/no/such/dir/b.json"], "does not exist"),
])
def test_bad_input_exits_2_with_one_line(capsys, tmp_path, argv, fragment):
    (tmp_path / "other.json").write_text('{"scenes": []}')
    (tmp_path / "text.json").write_text("p50 = 3")
    code, out, err = run(capsys, *[a.replace("{tmp}", str(tmp_path)) for a in argv])
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert fragment in lines[0]
    assert "Traceback" not in err and not out


def test_compare_with_no_common_scene_exits_2(mia_run, capsys):
    code, _, err = run(capsys, "sam", "--size", SIZE, "--compare", str(mia_run[1]))
    assert code == 2
    assert "none of the benchmarked scenes" in err


def test_plot_without_matplotlib_exits_2_before_rendering(capsys, tmp_path, monkeypatch):
    for name in ("matplotlib", "matplotlib.figure", "matplotlib.backends", "matplotlib.backends.backend_agg"):
        monkeypatch.setitem(sys.modules, name, None)   # as if not installed (even if imported already)
    code, out, err = run(capsys, "sam", "--size", SIZE, "--plot", str(tmp_path / "b.png"))
    assert code == 2
    assert MATPLOTLIB_MISSING in err
    assert not out


def test_timer_queries_time_both_passes_when_forced(gl_ctx):
    """On llvmpipe timer queries are off by default; forced on, both passes must still be
    bracketed (this guards the SceneRenderer internals the pass timer relies on)."""
    from renderer.bench.recorder import BenchSettings, record_scene
    from renderer.compile.program import compile_scene
    from renderer.scene.bundled import load_scene_arg

    record = record_scene(gl_ctx, "sam", compile_scene(load_scene_arg("sam")),
                          BenchSettings(size=(64, 36), frames=3, warmup=0, timer_queries="on"))
    assert set(record.pass_s) == {"prepass", "main"}
    for values in record.pass_s.values():
        assert len(values) == 3 and all(v > 0 for v in values)
    for frame, pre, main in zip(record.times_s, record.pass_s["prepass"], record.pass_s["main"]):
        assert pre + main <= frame * 1.05


def test_dreamscape_cli_runs_bench_once_wired(capsys):
    from renderer.cli import main

    code = main(["bench", "sam", "--frames", "0"])
    _, err = capsys.readouterr()
    if "invalid choice" in err:
        pytest.skip("renderer/cli.py does not wire the bench command yet")
    assert code == 2 and "frames" in err


def test_add_bench_parser_on_the_cli_parser():
    """What the lead wires into renderer/cli.py: the subcommand on the real CLI's subparsers, whose
    parser class turns usage errors into InputError (exit 2)."""
    import argparse

    from renderer.bench.command import add_bench_parser
    from renderer.cli import build_parser
    from renderer.errors import InputError

    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    if "bench" not in sub.choices:
        add_bench_parser(sub)
    args = parser.parse_args(["bench", "mia", "leo", "--size", "32x18", "--frames", "4"])
    assert (args.scenes, args.size, args.frames, args.warmup) == (["mia", "leo"], (32, 18), 4, 10)
    assert args.time_step == pytest.approx(1 / 30) and args.threshold == 10.0
    assert parser.parse_args(["bench"]).scenes == []
    with pytest.raises(InputError, match="frames"):
        parser.parse_args(["bench", "--frames", "0"])
