"""Bundled scenes and resolving a SCENE argument (a path or a bundled scene's name)."""

from __future__ import annotations

from pathlib import Path

from renderer.errors import InputError
from renderer.resources import scene_root
from renderer.scene.loader import load_scene, read_toml
from renderer.scene.model import Scene

__all__ = ["bundled_scene_names", "resolve_scene_path", "load_scene_arg", "describe_bundled"]

STORY_ORDER = ("mia", "leo", "sam", "elena")


def bundled_scene_names() -> list[str]:
    """Bundled scene names, story order first, then any others alphabetically."""
    found = sorted(p.stem for p in scene_root().glob("*.toml"))
    return [n for n in STORY_ORDER if n in found] + [n for n in found if n not in STORY_ORDER]


def resolve_scene_path(arg: str) -> Path:
    path = Path(arg)
    if path.exists():
        return path
    if "/" not in arg and not arg.endswith(".toml"):
        candidate = scene_root() / f"{arg}.toml"
        if candidate.exists():
            return candidate
    names = ", ".join(bundled_scene_names())
    raise InputError(f"{arg}: no such file or bundled scene (bundled: {names})")


def load_scene_arg(arg: str) -> Scene:
    return load_scene(resolve_scene_path(arg))


def describe_bundled() -> list[tuple[str, str]]:
    """(name, one-line description) for each bundled scene, read without compiling."""
    out = []
    for name in bundled_scene_names():
        data, _ = read_toml(scene_root() / f"{name}.toml")
        head = data.get("scene", {})
        text = head.get("description") or head.get("name") or ""
        out.append((name, " ".join(str(text).split())))
    return out
