"""Hot reload: notice edited scene and shader files by polling their modification times, and
format load errors as `file:line: message` for the screen.

Polling (a few dozen `stat` calls every 0.25 s) needs no dependency and works on every platform
and file system, including network mounts and editors that replace a file instead of writing it.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

from renderer.resources import shader_root

__all__ = ["FileWatcher", "shader_files", "world_files", "locate_error"]


def shader_files() -> list[Path]:
    root = shader_root()
    return sorted(p for p in root.rglob("*") if p.suffix in (".glsl", ".vert", ".frag") and p.is_file())


def world_files(world, path: Path) -> list[Path]:
    """The world's own file plus, for a nexus, every dreamer scene it reads from a file."""
    files = [Path(path)]
    for dreamer in getattr(world, "dreamers", ()):
        source = getattr(getattr(dreamer, "scene", None), "source", None)
        if source and Path(source).is_file() and Path(source) not in files:
            files.append(Path(source))
    return files


def _stamp(path: Path):
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


class FileWatcher:
    """`poll()` is True once after any watched file changed (or appeared, or vanished)."""

    def __init__(self, paths, interval: float = 0.25, now=time.monotonic):
        self.interval = interval
        self._now = now
        self._next = 0.0
        self.set_paths(paths)

    def set_paths(self, paths) -> None:
        self.paths = [Path(p) for p in paths]
        self._stamps = {p: _stamp(p) for p in self.paths}

    def poll(self) -> bool:
        now = self._now()
        if now < self._next:
            return False
        self._next = now + self.interval
        changed = False
        for path in self.paths:
            stamp = _stamp(path)
            if stamp != self._stamps.get(path):
                self._stamps[path] = stamp
                changed = True
        return changed


_TOML_LINE = re.compile(r"\(at line (\d+), column (\d+)\)")
_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")


def _find_node_line(text: str, dotted: str) -> int | None:
    """Line of the deepest TOML table header or key that matches the start of a dotted path."""
    parts = [p for p in re.split(r"\.(?![^\[]*\])", dotted) if p]
    parts = [re.sub(r"\[\d+\]$", "", p) for p in parts]
    lines = text.splitlines()
    best, table = None, None
    for number, line in enumerate(lines, 1):
        header = _HEADER.match(line)
        if header:
            table = header.group(1).replace(" ", "").split(".")
            if parts[:len(table)] == table:
                best = number
            continue
        key = line.split("=", 1)[0].strip() if "=" in line else None
        if key and table is not None and parts[:len(table) + 1] == table + [key]:
            return number
    return best


def locate_error(message: str) -> str:
    """Rewrite `file: TOML syntax error ... (at line 3, column 8)` and `file: nodes.a.radius: rule`
    as `file:line: ...`; shader errors already read `shaders/x.glsl:42: ...`."""
    head, sep, rest = message.partition(": ")
    if not sep or not head.endswith(".toml"):
        return message
    match = _TOML_LINE.search(rest)
    if match:
        return f"{head}:{match.group(1)}: {rest}"
    path, sep2, _ = rest.partition(": ")
    try:
        text = Path(head).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return message
    line = _find_node_line(text, path) if sep2 and " " not in path else None
    return f"{head}:{line}: {rest}" if line else message
