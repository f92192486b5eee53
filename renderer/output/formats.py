"""What kind of output a path asks for: the suffix picks the format.

`x.mp4` (H.264, yuv420p), `x.gif`, `x.webp` (animated, for sharing), and PNG sequences given as a
folder (`frames/`, frames named `frame_00000.png`) or a pattern (`frames/shot_%04d.png`).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from renderer.errors import InputError

__all__ = ["OutputTarget", "parse_output", "VIDEO_KINDS"]

VIDEO_KINDS = ("mp4", "gif", "webp")
_PATTERN = re.compile(r"%0?(\d*)d")


@dataclass(frozen=True)
class OutputTarget:
    kind: str          # "mp4", "gif", "webp" or "png"
    path: Path         # the file, or for "png" the folder
    pattern: str = ""  # for "png": file name pattern with one %0Nd

    def frame_path(self, index: int) -> Path:
        return self.path / (self.pattern % index)

    @property
    def segmented(self) -> bool:
        """mp4 and PNG sequences render in resumable segments; GIF/WebP in one pass."""
        return self.kind in ("mp4", "png")


def _check_folder(folder: Path, shown: str) -> None:
    if not folder.is_dir():
        raise InputError(f"{shown}: folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise InputError(f"{shown}: folder {folder} is not writable")


def parse_output(arg: str) -> OutputTarget:
    """Decide the format from the output argument and check it can be written (exit 2 if not)."""
    path = Path(arg)
    suffix = path.suffix.lower()
    if "%" in path.name:
        if suffix != ".png" or len(_PATTERN.findall(path.name)) != 1 or path.name.count("%") != 1:
            raise InputError(f"{arg}: a frame pattern must be like frame_%05d.png (one %0Nd, .png)")
        folder = path.parent
        _check_folder(folder, arg)
        return OutputTarget("png", folder, path.name)
    if arg.endswith(("/", os.sep)) or path.is_dir() or not suffix:
        if path.exists() and not path.is_dir():
            raise InputError(f"{arg}: exists and is not a folder")
        _check_folder(path.parent if not path.exists() else path, arg)
        return OutputTarget("png", path, "frame_%05d.png")
    if suffix.lstrip(".") in VIDEO_KINDS:
        _check_folder(path.parent, arg)
        return OutputTarget(suffix.lstrip("."), path)
    raise InputError(f"{arg}: unknown output type {suffix!r} (use .mp4, .gif, .webp, a folder, "
                     "or a frame_%05d.png pattern)")
