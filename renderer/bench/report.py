"""Bench results as JSON (everything, per-frame times included), a terminal table, and the
comparison against a saved baseline that flags regressions.

A result file is one JSON object: `format` ("dreamscape-bench"), `version`, `created`, `settings`,
`environment` (renderer string, CPU, versions, git commit), `timer_queries` (used or why not),
`definitions` (one line per metric) and `scenes`, a list with each scene's `metrics`, steps per
pixel and `frames` (per-frame clock time, frame time, uniform evaluation time, per-pass GL time).
"""

from __future__ import annotations

import datetime
import json
import math
from pathlib import Path

from renderer.bench.metrics import frame_time_metrics
from renderer.bench.recorder import BenchSettings, SceneRecord
from renderer.errors import InputError

__all__ = ["FORMAT", "VERSION", "DEFINITIONS", "build_result", "format_table", "load_result",
           "compare_results", "format_comparison", "COMPARED"]

FORMAT = "dreamscape-bench"
VERSION = 1
COMPARED = ("p50_ms", "p99_ms", "mean_ms")   # ratios shown; p50 and p99 decide a regression
GATING = ("p50_ms", "p99_ms")

DEFINITIONS = {
    "frame_time": "CPU wall time per frame, perf_counter() from evaluate_frame() to the return of "
                  "ctx.finish() after the draw; fixed-step clock, frame k at t = k * time_step, "
                  "the first `warmup` frames discarded",
    "avg_fps": "frames / sum of frame times",
    "percentiles": "p50/p95/p99/p99.9 with linear interpolation between order statistics "
                   "(numpy default, Hyndman-Fan type 7)",
    "low_presentmon": "PresentMon-style 1% / 0.1% low: 1 / p99 and 1 / p99.9 frame time (FPS)",
    "low_capframex": "CapFrameX-style time-weighted 1% / 0.1% low: 1 / the frame time at which the "
                     "slowest frames, summed from the slowest down, first cover 1% / 0.1% of the "
                     "total time (FPS)",
    "stutter_count": "frames longer than 2 x the median frame time",
    "steps_per_pixel": "one debug render at the middle measured frame's time: main-pass steps per "
                       "pixel, plus prepass steps summed over its 4x4 blocks / full pixel count",
    "megapixels_per_s": "width * height * frames / sum of frame times / 1e6",
}


def _ms(values) -> list[float]:
    return [1e3 * v for v in values]


def _pass_summary(values_s) -> dict:
    m = frame_time_metrics(values_s) if values_s and min(values_s) > 0 else None
    if m is None:
        return {"mean_ms": None, "p50_ms": None, "p99_ms": None}
    return {"mean_ms": m["mean_ms"], "p50_ms": m["p50_ms"], "p99_ms": m["p99_ms"]}


def scene_result(record: SceneRecord, settings: BenchSettings) -> dict:
    metrics = frame_time_metrics(record.times_s)
    w, h = settings.size
    metrics["megapixels_per_s"] = w * h * metrics["frames"] / (metrics["total_ms"] * 1e-3) / 1e6
    metrics["evaluate_mean_ms"] = 1e3 * sum(record.evaluate_s) / len(record.evaluate_s)
    frames = {
        "index": list(range(settings.warmup, settings.warmup + len(record.times_s))),
        "t": record.clock_t,
        "frame_ms": _ms(record.times_s),
        "evaluate_ms": _ms(record.evaluate_s),
    }
    passes = None
    if record.pass_s is not None:
        frames["pass_ms"] = {name: _ms(v) for name, v in record.pass_s.items()}
        passes = {name: _pass_summary(v) for name, v in record.pass_s.items()}
    return {
        "name": record.name,
        "source": record.source,
        "prepass": record.prepass,
        "first_frame_ms": 1e3 * record.first_frame_s,
        "metrics": metrics,
        "steps_per_pixel": {"main": record.steps_main, "prepass": record.steps_prepass,
                            "total": record.steps_total},
        "passes": passes,
        "frames": frames,
    }


def build_result(records: list[SceneRecord], settings: BenchSettings, environment: dict,
                 timer_note: str | None) -> dict:
    return {
        "format": FORMAT,
        "version": VERSION,
        "created": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "settings": {
            "scenes": [r.name for r in records],
            "size": list(settings.size),
            "frames": settings.frames,
            "warmup": settings.warmup,
            "time_step": settings.time_step,
            "clock": "fixed-step",
        },
        "environment": environment,
        "timer_queries": {"used": timer_note is None, "note": timer_note},
        "definitions": DEFINITIONS,
        "scenes": [scene_result(r, settings) for r in records],
    }


def _low(m, key) -> str:
    return f"{m[f'{key}_presentmon']:.1f} / {m[f'{key}_capframex']:.1f}"


def format_table(result: dict) -> str:
    s, env = result["settings"], result["environment"]
    n = len(result["scenes"])
    lines = [
        f"dreamscape bench: {n} scene{'s' if n != 1 else ''}, {s['size'][0]}x{s['size'][1]}, "
        f"{s['frames']} frames after {s['warmup']} warm-up, fixed step {1e3 * s['time_step']:.2f} ms",
        f"renderer: {env['gl_renderer']} | {env['gl_version']}",
        f"cpu: {env['cpu_model']} ({env['cpu_usable']} usable cores of {env['cpu_count']})",
        "",
    ]
    head = (f"{'scene':<10}{'avg FPS':>9}{'mean':>9}{'p50':>9}{'p95':>9}{'p99':>9}{'max':>9}"
            f"{'1% low':>18}{'0.1% low':>18}{'stutter':>9}{'steps/px':>10}{'MP/s':>8}")
    lines += [head, f"{'':<10}{'':>9}{'ms':>9}{'ms':>9}{'ms':>9}{'ms':>9}{'ms':>9}"
                    f"{'PM / CFX':>18}{'PM / CFX':>18}", "-" * len(head)]
    for scene in result["scenes"]:
        m = scene["metrics"]
        lines.append(
            f"{scene['name']:<10.10}{m['avg_fps']:>9.2f}{m['mean_ms']:>9.2f}{m['p50_ms']:>9.2f}"
            f"{m['p95_ms']:>9.2f}{m['p99_ms']:>9.2f}{m['max_ms']:>9.2f}{_low(m, 'low_1pct_fps'):>18}"
            f"{_low(m, 'low_0_1pct_fps'):>18}{m['stutter_count']:>9d}"
            f"{scene['steps_per_pixel']['total']:>10.1f}{m['megapixels_per_s']:>8.2f}")
    lines += [
        "",
        "frame time: CPU wall time per frame, perf_counter() around draw + ctx.finish() "
        "(uniform evaluation included)",
        "lows in FPS: PM = PresentMon (1/p99, 1/p99.9 frame time); CFX = CapFrameX time-weighted "
        "(slowest frames covering 1% / 0.1% of the run)",
        "stutter: frames > 2x the median frame time; steps/px: main + prepass steps per pixel",
    ]
    timers = result["timer_queries"]
    if timers["used"]:
        lines += ["", "GL timer queries per pass (ms):",
                  f"{'scene':<10}{'pass':<10}{'mean':>9}{'p50':>9}{'p99':>9}"]
        for scene in result["scenes"]:
            for name, p in (scene["passes"] or {}).items():
                cells = "".join(f"{v:>9.3f}" if v is not None else f"{'n/a':>9}"
                                for v in (p["mean_ms"], p["p50_ms"], p["p99_ms"]))
                lines.append(f"{scene['name']:<10.10}{name:<10}{cells}")
    else:
        lines += ["", timers["note"]]
    return "\n".join(lines)


def _positive(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) \
        and value > 0


def load_result(path: str | Path) -> dict:
    """Read a bench JSON file; InputError (exit 2) when it is missing or not one."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read ({exc.__class__.__name__})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not a bench JSON file (invalid JSON: {exc.msg} at line {exc.lineno})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InputError(f"{path}: not a bench JSON file (no \"format\": \"{FORMAT}\")")
    if data.get("version") != VERSION:
        raise InputError(f"{path}: bench JSON version {data.get('version')!r}, this program reads {VERSION}")
    scenes = data.get("scenes")
    if not isinstance(scenes, list) or not scenes:
        raise InputError(f"{path}: bench JSON has no scenes")
    for i, scene in enumerate(scenes):
        metrics = scene.get("metrics") if isinstance(scene, dict) else None
        if not isinstance(scene, dict) or not isinstance(scene.get("name"), str) \
                or not isinstance(metrics, dict) or not all(_positive(metrics.get(k)) for k in COMPARED):
            raise InputError(f"{path}: scenes[{i}]: needs a name and positive {', '.join(COMPARED)}")
    return data


def compare_results(current: dict, baseline: dict, threshold_pct: float) -> dict:
    """Per-scene ratios now / baseline for COMPARED; a scene regressed when p50 or p99 grew by more
    than threshold_pct percent. Scenes missing from the baseline are listed, not judged."""
    base = {s["name"]: s["metrics"] for s in baseline["scenes"]}
    rows, missing = [], []
    for scene in current["scenes"]:
        old = base.get(scene["name"])
        if old is None:
            missing.append(scene["name"])
            continue
        now = scene["metrics"]
        ratios = {k: now[k] / old[k] for k in COMPARED}
        worse = [k for k in GATING if ratios[k] > 1.0 + threshold_pct / 100.0]
        rows.append({"name": scene["name"], "base": {k: old[k] for k in COMPARED},
                     "now": {k: now[k] for k in COMPARED}, "ratios": ratios, "regressed": worse})
    differences = []
    for key in ("size", "frames", "warmup", "time_step"):
        a, b = baseline.get("settings", {}).get(key), current["settings"][key]
        if a != b:
            differences.append(f"{key} {a} (baseline) vs {b}")
    for key in ("gl_renderer", "cpu_model"):
        a, b = baseline.get("environment", {}).get(key), current["environment"][key]
        if a != b:
            differences.append(f"{key} {a!r} (baseline) vs {b!r}")
    return {"threshold_pct": threshold_pct, "rows": rows, "missing": missing,
            "differences": differences, "regressed": any(r["regressed"] for r in rows)}


def format_comparison(comparison: dict, baseline_path: str | Path) -> str:
    t = comparison["threshold_pct"]
    lines = [f"compare with {baseline_path} (regression: p50 or p99 more than {t:g}% slower)"]
    lines += [f"warning: settings differ: {d}" for d in comparison["differences"]]
    head = f"{'scene':<10}{'p50 ms base -> now':>22}{'ratio':>8}{'p99 ms base -> now':>22}{'ratio':>8}" \
           f"{'mean ratio':>12}  verdict"
    lines += [head, "-" * len(head)]
    for row in comparison["rows"]:
        b, n, r = row["base"], row["now"], row["ratios"]
        verdict = "ok" if not row["regressed"] else "REGRESSED: " + ", ".join(
            f"{k.removesuffix('_ms')} +{100 * (r[k] - 1):.1f}%" for k in row["regressed"])
        lines.append(
            f"{row['name']:<10.10}{b['p50_ms']:>11.2f} -> {n['p50_ms']:<7.2f}{r['p50_ms']:>7.3f}x"
            f"{b['p99_ms']:>11.2f} -> {n['p99_ms']:<7.2f}{r['p99_ms']:>7.3f}x{r['mean_ms']:>11.3f}x  {verdict}")
    for name in comparison["missing"]:
        lines.append(f"{name:<10} not in the baseline, not compared")
    return "\n".join(lines)
