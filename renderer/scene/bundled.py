"""Bundled scenes and resolving a SCENE argument (a path or a bundled scene's name)."""

from __future__ import annotations

from pathlib import Path

from renderer.errors import InputError
from renderer.resources import scene_root
from renderer.scene.loader import load_scene, read_toml
from renderer.scene.model import Scene

__all__ = ["bundled_scene_names", "bundled_world_names", "bundled_nexus_names", "resolve_scene_path", "load_scene_arg", "load_world_arg", "load_world_path", "describe_bundled"]

STORY_ORDER = ("mia", "leo", "sam", "elena", "nexus")


def bundled_world_names() -> list[str]:
    """Every bundled scene and nexus, story order first, then any others alphabetically."""
    found = sorted(p.stem for p in scene_root().glob("*.toml"))
    return [n for n in STORY_ORDER if n in found] + [n for n in found if n not in STORY_ORDER]


def _is_nexus(name: str) -> bool:
    from renderer.scene.nexus import is_nexus_data

    return is_nexus_data(read_toml(scene_root() / f"{name}.toml")[0])


def bundled_scene_names() -> list[str]:
    """Bundled single-dreamer scenes (not nexus files), in story order."""
    return [n for n in bundled_world_names() if not _is_nexus(n)]


def bundled_nexus_names() -> list[str]:
    return [n for n in bundled_world_names() if _is_nexus(n)]


def resolve_scene_path(arg: str) -> Path:
    path = Path(arg)
    if path.exists():
        return path
    if "/" not in arg and not arg.endswith(".toml"):
        candidate = scene_root() / f"{arg}.toml"
        if candidate.exists():
            return candidate
    names = ", ".join(bundled_world_names())
    raise InputError(f"{arg}: no such file or bundled scene (bundled: {names})")


def load_scene_arg(arg: str) -> Scene:
    return load_scene(resolve_scene_path(arg))


def load_world_path(path: str | Path):
    """A scene or a nexus (a multi-dreamer file) from a file."""
    from renderer.scene.nexus import is_nexus_data, load_nexus

    data, _ = read_toml(path)
    return load_nexus(path) if is_nexus_data(data) else load_scene(path)


def load_world_arg(arg: str):
    """A scene or a nexus, from a path or a bundled name."""
    return load_world_path(resolve_scene_path(arg))


def describe_bundled() -> list[tuple[str, str]]:
    """(name, one-line description) for each bundled scene, read without compiling."""
    out = []
    for name in bundled_world_names():
        data, _ = read_toml(scene_root() / f"{name}.toml")
        head = data.get("scene") or data.get("nexus") or {}
        text = head.get("description") or head.get("name") or ""
        out.append((name, " ".join(str(text).split())))
    return out
