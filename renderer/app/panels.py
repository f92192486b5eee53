"""The explorer's on-screen text: HUD (top left), help (centre), errors (bottom), messages.

Panels are rasterised by `hud.py` and re-rasterised only when their text changes; the HUD's
numbers are refreshed four times a second (of the explorer's clock), so most frames only blend
cached textures.
"""

from __future__ import annotations

from renderer.app.hud import (
    FrameTimeMeter, HudStats, fit_font_size, font_size_for, help_text_lines, hud_lines, render_panel,
)
from renderer.app.overlay import Overlay, PanelTexture

__all__ = ["Panels"]

HUD_REFRESH_S = 0.25
MESSAGE_S = 3.0


class Panels:
    def __init__(self, ctx, show_hud: bool = True):
        self.overlay = Overlay(ctx)
        self.hud = PanelTexture(ctx)
        self.help = PanelTexture(ctx)
        self.error = PanelTexture(ctx)
        self.show_hud = show_hud
        self.show_help = False
        self.dirty = True
        self.frame = FrameTimeMeter()
        self.work = FrameTimeMeter()
        self.message = ""
        self._message_left = 0.0
        self._refresh_in = 0.0
        self.last_hud_lines: list[str] = []

    def say(self, text: str) -> None:
        self.message = text
        self._message_left = MESSAGE_S
        self.dirty = True

    def measure(self, period_s: float, work_s: float) -> None:
        self.frame.add(period_s)
        self.work.add(work_s)

    def _stats(self, info: dict) -> HudStats:
        frame_s = self.frame.value or 0.0
        rung = info["rung"]
        return HudStats(
            frame_ms=frame_s * 1000.0, fps=1.0 / frame_s if frame_s > 0 else 0.0,
            work_ms=(self.work.value or 0.0) * 1000.0, target_fps=info["work_target"],
            scale=rung.scale, internal=info["internal"], quality=info["quality"], dynamic=info["dynamic"],
            pad=info["pad"], emotion_name=info["emotion_name"], t=info["t"], paused=info["paused"],
            camera=info["camera"], steps=info["steps"], recording=info["recording"],
            message=self.message, sharpening=info.get("sharpening"), full_size=info.get("full_size", (0, 0)))

    def draw(self, viewport: tuple[int, int], dt: float, info: dict, error: str | None) -> None:
        """Draw the panels; `dt` is the explorer clock's step (real, or fixed in scripted runs)."""
        self._message_left -= dt
        self._refresh_in -= dt
        if self.message and self._message_left <= 0.0:
            self.message = ""
            self.dirty = True
        size = font_size_for(viewport[1])
        margin = max(2, size // 2)
        if self.show_hud and (self.dirty or self._refresh_in <= 0.0):
            self._refresh_in = HUD_REFRESH_S
            self.last_hud_lines = hud_lines(self._stats(info))
            self.hud.update(render_panel(self.last_hud_lines, size, max_width=viewport[0] - 2 * margin))
        if self.show_help and self.help.key != viewport:
            lines = help_text_lines()
            fitted = fit_font_size(size, len(lines), viewport[1])
            self.help.update(render_panel(lines, fitted, max_width=viewport[0] - 2 * margin), key=viewport)
        if error is not None and self.error.key != (error, size, viewport):
            self.error.update(render_panel(_wrap(error, viewport[0], size), size, color=(255, 120, 110),
                                           background=(40, 0, 0, 215), max_width=viewport[0] - 2 * margin),
                              key=(error, size, viewport))
        self.dirty = False
        if self.show_hud:
            self.overlay.panel(self.hud, viewport, margin, margin)
        if self.show_help and self.help.texture is not None:
            w, h = self.help.texture.size
            self.overlay.panel(self.help, viewport, max(0, (viewport[0] - w) // 2), max(0, (viewport[1] - h) // 2))
        if error is not None and self.error.texture is not None:
            h = self.error.texture.size[1]
            self.overlay.panel(self.error, viewport, margin, max(0, viewport[1] - h - margin))

    def release(self) -> None:
        for panel in (self.hud, self.help, self.error):
            panel.release()
        self.overlay.release()


def _wrap(text: str, width_px: int, size: int) -> list[str]:
    """Break a long error into lines that fit the window (about 0.55 em per character)."""
    chars = max(20, int(width_px / (0.55 * size)) - 2)
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        while len(paragraph) > chars:
            cut = paragraph.rfind(" ", 0, chars)
            cut = cut if cut > chars // 2 else chars
            lines.append(paragraph[:cut])
            paragraph = paragraph[cut:].lstrip()
        lines.append(paragraph)
    return ["error (the last good frame keeps running):"] + lines
