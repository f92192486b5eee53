"""Placing generated shapes: motion, arrangements (tower, ring, grid, scattered) and the
builder that keeps the node budget, camera clearance and naming (see renderer.scene.generate)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from renderer.scene.nodes import (
    Mirror, Node, Repeat, Rotate, SmoothUnion, Sphere, Translate, Twist, Union,
)

from renderer.scene.generate_parts import (  # the package-private building blocks
    MAX_TWISTS, _Ground, _Mood, _Shape, _clamp, _lerp, _make_shape, _r, _sign, _stream, _v,
)
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


