"""Frame-time metrics, with the definitions benchmark readers expect (pure numpy, no GL).

Every metric is computed from the list of per-frame times t_1..t_N (seconds in, milliseconds or
frames per second out), after warm-up frames have been dropped:

- frames: N.
- average FPS: N / sum(t). Not the mean of per-frame FPS values, which overweights fast frames.
- mean frame time: sum(t) / N (so mean_ms * avg_fps = 1000 exactly).
- p50 / p95 / p99 / p99.9 frame time: percentiles with linear interpolation between order
  statistics (numpy's default method, Hyndman & Fan type 7): sort t, take rank h = (N - 1) q / 100
  and interpolate between the values at floor(h) and floor(h) + 1. p50 is the median.
- min / max frame time.
- 1% and 0.1% lows, in two labelled definitions, because tools disagree:
    * PresentMon style (percentile low): 1 / p99 and 1 / p99.9 of the frame times. Counts frames:
      one 100 ms hitch among 99 frames of 10 ms barely moves it (p99 interpolates to 10.9 ms).
    * CapFrameX style (time-weighted low, also MSI Afterburner's): sort frame times from slowest
      down, accumulate them until the sum reaches 1% (0.1%) of the total run time; the low is
      1 / the frame time at which the sum got there. Weights frames by how long they were on
      screen, so the same single 100 ms hitch gives a 1% low of 10 FPS.
  With fewer than 1000 frames the 0.1% lows are set by the slowest one or two frames; with fewer
  than 100 the 1% lows are too. Read them as "worst frames", not as a distribution tail.
- stutter count: frames longer than 2 x the median frame time (threshold reported alongside).
- megapixels per second: width * height * N / sum(t) / 1e6.

Frame time itself (what the recorder feeds in) is CPU wall time with `time.perf_counter()` from
the start of a frame (evaluating its uniforms) to the return of `ctx.finish()`; see recorder.py.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

__all__ = ["percentile_ms", "presentmon_low_fps", "capframex_low_fps", "frame_time_metrics",
           "STUTTER_FACTOR", "METRIC_KEYS"]

STUTTER_FACTOR = 2.0

# The keys `frame_time_metrics` returns, in the order reports show them.
METRIC_KEYS = (
    "frames", "total_ms", "avg_fps", "mean_ms", "min_ms", "p50_ms", "p95_ms", "p99_ms", "p99_9_ms",
    "max_ms", "low_1pct_fps_presentmon", "low_0_1pct_fps_presentmon", "low_1pct_fps_capframex",
    "low_0_1pct_fps_capframex", "stutter_count", "stutter_threshold_ms",
)


def _times(times_s: Sequence[float]) -> np.ndarray:
    t = np.asarray(times_s, dtype=np.float64).ravel()
    if t.size == 0:
        raise ValueError("no frame times")
    if not np.all(np.isfinite(t)) or np.any(t <= 0.0):
        raise ValueError("frame times must be finite and > 0")
    return t


def percentile_ms(times_s: Sequence[float], q: float) -> float:
    """The q-th percentile of the frame times, in ms (linear interpolation, type 7)."""
    return 1e3 * float(np.percentile(_times(times_s), q, method="linear"))


def presentmon_low_fps(times_s: Sequence[float], fraction: float) -> float:
    """PresentMon-style low: 1 / the (1 - fraction) percentile frame time, in FPS."""
    return 1e3 / percentile_ms(times_s, 100.0 * (1.0 - fraction))


def capframex_low_fps(times_s: Sequence[float], fraction: float) -> float:
    """CapFrameX-style time-weighted low: 1 / the frame time at which the slowest frames, summed
    from the slowest down, first cover `fraction` of the total time. In FPS."""
    t = np.sort(_times(times_s))[::-1]
    covered = np.cumsum(t)
    target = fraction * covered[-1]
    # Tolerance so that exact ties (e.g. 100 frames of 10 ms, target 10 ms) are not lost to rounding.
    index = int(np.searchsorted(covered, target * (1.0 - 1e-12), side="left"))
    return 1.0 / float(t[min(index, t.size - 1)])


def frame_time_metrics(times_s: Sequence[float]) -> dict:
    """All the frame-time metrics of the module docstring, keyed as in METRIC_KEYS."""
    t = _times(times_s)
    n = int(t.size)
    total = float(t.sum())
    p50, p95, p99, p999 = (float(v) for v in np.percentile(t, [50, 95, 99, 99.9], method="linear"))
    threshold = STUTTER_FACTOR * p50
    return {
        "frames": n,
        "total_ms": 1e3 * total,
        "avg_fps": n / total,
        "mean_ms": 1e3 * total / n,
        "min_ms": 1e3 * float(t.min()),
        "p50_ms": 1e3 * p50,
        "p95_ms": 1e3 * p95,
        "p99_ms": 1e3 * p99,
        "p99_9_ms": 1e3 * p999,
        "max_ms": 1e3 * float(t.max()),
        "low_1pct_fps_presentmon": 1.0 / p99,
        "low_0_1pct_fps_presentmon": 1.0 / p999,
        "low_1pct_fps_capframex": capframex_low_fps(t, 0.01),
        "low_0_1pct_fps_capframex": capframex_low_fps(t, 0.001),
        "stutter_count": int(np.count_nonzero(t > threshold)),
        "stutter_threshold_ms": 1e3 * threshold,
    }
