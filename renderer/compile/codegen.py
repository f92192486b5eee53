"""Scene graph -> GLSL `dsMap()` source plus the uniform slots its numbers live in.

Node types and nesting decide the text; every number is read from `uParams[]`, filled each frame
by `ParamLayout.pack`. So animation and emotion change uniforms only, never the program.

Distance bounds: every node keeps the map a 1-Lipschitz lower bound. Nodes that break the unit
bound (terrain heightfields, noise displacement and warps, twist, bend) multiply their result by
1 / L, with L computed here from the node's current values (see `_lipschitz_*`), so exact
primitives elsewhere in the scene still take full-size steps.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np

from renderer.scene import nodes as n
from renderer.compile.frame_values import FrameValues, rotation_matrix
from renderer.compile.symmetry import carries_noise_on_copy, seamed_repeat_axes

__all__ = ["GeneratedMap", "ParamLayout", "generate_map", "NOISE_GRADIENT_BOUND", "fbm_gradient_bound"]

# Upper bound of |grad| for one octave of our gradient noise at unit frequency (measured on the
# numpy reference: 2.83 in 2D, 3.3 in 3D, the larger taken for both).
NOISE_GRADIENT_BOUND = 3.3


def fbm_gradient_bound(octaves: int, gain: float, lacunarity: float = 2.0) -> float:
    """|grad fbm| bound for normalised fBm at unit frequency.

    The worst case G * sum(a_i f_i) / sum(a_i) assumes every octave's steepest slope lines up,
    which never happens: measured maxima over 2e5 points (octaves 1-8, gain 0.35-0.65) stay below
    G * max(1, 0.8 * that sum), which is what we use (tests/test_distance_bounds.py checks it).
    """
    amps = [gain**i for i in range(octaves)]
    freqs = [lacunarity**i for i in range(octaves)]
    worst = sum(a * f for a, f in zip(amps, freqs)) / sum(amps)
    return NOISE_GRADIENT_BOUND * max(1.0, 0.8 * worst)


Evaluator = Callable[[FrameValues], Sequence[float]]


@dataclass
class ParamLayout:
    """Where each per-frame value goes in `uniform vec4 uParams[]`."""

    entries: list[tuple[int, int, int, Evaluator]] = field(default_factory=list)  # (vec4, comp, size)
    count: int = 0  # vec4 slots used
    _free: int = 4  # free components in the current vec4

    def allocate(self, size: int, fn: Evaluator) -> str:
        if size > self._free or self.count == 0:
            self.count += 1
            self._free = 4
        index = self.count - 1
        comp = 4 - self._free
        self._free -= size
        self.entries.append((index, comp, size, fn))
        swizzle = "xyzw"[comp:comp + size]
        return f"uParams[{index}].{swizzle}"

    def pack(self, values: FrameValues) -> np.ndarray:
        out = np.zeros((max(self.count, 1), 4), dtype=np.float32)
        for index, comp, size, fn in self.entries:
            v = fn(values)
            out[index, comp:comp + size] = v if size > 1 else (v[0] if isinstance(v, (tuple, list)) else v)
        return out


@dataclass
class GeneratedMap:
    source: str
    layout: ParamLayout
    material_ids: dict[str, int]
    node_lines: dict[int, str]  # line in `source` (1-based) -> node path, for error messages


class _Emitter:
    def __init__(self, material_ids: dict[str, int]):
        self.lines: list[str] = []
        self.layout = ParamLayout()
        self.material_ids = material_ids
        self.counter = 0
        self.node_lines: dict[int, str] = {}
        self.unwrapped: str | None = None   # see "domain operators" below

    def fresh(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def line(self, text: str, path: str) -> None:
        self.lines.append("    " + text)
        self.node_lines[len(self.lines)] = path

    def value(self, size: int, fn: Evaluator) -> str:
        return self.layout.allocate(size, fn)

    def scalar(self, fn: Callable[[FrameValues], float]) -> str:
        return self.value(1, lambda fv: (fn(fv),))

    def vec3(self, fn: Callable[[FrameValues], Sequence[float]]) -> str:
        return self.value(3, fn)

    # -- emission ------------------------------------------------------------------------------
    def emit(self, node: n.Node, p: str, path: str) -> str:
        method = getattr(self, f"_emit_{node.TYPE}")
        return method(node, p, path)

    def _result(self, dist_expr: str, node: n.Primitive, path: str) -> str:
        r = self.fresh("r")
        mat = self.material_ids[node.material]
        self.line(f"vec4 {r} = vec4({dist_expr}, {float(mat):.1f}, {float(mat):.1f}, 0.0);", path)
        return r

    def _emit_sphere(self, node, p, path):
        return self._result(f"sdSphere({p}, {self.scalar(lambda fv: node.radius)})", node, path)

    def _emit_box(self, node, p, path):
        return self._result(f"sdBox({p}, {self.vec3(lambda fv: node.size)})", node, path)

    def _emit_round_box(self, node, p, path):
        size = self.vec3(lambda fv: node.size)
        radius = self.scalar(lambda fv: min(node.radius, min(node.size)))
        return self._result(f"sdRoundBox({p}, {size}, {radius})", node, path)

    def _emit_torus(self, node, p, path):
        return self._result(
            f"sdTorus({p}, {self.scalar(lambda fv: node.major)}, {self.scalar(lambda fv: node.minor)})",
            node, path)

    def _emit_capsule(self, node, p, path):
        a, b = self.vec3(lambda fv: node.a), self.vec3(lambda fv: node.b)
        return self._result(f"sdCapsule({p}, {a}, {b}, {self.scalar(lambda fv: node.radius)})", node, path)

    def _emit_cone(self, node, p, path):
        args = ", ".join(self.scalar(lambda fv, k=k: getattr(node, k)) for k in ("height", "r1", "r2"))
        return self._result(f"sdCappedCone({p}, {args})", node, path)

    def _emit_plane(self, node, p, path):
        normal = np.asarray(node.normal, dtype=float)
        unit = tuple(normal / np.linalg.norm(normal))
        return self._result(
            f"sdPlane({p}, {self.vec3(lambda fv: unit)}, {self.scalar(lambda fv: node.offset)})", node, path)

    def _emit_mandelbulb(self, node, p, path):
        size = self.scalar(lambda fv: node.size)
        power = self.scalar(lambda fv: node.power)
        iters = self.scalar(lambda fv: float(node.iterations))
        return self._result(f"sdMandelbulb({p} / {size}, {power}, int({iters})) * {size}", node, path)

    def _emit_terrain(self, node, p, path):
        def amp(fv):
            return node.height * fv.noise_amplitude

        def wavelength(fv):
            return node.wavelength

        def ridge(fv):
            return min(1.0, max(0.0, node.ridge + fv.ridge_bias))

        def inv_bound(fv):
            slope_per_unit = fbm_gradient_bound(node.octaves, fv.fbm_gain) / wavelength(fv)
            ridge_factor = 1.0 + 3.0 * ridge(fv)  # ridged fBm's slope is up to 4x plain fBm's
            slope = amp(fv) * slope_per_unit * ridge_factor
            return 1.0 / math.sqrt(1.0 + slope * slope)

        a, wl, r = self.scalar(amp), self.scalar(wavelength), self.scalar(ridge)
        gain = self.scalar(lambda fv: fv.fbm_gain)
        oct_ = self.scalar(lambda fv: float(node.octaves))
        off = self.scalar(lambda fv: node.offset)
        seed = self.scalar(lambda fv: float(node.seed + fv.seed % 1024))
        inv = self.scalar(inv_bound)
        h = self.fresh("h")
        at = self._noise_point(p)
        self.line(f"float {h} = dsTerrainHeight({at}.xz, {a}, {wl}, int({oct_}), {r}, {gain}, {seed});", path)
        return self._result(f"({p}.y - {off} - {h}) * {inv}", node, path)

    # -- combiners -----------------------------------------------------------------------------
    def _fold(self, node, p, path, step: Callable[[str, str, str], list[str]]) -> str:
        results = [self.emit(c, p, f"{path}.{_child_name(c, i)}") for i, c in enumerate(node.children)]
        r = self.fresh("r")
        self.line(f"vec4 {r} = {results[0]};", path)
        for other in results[1:]:
            for text in step(r, other, path):
                self.line(text, path)
        return r

    def _emit_union(self, node, p, path):
        return self._fold(node, p, path, lambda r, o, _: [f"{r} = ({o}.x < {r}.x) ? {o} : {r};"])

    def _emit_intersection(self, node, p, path):
        return self._fold(node, p, path, lambda r, o, _: [f"{r} = ({o}.x > {r}.x) ? {o} : {r};"])

    def _emit_difference(self, node, p, path):
        return self._fold(node, p, path, lambda r, o, _: [f"{r}.x = opSubtract({r}.x, {o}.x);"])

    def _smooth_k(self, node) -> str:
        return self.scalar(lambda fv: node.k * fv.blend_scale)

    def _smooth_fold(self, node, p, path, k: str, sign: str = "") -> str:
        """Smooth union (sign "") or intersection (sign "-", as -smooth_min(-a, -b)) of the
        children, blending their materials with the weight of the nearer (farther) side."""
        def step(r, o, _):
            h = self.fresh("b")
            return [f"vec2 {h} = opSmoothUnionH({sign}{r}.x, {sign}{o}.x, {k});",
                    f"{r} = opBlendMaterials({r}, {o}, {sign}{h}.x, {h}.y);"]
        return self._fold(node, p, path, step)

    def _emit_smooth_union(self, node, p, path):
        return self._smooth_fold(node, p, path, self._smooth_k(node))

    def _emit_blend(self, node, p, path):
        k = self.scalar(lambda fv: node.k * fv.blend_scale * fv.channel(node.channel))
        return self._smooth_fold(node, p, path, k)

    def _emit_smooth_intersection(self, node, p, path):
        return self._smooth_fold(node, p, path, self._smooth_k(node), sign="-")

    def _emit_smooth_difference(self, node, p, path):
        k = self._smooth_k(node)
        return self._fold(node, p, path, lambda r, o, _: [f"{r}.x = opSmoothSubtract({r}.x, {o}.x, {k});"])

    # -- domain operators ----------------------------------------------------------------------
    # Below a `repeat`, every node sees two points: p, local to its cell, which shapes are
    # measured from, and the unwrapped point (`self.unwrapped`), which noise is sampled at. It is
    # always p plus an offset fixed for each copy. Affine transforms that do not change over time
    # (translate, a fixed rotation, scale) move it as they move p, which keeps that form: it stays
    # the point before the repeat wrapped it, carried through the same transforms, so each copy
    # gets its own bumps and a displaced copy takes the same noise values as its neighbour on the
    # wall between their cells: the field stays continuous there (see `symmetry`). Any other
    # transform (mirror, twist, bend, a spinning rotation, grow) acts about the copy's own centre,
    # and applied to the unwrapped point it would act about the repeat's origin instead: far
    # copies' noise would stretch past the distance bound or slide across them. Below those the
    # unwrapped point is the transformed local point plus the copy's offset (`_local_move`), so
    # the noise rides on the copy; `symmetry` then evaluates the neighbouring cells where that
    # breaks continuity. A mirror or grow over an unbounded child (terrain, an endless repeat),
    # which the neighbouring cells cannot mend, acts on the unwrapped point about the origin as
    # before (`symmetry.carries_noise_on_copy`). Outside any repeat the two points are the same
    # and only p is emitted.
    def _child(self, node, q, path, unwrapped=None) -> str:
        saved, self.unwrapped = self.unwrapped, unwrapped
        try:
            return self.emit(node.child, q, f"{path}.{_child_name(node.child, 0)}")
        finally:
            self.unwrapped = saved

    def _new_point(self, expr: str, path: str) -> str:
        q = self.fresh("p")
        self.line(f"vec3 {q} = {expr};", path)
        return q

    def _moved(self, node, p, path, transform: Callable[[str], str]) -> str:
        """The child evaluated at transform(p) (and the unwrapped point moved alike)."""
        u = self.unwrapped and self._new_point(transform(self.unwrapped), path)
        return self._child(node, self._new_point(transform(p), path), path, u)

    def _local_move(self, node, p, path, transform: Callable[[str], str]) -> str:
        """The child evaluated at transform(p), a transform about the copy's own centre: the
        unwrapped point becomes transform(p) plus the copy's offset (unwrapped minus local)."""
        q = self._new_point(transform(p), path)
        return self._child(node, q, path, self._with_offset(q, p, path))

    def _with_offset(self, q: str, p: str, path: str) -> str | None:
        return self.unwrapped and self._new_point(f"{q} + ({self.unwrapped} - {p})", path)

    def _noise_point(self, p: str) -> str:
        return self.unwrapped or p

    def _emit_translate(self, node, p, path):
        def offset(fv):
            phase = math.sin(2.0 * math.pi * node.bob_hz * fv.anim_time)
            return tuple(o + b * phase for o, b in zip(node.offset, node.bob))
        offset_value = self.vec3(offset)
        return self._moved(node, p, path, lambda x: f"{x} - {offset_value}")

    def _emit_rotate(self, node, p, path):
        def column(i):
            def fn(fv):
                angles = [d + s * fv.anim_time for d, s in zip(node.degrees, node.spin)]
                return tuple(rotation_matrix(angles).T[:, i])  # inverse rotation moves the point
            return fn
        cols = [self.vec3(column(i)) for i in range(3)]
        move = self._local_move if any(node.spin) else self._moved
        return move(node, p, path, lambda x: f"mat3({cols[0]}, {cols[1]}, {cols[2]}) * {x}")

    def _scaled(self, node, p, path, s: str, move) -> str:
        r = move(node, p, path, lambda x: f"{x} / {s}")
        self.line(f"{r}.x *= {s};", path)
        return r

    def _emit_scale(self, node, p, path):
        return self._scaled(node, p, path, self.scalar(lambda fv: node.factor), self._moved)

    def _emit_grow(self, node, p, path):
        # The channel changes over time: about the repeat's origin it would slide far copies' noise.
        move = self._local_move if carries_noise_on_copy(node) else self._moved
        return self._scaled(node, p, path, self.scalar(lambda fv: max(fv.channel(node.channel), 1e-3)), move)

    def _emit_repeat(self, node, p, path):
        """The child in p's own cell; on axes where the child is not seamless across cell walls
        (see `symmetry`), also in the next cells on p's side, keeping the nearest copy: 2, 4 or
        8 evaluations instead of 1, paid only by such children."""
        period = self.vec3(lambda fv: node.period)
        count = self.vec3(lambda fv: tuple(c if c > 0 else 1e6 for c in node.count))
        unwrapped = self.unwrapped or p
        axes = [i for i, on in enumerate(seamed_repeat_axes(node)) if on]
        if not axes:
            q = self._new_point(p, path)
            self.line(f"domRepeatLimited({q}, {period}, {count});", path)
            return self._child(node, q, path, unwrapped)
        best, k = self.fresh("r"), self.fresh("k")
        bits = ["0.0"] * 3
        for bit, axis in enumerate(axes):
            bits[axis] = f"float(({k} >> {bit}) & 1)"
        self.line(f"vec4 {best} = vec4(1e30, 0.0, 0.0, 0.0);", path)
        self.line(f"for (int {k} = 0; {k} < {1 << len(axes)}; {k}++) {{", path)
        q = self._new_point(p, path)
        self.line(f"domRepeatNeighbour({q}, {period}, {count}, vec3({', '.join(bits)}));", path)
        r = self._child(node, q, path, unwrapped)
        self.line(f"if ({r}.x < {best}.x) {{ {best} = {r}; }}", path)
        self.line("}", path)
        return best

    def _emit_mirror(self, node, p, path):
        axes = self.vec3(lambda fv: node.axes)
        q = self._new_point(p, path)
        self.line(f"domMirror({q}, {axes});", path)
        if carries_noise_on_copy(node) or not self.unwrapped:
            return self._child(node, q, path, self._with_offset(q, p, path))
        u = self._new_point(self.unwrapped, path)   # an unbounded child: mirrored about the origin
        self.line(f"domMirror({u}, {axes});", path)
        return self._child(node, q, path, u)

    def _bent(self, node, p, path, fn: str) -> str:
        rate = self.scalar(lambda fv: node.rate)
        inv = self.scalar(lambda fv: 1.0 / math.sqrt(1.0 + (node.rate * node.extent) ** 2))
        r = self._local_move(node, p, path, lambda x: f"{fn}({x}, {rate})")
        self.line(f"{r}.x *= {inv};", path)
        return r

    def _emit_twist(self, node, p, path):
        return self._bent(node, p, path, "domTwist")

    def _emit_bend(self, node, p, path):
        return self._bent(node, p, path, "domBend")

    def _emit_warp(self, node, p, path):
        amp = self.scalar(lambda fv: node.amplitude * fv.warp_strength)
        freq = self.scalar(lambda fv: node.frequency)
        flow = self.vec3(lambda fv: (0.0, node.flow * fv.anim_time, 0.0))
        seed = self.scalar(lambda fv: float(node.seed))
        inv = self.scalar(lambda fv: 1.0 / (1.0 + node.amplitude * fv.warp_strength
                                            * node.frequency * NOISE_GRADIENT_BOUND))
        u = self._noise_point(p)
        # The warp's offset, sampled at the unwrapped point, moves both points.
        offset = self._new_point(f"domWarp3({u} + {flow}, {amp}, {freq}, {seed}) - {flow} - {u}", path)
        r = self._moved(node, p, path, lambda x: f"{x} + {offset}")
        self.line(f"{r}.x *= {inv};", path)
        return r

    def _emit_displace(self, node, p, path):
        def amp(fv):
            return node.amplitude * fv.noise_amplitude

        def freq(fv):
            return node.frequency

        def inv(fv):
            return 1.0 / (1.0 + amp(fv) * freq(fv) * fbm_gradient_bound(node.octaves, fv.fbm_gain))

        a, f, i = self.scalar(amp), self.scalar(freq), self.scalar(inv)
        flow = self.vec3(lambda fv: (0.0, node.flow * fv.anim_time, 0.0))
        gain = self.scalar(lambda fv: fv.fbm_gain)
        oct_ = self.scalar(lambda fv: float(node.octaves))
        seed = self.scalar(lambda fv: float(node.seed))
        r = self._child(node, p, path, self.unwrapped)
        u = self._noise_point(p)
        self.line(f"{r}.x = ({r}.x + {a} * fbm3(({u} + {flow}) * {f}, int({oct_}), 2.0, {gain}, {seed})) * {i};",
                  path)
        return r


def _child_name(node: n.Node, index: int) -> str:
    return node.name or f"{node.TYPE}[{index}]"


def generate_map(root: n.Node, material_names: Sequence[str], root_path: str = "nodes") -> GeneratedMap:
    """Emit `vec4 dsMap(vec3 p)` returning (distance bound, material id, second material id,
    weight of the second): smooth unions and intersections blend materials across their seam."""
    material_ids = {name: i for i, name in enumerate(material_names)}
    em = _Emitter(material_ids)
    # The emotion's feature scale (dominance, arousal: bigger, bolder structures) scales the whole
    # world about the point the camera looks at: every feature, its spacing and every noise
    # wavelength grow together, and what the camera is framing stays framed.
    pivot = em.vec3(lambda fv: fv.pivot)
    fs = em.scalar(lambda fv: fv.feature_scale)
    q = em.fresh("p")
    em.line(f"vec3 {q} = {pivot} + (p - {pivot}) / {fs};", root_path)
    result = em.emit(root, q, f"{root_path}.{_child_name(root, 0)}")
    em.line(f"{result}.x *= {fs};", root_path)
    body = "\n".join(em.lines)
    header = "vec4 dsMap(vec3 p) {"
    source = f"{header}\n{body}\n    return {result};\n}}\n"
    node_lines = {line + 1: path for line, path in em.node_lines.items()}
    return GeneratedMap(source, em.layout, material_ids, node_lines)
