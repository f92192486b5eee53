"""Scene-graph nodes: frozen values with a CSG-style builder API.

Node *types and nesting* decide the GLSL program; the *numbers* in them become uniforms (see
renderer.compile), so a node is immutable and compared by value. Builder methods and operators
return new nodes: `(Sphere(1) | Box((1, .5, 1)).translate(0, 1, 0)).smooth(0.3)`.

Every numeric field is declared with `param(...)` (kind and range); the same declarations drive
file validation, builder validation and serialisation.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import ClassVar

from renderer.errors import SceneError
from renderer.scene.fields import FieldRuleError, FieldSpec, check_fields, check_value, param

__all__ = [
    "Node", "Primitive", "Combiner", "DomainOp",
    "Sphere", "Box", "RoundBox", "Torus", "Capsule", "Cone", "Plane", "Terrain", "Mandelbulb",
    "Union", "Intersection", "Difference", "SmoothUnion", "SmoothIntersection", "SmoothDifference",
    "Translate", "Rotate", "Scale", "Repeat", "Mirror", "Twist", "Bend", "Warp", "Displace", "Grow", "Blend",
    "NODE_TYPES", "walk", "count_nodes", "depth",
]

DEFAULT_MATERIAL = "default"
_NAME_SPEC = FieldSpec("name")


def _vec3(args) -> tuple[float, float, float]:
    """Accept `f(1, 2, 3)` and `f((1, 2, 3))` alike."""
    if len(args) == 1:
        return tuple(args[0])
    return tuple(args)


@dataclass(frozen=True)
class Node:
    """Base of every node. `name` labels a node for error paths and nexus bleeding; it is not part
    of the node's value (two graphs that differ only in names are equal)."""

    TYPE: ClassVar[str] = ""
    FAMILY: ClassVar[str] = ""

    name: str | None = field(default=None, compare=False, kw_only=True)

    def __post_init__(self):
        if self.name is not None:  # names reach GLSL comments and scene files: same rule as files
            try:
                check_value(_NAME_SPEC, self.name)
            except FieldRuleError as exc:
                raise SceneError("<builder>", f"{self.TYPE}.name", str(exc)) from None
        check_fields(self, self.TYPE)

    # -- combining -------------------------------------------------------------------------
    def __or__(self, other: "Node") -> "Node":
        return Union(_flatten(Union, self, other))

    def __and__(self, other: "Node") -> "Node":
        return Intersection(_flatten(Intersection, self, other))

    def __sub__(self, other: "Node") -> "Node":
        return Difference((self, other))

    # -- domain operators ------------------------------------------------------------------
    def translate(self, *offset) -> "Node":
        return Translate(self, _vec3(offset))

    def rotate(self, *degrees, spin=(0.0, 0.0, 0.0)) -> "Node":
        return Rotate(self, _vec3(degrees), tuple(spin))

    def scale(self, factor: float) -> "Node":
        return Scale(self, factor)

    def repeat(self, period, count=(0, 0, 0)) -> "Node":
        return Repeat(self, tuple(period), tuple(count))

    def mirror(self, x=True, y=False, z=False) -> "Node":
        return Mirror(self, (float(x), float(y), float(z)))

    def twist(self, rate: float) -> "Node":
        return Twist(self, rate)

    def bend(self, rate: float) -> "Node":
        return Bend(self, rate)

    def warp(self, amplitude: float, frequency: float = 1.0, seed: int = 0, flow: float = 0.0) -> "Node":
        return Warp(self, amplitude, frequency, seed, flow)

    def displace(self, amplitude: float, frequency: float = 1.0, octaves: int = 3, seed: int = 0,
                 flow: float = 0.0) -> "Node":
        return Displace(self, amplitude, frequency, octaves, seed, flow)

    def grow(self, channel: int = 0) -> "Node":
        return Grow(self, channel)

    def with_material(self, material: str) -> "Node":
        """Give every primitive below this node the named material."""
        return _map_primitives(self, lambda prim: dataclasses.replace(prim, material=material))

    def children_nodes(self) -> tuple["Node", ...]:
        return ()

    def with_children(self, children: tuple["Node", ...]) -> "Node":
        return self


def _flatten(cls, a: Node, b: Node) -> tuple[Node, ...]:
    parts = []
    for n in (a, b):
        parts.extend(n.children if type(n) is cls and n.name is None else (n,))
    return tuple(parts)


def _map_primitives(node: Node, fn) -> Node:
    if isinstance(node, Primitive):
        return fn(node)
    return node.with_children(tuple(_map_primitives(c, fn) for c in node.children_nodes()))


# ---------------------------------------------------------------------------------------------
# Primitives
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Primitive(Node):
    FAMILY: ClassVar[str] = "primitive"
    material: str = param(DEFAULT_MATERIAL, "name", kw_only=True, doc="material name")


@dataclass(frozen=True)
class Sphere(Primitive):
    TYPE: ClassVar[str] = "sphere"
    radius: float = param(1.0, "float", 0.0, 1e4, lo_open=True)


@dataclass(frozen=True)
class Box(Primitive):
    TYPE: ClassVar[str] = "box"
    size: tuple = param((1.0, 1.0, 1.0), "vec3", 0.0, 1e4, lo_open=True, doc="half extents")


@dataclass(frozen=True)
class RoundBox(Primitive):
    TYPE: ClassVar[str] = "round_box"
    size: tuple = param((1.0, 1.0, 1.0), "vec3", 0.0, 1e4, lo_open=True, doc="half extents")
    radius: float = param(0.1, "float", 0.0, 1e4)


@dataclass(frozen=True)
class Torus(Primitive):
    TYPE: ClassVar[str] = "torus"
    major: float = param(1.0, "float", 0.0, 1e4, lo_open=True)
    minor: float = param(0.25, "float", 0.0, 1e4, lo_open=True)


@dataclass(frozen=True)
class Capsule(Primitive):
    TYPE: ClassVar[str] = "capsule"
    a: tuple = param((0.0, -0.5, 0.0), "vec3", -1e4, 1e4)
    b: tuple = param((0.0, 0.5, 0.0), "vec3", -1e4, 1e4)
    radius: float = param(0.25, "float", 0.0, 1e4, lo_open=True)


@dataclass(frozen=True)
class Cone(Primitive):
    TYPE: ClassVar[str] = "cone"
    height: float = param(1.0, "float", 0.0, 1e4, lo_open=True, doc="half height along y")
    r1: float = param(0.5, "float", 0.0, 1e4, doc="radius at the bottom")
    r2: float = param(0.0, "float", 0.0, 1e4, doc="radius at the top")


@dataclass(frozen=True)
class Plane(Primitive):
    TYPE: ClassVar[str] = "plane"
    normal: tuple = param((0.0, 1.0, 0.0), "vec3", -1e4, 1e4, nonzero=True)
    offset: float = param(0.0, "float", -1e4, 1e4)


@dataclass(frozen=True)
class Terrain(Primitive):
    """A noise heightfield y = offset + height * fBm(xz / wavelength); `ridge` blends billowy fBm
    towards ridged fBm (emotion sharpness moves it)."""

    TYPE: ClassVar[str] = "terrain"
    height: float = param(1.0, "float", 0.0, 1e3)
    wavelength: float = param(8.0, "float", 0.0, 1e4, lo_open=True)
    octaves: int = param(5, "int", 1, 10)
    ridge: float = param(0.0, "float", 0.0, 1.0)
    offset: float = param(0.0, "float", -1e4, 1e4)
    seed: int = param(0, "int", 0, 65535)


@dataclass(frozen=True)
class Mandelbulb(Primitive):
    TYPE: ClassVar[str] = "mandelbulb"
    power: float = param(8.0, "float", 2.0, 16.0)
    iterations: int = param(8, "int", 1, 16)
    size: float = param(1.0, "float", 0.0, 1e4, lo_open=True)


# ---------------------------------------------------------------------------------------------
# Combiners
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Combiner(Node):
    FAMILY: ClassVar[str] = "combiner"
    SMOOTH: ClassVar[type | None] = None
    children: tuple = ()

    def __post_init__(self):
        object.__setattr__(self, "children", tuple(self.children))
        if len(self.children) < 2:
            raise SceneError("<builder>", self.TYPE, f"needs at least 2 children, got {len(self.children)}")
        for c in self.children:
            if not isinstance(c, Node):
                raise SceneError("<builder>", self.TYPE, f"children must be nodes, got {type(c).__name__}")
        super().__post_init__()

    def smooth(self, k: float) -> "Combiner":
        """The smooth variant of this combiner with blend width k."""
        if self.SMOOTH is None:
            return dataclasses.replace(self, k=k)
        return self.SMOOTH(self.children, k, name=self.name)

    def children_nodes(self):
        return self.children

    def with_children(self, children):
        return dataclasses.replace(self, children=children)


@dataclass(frozen=True)
class SmoothUnion(Combiner):
    TYPE: ClassVar[str] = "smooth_union"
    k: float = param(0.3, "float", 0.0, 1e3)


@dataclass(frozen=True)
class SmoothIntersection(Combiner):
    TYPE: ClassVar[str] = "smooth_intersection"
    k: float = param(0.3, "float", 0.0, 1e3)


@dataclass(frozen=True)
class SmoothDifference(Combiner):
    TYPE: ClassVar[str] = "smooth_difference"
    k: float = param(0.3, "float", 0.0, 1e3)


@dataclass(frozen=True)
class Union(Combiner):
    TYPE: ClassVar[str] = "union"
    SMOOTH: ClassVar[type] = SmoothUnion


@dataclass(frozen=True)
class Intersection(Combiner):
    TYPE: ClassVar[str] = "intersection"
    SMOOTH: ClassVar[type] = SmoothIntersection


@dataclass(frozen=True)
class Difference(Combiner):
    """The first child minus all the others."""

    TYPE: ClassVar[str] = "difference"
    SMOOTH: ClassVar[type] = SmoothDifference


# ---------------------------------------------------------------------------------------------
# Domain operators
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DomainOp(Node):
    FAMILY: ClassVar[str] = "domain"
    child: Node = None

    def __post_init__(self):
        if not isinstance(self.child, Node):
            raise SceneError("<builder>", self.TYPE, f"child must be a node, got {type(self.child).__name__}")
        super().__post_init__()

    def children_nodes(self):
        return (self.child,)

    def with_children(self, children):
        return dataclasses.replace(self, child=children[0])


@dataclass(frozen=True)
class Translate(DomainOp):
    TYPE: ClassVar[str] = "translate"
    offset: tuple = param((0.0, 0.0, 0.0), "vec3", -1e4, 1e4)
    bob: tuple = param((0.0, 0.0, 0.0), "vec3", -1e3, 1e3, doc="sinusoidal bobbing amplitude")
    bob_hz: float = param(0.25, "float", 0.0, 10.0)


@dataclass(frozen=True)
class Rotate(DomainOp):
    TYPE: ClassVar[str] = "rotate"
    degrees: tuple = param((0.0, 0.0, 0.0), "vec3", -3600.0, 3600.0, doc="XYZ Euler angles")
    spin: tuple = param((0.0, 0.0, 0.0), "vec3", -3600.0, 3600.0, doc="degrees per second")


@dataclass(frozen=True)
class Scale(DomainOp):
    TYPE: ClassVar[str] = "scale"
    factor: float = param(1.0, "float", 1e-3, 1e3)


@dataclass(frozen=True)
class Repeat(DomainOp):
    TYPE: ClassVar[str] = "repeat"
    period: tuple = param((4.0, 0.0, 4.0), "vec3", 0.0, 1e4, doc="0 = no repetition on that axis")
    count: tuple = param((0.0, 0.0, 0.0), "vec3", 0.0, 1e4, doc="cells each side; 0 = endless")


@dataclass(frozen=True)
class Mirror(DomainOp):
    TYPE: ClassVar[str] = "mirror"
    axes: tuple = param((1.0, 0.0, 0.0), "mask3")


@dataclass(frozen=True)
class Twist(DomainOp):
    TYPE: ClassVar[str] = "twist"
    rate: float = param(0.5, "float", -100.0, 100.0, doc="radians per unit of y")
    extent: float = param(2.0, "float", 0.0, 1e4, lo_open=True, doc="radius the bound is computed for")


@dataclass(frozen=True)
class Bend(DomainOp):
    TYPE: ClassVar[str] = "bend"
    rate: float = param(0.3, "float", -100.0, 100.0, doc="radians per unit of x")
    extent: float = param(2.0, "float", 0.0, 1e4, lo_open=True, doc="radius the bound is computed for")


@dataclass(frozen=True)
class Warp(DomainOp):
    TYPE: ClassVar[str] = "warp"
    amplitude: float = param(0.3, "float", 0.0, 1e3)
    frequency: float = param(1.0, "float", 0.0, 1e3, lo_open=True)
    seed: int = param(0, "int", 0, 65535)
    flow: float = param(0.0, "float", -100.0, 100.0, doc="noise drift speed, units per second")


@dataclass(frozen=True)
class Displace(DomainOp):
    TYPE: ClassVar[str] = "displace"
    amplitude: float = param(0.2, "float", 0.0, 1e3)
    frequency: float = param(1.0, "float", 0.0, 1e3, lo_open=True)
    octaves: int = param(3, "int", 1, 10)
    seed: int = param(0, "int", 0, 65535)
    flow: float = param(0.0, "float", -100.0, 100.0, doc="noise drift speed, units per second")


@dataclass(frozen=True)
class Grow(DomainOp):
    """Scale the child about its origin by a per-frame channel value (0..1), e.g. how far a
    dreamer's element has bled into another world. Outside a nexus every channel is 1."""

    TYPE: ClassVar[str] = "grow"
    channel: int = param(0, "int", 0, 7)


@dataclass(frozen=True)
class Blend(Combiner):
    """Smooth union whose blend width is scaled by a per-frame channel, so a bled-in element
    melts into the host only as far as it has grown (no bump when the channel is 0)."""

    TYPE: ClassVar[str] = "blend"
    k: float = param(0.5, "float", 0.0, 1e3)
    channel: int = param(0, "int", 0, 7)


NODE_TYPES: dict[str, type[Node]] = {
    cls.TYPE: cls
    for cls in (Sphere, Box, RoundBox, Torus, Capsule, Cone, Plane, Terrain, Mandelbulb,
                Union, Intersection, Difference, SmoothUnion, SmoothIntersection, SmoothDifference,
                Translate, Rotate, Scale, Repeat, Mirror, Twist, Bend, Warp, Displace, Grow, Blend)
}


def walk(node: Node):
    """Yield every node of the tree, parents before children."""
    yield node
    for c in node.children_nodes():
        yield from walk(c)


def count_nodes(node: Node) -> int:
    return sum(1 for _ in walk(node))


def depth(node: Node) -> int:
    kids = node.children_nodes()
    return 1 + (max(depth(c) for c in kids) if kids else 0)
