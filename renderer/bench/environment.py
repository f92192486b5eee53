"""Where a benchmark ran: GL renderer and version, CPU, package versions, git commit.

Numbers from different machines or drivers are not comparable, so every result file carries
these facts and `--compare` prints them when they differ from the baseline's.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from renderer.gl.context import is_software_renderer

__all__ = ["describe_environment", "cpu_model", "git_commit", "package_version",
           "load_average"]

_REPO_ROOT = Path(__file__).resolve().parents[2]


def cpu_model(cpuinfo: Path = Path("/proc/cpuinfo")) -> str:
    """The first 'model name' in /proc/cpuinfo (Linux), else what `platform` knows."""
    try:
        for line in cpuinfo.read_text(errors="replace").splitlines():
            key, _, value = line.partition(":")
            if key.strip() in ("model name", "Model", "Hardware") and value.strip():
                return value.strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def usable_cores() -> int | None:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count()


def git_commit(root: Path = _REPO_ROOT, timeout: float = 2.0) -> str | None:
    """`git rev-parse HEAD` of the source checkout, or None (installed package, no git, timeout)."""
    if not (root / ".git").exists():
        return None
    try:
        done = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True,
                              text=True, timeout=timeout, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    commit = done.stdout.strip()
    return commit if done.returncode == 0 and commit else None


def load_average() -> list[float] | None:
    """1, 5 and 15 minute load averages when the run started: other work on the machine shows up
    here, and on a software rasteriser it competes with rendering for the same cores."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except (AttributeError, OSError):
        return None


def package_version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def describe_environment(ctx) -> dict:
    info = ctx.info
    return {
        "gl_renderer": info.get("GL_RENDERER", ""),
        "gl_version": info.get("GL_VERSION", ""),
        "gl_vendor": info.get("GL_VENDOR", ""),
        "software_renderer": bool(is_software_renderer(ctx)),
        "cpu_model": cpu_model(),
        "cpu_count": os.cpu_count(),
        "cpu_usable": usable_cores(),
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "moderngl": package_version("moderngl"),
        "numpy": package_version("numpy"),
        "dreamscape": package_version("dreamscape"),
        "git_commit": git_commit(),
        "load_average": load_average(),
    }
