"""PNG plot of a bench result: per scene, frame time over the frames and a histogram.

matplotlib is an optional extra (`pip install 'dreamscape[bench]'`); it is imported only here, and
only through its object API (Figure + Agg canvas), so no global pyplot state or GUI backend is
touched.
"""

from __future__ import annotations

import io
from pathlib import Path

from renderer.errors import InputError
from renderer.output.atomic import write_bytes_atomic

__all__ = ["require_matplotlib", "plot_result", "MATPLOTLIB_MISSING"]

MATPLOTLIB_MISSING = "--plot needs matplotlib: pip install 'dreamscape[bench]'"


def require_matplotlib():
    """Import matplotlib's Figure and Agg canvas, or fail with InputError (exit 2)."""
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        raise InputError(MATPLOTLIB_MISSING) from None
    return Figure, FigureCanvasAgg


def plot_result(result: dict, path: str | Path) -> None:
    Figure, FigureCanvasAgg = require_matplotlib()
    scenes = result["scenes"]
    fig = Figure(figsize=(11, 2.9 * len(scenes) + 0.6), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    s, env = result["settings"], result["environment"]
    fig.suptitle(f"dreamscape bench {s['size'][0]}x{s['size'][1]}, {s['frames']} frames "
                 f"(+{s['warmup']} warm-up) on {env['gl_renderer']}", fontsize=10)
    axes = fig.subplots(len(scenes), 2, squeeze=False, width_ratios=(3, 1))
    for (line_ax, hist_ax), scene in zip(axes, scenes):
        frames, m = scene["frames"], scene["metrics"]
        line_ax.plot(frames["index"], frames["frame_ms"], lw=1.0, color="C0", label="frame (CPU wall)")
        for name, values in (frames.get("pass_ms") or {}).items():
            line_ax.plot(frames["index"], values, lw=0.8, alpha=0.8, label=f"{name} (GL timer)")
        for key, style in (("p50_ms", "--"), ("p99_ms", ":")):
            line_ax.axhline(m[key], color="k", ls=style, lw=0.8, label=f"{key[:-3]} {m[key]:.2f} ms")
        line_ax.axhline(m["stutter_threshold_ms"], color="C3", ls="-.", lw=0.8,
                        label=f"stutter > {m['stutter_threshold_ms']:.2f} ms")
        line_ax.set_title(f"{scene['name']}: avg {m['avg_fps']:.2f} FPS, "
                          f"{m['stutter_count']} stutter(s)", fontsize=9, loc="left")
        line_ax.set_xlabel("frame")
        line_ax.set_ylabel("ms")
        line_ax.set_ylim(bottom=0)
        line_ax.legend(fontsize=7, loc="lower right")
        hist_ax.hist(frames["frame_ms"], bins=min(40, max(5, len(frames["frame_ms"]) // 3)), color="C0")
        hist_ax.axvline(m["p50_ms"], color="k", ls="--", lw=0.8)
        hist_ax.axvline(m["p99_ms"], color="k", ls=":", lw=0.8)
        hist_ax.set_xlabel("frame time (ms)")
        hist_ax.set_ylabel("frames")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    write_bytes_atomic(path, buffer.getvalue())
