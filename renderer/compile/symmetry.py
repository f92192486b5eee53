"""Whether a repeated child's field is seamless across the walls of its cells.

Domain repetition evaluates the child in the cell the point falls in. On a wall between two cells,
the two sides see local points that are mirror images along the repeated axis (x = +half and
x = -half), so the field is continuous there when the child's field is mirror-symmetric in its
local point. Noise is no obstacle: below a repeat it is sampled at the unwrapped point, which is
the same on both sides of a wall (see the code generator's domain operators).

A child that is not seamless (an off-centre or turned shape, a warp, a bend) jumps at the walls.
A smooth union carries the jump onto any surface near it; Elena's lawn had dark specks along the
walls of her hedge row when displacement noise was still sampled per cell. `repeat` therefore
also evaluates the neighbouring cells on the axes `seamed_repeat_axes` returns.

Answers are conservative: False means "not shown", which costs evaluations but is never wrong.
"""

from __future__ import annotations

from functools import lru_cache

from renderer.scene import nodes as n

__all__ = ["seamless", "round_about_y", "bounded", "carries_noise_on_copy", "seamed_repeat_axes"]

_CENTRED = (n.Sphere, n.Box, n.RoundBox, n.Torus)   # symmetric about all three axes
_SCALING = (n.Scale, n.Grow)                         # uniform, about the origin


def _no_turn(node: n.Rotate) -> bool:
    # The angle is degrees + spin * time: any spin turns the copy at almost every moment.
    return all(float(a) % 360.0 == 0.0 for a in node.degrees) and not any(node.spin)


@lru_cache(maxsize=4096)
def _has_noise(node: n.Node) -> bool:
    return any(isinstance(x, (n.Displace, n.Warp, n.Terrain)) for x in n.walk(node))


def _capsule_mirrors(node: n.Capsule, axis: int) -> bool:
    a = list(node.a)
    a[axis] = -a[axis]
    on_plane = node.a[axis] == 0.0 and node.b[axis] == 0.0
    return on_plane or tuple(a) == tuple(node.b)   # mirroring swaps the two ends


@lru_cache(maxsize=4096)
def seamless(node: n.Node, axis: int) -> bool:
    """True when the node's field is shown to be unchanged by mirroring its local point along
    `axis` (noise, sampled at the unwrapped point, does not count)."""
    if isinstance(node, _CENTRED):
        return True
    if isinstance(node, n.Capsule):
        return _capsule_mirrors(node, axis)
    if isinstance(node, n.Cone):
        return axis != 1 or node.r1 == node.r2   # a cone along y, centred
    if isinstance(node, n.Plane):
        return node.normal[axis] == 0.0
    if isinstance(node, n.Terrain):
        return axis != 1   # depends on the local point through its height y only
    if isinstance(node, n.Combiner):
        return all(seamless(child, axis) for child in node.children)
    if isinstance(node, n.Translate):
        return node.offset[axis] == 0.0 and node.bob[axis] == 0.0 and seamless(node.child, axis)
    if isinstance(node, n.Rotate):
        return _no_turn(node) and seamless(node.child, axis)
    if isinstance(node, n.Mirror):
        # Noise riding on the copy (see carries_noise_on_copy) is mirrored with it, so across a
        # wall of a mirrored axis two copies sample it a period apart.
        if node.axes[axis] >= 0.5:
            return not (carries_noise_on_copy(node) and _has_noise(node.child))
        return seamless(node.child, axis)
    if isinstance(node, n.Grow):
        # Likewise noise riding on a copy that is scaled about its centre.
        return seamless(node.child, axis) and not (carries_noise_on_copy(node) and _has_noise(node.child))
    if isinstance(node, (n.Repeat, n.Displace, n.Scale)):
        # Centred cells and scaling keep a symmetry; displacement adds only noise.
        return seamless(node.child, axis)
    if isinstance(node, n.Twist):
        # A twist turns the xz plane about y: invisible to a child that is round about y, unless
        # noise below it rides on the twisted copy (see the code generator's domain operators).
        if node.rate != 0.0 and not (round_about_y(node.child) and not _has_noise(node.child)):
            return False
        return seamless(node.child, axis)
    if isinstance(node, n.Bend):
        return node.rate == 0.0 and seamless(node.child, axis)
    if isinstance(node, n.Warp):
        return node.amplitude == 0.0 and seamless(node.child, axis)
    return False   # the mandelbulb, and any node type added later until it is thought through


@lru_cache(maxsize=4096)
def round_about_y(node: n.Node) -> bool:
    """True when the field depends on the local point's x and z only through sqrt(x^2 + z^2)."""
    if isinstance(node, (n.Sphere, n.Torus, n.Cone, n.Terrain)):
        return True
    if isinstance(node, n.Capsule):
        return all(end[0] == 0.0 and end[2] == 0.0 for end in (node.a, node.b))
    if isinstance(node, n.Plane):
        return node.normal[0] == 0.0 and node.normal[2] == 0.0
    if isinstance(node, n.Combiner):
        return all(round_about_y(child) for child in node.children)
    if isinstance(node, n.Translate):
        return all(node.offset[i] == 0.0 and node.bob[i] == 0.0 for i in (0, 2)) and round_about_y(node.child)
    if isinstance(node, n.Rotate):
        return _no_turn(node) and round_about_y(node.child)
    if isinstance(node, (n.Displace, n.Twist, *_SCALING)):
        return round_about_y(node.child)
    if isinstance(node, n.Warp):
        return node.amplitude == 0.0 and round_about_y(node.child)
    if isinstance(node, n.Bend):
        return node.rate == 0.0 and round_about_y(node.child)
    return False


@lru_cache(maxsize=4096)
def bounded(node: n.Node) -> bool:
    """True when the node's shape is shown to be finite. Only a finite child can be evaluated in
    the neighbouring cells: the pair of cells looked at changes at each cell's centre, where a
    child reaching further than the next cell would jump."""
    if isinstance(node, (n.Terrain, n.Plane)):
        return False
    if isinstance(node, n.Repeat):
        endless = any(period > 0.0 and count <= 0.0 for period, count in zip(node.period, node.count))
        return not endless and bounded(node.child)
    if isinstance(node, (n.Intersection, n.SmoothIntersection)):
        return any(bounded(child) for child in node.children)
    if isinstance(node, (n.Difference, n.SmoothDifference)):
        return bounded(node.children[0])
    if isinstance(node, n.Combiner):
        return all(bounded(child) for child in node.children)
    if hasattr(node, "child"):
        return bounded(node.child)
    return True   # the remaining primitives are finite


def carries_noise_on_copy(node: n.Node) -> bool:
    """Whether a mirror or grow below a repeat moves noise with the copy (about the copy's centre)
    rather than about the repeat's origin. Riding on the copy keeps the distance bound under a
    twist, bend or spin below them and keeps noise still while a grow changes, but breaks the
    seam, which only the neighbouring cells mend, so only a finite child rides."""
    return bounded(node.child)


def seamed_repeat_axes(node: n.Repeat) -> tuple[bool, bool, bool]:
    """The axes the node repeats along on which its child is not shown to be seamless, and so
    also evaluated in the neighbouring cells; none for an unbounded child (see `bounded`)."""
    if not bounded(node.child):
        return (False, False, False)
    return tuple(node.period[i] > 0.0 and not seamless(node.child, i) for i in range(3))
