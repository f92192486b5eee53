"""Multi-dreamer compositing: layers, screen-space portals and glitch effects on the GPU.

`effects` holds the per-frame parameters (pure Python, no GL); `compositor` runs
`shaders/fx/scene.glsl` (portals), `shaders/fx/fields.glsl` (per-row and per-block tables) and
`shaders/fx/composite.glsl` (effects) through renderer.gl.
"""

from renderer.compositor.compositor import (
    COMPOSITE_SHADER, FIELDS_SHADER, SCENE_SHADER, Compositor, keyframe_at_or_before, portal_uniforms, variant_key,
)
from renderer.compositor.effects import (
    EFFECT_NAMES, EFFECT_ORDER, MAX_LAYERS, MAX_PORTALS, GlitchParams, Portal,
)

__all__ = [
    "Compositor",
    "COMPOSITE_SHADER",
    "SCENE_SHADER",
    "FIELDS_SHADER",
    "portal_uniforms",
    "keyframe_at_or_before",
    "variant_key",
    "GlitchParams",
    "Portal",
    "EFFECT_NAMES",
    "EFFECT_ORDER",
    "MAX_LAYERS",
    "MAX_PORTALS",
]
