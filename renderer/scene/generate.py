"""Procedural dream worlds from an emotion and a seed: `generate_scene(pad, seed) -> Scene`.

The emotion decides *what kind* of world it is, following shared/EMOTION.md section 3:

- sharpness s = clamp(0.5 - 0.45p + 0.3a, 0, 1) (unpleasant or aroused -> sharp): the chance that a
  shape is angular (cones, boxes, twisted or jagged) rather than curved (spheres, tori, capsules,
  round boxes), the terrain's ridge blend, and plain `union` (sharp) vs `smooth_union` (soft);
- gloom (1 - p) / 2: fog density, low camera and low sun, ground fog;
- energy (a + 1) / 2: how many elements, how many of them spin / bob / drift (`spin`, `bob`,
  `flow`), twist rates; low arousal gives fewer, larger, calmer elements;
- dominance: feature size (element scale 2^(0.5d), terrain wavelength 2^(0.6d));
- pleasure > 0: shapes float above the ground with `bob`, open sky, sometimes a glowing moon.

The *seed* picks the layout: ground style (rolling terrain, ridged terrain, a plane or a rippling
sea), arrangement (ring, grid via `repeat`, scattered, tower with orbiting satellites), which
primitives of each family the world uses, palette slot assignment, sun and camera azimuth.

Randomness comes from independent streams, one per decision (`_stream(seed, tag)`), derived from
the seed alone by BLAKE2 (never Python's salted `hash()`), so the result is the same in every
process. Emotion enters only through thresholds and continuous parameters, with the same uniform
draws for every PAD: the same seed under two emotions gives related worlds, and a shape that is
angular under a milder emotion stays angular under a harsher one (the draws are coupled).

The returned scene is valid by construction: it round-trips through its own TOML, keeps
<= MAX_NODES nodes and <= 256 march steps, and the camera sits above the highest the terrain can
reach and outside every shape's bounding sphere.
"""

from __future__ import annotations

import hashlib
import math
import random
from dataclasses import dataclass, field

from renderer.errors import InputError
from renderer.scene.emotion import EXTRA_PAD, PAD, PLUTCHIK_PAD, EmotionTrack
from renderer.scene.emotion_map import map_emotion
from renderer.scene.model import (
    DEFAULT_MATERIAL_TABLE, Camera, Material, RenderSettings, Scene, World,
)
from renderer.scene.nodes import (
    Box, Capsule, Cone, Displace, Node, Plane, Primitive, Repeat, Rotate, RoundBox, SmoothUnion,
    Sphere, Terrain, Torus, Translate, Twist, Union, Warp, count_nodes, walk,
)

__all__ = [
    "generate_scene", "structural_sharpness", "dominant_emotion",
    "MAX_NODES", "MAX_SEED", "ARRANGEMENTS", "GROUND_STYLES", "ANGULAR_KINDS", "CURVED_KINDS",
]

MAX_NODES = 60
MAX_SEED = 2**31 - 1
ARRANGEMENTS = ("ring", "grid", "scattered", "tower")
GROUND_STYLES = ("rolling", "ridged", "plane", "sea")
ANGULAR_KINDS = ("spike", "shard", "crystal", "obelisk")
CURVED_KINDS = ("orb", "halo", "pill", "pebble")
_STREAM_TAG = "dreamscape.generate/v1"


# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------
def _stream(seed: int, tag: str) -> random.Random:
    """An independent, process-stable random stream for one decision of one seed."""
    digest = hashlib.blake2b(f"{_STREAM_TAG}/{seed}/{tag}".encode(), digest_size=8).digest()
    return random.Random(int.from_bytes(digest, "big"))


def _r(x: float, nd: int = 3) -> float:
    """Round for a readable file; -0.0 becomes 0.0."""
    return round(float(x), nd) + 0.0


def _v(*xs: float) -> tuple[float, float, float]:
    return tuple(_r(x) for x in xs)  # type: ignore[return-value]


def _clamp(x: float, lo: float, hi: float) -> float:
    return min(hi, max(lo, x))


def _lerp(a: float, b: float, t: float) -> float:
    return a + (b - a) * t


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
    """The named emotion nearest to `pad` (Plutchik's eight and the extra points), or "neutral"
    when the PAD is close to the origin."""
    if math.dist(pad.as_tuple(), (0.0, 0.0, 0.0)) < 0.2:
        return "neutral"
    table = {**PLUTCHIK_PAD, **{k: v for k, v in EXTRA_PAD.items() if k != "relaxed"}}
    return min(table, key=lambda name: (pad.distance(table[name]), name))


_ANGULAR_TYPES = frozenset({"box", "cone"})
_CURVED_TYPES = frozenset({"sphere", "torus", "capsule", "round_box"})


def structural_sharpness(root: Node) -> float:
    """How angular a graph is, from its structure alone: the mean over primitives of 1 for boxes
    and cones, 0 for spheres, tori, capsules and round boxes, and `ridge` for terrains (planes and
    other primitives are not counted). 0 when nothing counts."""
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
# The mood: every emotion-driven quantity, in one place
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Mood:
    p: float
    a: float
    d: float
    sharp: float       # P(angular shape), terrain ridge, union vs smooth union
    gloom: float       # fog, low camera, low sun
    energy: float      # element count, motion
    unit: float        # base feature size in scene units
    float_bias: float  # P(shape floats)
    motion: float      # P(shape moves)
    noise_amp: float   # the emotion mapping's multiplier on terrain heights (for camera clearance)
    fog_mult: float    # the emotion mapping's multiplier on fog density

    @staticmethod
    def of(pad: PAD) -> "_Mood":
        p, a, d = pad.as_tuple()
        energy = (a + 1.0) / 2.0
        params = map_emotion(pad)
        return _Mood(
            p=p, a=a, d=d,
            sharp=_clamp(0.5 - 0.45 * p + 0.3 * a, 0.0, 1.0),
            gloom=_clamp(0.5 - 0.5 * p, 0.0, 1.0),
            energy=energy,
            unit=2.0 ** (0.5 * d) * (1.0 + 0.5 * (1.0 - energy)),
            float_bias=_clamp(0.12 + 0.75 * max(0.0, p) - 0.1 * max(0.0, -p), 0.0, 0.9),
            motion=_clamp(1.25 * energy - 0.15, 0.0, 1.0),
            noise_amp=params.noise_amplitude,
            fog_mult=params.fog_density,
        )


# ---------------------------------------------------------------------------------------------
# Shapes: a primitive (plus its modifier) centred at the origin, with its bounding extents
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Shape:
    node: Node
    half_height: float   # extent along y from the centre (before rotation)
    radius: float        # bounding-sphere radius about the centre
    angular: bool
    kind: str


def _make_shape(kind: str, size: float, material: str, name: str, rng: random.Random,
                mood: _Mood, moving: bool, jag_u: float) -> _Shape:
    """One element's primitive and modifier. `rng` must yield the same number of draws for every
    kind and mood (callers rely on the draw order staying fixed)."""
    j1, j2, j3 = rng.uniform(0.85, 1.2), rng.uniform(0.8, 1.25), rng.uniform(0.0, 1.0)
    flow = _r((0.15 + 0.35 * mood.energy) * (1 if j3 < 0.5 else -1)) if moving else 0.0
    s = size
    angular = kind in ANGULAR_KINDS
    if kind == "spike":
        hh, w = 1.5 * s * j1, 0.42 * s * j2
        prim: Primitive = Cone(height=_r(hh), r1=_r(w), r2=0.0, material=material, name=name)
        radius = math.hypot(hh, w)
    elif kind == "shard":
        hh = 1.15 * s * j1
        prim = Box(size=_v(0.22 * s * j2, hh, 0.5 * s), material=material, name=name)
        radius = math.hypot(hh, 0.55 * s * j2)
    elif kind == "crystal":
        hh = 1.3 * s * j1
        prim = Cone(height=_r(hh), r1=_r(0.55 * s * j2), r2=_r(0.12 * s * j2), material=material, name=name)
        radius = math.hypot(hh, 0.55 * s * j2)
    elif kind == "obelisk":
        hh = 1.7 * s * j1
        prim = Box(size=_v(0.32 * s * j2, hh, 0.32 * s * j2), material=material, name=name)
        radius = math.hypot(hh, 0.46 * s * j2)
    elif kind == "orb":
        hh = 0.75 * s * j1
        prim = Sphere(radius=_r(hh), material=material, name=name)
        radius = hh
    elif kind == "halo":
        major, minor = 0.9 * s * j1, 0.2 * s * j2
        prim = Torus(major=_r(major), minor=_r(minor), material=material, name=name)
        hh = radius = major + minor
    elif kind == "pill":
        hh, r = 0.6 * s * j1, 0.42 * s * j2
        prim = Capsule(a=_v(0, -hh, 0), b=_v(0, hh, 0), radius=_r(r), material=material, name=name)
        hh, radius = hh + r, hh + r
    elif kind == "pebble":
        size3 = (0.8 * s * j1, 0.45 * s * j1, 0.65 * s * j2)
        prim = RoundBox(size=_v(*size3), radius=_r(0.3 * s * j1), material=material, name=name)
        hh, radius = size3[1], math.sqrt(sum(c * c for c in size3))
    else:  # pragma: no cover - kinds are fixed tables
        raise AssertionError(kind)

    node: Node = prim
    if angular:
        twistable = kind in ("spike", "obelisk", "shard")
        if twistable and jag_u < 0.25 + 0.55 * mood.energy:
            rate = (0.35 + 0.9 * mood.energy) / hh * (1 if j3 < 0.5 else -1)
            node = Twist(node, rate=_r(rate), extent=_r(max(0.05, radius * 0.6)), name=f"{name}_twist")
        elif jag_u < 0.85:
            node = Displace(node, amplitude=_r(0.07 * s), frequency=_r(2.6 / s), octaves=2,
                            seed=int(j3 * 9973), flow=flow,
                            name=f"{name}_jagged")
            radius += 0.1 * s
    elif jag_u < 0.45:
        node = Displace(node, amplitude=_r(0.05 * s), frequency=_r(1.4 / s), octaves=2,
                        seed=int(j3 * 9973), flow=flow, name=f"{name}_soft")
        radius += 0.07 * s
    return _Shape(node, hh, radius, angular, kind)


# ---------------------------------------------------------------------------------------------
# The world
# ---------------------------------------------------------------------------------------------
@dataclass
class _Ground:
    style: str
    node: Node
    level: float     # where grounded shapes stand (typical surface height)
    top: float       # highest the surface can reach (emotion multiplier included)
    bottom: float    # lowest it can reach
    describe: str


def _make_ground(seed: int, mood: _Mood, sink: bool) -> _Ground:
    rng = _stream(seed, "ground")
    u_style, u_h, u_wl, u_oct, u_ridge, tseed, u_disp = (rng.random() for _ in range(7))
    style = _pick(u_style, {"ridged": 0.15 + mood.sharp, "rolling": 0.15 + (1.0 - mood.sharp),
                            "flat": 0.55})
    if style == "flat":
        style = "sea" if mood.p > 0.15 else "plane"
    wl_scale = 2.0 ** (0.6 * mood.d)
    if style in ("rolling", "ridged"):
        if style == "ridged":
            height = _lerp(0.9, 1.8, u_h) * (0.8 + 0.4 * mood.sharp)
            wavelength = _lerp(6.0, 9.0, u_wl) * wl_scale
            ridge = _clamp(0.6 + 0.4 * mood.sharp - 0.15 * u_ridge, 0.0, 1.0)
            octaves = 5
        else:
            height = _lerp(0.6, 1.3, u_h)
            wavelength = _lerp(9.0, 15.0, u_wl) * wl_scale
            ridge = _clamp(0.3 * mood.sharp * u_ridge, 0.0, 1.0)
            octaves = 3 + round(2 * mood.energy * u_oct)
        offset = -_lerp(3.5, 6.0, u_h) * mood.unit if sink else 0.0
        node = Terrain(height=_r(height), wavelength=_r(wavelength), octaves=octaves, ridge=_r(ridge),
                       offset=_r(offset), seed=int(tseed * 60000), material="ground", name="ground")
        amp = node.height * mood.noise_amp
        # fBm lies in [-1, 1]; ridged fBm sits mostly low, so shapes stand lower on ridged land.
        level = node.offset - (0.35 * amp if style == "ridged" else 0.0)
        words = ("ridged" if ridge > 0.5 else "rolling") + (" land far below" if sink else " land")
        return _Ground(style, node, level, node.offset + amp, node.offset - amp, words)
    offset = -_lerp(3.5, 6.0, u_h) * mood.unit if sink else 0.0
    plane: Node = Plane(normal=(0.0, 1.0, 0.0), offset=_r(-offset), material="ground",
                        name="sea" if style == "sea" else "ground")
    amp = 0.0
    if style == "sea" or u_disp < 0.5:
        amp = _lerp(0.12, 0.3, u_h)
        flow = _r((0.1 + 0.5 * mood.energy) * (1 if u_disp < 0.5 else -1))
        plane = Displace(plane, amplitude=_r(amp), frequency=_r(_lerp(0.25, 0.45, u_wl) / wl_scale),
                         octaves=3, seed=int(tseed * 60000), flow=flow if style == "sea" else 0.0,
                         name="waves" if style == "sea" else "dunes")
        amp *= mood.noise_amp
    words = {"sea": "a rippling sea", "plane": "an endless plain"}[style]
    if sink:
        words += " far below"
    return _Ground(style, plane, offset, offset + amp, offset - amp, words)


@dataclass
class _Placed:
    node: Node
    center: tuple[float, float, float]
    radius: float           # bounding radius, motion included
    shape: _Shape | None = None


@dataclass
class _Builder:
    seed: int
    mood: _Mood
    ground: _Ground
    kinds_angular: tuple[str, ...]
    kinds_curved: tuple[str, ...]
    materials: tuple[str, ...]
    counter: dict = field(default_factory=dict)

    def name(self, base: str) -> str:
        n = self.counter.get(base, 0) + 1
        self.counter[base] = n
        return f"{base}_{n}"

    def element(self, tag: str, size_scale: float = 1.0, *, force_float: bool | None = None,
                kind: str | None = None, material: str | None = None, spin_axis: int = 1,
                max_nodes: int = 4) -> tuple[_Shape, dict]:
        """Draw one element's shape and its motion; placement is up to the arrangement."""
        mood = self.mood
        rng = _stream(self.seed, tag)
        u_family, u_kind, u_size, u_float, u_move, u_mod, u_mat = (rng.random() for _ in range(7))
        yaw, tilt_x, tilt_z = rng.uniform(0, 360), rng.uniform(-1, 1), rng.uniform(-1, 1)
        u_lift, u_bob, u_hz, u_spin = (rng.random() for _ in range(4))
        if kind is None:
            family = self.kinds_angular if u_family < mood.sharp else self.kinds_curved
            kind = family[int(u_kind * len(family))]
        size = mood.unit * size_scale * _lerp(0.8, 1.2, u_size)
        moving = u_move < mood.motion
        if material is None:
            material = "glow" if u_mat < 0.16 else self.materials[0 if u_mat < 0.6 else 1]
        base = kind
        shape = _make_shape(kind, size, material, self.name(base), rng, mood, moving,
                            u_mod if max_nodes >= 4 else 1.0)
        floating = (u_float < mood.float_bias) if force_float is None else force_float
        angular = shape.angular
        tilt = 8.0 + 14.0 * mood.sharp if angular else 6.0
        if kind == "halo":
            degrees = (_r(70.0 + 20.0 * tilt_x), _r(yaw), _r(10.0 * tilt_z))
        elif kind == "crystal" and floating:
            degrees = (_r(180.0 * (tilt_x > 0) + tilt * tilt_x), _r(yaw), _r(tilt * tilt_z))
        else:
            degrees = (_r(tilt * tilt_x), _r(yaw), _r(tilt * tilt_z))
        spin = [0.0, 0.0, 0.0]
        if moving:
            speed = (8.0 + 40.0 * mood.energy) * (0.6 + 0.8 * u_spin) * (1 if u_spin < 0.5 else -1)
            spin[spin_axis] = _r(speed)
            if kind == "halo":
                spin[2] = _r(0.5 * speed)
        bob = _r((0.12 + 0.3 * mood.energy) * size * (0.6 + 0.8 * u_bob)) if (floating and (
            moving or mood.p > 0.0)) else 0.0
        motion = {
            "degrees": degrees, "spin": tuple(spin), "floating": floating,
            "bob": bob, "bob_hz": _r(0.08 + 0.22 * mood.energy * (0.7 + 0.6 * u_hz)),
            "lift": u_lift, "moving": moving,
        }
        return shape, motion

    def place(self, shape: _Shape, motion: dict, x: float, z: float, *, y: float | None = None,
              name: str | None = None) -> _Placed:
        """Rotate and translate a shape to (x, z), standing on the ground or floating above it."""
        if y is None:
            if motion["floating"]:
                y = self.ground.top + shape.radius + self.mood.unit * (0.6 + 2.2 * motion["lift"]) + motion["bob"]
            else:
                # Stand on the ground, foot sunk below the lowest the surface can reach nearby.
                sink = 0.35 * (self.ground.level - self.ground.bottom) + 0.15 * shape.half_height
                y = self.ground.level + shape.half_height - sink
        turned = Rotate(shape.node, _v(*motion["degrees"]), motion["spin"], name=f"{shape.node.name}_turn")
        bob = (0.0, motion["bob"], 0.0)
        node = Translate(turned, _v(x, y, z), _v(*bob), motion["bob_hz"] if any(bob) else 0.25,
                         name=name or f"{shape.node.name}_at")
        return _Placed(node, (x, y, z), shape.radius + motion["bob"], shape)


def _union(children: list[Node], name: str, k: float = 0.0) -> Node:
    if len(children) == 1:
        return children[0]
    if k > 0.0:
        return SmoothUnion(tuple(children), k=_r(k), name=name)
    return Union(tuple(children), name=name)


def _arrange(b: _Builder, arrangement: str) -> tuple[list[_Placed], float, float, str]:
    """Place the elements. Returns (pieces, extent radius in xz, focus height, words)."""
    mood, seed = b.mood, b.seed
    rng = _stream(seed, "arrangement")
    u_count, u_radius, u_heart, u_sat = (rng.random() for _ in range(4))
    n = int(_clamp(round(2.0 + 8.0 * mood.energy ** 1.2 + (u_count - 0.5) * 2.0), 2, 10))
    unit = mood.unit
    pieces: list[_Placed] = []
    if arrangement == "ring":
        heart_shape, heart_motion = b.element("heart", 1.7, material="glow" if u_heart < 0.35 else None)
        heart = b.place(heart_shape, heart_motion, 0.0, 0.0, name="heart")
        radius = heart.radius + unit * (1.6 + 0.3 * n) * _lerp(0.9, 1.2, u_radius)
        phase = rng.uniform(0, 2 * math.pi)
        for i in range(n):
            shape, motion = b.element(f"ring{i}")
            angle = phase + 2 * math.pi * i / n
            pieces.append(b.place(shape, motion, radius * math.cos(angle), radius * math.sin(angle)))
        ring = _union([p.node for p in pieces], "ring")
        ring_r = max(p.radius for p in pieces)
        extent = radius + ring_r
        pieces = [heart, _Placed(ring, (0.0, 0.0, 0.0), 0.0)]
        words = f"a ring of {n} {_family_words(b, pieces)} around a {heart_shape.kind}"
        return pieces, extent, heart.center[1], words

    if arrangement == "grid":
        half = 1 + round(1.6 * mood.energy * (0.7 + 0.6 * u_count))  # cells each side
        shape, motion = b.element("cell")
        period = 2.0 * shape.radius + unit * _lerp(1.2, 2.4, u_radius)
        cell = b.place(shape, motion, 0.0, 0.0, name="cell")
        grid = Repeat(cell.node, _v(period, 0.0, period), (float(half), 0.0, float(half)), name="grid")
        extent = (half + 0.5) * period
        heart_shape, heart_motion = b.element("heart", 1.6, force_float=True,
                                              material="glow" if u_heart < 0.5 else None)
        heart = b.place(heart_shape, heart_motion, 0.0, 0.0, name="heart",
                        y=max(b.ground.top, cell.center[1] + cell.radius) + heart_shape.radius
                        + unit * (0.8 + u_sat) + heart_motion["bob"])
        side = 2 * half + 1
        words = f"a {side}x{side} grid of {shape.kind}s under a floating {heart_shape.kind}"
        pieces = [_Placed(grid, (0.0, cell.center[1], 0.0), extent), heart]
        return pieces, extent, 0.5 * (cell.center[1] + heart.center[1]), words

    if arrangement == "scattered":
        spread = unit * (2.5 + 0.9 * n) * _lerp(0.9, 1.2, u_radius)
        placed_xz: list[tuple[float, float, float]] = []
        for i in range(n):
            shape, motion = b.element(f"scatter{i}")
            prng = _stream(seed, f"scatter{i}/pos")
            for _ in range(40):
                r = spread * math.sqrt(prng.random())
                th = prng.uniform(0, 2 * math.pi)
                x, z = r * math.cos(th), r * math.sin(th)
                if all(math.hypot(x - px, z - pz) > shape.radius + pr + 0.3 * unit for px, pz, pr in placed_xz):
                    break
            placed_xz.append((x, z, shape.radius))
            pieces.append(b.place(shape, motion, x, z))
        extent = max(math.hypot(p.center[0], p.center[2]) + p.radius for p in pieces)
        focus = sum(p.center[1] for p in pieces) / len(pieces)
        words = f"{n} scattered {_family_words(b, pieces)}"
        return pieces, extent, focus, words

    # tower: a stack of pieces at the centre, with satellites orbiting it
    k = 2 + round(3 * mood.energy * (0.7 + 0.6 * u_count))
    stack: list[Node] = []
    y = b.ground.level - 0.3 * unit
    widest = 0.0
    tower_sharp = 0
    for j in range(k):
        shape, motion = b.element(f"tier{j}", 1.25 * (1.0 - 0.12 * j), force_float=False, max_nodes=3)
        tower_sharp += shape.angular
        y += shape.half_height
        motion["spin"] = tuple(s * (1 if j % 2 else -1) for s in motion["spin"])
        turned = Rotate(shape.node, (0.0, _r(motion["degrees"][1]), 0.0), motion["spin"],
                        name=f"{shape.node.name}_turn")
        stack.append(Translate(turned, _v(0.0, y, 0.0), name=f"tier_{j + 1}"))
        widest = max(widest, shape.radius)
        y += shape.half_height * 0.85
    top = y
    soft = 1.0 - mood.sharp
    tower: Node = _union(stack, "tower", k=0.35 * unit * soft if soft > 0.45 else 0.0)
    if tower_sharp * 2 > k and mood.energy > 0.55:
        tower = Twist(tower, rate=_r(0.12 + 0.25 * mood.energy), extent=_r(widest), name="tower_twist")
    pieces = [_Placed(tower, (0.0, 0.5 * top, 0.0), max(widest, 0.5 * top))]
    m = max(0, min(n - k, 6))
    orbit_r = widest + unit * (1.8 + 0.8 * u_radius)
    outer = orbit_r
    for i in range(m):
        shape, motion = b.element(f"satellite{i}", 0.6, force_float=True, max_nodes=3)
        angle = 2 * math.pi * (i / max(m, 1) + u_sat)
        r_i = orbit_r + (i % 2) * unit * 0.9
        h_i = b.ground.top + 0.6 * unit + (top - b.ground.top) * ((i + 0.5) / m)
        h_i = max(h_i, b.ground.top + shape.radius + 0.3 * unit)
        placed = b.place(shape, motion, r_i * math.cos(angle), r_i * math.sin(angle), y=h_i)
        speed = (6.0 + 30.0 * mood.energy) * (1 if i % 2 else -1) if motion["moving"] else 0.0
        orbit = Rotate(placed.node, (0.0, 0.0, 0.0), (0.0, _r(speed), 0.0), name=f"orbit_{i + 1}")
        pieces.append(_Placed(orbit, (0.0, h_i, 0.0), r_i + placed.radius))
        outer = max(outer, r_i + placed.radius)
    words = f"a tower of {k} tiers" + (f" with {m} orbiting {_family_words(b, [])}" if m else "")
    return pieces, max(outer, widest), 0.55 * top, words


def _family_words(b: _Builder, pieces: list[_Placed]) -> str:
    angular = b.mood.sharp >= 0.5
    kinds = b.kinds_angular if angular else b.kinds_curved
    return " and ".join(f"{k}s" for k in kinds)


# ---------------------------------------------------------------------------------------------
# Materials, world, camera
# ---------------------------------------------------------------------------------------------
_PALETTE_SCHEMES = (
    # (ground, form, form_alt, glow) palette slots: 0 dark, 1 mid, 2 light, 3 accent
    (1, 0, 2, 3),
    (2, 1, 3, 3),
    (0, 2, 3, 1),
    (1, 3, 2, 2),
    (2, 0, 1, 3),
    (0, 1, 3, 2),
)


def _materials(seed: int, mood: _Mood, ground_style: str) -> dict[str, Material]:
    rng = _stream(seed, "materials")
    u_scheme, u_rough, u_emit, u_pulse, u_moon = (rng.random() for _ in range(5))
    g, f1, f2, glow = _PALETTE_SCHEMES[int(u_scheme * len(_PALETTE_SCHEMES))]
    gloss = 0.2 + 0.25 * u_rough          # angular worlds read as glassy obsidian
    matte = 0.55 + 0.3 * u_rough          # curved ones as soft clay
    form_rough = _lerp(matte, gloss, mood.sharp)
    pulse = _r((0.15 + 0.9 * mood.energy) * (0.6 + 0.8 * u_pulse)) if mood.energy > 0.4 else 0.0
    return {
        **DEFAULT_MATERIAL_TABLE,
        "ground": Material(palette=g, roughness=_r(0.15 if ground_style == "sea" else 0.8 + 0.15 * u_rough)),
        "form": Material(palette=f1, roughness=_r(form_rough)),
        "form_alt": Material(palette=f2, roughness=_r(form_rough + 0.1)),
        "glow": Material(palette=glow, roughness=0.4, emission=_r(0.6 + 1.6 * u_emit), pulse_hz=min(pulse, 3.0)),
        "moon": Material(palette=2 if u_moon < 0.6 else 3, roughness=1.0, emission=_r(1.5 + 1.5 * u_moon)),
    }


def generate_scene(pad: PAD, seed: int) -> Scene:
    """A procedural dream world for the emotion `pad` (its look) and `seed` (its layout).

    Deterministic: equal arguments give equal scenes and identical TOML in any process. Raises
    InputError for a seed outside [0, MAX_SEED] and TypeError for a `pad` that is not a PAD.
    """
    if not isinstance(pad, PAD):
        raise TypeError(f"pad must be a PAD, got {type(pad).__name__}")
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise InputError(f"seed must be an integer in [0, {MAX_SEED}], got {seed!r}")
    mood = _Mood.of(pad)

    layout = _stream(seed, "layout")
    u_arr, u_sink, u_mix_a, u_mix_c, u_warp, u_moon, u_cam_az, u_cam_d, u_cam_h, u_fov = (
        layout.random() for _ in range(10))
    u_sun_az, u_sun_side, u_sun_back, u_drift, u_fog_h, u_target = (layout.random() for _ in range(6))

    arrangement = ARRANGEMENTS[int(u_arr * len(ARRANGEMENTS))]
    sink = u_sink < mood.float_bias - 0.15 and arrangement != "tower"
    ground = _make_ground(seed, mood, sink)

    mix_rng = _stream(seed, "mix")
    angular_kinds = list(ANGULAR_KINDS)
    curved_kinds = list(CURVED_KINDS)
    mix_rng.shuffle(angular_kinds)
    mix_rng.shuffle(curved_kinds)
    kinds_angular = tuple(angular_kinds[:2 if u_mix_a < 0.6 else 3])
    kinds_curved = tuple(curved_kinds[:2 if u_mix_c < 0.6 else 3])
    form_pair = ("form", "form_alt")
    builder = _Builder(seed, mood, ground, kinds_angular, kinds_curved, form_pair)
    if sink:
        builder.mood = mood = _Mood(**{**mood.__dict__, "float_bias": 1.0})

    pieces, extent, focus_y, words = _arrange(builder, arrangement)
    unit = mood.unit

    # -- the shapes, joined: plain union when sharp, smooth (k > 0) when soft -------------------
    shapes = _union([p.node for p in pieces], "dream_shapes",
                    k=0.25 * unit * (1.0 - mood.sharp) if mood.sharp < 0.5 else 0.0)
    if mood.a > 0.25 and mood.p < 0.0 and u_warp < 0.6:
        shapes = Warp(shapes, amplitude=_r(0.12 * unit), frequency=_r(0.35 / unit), seed=int(u_warp * 999),
                      flow=_r(0.2 + 0.4 * mood.energy), name="unease")
    parts: list[Node] = [ground.node, shapes]

    # -- fog: thick for gloom, ground-hugging on a low camera ---------------------------------
    fog_base = 0.008 + 0.03 * mood.gloom ** 1.5 + 0.01 * mood.energy * mood.gloom
    fog_eff = fog_base * mood.fog_mult
    fog_height = _r(_lerp(2.0, 4.0, u_fog_h) + max(0.0, ground.top)) if mood.gloom > 0.6 else 0.0

    # -- camera: azimuth from the seed, height from the emotion (low for fear) -----------------
    azimuth = 2 * math.pi * u_cam_az
    distance = extent * _lerp(1.25, 1.6, u_cam_d) + 3.0 * unit
    lowness = _clamp(0.55 - 0.45 * mood.p + 0.25 * mood.a, 0.0, 1.0)   # 1 = worm's-eye view
    eye_above = unit * (_lerp(3.2, 0.5, lowness) + 1.2 * u_cam_h) + 0.003 * distance * distance
    cam_y = max(ground.top + 0.5, ground.level) + eye_above
    cam = (distance * math.sin(azimuth), cam_y, distance * math.cos(azimuth))
    # Keep clear of every piece's bounding sphere (cheap guarantee; arrangements are compact).
    for p in pieces:
        dx, dy, dz = cam[0] - p.center[0], cam[1] - p.center[1], cam[2] - p.center[2]
        if math.sqrt(dx * dx + dy * dy + dz * dz) < p.radius + 0.5:
            cam = (cam[0], p.center[1] + p.radius + 0.5, cam[2])
    target_y = focus_y + (lowness - 0.3) * unit * 0.8
    side = (u_target - 0.5) * 0.25 * extent
    target = (side * math.cos(azimuth), target_y, -side * math.sin(azimuth))
    fov = _lerp(50.0, 66.0, u_fov) + 6.0 * (mood.energy - 0.5)

    # -- a moon in clear skies -----------------------------------------------------------------
    view = (target[0] - cam[0], 0.0, target[2] - cam[2])
    vlen = math.hypot(view[0], view[2]) or 1.0
    moon_far = 55.0 + 15.0 * u_moon
    has_moon = fog_eff * moon_far < 1.2 and u_moon < 0.35 + 0.4 * max(0.0, mood.p)
    max_distance = _clamp(4.2 / max(fog_eff, 1e-3), 45.0, 140.0)
    if has_moon:
        moon_r = (3.0 + 3.0 * u_moon) * unit ** 0.5
        yaw = (u_sun_back - 0.5) * 0.5
        dx, dz = view[0] / vlen, view[2] / vlen
        dx, dz = dx * math.cos(yaw) - dz * math.sin(yaw), dx * math.sin(yaw) + dz * math.cos(yaw)
        elevation = math.radians(fov * (0.18 + 0.2 * u_moon))
        mx, mz = cam[0] + dx * moon_far, cam[2] + dz * moon_far
        my = cam[1] + moon_far * math.tan(elevation) + (target_y - cam[1]) * moon_far / max(vlen, 1.0)
        moon_body: Node = Sphere(radius=_r(moon_r), material="moon", name="moon_body")
        if u_moon < 0.12:
            moon_body = Rotate(Torus(major=_r(moon_r), minor=_r(0.12 * moon_r), material="moon", name="moon_ring"),
                               _v(90.0, math.degrees(math.atan2(dx, dz)), 0.0), name="moon_face")
        parts.append(Translate(moon_body, _v(mx, my, mz), name="moon"))
        max_distance = max(max_distance, min(400.0, moon_far + 2.0 * moon_r + 5.0))

    root = _union(parts, "world", k=0.35 * unit if mood.sharp < 0.35 and not sink else 0.0)
    total = count_nodes(root)
    if total > MAX_NODES:  # pragma: no cover - the arrangements are sized to stay below
        raise AssertionError(f"generated {total} nodes, more than {MAX_NODES}")

    # -- light: low, cold, side or back light for gloom; high and warm for pleasure -------------
    sun_az = azimuth + (1 if u_sun_side < 0.5 else -1) * math.radians(_lerp(35.0, 110.0, u_sun_az))
    if mood.gloom > 0.55 and u_sun_back < 0.35:
        sun_az = azimuth + math.pi + (u_sun_az - 0.5)   # backlight: silhouettes against the sky
    elev = math.radians(_lerp(12.0, 55.0, _clamp((mood.p + 1.0) / 2.0, 0.0, 1.0)) + 10.0 * (u_sun_az - 0.5))
    sun_dir = _v(math.cos(elev) * math.sin(sun_az), math.sin(elev), math.cos(elev) * math.cos(sun_az))
    warm = _clamp((mood.p + 1.0) / 2.0, 0.0, 1.0)
    world = World(
        fog_density=_r(fog_base, 4),
        fog_height=fog_height,
        sun_direction=sun_dir,
        sun_color=_v(_lerp(0.8, 1.0, warm), _lerp(0.88, 0.92, warm), _lerp(1.0, 0.78, warm)),
        sun_intensity=_r(1.5 + 0.9 * warm),
        ambient=_r(0.28 + 0.25 * warm),
    )
    camera = Camera(position=_v(*cam), target=_v(*target), fov=_r(fov, 1),
                    drift=_r(0.08 + 0.2 * mood.energy * (0.5 + u_drift)),
                    drift_speed=_r(0.06 + 0.14 * mood.energy))
    heavy = any(isinstance(nd, (Twist, Warp, Terrain)) for nd in walk(root))
    render = RenderSettings(max_steps=224 if heavy else 160, max_distance=_r(max_distance, 1))

    dominant = dominant_emotion(pad)
    fog_words = ("heavy fog" if fog_eff > 0.05 else "a thin haze" if fog_eff > 0.015 else "clear, open sky")
    description = (f"A generated dream of {dominant} (pleasure {pad.pleasure:+.2f}, arousal {pad.arousal:+.2f}, "
                   f"dominance {pad.dominance:+.2f}): {words} on {ground.describe}, under {fog_words}"
                   + (", with a moon" if has_moon else "") + ".")
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
