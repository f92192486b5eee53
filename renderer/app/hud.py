"""HUD text: what it says (pure formatting) and how it looks (Pillow raster, no GL).

Text is drawn with Pillow's built-in scalable font (`ImageFont.load_default(size)`, FreeType) into
an RGBA image with a translucent panel behind it; `overlay.py` uploads that image as a texture and
blends it over the frame. The raster is rebuilt only when the text changes, and the numbers are
refreshed four times a second, so the HUD costs nothing most frames.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from PIL import Image, ImageDraw, ImageFont

__all__ = ["HudStats", "hud_lines", "help_text_lines", "render_panel", "font_size_for", "fit_font_size",
           "FrameTimeMeter"]


@dataclass(frozen=True)
class HudStats:
    frame_ms: float            # smoothed frame time (what the user sees, pacing included)
    fps: float
    work_ms: float             # smoothed render work per frame (what dynamic resolution holds)
    target_fps: float
    scale: float
    internal: tuple[int, int]
    quality: str
    dynamic: bool
    pad: tuple[float, float, float]
    emotion_name: str          # "scene", a preset name, or "custom"
    t: float
    paused: bool
    camera: str
    steps: float | None        # steps per pixel, None when not measured
    recording: bool = False
    message: str = ""
    sharpening: float | None = None    # progress of the still view's full-resolution picture
    full_size: tuple[int, int] = (0, 0)


def hud_lines(s: HudStats) -> list[str]:
    scale = f"{s.scale * 100:.0f}%" + ("" if s.dynamic else " fixed")
    lines = [
        f"{s.frame_ms:5.1f} ms  {s.fps:4.1f} fps  (render {s.work_ms:.1f} ms, target {s.target_fps:g} fps)",
        f"scale {scale}  {s.internal[0]}x{s.internal[1]}" + ("" if s.quality == "full shading" else f"  {s.quality}"),
    ]
    if s.sharpening is not None:
        w, h = s.full_size
        lines.append(f"still: sharp {w}x{h}" if s.sharpening >= 1.0
                     else f"still: sharpening to {w}x{h}, {s.sharpening * 100:.0f}%")
    if s.steps is not None:
        lines.append(f"steps/pixel {s.steps:.1f}")
    p, a, d = s.pad
    lines.append(f"emotion V {p:+.2f}  A {a:+.2f}  D {d:+.2f}  ({s.emotion_name})")
    state = "  PAUSED" if s.paused else ""
    rec = "  REC" if s.recording else ""
    lines.append(f"t {s.t:7.2f} s{state}  camera {s.camera}{rec}")
    if s.message:
        lines.append(s.message)
    lines.append("F1 / H: help")
    return lines


def help_text_lines() -> list:
    """The help overlay: a title, then (keys, what they do) rows drawn as two aligned columns."""
    from renderer.app.controls import help_lines

    return ["Dreamscape explorer: controls (F1 / H closes)", ""] + help_lines()


def font_size_for(window_height: int) -> int:
    return max(9, min(28, round(window_height / 34)))


@lru_cache(maxsize=8)
def _font(size: int):
    return ImageFont.load_default(size=size)


def fit_font_size(size: int, rows: int, height: int) -> int:
    """The font size, at most `size`, at which `rows` lines fit a window `height` pixels tall."""
    return max(7, min(size, int((height - 8) / (1.25 * rows + 1.0))))


def render_panel(lines: list, size: int, color=(235, 240, 255), background=(8, 10, 20, 170),
                 max_width: int | None = None) -> np.ndarray:
    """RGBA uint8 image (top row first) of the lines on a translucent panel. A line is a string,
    or a (left, right) pair: pairs are drawn as two columns, the right one aligned."""
    font = _font(size)
    pad = max(2, size // 3)
    line_h = round(size * 1.25)
    left_w = max((font.getlength(line[0]) for line in lines if isinstance(line, tuple)), default=0.0)
    column = int(left_w + 1.2 * size) if left_w else 0
    budget = None if max_width is None else max_width - 2 * pad
    cells = []
    for line in lines:
        if isinstance(line, tuple):
            right = line[1] if budget is None else _fit(font, line[1], budget - column)
            cells.append(((0, line[0]), (column, right)))
        else:
            cells.append(((0, line if budget is None else _fit(font, line, budget)),))
    width = max((x + font.getlength(text) for row in cells for x, text in row), default=0)
    w = int(width) + 2 * pad
    h = line_h * len(cells) + 2 * pad
    image = Image.new("RGBA", (max(w, 1), max(h, 1)), background)
    draw = ImageDraw.Draw(image)
    for i, row in enumerate(cells):
        for x, text in row:
            draw.text((pad + x + 1, pad + i * line_h + 1), text, font=font, fill=(0, 0, 0, 255))
            draw.text((pad + x, pad + i * line_h), text, font=font, fill=(*color, 255))
    return np.asarray(image)


def _fit(font, line: str, width: float) -> str:
    if font.getlength(line) <= width:
        return line
    while line and font.getlength(line + "...") > width:
        line = line[:-1]
    return line + "..."


class FrameTimeMeter:
    """Frame time smoothed as the mean of the last `window` frames (half a second at 30 fps): it
    settles within that window after a hitch, unlike an exponential average that carries a slow
    start-up frame (shader JIT) for seconds."""

    def __init__(self, window: int = 15):
        self._recent: deque = deque(maxlen=window)
        self.value: float | None = None

    def add(self, seconds: float) -> float | None:
        if seconds > 0.0:
            self._recent.append(seconds)
            self.value = sum(self._recent) / len(self._recent)
        return self.value
