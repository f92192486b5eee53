"""The explorer as a small declarative moderngl-window `WindowConfig`.

Every `on_*` method here is one of `WindowConfig`'s event handlers (moderngl-window finds them by
name and silently ignores a misspelt one, so a test checks each name against its API). They only
translate events into control names and forward them to `Explorer`.
"""

from __future__ import annotations

import logging

import moderngl_window as mglw

from renderer.app.controls import KeyNames
from renderer.app.explorer import Explorer, ExploreSettings

__all__ = ["ExplorerWindow"]


class ExplorerWindow(mglw.WindowConfig):
    title = "Dreamscape explorer"
    gl_version = (3, 3)
    window_size = (960, 540)
    aspect_ratio = None          # the viewport follows the window; the raymarcher handles aspect
    resizable = True
    vsync = False                # frames are paced to --target-fps by the loop instead
    clear_color = None           # every pixel is drawn each frame
    log_level = logging.WARNING
    cursor = True

    def __init__(self, ctx=None, wnd=None, timer=None, *, world=None, settings: ExploreSettings | None = None,
                 **kwargs):
        super().__init__(ctx=ctx, wnd=wnd, timer=timer, **kwargs)
        self.keys_by_code = KeyNames(self.wnd.keys)
        # Esc is ours (it closes through the same path as every other quit); F11 stays the
        # window's fullscreen toggle.
        self.wnd.exit_key = None
        self.explorer = Explorer(self.ctx, world, settings, self.wnd.buffer_size)

    def key_code(self, name: str):
        """The code this window's backend uses for a control name (tests send these)."""
        return self.keys_by_code.code(name)

    def on_render(self, time: float, frame_time: float) -> None:
        self.explorer.render_frame(self.wnd.fbo)
        if self.explorer.quit_requested:
            self.wnd.close()

    def on_resize(self, width: int, height: int) -> None:
        self.explorer.resize(self.wnd.buffer_size)

    def on_key_event(self, key, action, modifiers) -> None:
        pressed = action == self.wnd.keys.ACTION_PRESS
        if action not in (self.wnd.keys.ACTION_PRESS, self.wnd.keys.ACTION_RELEASE):
            return
        self.explorer.key(self.keys_by_code.name(key), pressed, bool(getattr(modifiers, "shift", False)))
        if self.explorer.quit_requested:
            self.wnd.close()

    def on_mouse_drag_event(self, x: int, y: int, dx: int, dy: int) -> None:
        self.explorer.drag(dx, dy, pan=bool(self.wnd.mouse_states.right))
        self.explorer.mouse_move(x, y)

    def on_mouse_press_event(self, x: int, y: int, button: int) -> None:
        if button == 1:
            self.explorer.mouse_press(x, y)

    def on_mouse_release_event(self, x: int, y: int, button: int) -> None:
        if button == 1:
            self.explorer.mouse_release(x, y)

    def on_mouse_scroll_event(self, x_offset: float, y_offset: float) -> None:
        self.explorer.scroll(y_offset)

    def on_close(self) -> None:
        self.explorer.quit_requested = True
