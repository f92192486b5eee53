"""Glitch and portal parameters for one composited frame: plain frozen values, validated on creation.

`GlitchParams` is what the glitch timeline produces for a frame and what `Compositor.composite`
consumes. Every effect is an intensity in [0, 1]; 0 is an exact identity, so `GlitchParams.zero()`
with no portals reproduces layer 0 bit for bit. The constants below mirror the `#define`s of
`shaders/fx/*.glsl` (a test keeps them equal) so tests and tools can predict what a shader does,
e.g. how many pixels the channel split moves red and blue.

Positions follow image conventions: a portal's centre is (x from the left, y from the top) in
fractions of the frame's width and height; its radius and rim width are fractions of the frame's
height, so a portal stays round at any aspect ratio.

Pure Python: no GL here, so the nexus loader and the timeline can build and check these values
without a context.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

__all__ = [
    "EFFECT_NAMES",
    "EFFECT_ORDER",
    "MAX_LAYERS",
    "MAX_PORTALS",
    "TEAR_MAX_SHIFT",
    "SPLIT_MAX",
    "BLOCK_SIZE",
    "BLOCK_MAX_DX",
    "BLOCK_MAX_DY",
    "MOSH_BLOCK",
    "POSTER_MIN_LEVELS",
    "SCANLINE_DARK",
    "PORTAL_WOBBLE",
    "Portal",
    "GlitchParams",
    "split_offset_pixels",
    "tear_max_shift_pixels",
    "posterize_levels",
]

#: The per-frame effect intensities, in the order `GlitchParams` declares them.
EFFECT_NAMES = ("tear", "channel_split", "blocks", "datamosh", "interlace", "posterize")

#: The order the composite pass applies its steps in (see shaders/fx/composite.glsl).
EFFECT_ORDER = ("portals", "channel_split", "tear", "blocks", "interlace_geometry", "datamosh",
                "interlace", "posterize")

MAX_LAYERS = 4
MAX_PORTALS = 4

# Mirrors of the shader constants (tests/test_compositor_params.py checks they agree).
TEAR_MAX_SHIFT = 0.2  # DS_FX_TEAR_MAX_SHIFT: largest row shift, fraction of the width
SPLIT_MAX = 0.02  # DS_FX_SPLIT_MAX: red/blue offset at intensity 1, fraction of the width
BLOCK_SIZE = 16  # DS_FX_BLOCK: macroblock size in pixels
BLOCK_MAX_DX = 0.3  # DS_FX_BLOCK_MAX_DX
BLOCK_MAX_DY = 0.4  # DS_FX_BLOCK_MAX_DY
MOSH_BLOCK = 16  # DS_FX_MOSH_BLOCK
POSTER_MIN_LEVELS = 5.0  # DS_FX_POSTER_MIN_LEVELS
SCANLINE_DARK = 0.3  # DS_FX_SCANLINE_DARK
PORTAL_WOBBLE = 0.05  # DS_FX_PORTAL_WOBBLE: largest edge wobble, fraction of the portal radius


def _check_unit(owner: str, name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{owner}.{name}: must be a number, got {value!r}")
    value = float(value)
    if not math.isfinite(value) or not 0.0 <= value <= 1.0:
        raise ValueError(f"{owner}.{name}: must be in [0, 1], got {value!r}")
    return value


def _check_triple(owner: str, name: str, value, lo: float, hi: float) -> tuple[float, float, float]:
    try:
        items = tuple(value)
    except TypeError:
        raise ValueError(f"{owner}.{name}: must be 3 numbers, got {value!r}") from None
    if len(items) != 3 or any(isinstance(v, bool) or not isinstance(v, (int, float)) for v in items):
        raise ValueError(f"{owner}.{name}: must be 3 numbers, got {value!r}")
    out = tuple(float(v) for v in items)
    if not all(math.isfinite(v) and lo <= v <= hi for v in out):
        raise ValueError(f"{owner}.{name}: components must be in [{lo:g}, {hi:g}], got {value!r}")
    return out


@dataclass(frozen=True)
class Portal:
    """A screen-space portal: inside it the frame shows layer `source` instead of the host.

    centre: (x, y), x as a fraction of the width from the left and y of the height from the top:
        [0, 1]^2 is the frame, and a centre up to two frames outside it ([-2, 3]^2) draws the
        part of the portal that reaches in.
    radius: in (0, 2], a fraction of the frame height (0.25 is a circle half the height across).
    openness: in [0, 1]; radius and rim width are scaled by it and the glow is at full strength
        from 0.5 up (2 * openness below), so a timeline opens a portal by animating this from 0: a
        spark that grows into a window (0 is an exact identity).
    source: index of the layer seen through the portal, 0..3 (0, the host itself, shows only the
        rim's swirl and glow).
    rim_color: sRGB-encoded colour in [0, 1]^3, screened over the picture along the rim (the
        compositor works in encoded values, like the layers it blends).
    rim_width: in [0, 0.5], a fraction of the frame height: the width of the swirling band inside
        the edge and of the glow on both sides of it; 0 gives a plain soft-edged window.
    depth: >= 0, the distance from the host's camera to the portal in the host's world (a portal
        anchored in that world); host surfaces nearer than it hide the portal, rim included, where
        the compositor is given the host's depth. 0, the default, is a screen overlay that nothing
        hides.
    """

    centre: tuple[float, float] = (0.5, 0.5)
    radius: float = 0.25
    openness: float = 1.0
    source: int = 1
    rim_color: tuple[float, float, float] = (0.55, 0.8, 1.0)
    rim_width: float = 0.03
    depth: float = 0.0

    def __post_init__(self):
        try:
            centre = tuple(self.centre)
        except TypeError:
            raise ValueError(f"Portal.centre: must be 2 numbers, got {self.centre!r}") from None
        if len(centre) != 2 or any(isinstance(v, bool) or not isinstance(v, (int, float)) for v in centre):
            raise ValueError(f"Portal.centre: must be 2 numbers, got {self.centre!r}")
        centre = tuple(float(v) for v in centre)
        if not all(math.isfinite(v) and -2.0 <= v <= 3.0 for v in centre):
            raise ValueError(f"Portal.centre: components must be in [-2, 3], got {self.centre!r}")
        object.__setattr__(self, "centre", centre)
        if isinstance(self.radius, bool) or not isinstance(self.radius, (int, float)) \
                or not math.isfinite(self.radius) or not 0.0 < self.radius <= 2.0:
            raise ValueError(f"Portal.radius: must be in (0, 2] (fraction of the height), got {self.radius!r}")
        object.__setattr__(self, "radius", float(self.radius))
        object.__setattr__(self, "openness", _check_unit("Portal", "openness", self.openness))
        if isinstance(self.source, bool) or not isinstance(self.source, int) \
                or not 0 <= self.source < MAX_LAYERS:
            raise ValueError(f"Portal.source: must be a layer index 0..{MAX_LAYERS - 1}, got {self.source!r}")
        object.__setattr__(self, "rim_color", _check_triple("Portal", "rim_color", self.rim_color, 0.0, 1.0))
        if isinstance(self.rim_width, bool) or not isinstance(self.rim_width, (int, float)) \
                or not math.isfinite(self.rim_width) or not 0.0 <= self.rim_width <= 0.5:
            raise ValueError(f"Portal.rim_width: must be in [0, 0.5] (fraction of the height), got {self.rim_width!r}")
        object.__setattr__(self, "rim_width", float(self.rim_width))
        if isinstance(self.depth, bool) or not isinstance(self.depth, (int, float)) \
                or not math.isfinite(self.depth) or self.depth < 0.0:
            raise ValueError(f"Portal.depth: must be a finite distance >= 0, got {self.depth!r}")
        object.__setattr__(self, "depth", float(self.depth))


@dataclass(frozen=True)
class GlitchParams:
    """Effect intensities in [0, 1] (0 = off, exactly) and the open portals, for one frame.

    glitch_frame: the random state of tearing, block corruption and tape grain and dropouts; None
        draws new ones every frame (the frame index). A nexus under the photosensitivity limiter
        passes floor(t * 2), so a pattern holds for 1/2 s whatever the frame rate and no part of
        the frame can strobe from them (renderer/compile/nexus_frame.py).
    """

    tear: float = 0.0
    channel_split: float = 0.0
    blocks: float = 0.0
    datamosh: float = 0.0
    interlace: float = 0.0
    posterize: float = 0.0
    portals: tuple[Portal, ...] = ()
    glitch_frame: int | None = None

    def __post_init__(self):
        if self.glitch_frame is not None and (isinstance(self.glitch_frame, bool)
                                             or not isinstance(self.glitch_frame, int)
                                             or not 0 <= self.glitch_frame < 2**31):
            raise ValueError(f"GlitchParams.glitch_frame: must be None or an int in [0, 2^31), got {self.glitch_frame!r}")
        for name in EFFECT_NAMES:
            object.__setattr__(self, name, _check_unit("GlitchParams", name, getattr(self, name)))
        try:
            portals = tuple(self.portals)
        except TypeError:
            raise ValueError(f"GlitchParams.portals: must be a sequence of Portal, got {self.portals!r}") from None
        for i, portal in enumerate(portals):
            if not isinstance(portal, Portal):
                raise ValueError(f"GlitchParams.portals[{i}]: must be a Portal, got {portal!r}")
        if len(portals) > MAX_PORTALS:
            raise ValueError(f"GlitchParams.portals: at most {MAX_PORTALS} portals, got {len(portals)}")
        object.__setattr__(self, "portals", portals)

    @classmethod
    def zero(cls) -> GlitchParams:
        """No effect and no portal: the composite is layer 0 unchanged."""
        return cls()

    @classmethod
    def only(cls, name: str, intensity: float = 1.0) -> GlitchParams:
        """One effect at `intensity`, every other at 0 (benchmarks and tests)."""
        if name not in EFFECT_NAMES:
            raise ValueError(f"unknown effect {name!r}; expected one of {', '.join(EFFECT_NAMES)}")
        return cls(**{name: intensity})

    def intensities(self) -> dict[str, float]:
        """{effect name: intensity} in EFFECT_NAMES order."""
        return {name: getattr(self, name) for name in EFFECT_NAMES}

    def with_(self, **changes) -> GlitchParams:
        """A copy with some fields replaced (validated again)."""
        return replace(self, **changes)

    @property
    def is_identity(self) -> bool:
        """True when compositing with these parameters returns layer 0 unchanged."""
        return all(getattr(self, n) == 0.0 for n in EFFECT_NAMES) and not any(
            p.openness > 0.0 for p in self.portals)

    @property
    def uses_history(self) -> bool:
        """True when the frame reads the previous composite (datamosh or interlace combing)."""
        return self.datamosh > 0.0 or self.interlace > 0.0


def split_offset_pixels(width: int, intensity: float) -> int:
    """Pixels the channel split moves red (right) and blue (left) by: fxSplitOffset."""
    if intensity <= 0.0:
        return 0
    # GLSL's round() may break .5 ties either way; products of ours rarely land on one.
    return int(round(intensity * SPLIT_MAX * width))


def tear_max_shift_pixels(width: int, intensity: float) -> int:
    """Upper bound on |row shift| of the tearing effect, in pixels."""
    return math.ceil(intensity * TEAR_MAX_SHIFT * width)


def posterize_levels(intensity: float) -> int:
    """Levels per channel left by the posterise effect at `intensity` (256 means untouched)."""
    if intensity <= 0.0:
        return 256
    t = math.sqrt(min(max(float(intensity), 0.0), 1.0))
    return int(math.floor(math.exp((1.0 - t) * math.log(256.0) + t * math.log(POSTER_MIN_LEVELS)) + 0.5))
