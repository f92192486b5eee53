"""Open the explorer's window and run its frame loop.

The loop is moderngl-window's (`run_window_config_instance`) plus what the explorer needs: frames
paced to the target frame rate (sleeping the rest of each frame period, so a light scene does not
spin at hundreds of fps), per-frame timing for the dynamic-resolution controller, and scripted runs
(`frames=N`: stop after N frames, optionally saving the last one).
"""

from __future__ import annotations

import gc
import time
from pathlib import Path

import moderngl_window as mglw

from renderer.app.explorer import ExploreSettings
from renderer.app.window import ExplorerWindow
from renderer.errors import EnvironmentProblem, first_line

__all__ = ["open_explorer", "run_loop", "close_explorer", "WINDOW_BACKENDS"]

WINDOW_BACKENDS = ("pyglet", "headless", "glfw", "sdl2", "pygame2", "pyqt5", "pyside2", "tk")


def open_explorer(world, settings: ExploreSettings, *, size=(960, 540), window: str = "pyglet",
                  backend: str | None = None, fullscreen: bool = False, visible: bool = True) -> ExplorerWindow:
    """Create the window and the explorer in it (the window's context is the explorer's)."""
    if window not in WINDOW_BACKENDS:
        raise EnvironmentProblem(f"unknown window backend {window!r} (one of {', '.join(WINDOW_BACKENDS)})")
    if window == "headless" and backend is None:
        backend = "egl"    # the project renders through EGL everywhere; no display needed
    try:
        window_cls = mglw.get_local_window_cls(window)
    except ImportError as exc:
        raise EnvironmentProblem(f"window backend {window!r} is not available ({exc}); "
                                 "try --window pyglet, or --window headless --backend egl") from None
    try:
        wnd = window_cls(title=ExplorerWindow.title, size=size, fullscreen=fullscreen, resizable=ExplorerWindow.resizable,
                         visible=visible, gl_version=ExplorerWindow.gl_version, aspect_ratio=None, vsync=False,
                         samples=0, cursor=True, backend=backend)
    except Exception as exc:   # no display, no GLX/EGL, no GL 3.3: the machine's problem, one line
        reason = first_line(exc)
        raise EnvironmentProblem(f"cannot open a {window} window ({reason}); for scripted runs without a "
                                 "display use --window headless --backend egl") from None
    mglw.activate_context(window=wnd)
    try:
        config = ExplorerWindow(ctx=wnd.ctx, wnd=wnd, world=world, settings=settings)
    except BaseException:
        wnd.destroy()
        raise
    wnd.config = config
    wnd.swap_buffers()
    wnd.set_default_viewport()
    return config


def run_loop(app: ExplorerWindow, frames: int | None = None, screenshot: Path | None = None,
             now=time.perf_counter, sleep=time.sleep) -> list[float]:
    """Run until the window closes (or `frames` frames); returns every frame's period in seconds.

    A frame's period runs from its start to the next frame's start: the render, the buffer swap
    (which waits for the GPU) and the pacing sleep. The work time fed to dynamic resolution is the
    same without the sleep.
    """
    wnd, explorer = app.wnd, app.explorer
    period = 1.0 / explorer.settings.target_fps
    periods: list[float] = []
    gc.collect()
    gc.freeze()      # the long-lived scene objects leave the collector's generations: fewer pauses
    count = 0
    start = now()
    deadline = start
    work_s = 0.0
    try:
        while not wnd.is_closing:
            frame_start = now()
            if count:
                periods.append(frame_start - start)
                explorer.end_frame(frame_start - start, work_s)
            start = frame_start
            last = frames is not None and count == frames - 1
            if last and screenshot is not None:
                explorer.capture_next = False
                explorer.panels.dirty = True      # the saved frame shows up-to-date numbers
            wnd.use()
            wnd.render(count * period, period)
            if last and screenshot is not None:
                explorer.save_screenshot(Path(screenshot), explorer.read_screen(wnd.fbo))
            if not wnd.is_closing:
                wnd.swap_buffers()
            work_s = now() - frame_start
            count += 1
            if frames is not None and count >= frames:
                break
            deadline += period
            remaining = deadline - now()
            if remaining > 0:
                sleep(remaining)
            else:
                deadline = now()     # late: start now, never sprint to catch up
    finally:
        gc.unfreeze()
    return periods


def close_explorer(app: ExplorerWindow) -> None:
    """Finish a recording, free GL objects, close the window (pyglet's `destroy` alone keeps it)."""
    app.explorer.close()
    if not app.wnd.is_closing:
        app.wnd.close()
    app.wnd.destroy()
