"""Procedural dream worlds from an emotion and a seed: `generate_scene(pad, seed) -> Scene`.

The emotion decides *what kind* of world it is, following shared/EMOTION.md section 3:

- sharpness s = clamp(0.5 - 0.45p + 0.3a, 0, 1) (unpleasant or aroused -> sharp): the chance that a
  shape is angular (cones, boxes, twisted) rather than curved (spheres, tori, capsules, round
  boxes), the odds and ridge blend of ridged terrain, plain `union` (sharp) or `smooth_union`
  with k > 0 (soft), jagged or soft noise texture;
- gloom (1 - p) / 2: fog density and ground fog, a low camera, a low cold sun;
- energy (a + 1) / 2: how many elements there are and how many of them move (`spin`, `bob`,
  noise `flow`), twist rates; low arousal gives fewer, larger, calmer elements;
- dominance d: feature size (elements scale by 2^(0.5d), terrain wavelength by 2^(0.6d)); on top
  of that the renderer scales the whole world by the emotion's feature scale about the camera's
  target, which the camera placement allows for;
- pleasure p > 0: shapes float above the ground with `bob` (sometimes over land far below), open
  sky, a glowing moon.

The *seed* picks the layout: the arrangement (seed mod 4: tower, ring, grid via `repeat`,
scattered, so consecutive seeds show all four), ground style (rolling or ridged terrain, a flat
plain, a rippling sea or still lake; the emotion weights the odds), which primitives of each family
this world uses, palette slot assignment, camera and sun azimuth, camera distance and height
jitter, whether a moon hangs in the sky.

Randomness comes from independent streams, one per decision (`_stream(seed, tag)`), derived from
the seed alone with BLAKE2 (never Python's per-process salted `hash()`), so the result is the same
in every process. The emotion enters only through thresholds and continuous parameters applied to
the same uniform draws for every PAD: one seed under two emotions gives related worlds, and the
draws are coupled (a shape that is angular under a milder emotion stays angular under a harsher).

The scene is valid by construction: it round-trips through its own TOML, has at most MAX_NODES
nodes (in practice under 30), at most one noise node (on the software rasteriser a noise node costs
the GLSL compiler more than ten primitives do) and at most 224 march steps, and its camera, in the
world as the renderer draws it for this emotion, is above the highest the ground can reach and
outside the horizontal extent of every shape. (Rendering it with another emotion, `--emotion`,
changes that scaling; the margins are not sized for every such override.)
"""

from __future__ import annotations

import hashlib
import math
import random
from dataclasses import dataclass, field, replace

from renderer.errors import InputError
from renderer.scene.emotion import EXTRA_PAD, PAD, PLUTCHIK_PAD, EmotionTrack
from renderer.scene.emotion_map import map_emotion
from renderer.scene.model import DEFAULT_MATERIAL_TABLE, Camera, Material, RenderSettings, Scene, World
from renderer.scene.nodes import (
    Box, Capsule, Cone, Displace, Mirror, Node, Plane, Primitive, Repeat, Rotate, RoundBox,
    SmoothUnion, Sphere, Terrain, Torus, Translate, Twist, Union, count_nodes, walk,
)

__all__ = [
    "generate_scene", "structural_sharpness", "dominant_emotion",
    "MAX_NODES", "MAX_SEED", "ARRANGEMENTS", "GROUND_STYLES", "ANGULAR_KINDS", "CURVED_KINDS",
]

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
# Elements and arrangements
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Motion:
    degrees: tuple
    spin: tuple
    floating: bool
    bob: float
    bob_hz: float
    lift: float
    moving: bool
    tilt: float          # largest tilt from upright, degrees


@dataclass(frozen=True)
class _Placed:
    node: Node
    center: tuple[float, float, float]
    radius: float        # bounding radius about `center`, bob included
    reach: float         # horizontal distance from the world's y axis that the piece stays within


@dataclass
class _Builder:
    seed: int
    mood: _Mood
    ground: _Ground
    kinds_angular: tuple[str, ...]
    kinds_curved: tuple[str, ...]
    counter: dict = field(default_factory=dict)
    twists: int = 0

    def name(self, base: str) -> str:
        n = self.counter.get(base, 0) + 1
        self.counter[base] = n
        return f"{base}_{n}"

    def element(self, tag: str, size_scale: float = 1.0, *, force_float: bool | None = None,
                material: str | None = None, twist: bool = True) -> tuple[_Shape, _Motion]:
        """Draw one element's shape and motion; placement is up to the arrangement."""
        mood = self.mood
        rng = _stream(self.seed, tag)
        u_family, u_kind, u_size, u_float, u_move, u_twist, u_mat = (rng.random() for _ in range(7))
        yaw, tilt_x, tilt_z = rng.uniform(0, 360), rng.uniform(-1, 1), rng.uniform(-1, 1)
        u_lift, u_bob, u_hz, u_spin = (rng.random() for _ in range(4))
        family = self.kinds_angular if u_family < mood.angular else self.kinds_curved
        kind = family[int(u_kind * len(family))]
        size = mood.unit * size_scale * _lerp(0.85, 1.2, u_size)
        moving = u_move < mood.motion
        if material is None:
            glow = 0.1 + 0.15 * mood.gloom     # eerie lights in dark worlds
            material = "glow" if u_mat < glow else "form" if u_mat < 0.6 else "form_alt"
        twist_u = u_twist if twist and self.twists < MAX_TWISTS else 1.0
        shape = _make_shape(kind, size, material, self.name(kind), rng, mood, twist_u)
        self.twists += isinstance(shape.node, Twist)
        floating = (u_float < mood.float_bias) if force_float is None else force_float
        tilt = 8.0 + 14.0 * mood.sharp if shape.angular else 6.0
        if kind == "halo":
            degrees = (70.0 + 20.0 * tilt_x, yaw, 10.0 * tilt_z)
            tilt = 90.0
        elif kind == "crystal" and floating and tilt_x > 0:
            degrees = (180.0 + tilt * tilt_x, yaw, tilt * tilt_z)   # hanging point-down
        else:
            degrees = (tilt * tilt_x, yaw, tilt * tilt_z)
        spin = [0.0, 0.0, 0.0]
        if moving:
            speed = (8.0 + 40.0 * mood.energy) * (0.6 + 0.8 * u_spin) * _sign(u_spin)
            spin[1] = _r(speed)
            if kind == "halo":
                spin[2] = _r(0.5 * speed)
        bob = (0.12 + 0.3 * mood.energy) * size * (0.6 + 0.8 * u_bob) if floating and (moving or mood.p > 0) else 0.0
        motion = _Motion(_v(*degrees), tuple(spin), floating, _r(bob),
                         _r(0.08 + 0.22 * mood.energy * (0.7 + 0.6 * u_hz)), u_lift, moving, tilt)
        return shape, motion

    def footprint(self, shape: _Shape, motion: _Motion) -> float:
        """Horizontal radius of a placed shape about its centre, rotation included."""
        return min(shape.radius, shape.width + shape.half_height * math.sin(math.radians(min(90.0, motion.tilt))))

    def floating_y(self, shape: _Shape, motion: _Motion) -> float:
        return (max(self.ground.top, self.ground.float_base) + shape.radius + motion.bob
                + self.mood.unit * (0.5 + 2.0 * motion.lift))

    def place(self, shape: _Shape, motion: _Motion, x: float, z: float, *, y: float | None = None,
              name: str | None = None) -> _Placed:
        """Rotate and translate a shape to (x, z): standing on the ground or floating above it."""
        if y is None:
            if motion.floating:
                y = self.floating_y(shape, motion)
            else:
                # Stand on the ground, the foot sunk a little so it meets undulating land.
                sink = 0.2 * (self.ground.level - self.ground.bottom) + 0.1 * shape.half_height
                y = self.ground.level + shape.half_height - sink
        turned = _turn(shape, motion.degrees, motion.spin)
        bob = (0.0, motion.bob, 0.0)
        node = Translate(turned, _v(x, y, z), bob, motion.bob_hz if motion.bob else 0.25,
                         name=name or f"{shape.node.name}_at")
        reach = math.hypot(x, z) + self.footprint(shape, motion)
        return _Placed(node, (x, y, z), shape.radius + motion.bob, reach)


def _turn(shape: _Shape, degrees: tuple, spin: tuple) -> Node:
    """The shape rotated (and spinning); a sphere is left alone, it would look the same."""
    if isinstance(shape.node, Sphere):
        return shape.node
    return Rotate(shape.node, degrees, spin, name=f"{shape.node.name}_turn")


def _union(children: list[Node], name: str, k: float = 0.0) -> Node:
    if len(children) == 1:
        return children[0]
    if k > 0.0:
        return SmoothUnion(tuple(children), k=_r(k), name=name)
    return Union(tuple(children), name=name)


def _a(word: str) -> str:
    return ("an " if word[0] in "aeiou" else "a ") + word


def _kind_words(members) -> str:
    kinds = sorted({shape.kind for shape, _ in members})
    return " and ".join(f"{k}s" for k in kinds)


def _quadrant_radius(footprints: list[float], q: int, gap: float) -> float:
    """Radius at which q elements per quadrant, folded by mirror(x, z), keep `gap` between
    neighbours and from the mirror planes (element i sits at angle (i + 0.5) * 90 / q degrees)."""
    return (max(footprints) + 0.5 * gap) / math.sin(math.pi / (4 * q))


@dataclass(frozen=True)
class _Layout:
    pieces: list[_Placed]
    focus_y: float                  # height the camera looks at
    shapes: list[_Placed]           # every placed element (inside mirrors and repeats too)
    frame: tuple[float, float]      # camera distance range, in multiples of the reach
    words: str

    @property
    def top(self) -> float:
        return max(p.center[1] + p.radius for p in self.shapes)

    @property
    def bottom(self) -> float:
        return min(p.center[1] - p.radius for p in self.shapes)


def _arrange(b: _Builder, arrangement: str) -> _Layout:
    """Place the elements.

    Rings and orbits are a few distinct elements folded by `mirror` (4-fold symmetry) and grids
    one element under `repeat`: many visible shapes for few nodes, cheap to compile.
    """
    mood, seed, unit = b.mood, b.seed, b.mood.unit
    rng = _stream(seed, "arrangement")
    u_count, u_radius, u_heart, u_sat, u_phase = (rng.random() for _ in range(5))
    # Element count: 2-3 when calm, 8-10 when aroused.
    n = int(_clamp(round(2.0 + 8.0 * mood.energy ** 1.2 + (u_count - 0.5) * 2.0), 2, 10))

    if arrangement == "ring":
        q = 1 if n <= 5 else 2 if n <= 9 else 3          # distinct elements per quadrant
        lantern = u_heart < 0.3 + 0.45 * mood.gloom          # a glowing heart, likelier in the dark
        heart_shape, heart_motion = b.element("heart", 1.7, material="glow" if lantern else None)
        heart = b.place(heart_shape, heart_motion, 0.0, 0.0, name="heart")
        members = [b.element(f"ring{i}") for i in range(q)]
        feet = [b.footprint(s, m) for s, m in members]
        radius = max(heart.reach + max(feet) + unit * (1.0 + 0.8 * u_radius),
                     _quadrant_radius(feet, q, 0.5 * unit))
        quadrant = []
        for i, (shape, motion) in enumerate(members):
            angle = (i + 0.5) * (math.pi / 2) / q
            quadrant.append(b.place(shape, motion, radius * math.cos(angle), radius * math.sin(angle)))
        ring = Mirror(_union([p.node for p in quadrant], "ring_quadrant"), (1.0, 0.0, 1.0), name="ring")
        turned = Rotate(ring, (0.0, _r(90.0 * u_phase), 0.0), name="ring_turn")
        pieces = [heart, _Placed(turned, (0.0, 0.0, 0.0), 0.0, max(p.reach for p in quadrant))]
        words = f"a ring of {4 * q} {_kind_words(members)} around {_a(heart_shape.kind)}"
        return _Layout(pieces, heart.center[1], [heart, *quadrant], (1.4, 1.9), words)

    if arrangement == "grid":
        half = 1 + round(1.6 * mood.energy * (0.7 + 0.6 * u_count))  # cells each side of the centre
        shape, motion = b.element("cell")
        period = 2.0 * b.footprint(shape, motion) + unit * _lerp(1.0, 2.2, u_radius)
        cell = b.place(shape, motion, 0.0, 0.0, name="cell")
        grid = Repeat(cell.node, _v(period, 0.0, period), (float(half), 0.0, float(half)), name="grid")
        reach = math.sqrt(2.0) * (half * period + cell.reach)
        heart_shape, heart_motion = b.element("heart", 1.6, force_float=True,
                                              material="glow" if u_heart < 0.4 + 0.45 * mood.gloom else None)
        heart_y = (max(b.floating_y(heart_shape, heart_motion), cell.center[1] + cell.radius
                       + heart_shape.radius + heart_motion.bob + unit * (0.6 + u_sat)))
        heart = b.place(heart_shape, heart_motion, 0.0, 0.0, y=heart_y, name="heart")
        side = 2 * half + 1
        words = f"a {side}x{side} grid of {shape.kind}s under a floating {heart_shape.kind}"
        pieces = [_Placed(grid, cell.center, cell.radius, reach), heart]
        return _Layout(pieces, 0.5 * (cell.center[1] + heart.center[1]), [cell, heart], (1.0, 1.25), words)

    if arrangement == "scattered":
        m = min(n, 5)
        members = [b.element(f"scatter{i}") for i in range(m)]
        spread = unit * (1.6 + 0.8 * m) * _lerp(0.9, 1.2, u_radius)
        pieces: list[_Placed] = []
        for i, (shape, motion) in enumerate(members):
            prng = _stream(seed, f"scatter{i}/position")
            foot = b.footprint(shape, motion)
            for _ in range(60):   # rejection sampling; keeps the last try if all are crowded
                r = spread * math.sqrt(prng.random())
                th = prng.uniform(0, 2 * math.pi)
                x, z = r * math.cos(th), r * math.sin(th)
                if all(math.hypot(x - p.center[0], z - p.center[2]) > foot + p.reach - math.hypot(*p.center[::2])
                       + 0.3 * unit for p in pieces):
                    break
            pieces.append(b.place(shape, motion, x, z))
        focus = sum(p.center[1] for p in pieces) / len(pieces)
        words = f"{m} scattered {_kind_words(members)}"
        return _Layout(pieces, focus, pieces, (1.1, 1.4), words)

    # tower: tiers stacked at the centre, with satellites (mirrored) orbiting it
    k = 2 + round(1.4 * mood.energy * (0.7 + 0.6 * u_count))
    stack: list[Node] = []
    y = b.ground.level - 0.2 * unit
    widest, n_angular = 0.0, 0
    for j in range(k):
        shape, motion = b.element(f"tier{j}", 1.25 * (1.0 - 0.12 * j), force_float=False, twist=False)
        n_angular += shape.angular
        y += shape.half_height
        spin = tuple(sp * (1 if j % 2 else -1) for sp in motion.spin)
        turned = _turn(shape, (0.0, motion.degrees[1], 0.0), spin)
        stack.append(Translate(turned, _v(0.0, y, 0.0), name=f"tier_{j + 1}"))
        widest = max(widest, shape.width)
        y += shape.half_height * 0.85
    top = y
    soft = 1.0 - mood.sharp
    tower: Node = _union(stack, "tower", k=0.35 * unit * soft if soft > 0.45 else 0.0)
    if n_angular * 2 > k and mood.energy > 0.55:
        tower = Twist(tower, rate=_r(0.12 + 0.25 * mood.energy), extent=_r(widest), name="tower_twist")
    pieces = [_Placed(tower, (0.0, 0.5 * (top + b.ground.level), 0.0), 0.5 * (top - b.ground.level) + widest,
                      widest)]
    q = 1 if n <= 8 else 2                       # satellites per quadrant
    members = [b.element(f"satellite{i}", 0.6, force_float=True, twist=False) for i in range(q)]
    feet = [b.footprint(s, m) for s, m in members]
    orbit_r = max(widest + max(feet) + unit * (1.0 + 0.8 * u_radius), _quadrant_radius(feet, q, 0.3 * unit))
    quadrant = []
    for i, (shape, motion) in enumerate(members):
        angle = (i + 0.5) * (math.pi / 2) / q
        h = max(b.floating_y(shape, motion), b.ground.level + (0.35 + 0.4 * i) * (top - b.ground.level))
        quadrant.append(b.place(shape, motion, orbit_r * math.cos(angle), orbit_r * math.sin(angle), y=h))
    speed = (6.0 + 24.0 * mood.energy) * _sign(u_sat) if any(m.moving for _, m in members) else 0.0
    sats = Mirror(_union([p.node for p in quadrant], "satellite_quadrant"), (1.0, 0.0, 1.0), name="satellites")
    orbit = Rotate(sats, (0.0, _r(90.0 * u_phase), 0.0), (0.0, _r(speed), 0.0), name="orbit")
    pieces.append(_Placed(orbit, (0.0, 0.0, 0.0), 0.0, max(p.reach for p in quadrant)))
    words = f"a tower of {k} tiers with {4 * q} orbiting {_kind_words(members)}"
    return _Layout(pieces, 0.55 * (top + b.ground.level), [pieces[0], *quadrant], (1.5, 2.0), words)


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


# ---------------------------------------------------------------------------------------------
# The generator
# ---------------------------------------------------------------------------------------------
def generate_scene(pad: PAD, seed: int) -> Scene:
    """A procedural dream world: `pad` decides its look and feel, `seed` its layout.

    Deterministic: equal arguments give equal scenes and identical TOML in any process. Raises
    TypeError when `pad` is not a PAD and InputError for a seed outside [0, MAX_SEED].
    """
    if not isinstance(pad, PAD):
        raise TypeError(f"pad must be a PAD, got {type(pad).__name__}")
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise InputError(f"seed must be an integer in [0, {MAX_SEED}], got {seed!r}")
    mood = _Mood.of(pad)
    layout = _stream(seed, "layout")
    (_u_spare, u_sink, u_mix_a, u_mix_c, u_tex, u_moon, u_cam_az, u_cam_d, u_cam_h, u_fov,
     u_sun_az, u_sun_side, u_sun_back, u_drift, u_fog_h, u_target) = (layout.random() for _ in range(16))

    # Consecutive seeds cycle through the arrangements, so any few seeds show them all.
    arrangement = ARRANGEMENTS[seed % len(ARRANGEMENTS)]
    sink = arrangement != "tower" and u_sink < mood.float_bias - 0.2
    ground = _make_ground(seed, mood, sink)
    if sink:   # land far below: everything floats
        mood = replace(mood, float_bias=1.0)

    mix = _stream(seed, "mix")
    angular_kinds, curved_kinds = list(ANGULAR_KINDS), list(CURVED_KINDS)
    mix.shuffle(angular_kinds)
    mix.shuffle(curved_kinds)
    builder = _Builder(seed, mood, ground, tuple(angular_kinds[:2 if u_mix_a < 0.6 else 3]),
                       tuple(curved_kinds[:2 if u_mix_c < 0.6 else 3]))
    layout_ = _arrange(builder, arrangement)
    pieces, focus_y, words = layout_.pieces, layout_.focus_y, layout_.words
    unit = mood.unit
    reach = max(p.reach for p in pieces)

    # -- the shapes, joined: plain union when sharp, smooth (k > 0) when soft -------------------
    shapes = _union([p.node for p in pieces], "dream_shapes",
                    k=0.3 * unit * (1.0 - mood.sharp) if mood.sharp < 0.5 else 0.0)
    # One noise node per world at most (each costs the GLSL compiler more than ten primitives): on
    # flat ground, often a texture on the whole group: jagged edges for sharp worlds (drifting,
    # restless, when aroused), a soft wobble for curved ones.
    texture = ""
    if not ground.noisy and u_tex < 0.7:
        flow = _r((0.15 + 0.45 * mood.energy) * _sign(u_tex)) if mood.energy > 0.5 else 0.0
        if mood.sharp >= 0.5:
            shapes = Displace(shapes, amplitude=_r(0.07 * unit), frequency=_r(2.4 / unit), octaves=2,
                              seed=int(u_tex * 9973), flow=flow, name="jagged")
            texture, reach = "jagged", reach + 0.1 * unit
        else:
            shapes = Displace(shapes, amplitude=_r(0.06 * unit), frequency=_r(1.2 / unit), octaves=2,
                              seed=int(u_tex * 9973), flow=flow, name="softened")
            texture, reach = "softly lumpy", reach + 0.1 * unit
    parts: list[Node] = [ground.node, shapes]

    # -- camera: azimuth from the seed, height from the emotion, outside every shape -------------
    # The renderer scales the whole world by the emotion's feature scale fs about the camera's
    # target (bigger, bolder structures for dominance and arousal), and the camera does not move
    # with it. So the framing below is authored, but every clearance is checked in the scaled
    # world: a point x of the scene is drawn at target + (x - target) * fs.
    fs = mood.feature_scale
    azimuth = 2.0 * math.pi * u_cam_az
    fov = _lerp(50.0, 64.0, u_fov) + 6.0 * (mood.energy - 0.5)
    # Far enough to take the whole arrangement in (closer, surrounded, when gloomy), and tall
    # arrangements whole (vertically: height / (2 tan(fov / 2)), plus a margin).
    lo, hi = layout_.frame
    span = layout_.top - max(ground.level, layout_.bottom)
    tall = span / (2.0 * math.tan(math.radians(fov) / 2.0)) * 1.15
    framing = max(tall, reach * (_lerp(lo, hi, u_cam_d) - 0.2 * mood.gloom) + unit)
    # Look at the focus; up from a low camera (looming shapes), towards the sky when pleasant.
    side = (u_target - 0.5) * 0.3 * reach
    target = _v(side * math.cos(azimuth), focus_y + (mood.lowness - 0.35) * unit + 0.1 * framing * max(0.0, mood.p),
                -side * math.sin(azimuth))

    def drawn_y(y: float) -> float:        # where the renderer puts authored height y
        return target[1] + (y - target[1]) * fs

    # Every shape lies within `reach` of the y axis, so within fs * (reach + |side|) of the
    # target's vertical line once scaled; the camera stays outside that with a margin.
    distance = max(framing, fs * (reach + abs(side) + 0.6) + abs(side) + 1.5 * unit)
    eye_floor = max(drawn_y(ground.top) + 0.4, drawn_y(ground.float_base), ground.top + 0.4)
    cam_y = eye_floor + unit * (_lerp(2.4, 0.3, mood.lowness) + 0.8 * u_cam_h)
    cam = _v(distance * math.sin(azimuth), cam_y, distance * math.cos(azimuth))

    # -- fog: thick and ground-hugging for gloom, but the arrangement must still show through it:
    # the density the renderer will use (base x the emotion's multiplier) is capped so that at
    # least e^-1.2 of the light from the middle of the arrangement reaches the camera.
    fog_base = 0.006 + 0.032 * mood.gloom ** 1.5 + 0.012 * mood.energy * mood.gloom
    fog_base = min(fog_base, 1.2 / (distance * mood.fog_mult))
    fog_eff = fog_base * mood.fog_mult
    fog_height = (_r(_lerp(2.5, 5.0, u_fog_h) + max(0.0, drawn_y(ground.top)))
                  if mood.gloom > 0.6 else 0.0)

    # -- a moon in clear skies, in the upper part of the view -----------------------------------
    # Placed where it should be drawn, then mapped back through the renderer's scaling.
    max_distance = _clamp(4.2 / max(fog_eff, 1e-3), 45.0, 140.0)
    moon_far = 60.0 + 20.0 * u_moon
    has_moon = fog_eff * moon_far < 1.2 and u_moon < 0.3 + 0.5 * max(0.0, mood.p)
    if has_moon:
        vx, vy, vz = target[0] - cam[0], target[1] - cam[1], target[2] - cam[2]
        yaw = math.atan2(vx, vz) + math.radians(fov * 0.6) * (u_sun_back - 0.5)
        pitch = math.atan2(vy, math.hypot(vx, vz)) + math.radians(fov * (0.22 + 0.15 * u_moon))
        moon_r = (3.0 + 3.0 * u_moon) * math.sqrt(unit)
        drawn = (cam[0] + moon_far * math.cos(pitch) * math.sin(yaw), cam[1] + moon_far * math.sin(pitch),
                 cam[2] + moon_far * math.cos(pitch) * math.cos(yaw))
        centre = tuple(t + (c - t) / fs for c, t in zip(drawn, target))
        body: Node = Sphere(radius=_r(moon_r / fs), material="moon", name="moon_body")
        if u_moon < 0.1:   # a ring in the sky, facing the camera
            body = Rotate(Torus(major=_r(moon_r / fs), minor=_r(0.12 * moon_r / fs), material="moon",
                                name="moon_ring"),
                          _v(90.0 - math.degrees(pitch), math.degrees(yaw), 0.0), name="moon_face")
        parts.append(Translate(body, _v(*centre), name="moon"))
        max_distance = max(max_distance, moon_far + 2.0 * moon_r + 5.0)

    root = _union(parts, "world", k=0.4 * unit if mood.sharp < 0.35 and not sink else 0.0)
    total = count_nodes(root)
    if total > MAX_NODES:  # pragma: no cover - the arrangements are sized to stay far below
        raise AssertionError(f"generated {total} nodes, more than {MAX_NODES}")

    # -- light: low, cold side or back light for gloom; high and warm for pleasure ---------------
    sun_az = azimuth + _sign(u_sun_side) * math.radians(_lerp(35.0, 110.0, u_sun_az))
    if mood.gloom > 0.55 and u_sun_back < 0.35:
        sun_az = azimuth + math.pi + (u_sun_az - 0.5)   # backlight: silhouettes against the fog
    warm = _clamp((mood.p + 1.0) / 2.0, 0.0, 1.0)
    elevation = math.radians(_lerp(14.0, 55.0, warm) + 10.0 * (u_sun_az - 0.5))
    world = World(
        fog_density=_r(fog_base, 4),
        fog_height=fog_height,
        sun_direction=_v(math.cos(elevation) * math.sin(sun_az), math.sin(elevation),
                         math.cos(elevation) * math.cos(sun_az)),
        sun_color=_v(_lerp(0.8, 1.0, warm), _lerp(0.88, 0.92, warm), _lerp(1.0, 0.78, warm)),
        sun_intensity=_r(1.5 + 0.9 * warm),
        ambient=_r(0.28 + 0.25 * warm),
    )
    camera = Camera(position=cam, target=target, fov=_r(fov, 1),
                    drift=_r(0.06 + 0.2 * mood.energy * (0.5 + u_drift)),
                    drift_speed=_r(0.06 + 0.14 * mood.energy))
    heavy = any(isinstance(nd, (Twist, Terrain, Displace)) for nd in walk(root))
    render = RenderSettings(max_steps=224 if heavy else 160, max_distance=_r(max_distance, 1))

    dominant = dominant_emotion(pad)
    fog_words = "heavy fog" if fog_eff > 0.05 else "a thin haze" if fog_eff > 0.015 else "a clear, open sky"
    texture = f", {texture}" if texture else ""
    description = (f"A generated dream, dominant emotion {dominant} (pleasure {pad.pleasure:+.2f}, arousal"
                   f" {pad.arousal:+.2f}, dominance {pad.dominance:+.2f}): {words}{texture}, on"
                   f" {ground.words}, under {fog_words}{', with a moon' if has_moon else ''}.")
    return Scene(
        root=root,
        name=f"Generated dream (seed {seed})",
        description=description,
        seed=seed,
        materials=_materials(seed, mood, ground.style),
        world=world,
        camera=camera,
        render=render,
        emotion=EmotionTrack.constant(pad),
    )
