"""Frame-time metric definitions on synthetic frame-time lists with known answers, the comparison
rule, and reading bench JSON files. No GL."""

import json

import numpy as np
import pytest

from renderer.bench.environment import cpu_model, git_commit
from renderer.bench.metrics import (
    METRIC_KEYS, capframex_low_fps, frame_time_metrics, percentile_ms, presentmon_low_fps,
)
from renderer.bench.report import FORMAT, VERSION, compare_results, format_comparison, load_result
from renderer.errors import InputError

MS = 1e-3


def test_one_to_hundred_ms():
    m = frame_time_metrics([k * MS for k in range(1, 101)])
    assert m["frames"] == 100
    assert m["total_ms"] == pytest.approx(5050.0)
    assert m["avg_fps"] == pytest.approx(100 / 5.05)
    assert m["mean_ms"] == pytest.approx(50.5)
    # Linear interpolation: rank (N - 1) q / 100 between order statistics.
    assert m["p50_ms"] == pytest.approx(50.5)
    assert m["p95_ms"] == pytest.approx(95.05)
    assert m["p99_ms"] == pytest.approx(99.01)
    assert m["p99_9_ms"] == pytest.approx(99.901)
    assert (m["min_ms"], m["max_ms"]) == pytest.approx((1.0, 100.0))
    assert m["low_1pct_fps_presentmon"] == pytest.approx(1000 / 99.01)
    assert m["low_0_1pct_fps_presentmon"] == pytest.approx(1000 / 99.901)
    # 1% of 5050 ms is 50.5 ms: the single 100 ms frame covers it.
    assert m["low_1pct_fps_capframex"] == pytest.approx(10.0)
    assert m["low_0_1pct_fps_capframex"] == pytest.approx(10.0)
    assert m["stutter_threshold_ms"] == pytest.approx(101.0)
    assert m["stutter_count"] == 0
    assert list(m) == list(METRIC_KEYS)


def test_one_hitch_separates_the_two_low_definitions():
    times = [10 * MS] * 99 + [100 * MS]
    m = frame_time_metrics(times)
    assert m["p50_ms"] == pytest.approx(10.0)
    assert m["p99_ms"] == pytest.approx(10.9)            # 10 + 0.01 * (100 - 10)
    assert m["low_1pct_fps_presentmon"] == pytest.approx(1000 / 10.9)
    assert m["low_1pct_fps_capframex"] == pytest.approx(10.0)   # the 100 ms frame is > 1% of the time
    assert m["stutter_count"] == 1
    assert m["stutter_threshold_ms"] == pytest.approx(20.0)


def test_time_weighted_low_accumulates_several_frames():
    # 10 frames of 20 ms and 990 of 10 ms: total 10100 ms, 1% = 101 ms needs six 20 ms frames.
    times = [20 * MS] * 10 + [10 * MS] * 990
    assert capframex_low_fps(times, 0.01) == pytest.approx(50.0)
    assert capframex_low_fps(times, 0.001) == pytest.approx(50.0)
    # 0.05 of the time = 505 ms: all ten 20 ms frames (200 ms) plus 31 frames of 10 ms.
    assert capframex_low_fps(times, 0.05) == pytest.approx(100.0)
    assert presentmon_low_fps(times, 0.01) == pytest.approx(1000 / 10.1)    # rank 989.01
    assert presentmon_low_fps(times, 0.001) == pytest.approx(50.0)          # rank 998.001


def test_constant_frames_and_exact_ties():
    m = frame_time_metrics([10 * MS] * 100)
    for key in ("mean_ms", "min_ms", "p50_ms", "p95_ms", "p99_ms", "p99_9_ms", "max_ms"):
        assert m[key] == pytest.approx(10.0), key
    for key in ("avg_fps", "low_1pct_fps_presentmon", "low_0_1pct_fps_presentmon",
                "low_1pct_fps_capframex", "low_0_1pct_fps_capframex"):
        assert m[key] == pytest.approx(100.0), key
    assert m["stutter_count"] == 0


def test_stutter_is_strictly_more_than_twice_the_median():
    times = [10 * MS] * 9 + [20 * MS, 20.001 * MS]
    assert frame_time_metrics(times)["stutter_count"] == 1


def test_single_frame():
    m = frame_time_metrics([0.04])
    assert m["frames"] == 1
    assert m["avg_fps"] == pytest.approx(25.0)
    assert m["p50_ms"] == m["p99_ms"] == m["max_ms"] == pytest.approx(40.0)
    assert m["low_1pct_fps_capframex"] == pytest.approx(25.0)


def test_invariants_on_random_frame_times():
    rng = np.random.default_rng(7)
    times = rng.lognormal(np.log(0.016), 0.4, size=997)
    m = frame_time_metrics(times)
    assert m["min_ms"] <= m["p50_ms"] <= m["p95_ms"] <= m["p99_ms"] <= m["p99_9_ms"] <= m["max_ms"]
    assert m["avg_fps"] == pytest.approx(m["frames"] / (m["total_ms"] / 1e3))
    assert m["avg_fps"] * m["mean_ms"] == pytest.approx(1000.0)
    assert m["p50_ms"] == pytest.approx(1e3 * np.median(times))
    assert percentile_ms(times, 95) == pytest.approx(m["p95_ms"])
    for key in ("low_1pct_fps_presentmon", "low_1pct_fps_capframex"):
        assert 1e3 / m["max_ms"] <= m[key] <= m["avg_fps"]


@pytest.mark.parametrize("times", [[], [0.01, 0.0], [0.01, -1.0], [0.01, float("nan")]])
def test_bad_frame_times_raise(times):
    with pytest.raises(ValueError):
        frame_time_metrics(times)


# --- comparison -------------------------------------------------------------------------------
def _result(scale=1.0, names=("mia", "sam"), size=(64, 36)):
    return {
        "format": FORMAT, "version": VERSION,
        "settings": {"size": list(size), "frames": 10, "warmup": 1, "time_step": 1 / 30},
        "environment": {"gl_renderer": "llvmpipe", "cpu_model": "cpu"},
        "scenes": [{"name": n, "metrics": {"p50_ms": 10.0 * scale * (i + 1), "p99_ms": 20.0 * scale,
                                           "mean_ms": 11.0 * scale}}
                   for i, n in enumerate(names)],
    }


def test_compare_with_itself_is_all_ones():
    c = compare_results(_result(), _result(), 10.0)
    assert not c["regressed"] and not c["differences"] and not c["missing"]
    for row in c["rows"]:
        assert row["ratios"] == {"p50_ms": 1.0, "p99_ms": 1.0, "mean_ms": 1.0}


def test_compare_flags_growth_beyond_threshold_only():
    assert not compare_results(_result(1.10), _result(), 10.0)["regressed"]   # exactly +10%: not beyond
    c = compare_results(_result(1.11), _result(), 10.0)
    assert c["regressed"]
    assert c["rows"][0]["regressed"] == ["p50_ms", "p99_ms"]
    assert c["rows"][0]["ratios"]["mean_ms"] == pytest.approx(1.11)
    assert not compare_results(_result(1.11), _result(), 20.0)["regressed"]
    assert not compare_results(_result(0.5), _result(), 0.0)["regressed"]     # faster is fine
    assert "REGRESSED" in format_comparison(c, "base.json")


def test_compare_lists_new_scenes_and_setting_differences():
    c = compare_results(_result(names=("mia", "leo"), size=(32, 18)), _result(), 10.0)
    assert [r["name"] for r in c["rows"]] == ["mia"]
    assert c["missing"] == ["leo"]
    assert any(d.startswith("size") for d in c["differences"])
    text = format_comparison(c, "base.json")
    assert "warning: settings differ" in text and "leo" in text


# --- reading bench JSON -----------------------------------------------------------------------
def test_load_result_reads_a_bench_file(tmp_path):
    path = tmp_path / "b.json"
    path.write_text(json.dumps(_result()))
    assert load_result(path)["scenes"][0]["name"] == "mia"


@pytest.mark.parametrize("content, fragment", [
    (None, "no such file"),
    ("not json {", "invalid JSON"),
    ('{"a": 1}', "not a bench JSON"),
    ("[1, 2]", "not a bench JSON"),
    (json.dumps({"format": FORMAT, "version": 99}), "version"),
    (json.dumps({"format": FORMAT, "version": VERSION, "scenes": []}), "no scenes"),
    (json.dumps({"format": FORMAT, "version": VERSION, "scenes": [{"name": "x", "metrics": {"p50_ms": 1}}]}),
     "scenes[0]"),
])
def test_load_result_rejects_what_is_not_a_bench_file(tmp_path, content, fragment):
    path = tmp_path / "b.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(InputError, match=fragment.replace("[", r"\[")):
        load_result(path)


# --- environment ------------------------------------------------------------------------------
def test_cpu_model_reads_cpuinfo(tmp_path):
    info = tmp_path / "cpuinfo"
    info.write_text("processor\t: 0\nvendor_id\t: X\nmodel name\t: Test CPU 3000\n\nprocessor\t: 1\n")
    assert cpu_model(info) == "Test CPU 3000"
    assert cpu_model(tmp_path / "missing")   # falls back to something non-empty


def test_git_commit_is_a_hash_or_none(tmp_path):
    commit = git_commit()
    assert commit is None or (len(commit) == 40 and int(commit, 16) >= 0)
    assert git_commit(tmp_path) is None
