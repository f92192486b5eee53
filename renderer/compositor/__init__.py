"""Multi-dreamer compositing: layers, screen-space portals and glitch effects in one GPU pass.

`effects` holds the per-frame parameters (pure Python, no GL); `compositor` runs
`shaders/fx/composite.glsl` through renderer.gl.
"""

from renderer.compositor.compositor import COMPOSITE_SHADER, Compositor, keyframe_at_or_before
from renderer.compositor.effects import (
    EFFECT_NAMES, EFFECT_ORDER, MAX_LAYERS, MAX_PORTALS, GlitchParams, Portal,
)

__all__ = [
    "Compositor",
    "COMPOSITE_SHADER",
    "keyframe_at_or_before",
    "GlitchParams",
    "Portal",
    "EFFECT_NAMES",
    "EFFECT_ORDER",
    "MAX_LAYERS",
    "MAX_PORTALS",
]
