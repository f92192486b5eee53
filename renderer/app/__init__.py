"""The window explorer (`dreamscape explore`): fly through a dream, change its emotion live, edit
its files and see them reload.

The only package that imports moderngl_window, and only in `window.py` and `launch.py`: every
other module here is pure Python or plain moderngl, so the camera, the dynamic-resolution
controller, the emotion easing and file watching are tested without a window.
"""

__all__: list[str] = []
