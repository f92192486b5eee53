"""Recording benchmark results: one JSON file per run in benchmarks/results/, named
`<benchmark>-<llvmpipe|gpu>-<qualifiers>-<date>.json` so runs on different machines and settings
sit side by side (written atomically)."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from renderer.gl.context import is_software_renderer
from renderer.output.atomic import write_text_atomic

__all__ = ["save_record"]


def save_record(out: Path, benchmark: str, record: dict, *qualifiers: str, ctx=None) -> Path:
    """Write `record` under `out`; with `ctx` the name says which kind of renderer produced it."""
    parts = [benchmark]
    if ctx is not None:
        parts.append("llvmpipe" if is_software_renderer(ctx) else "gpu")
    parts += [*qualifiers, datetime.date.today().isoformat()]
    out.mkdir(parents=True, exist_ok=True)
    path = out / ("-".join(parts) + ".json")
    write_text_atomic(path, json.dumps(record, indent=2) + "\n")
    print(f"recorded {path}")
    return path
