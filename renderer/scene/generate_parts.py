"""Building blocks of generated dream worlds: seeded random streams, the emotion's mood, shape
and ground makers, and material schemes (see renderer.scene.generate for how they combine)."""

from __future__ import annotations

import hashlib
import math
import random
from dataclasses import dataclass

from renderer.scene.emotion import EXTRA_PAD, PAD, PLUTCHIK_PAD
from renderer.scene.emotion_map import map_emotion
from renderer.scene.model import DEFAULT_MATERIAL_TABLE, Material
from renderer.scene.nodes import (
    Box, Capsule, Cone, Displace, Node, Plane, Primitive, RoundBox,
    Sphere, Terrain, Torus, Twist, walk,
)

MAX_NODES = 60
MAX_SEED = 2**31 - 1
ARRANGEMENTS = ("tower", "ring", "grid", "scattered")   # picked by seed % 4
GROUND_STYLES = ("rolling", "ridged", "plain", "sea", "lake")
ANGULAR_KINDS = ("spike", "shard", "crystal", "obelisk")
CURVED_KINDS = ("orb", "halo", "pill", "pebble")
_STREAM_TAG = "dreamscape.generate/v1"
MAX_TWISTS = 3   # distinct twisted elements per world (each adds to the shader's compile time)


# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------
def _stream(seed: int, tag: str) -> random.Random:
    """An independent, process-stable random stream for one decision of one seed."""
    digest = hashlib.blake2b(f"{_STREAM_TAG}/{seed}/{tag}".encode(), digest_size=8).digest()
    return random.Random(int.from_bytes(digest, "big"))


def _r(x: float, nd: int = 3) -> float:
    """Round for a readable file (-0.0 becomes 0.0)."""
    return round(float(x), nd) + 0.0


def _v(*xs: float) -> tuple[float, float, float]:
    return tuple(_r(x) for x in xs)  # type: ignore[return-value]


def _clamp(x: float, lo: float, hi: float) -> float:
    return min(hi, max(lo, x))


def _lerp(a: float, b: float, t: float) -> float:
    return a + (b - a) * t


def _sign(u: float) -> int:
    return 1 if u < 0.5 else -1


def _pick(u: float, weights: dict[str, float]) -> str:
    """The option whose cumulative-weight interval contains u in [0, 1)."""
    total = sum(weights.values())
    acc = 0.0
    for name, w in weights.items():
        acc += w
        if u * total < acc:
            return name
    return list(weights)[-1]


def dominant_emotion(pad: PAD) -> str:
    """The named emotion nearest to `pad` (Plutchik's eight and the extra named points), or
    "neutral" near the origin."""
    if math.dist(pad.as_tuple(), (0.0, 0.0, 0.0)) < 0.2:
        return "neutral"
    table = {**PLUTCHIK_PAD, **{k: v for k, v in EXTRA_PAD.items() if k != "relaxed"}}
    return min(table, key=lambda name: (pad.distance(table[name]), name))


_ANGULAR_TYPES = frozenset({"box", "cone"})
_CURVED_TYPES = frozenset({"sphere", "torus", "capsule", "round_box"})


def structural_sharpness(root: Node) -> float:
    """How angular a graph is, from its structure alone: the mean over primitives of 1 for boxes
    and cones, 0 for spheres, tori, capsules and round boxes, and `ridge` for terrains (planes and
    other primitives are not counted); 0 when nothing counts."""
    values = []
    for node in walk(root):
        if node.TYPE in _ANGULAR_TYPES:
            values.append(1.0)
        elif node.TYPE in _CURVED_TYPES:
            values.append(0.0)
        elif isinstance(node, Terrain):
            values.append(node.ridge)
    return sum(values) / len(values) if values else 0.0


# ---------------------------------------------------------------------------------------------
# The mood: every emotion-driven quantity in one place
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Mood:
    p: float
    a: float
    d: float
    sharp: float       # EMOTION.md-style sharpness in [0, 1]
    angular: float     # P(a shape is angular)
    gloom: float       # fog, low camera, low sun
    energy: float      # element count, motion
    lowness: float     # 1 = worm's-eye camera
    unit: float        # base feature size in scene units
    float_bias: float  # P(a shape floats)
    motion: float      # P(a shape moves)
    noise_amp: float   # the emotion mapping's multiplier on terrain heights (camera clearance)
    fog_mult: float    # the emotion mapping's multiplier on fog density
    feature_scale: float  # the renderer scales the whole world by this about the camera target

    @staticmethod
    def of(pad: PAD) -> "_Mood":
        p, a, d = pad.as_tuple()
        energy = (a + 1.0) / 2.0
        sharp = _clamp(0.5 - 0.45 * p + 0.3 * a, 0.0, 1.0)
        params = map_emotion(pad)
        return _Mood(
            p=p, a=a, d=d, sharp=sharp,
            angular=_clamp((sharp - 0.3) / 0.5, 0.0, 1.0),
            gloom=_clamp(0.5 - 0.5 * p, 0.0, 1.0),
            energy=energy,
            lowness=_clamp(0.55 - 0.45 * p + 0.25 * a, 0.0, 1.0),
            unit=2.0 ** (0.5 * d) * (1.0 + 0.5 * (1.0 - energy)),
            float_bias=_clamp(0.1 + 0.8 * max(0.0, p) - 0.1 * max(0.0, -p), 0.0, 0.9),
            motion=_clamp(1.25 * energy - 0.15, 0.0, 1.0),
            noise_amp=params.noise_amplitude,
            fog_mult=params.fog_density,
            feature_scale=params.feature_scale,
        )


# ---------------------------------------------------------------------------------------------
# Shapes: one primitive (maybe twisted) centred at the origin, with its extents
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Shape:
    node: Node
    half_height: float   # extent along y from the centre, before rotation
    radius: float        # bounding-sphere radius about the centre
    width: float         # horizontal radius, before rotation
    angular: bool
    kind: str


def _make_shape(kind: str, size: float, material: str, name: str, rng: random.Random,
                mood: _Mood, twist_u: float) -> _Shape:
    """One element's primitive; tall angular kinds are sometimes twisted (more often when
    aroused). `rng` yields the same number of draws for every kind, so draw order stays fixed."""
    j1, j2, j3 = rng.uniform(0.85, 1.2), rng.uniform(0.8, 1.25), rng.random()
    s = size
    if kind == "spike":
        hh, w = 1.6 * s * j1, 0.45 * s * j2
        prim: Primitive = Cone(height=_r(hh), r1=_r(w), r2=0.0, material=material, name=name)
    elif kind == "shard":
        hh, w = 1.2 * s * j1, 0.55 * s * j2
        prim = Box(size=_v(0.24 * s * j2, hh, 0.5 * s * j2), material=material, name=name)
    elif kind == "crystal":
        hh, w = 1.3 * s * j1, 0.6 * s * j2
        prim = Cone(height=_r(hh), r1=_r(w), r2=_r(0.15 * s * j2), material=material, name=name)
    elif kind == "obelisk":
        hh, w = 1.7 * s * j1, 0.5 * s * j2
        prim = Box(size=_v(0.35 * s * j2, hh, 0.35 * s * j2), material=material, name=name)
    elif kind == "orb":
        hh = w = 0.8 * s * j1
        prim = Sphere(radius=_r(hh), material=material, name=name)
    elif kind == "halo":
        major, minor = 0.95 * s * j1, 0.22 * s * j2
        prim = Torus(major=_r(major), minor=_r(minor), material=material, name=name)
        hh = w = major + minor
    elif kind == "pill":
        half, r = 0.65 * s * j1, 0.45 * s * j2
        prim = Capsule(a=_v(0, -half, 0), b=_v(0, half, 0), radius=_r(r), material=material, name=name)
        hh, w = half + r, r
    elif kind == "pebble":
        size3 = (0.85 * s * j1, 0.5 * s * j1, 0.7 * s * j2)
        prim = RoundBox(size=_v(*size3), radius=_r(0.32 * s * j1), material=material, name=name)
        hh, w = size3[1], math.hypot(size3[0], size3[2])
    else:  # pragma: no cover - kinds come from fixed tables
        raise AssertionError(kind)
    node: Node = prim
    angular = kind in ANGULAR_KINDS
    if kind in ("spike", "obelisk", "shard") and twist_u < 0.2 + 0.6 * mood.energy:
        rate = (0.35 + 0.9 * mood.energy) / hh * _sign(j3)
        node = Twist(node, rate=_r(rate), extent=_r(w), name=f"{name}_twist")
    return _Shape(node, hh, math.hypot(hh, w), w, angular, kind)


# ---------------------------------------------------------------------------------------------
# Ground
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Ground:
    style: str
    node: Node
    level: float       # where grounded shapes stand
    top: float         # the highest the surface can reach (emotion multiplier included)
    bottom: float      # the lowest
    float_base: float  # floating shapes hover above this
    noisy: bool        # uses a noise node
    words: str


def _make_ground(seed: int, mood: _Mood, sink: bool) -> _Ground:
    rng = _stream(seed, "ground")
    u_style, u_h, u_wl, u_oct, u_ridge, u_tseed, u_flow = (rng.random() for _ in range(7))
    style = _pick(u_style, {"ridged": 0.05 + 1.3 * max(0.0, mood.sharp - 0.2), "rolling": 0.1 + (1.0 - mood.sharp),
                            "flat": 0.6})
    if style == "flat":
        style = "sea" if mood.p > 0.1 else "plain"
    wl_scale = 2.0 ** (0.6 * mood.d)   # dominance: bigger, bolder land
    offset = -_lerp(4.0, 6.5, u_h) * mood.unit if sink else 0.0
    far = " far below" if sink else ""
    tseed = int(u_tseed * 60000)
    if style in ("rolling", "ridged"):
        if style == "ridged":
            height = _lerp(0.35, 0.65, u_h) * (0.8 + 0.4 * mood.sharp) * mood.unit
            wavelength = _lerp(9.0, 14.0, u_wl) * wl_scale
            ridge = _clamp(0.55 + 0.45 * mood.sharp - 0.15 * u_ridge, 0.0, 1.0)
            octaves = 4 + round(mood.energy * u_oct)
        else:
            height = _lerp(0.4, 0.9, u_h) * mood.unit
            wavelength = _lerp(10.0, 16.0, u_wl) * wl_scale
            ridge = _clamp(0.3 * mood.sharp * u_ridge, 0.0, 1.0)
            octaves = 3 + round(2 * mood.energy * u_oct)
        node = Terrain(height=_r(height), wavelength=_r(wavelength), octaves=octaves, ridge=_r(ridge),
                       offset=_r(offset), seed=tseed, material="ground", name="ground")
        amp = node.height * mood.noise_amp
        # fBm lies in [-1, 1]; ridged fBm sits mostly low, so shapes stand lower on ridged land.
        level = node.offset - (0.35 * amp if style == "ridged" else 0.0)
        words = ("ridged" if ridge > 0.5 else "rolling") + " land" + far
        top, bottom = node.offset + amp, node.offset - amp
        return _Ground(style, node, level, top, bottom, 0.0 if sink else top, True, words)
    if style == "sea" and mood.energy < 0.5:   # low arousal: the water lies still
        node = Plane(offset=_r(-offset), material="ground", name="lake")
        return _Ground("lake", node, offset, offset, offset, 0.0 if sink else offset, False, "a still lake" + far)
    if style == "sea":
        amp = _lerp(0.12, 0.3, u_h)
        node = Displace(Plane(offset=_r(-offset), material="ground", name="sea_floor"),
                        amplitude=_r(amp), frequency=_r(_lerp(0.25, 0.45, u_wl) / wl_scale), octaves=3,
                        seed=tseed, flow=_r((0.1 + 0.5 * mood.energy) * _sign(u_flow)), name="sea")
        amp *= mood.noise_amp
        return _Ground(style, node, offset, offset + amp, offset - amp, 0.0 if sink else offset + amp, True,
                       "a rippling sea" + far)
    node = Plane(offset=_r(-offset), material="ground", name="ground")
    return _Ground(style, node, offset, offset, offset, 0.0 if sink else offset, False, "an endless plain" + far)



# ---------------------------------------------------------------------------------------------
# Materials
# ---------------------------------------------------------------------------------------------
_PALETTE_SCHEMES = (
    # (ground, form, form_alt, glow) palette slots: 0 dark accent, 1 mid, 2 light, 3 accent
    (1, 0, 3, 3),
    (2, 1, 3, 3),
    (0, 2, 3, 1),
    (1, 3, 0, 2),
    (2, 0, 1, 3),
    (0, 1, 3, 2),
)


def _materials(seed: int, mood: _Mood, ground_style: str) -> dict[str, Material]:
    rng = _stream(seed, "materials")
    u_scheme, u_rough, u_emit, u_pulse, u_moon = (rng.random() for _ in range(5))
    g, f1, f2, glow = _PALETTE_SCHEMES[int(u_scheme * len(_PALETTE_SCHEMES))]
    gloss, matte = 0.2 + 0.2 * u_rough, 0.55 + 0.3 * u_rough   # obsidian when sharp, clay when soft
    form_rough = _lerp(matte, gloss, mood.sharp)
    pulse = (0.15 + 0.9 * mood.energy) * (0.6 + 0.8 * u_pulse) if mood.energy > 0.4 else 0.0
    return {
        **DEFAULT_MATERIAL_TABLE,
        "ground": Material(palette=g, roughness=_r(0.2 if ground_style in ("sea", "lake") else 0.8 + 0.15 * u_rough)),
        "form": Material(palette=f1, roughness=_r(form_rough)),
        "form_alt": Material(palette=f2, roughness=_r(form_rough + 0.1)),
        "glow": Material(palette=glow, roughness=0.4, emission=_r(0.6 + 1.6 * u_emit),
                         pulse_hz=_r(min(pulse, 3.0))),
        "moon": Material(palette=2 if u_moon < 0.6 else 3, roughness=1.0, emission=_r(1.2 + 1.5 * u_moon)),
    }


