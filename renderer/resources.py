"""Where the bundled shaders and scenes live, installed or in a source checkout.

A wheel carries them inside the package (`renderer/_data/...`, see pyproject's force-include);
an editable install or a checkout reads them from the repository's top-level folders. Looking in
both places keeps `pip install .` and `pip install -e .` behaving the same.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["shader_root", "scene_root", "repo_root"]

_PACKAGE_DIR = Path(__file__).resolve().parent


def repo_root() -> Path:
    """The source checkout's root (meaningful only when running from a checkout)."""
    return _PACKAGE_DIR.parent


def _data_dir(name: str) -> Path:
    installed = _PACKAGE_DIR / "_data" / name
    if installed.is_dir():
        return installed
    return repo_root() / name


def shader_root() -> Path:
    """Folder that `#include "lib/..."` paths are resolved against; includes never leave it."""
    return _data_dir("shaders")


def scene_root() -> Path:
    """Folder of the bundled scene files (`mia.toml`, ...)."""
    return _data_dir("scenes")
