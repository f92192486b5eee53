"""The one place that creates OpenGL contexts.

Headless rendering goes through EGL so it works on a machine with no display and no GPU (Mesa's
llvmpipe) as well as on a GPU server. Failure to get a context is an environment problem, reported
as one line that says what is missing, never a traceback.
"""

from __future__ import annotations

import moderngl

from renderer.errors import EnvironmentProblem, first_line

__all__ = ["create_headless_context", "REQUIRED_GL_VERSION", "is_software_renderer"]

REQUIRED_GL_VERSION = 330


def create_headless_context(device_index: int = 0) -> moderngl.Context:
    """Create a standalone EGL context (GL 3.3 core or newer).

    `device_index` picks the EGL device; EGL ignores CUDA_VISIBLE_DEVICES, so multi-GPU workers
    pass their GPU's index here.
    """
    try:
        kwargs = {"backend": "egl", "require": REQUIRED_GL_VERSION}
        if device_index:
            kwargs["device_index"] = device_index
        return moderngl.create_standalone_context(**kwargs)
    except Exception as exc:  # moderngl/glcontext raise plain Exceptions with driver text
        reason = first_line(exc)
        raise EnvironmentProblem(
            "cannot create a headless OpenGL 3.3 context through EGL "
            f"({reason}); install libEGL and Mesa (Debian: libegl1 libgl1-mesa-dri)"
        ) from None


def is_software_renderer(ctx: moderngl.Context) -> bool:
    """True on CPU rasterisers (llvmpipe, softpipe, swrast), whose timer queries mislead."""
    name = ctx.info.get("GL_RENDERER", "").lower()
    return any(tag in name for tag in ("llvmpipe", "softpipe", "swrast", "software"))
