"""The Dream Nexus: several dreamers' worlds, portals between them and a glitch timeline.

A nexus file is data like a scene file (TOML). It names a host dreamer, the other dreamers (each a
scene file, a bundled scene's name, an inline scene, or another nexus file whose host it borrows),
screen-space portals whose openness is keyframed, and a glitch timeline. Loading validates
everything with one-line errors naming file, path and rule, detects cycles of nexus files that
include each other, and limits dreamer and portal counts (the compositor has four layers).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from renderer.errors import SceneError
from renderer.scene.emotion import EASINGS, EmotionTrack, ease
from renderer.scene.fields import FieldRuleError, FieldSpec, check_value
from renderer.scene.loader import parse_scene, read_toml, reject_unknown_keys, require_table
from renderer.scene.model import Scene

__all__ = ["Nexus", "Dreamer", "NexusPortal", "Bleed", "Keyframes", "GlitchTimeline", "load_nexus", "is_nexus_data",
           "EFFECTS", "NEXUS_LIMITS"]

NEXUS_LIMITS = {"dreamers": 4, "portals": 4, "bleeds": 8, "keys": 256, "nesting": 4}
BLEED_SEPARATOR = "__"   # a bled material is named <dreamer>__<material> in the host's world
EFFECTS = ("tear", "channel_split", "blocks", "datamosh", "interlace", "posterize")
# How strongly each effect follows the master glitch amount when a file gives no weights: tearing
# leads, the heavier corruptions follow (engineering choice, see docs/nexus.md).
DEFAULT_WEIGHTS = {"tear": 1.0, "channel_split": 0.8, "blocks": 0.6, "datamosh": 0.5,
                   "interlace": 0.4, "posterize": 0.25}
_NAME = FieldSpec("name")
_UNIT = FieldSpec("float", 0.0, 1.0)


def is_nexus_data(data: Mapping) -> bool:
    return "nexus" in data


@dataclass(frozen=True)
class Keyframes:
    """A scalar over time: (t, value, easing of the segment ending at the key); clamped ends."""

    keys: tuple[tuple[float, float, str], ...]

    def at(self, t: float) -> float:
        keys = self.keys
        if t <= keys[0][0]:
            return keys[0][1]
        for (t0, v0, _), (t1, v1, easing) in zip(keys, keys[1:]):
            if t < t1:
                return v0 + (v1 - v0) * ease(easing, (t - t0) / (t1 - t0))
        return keys[-1][1]

    def max_slope(self) -> float:
        """Steepest change per second (the smoothstep family peaks at 1.5-1.875x the mean)."""
        worst = 0.0
        for (t0, v0, _), (t1, v1, easing) in zip(self.keys, self.keys[1:]):
            peak = {"linear": 1.0, "smoothstep": 1.5, "ease-in": 2.0, "ease-out": 2.0,
                    "ease-in-out": 1.875}.get(easing, math.inf)
            if v1 != v0:
                worst = max(worst, abs(v1 - v0) / (t1 - t0) * peak)
        return worst


@dataclass(frozen=True)
class Dreamer:
    name: str
    scene: Scene
    emotion: EmotionTrack | None = None  # replaces the scene's own track inside the nexus


@dataclass(frozen=True)
class NexusPortal:
    name: str
    dreamer: str
    centre: tuple[float, float]          # screen position: x from the left, y from the top, in [0, 1]
    radius: float                        # fraction of the frame height
    rim_color: tuple[float, float, float]
    rim_width: float
    openness: Keyframes
    position: tuple[float, float, float] | None = None  # world-anchored: a sphere in the host's world,
                                                        # hidden where host geometry is nearer
    world_radius: float = 1.0                           # its radius in scene units


@dataclass(frozen=True)
class Bleed:
    """An element of another dreamer's graph that grows into the host's world (3D blending)."""

    dreamer: str
    node: str                            # name of a node in that dreamer's scene
    offset: tuple[float, float, float]   # where it appears in the host's world
    k: float                             # smooth-min blend width with the host's geometry
    strength: Keyframes                  # 0: absent, 1: fully grown and blended


@dataclass(frozen=True)
class GlitchTimeline:
    amount: Keyframes                    # master intensity over time (the stabilise phase ramps it to 0)
    weights: Mapping[str, float]
    follow_emotion: bool = True          # scale by the emotional distance of the dreamers that touch


@dataclass(frozen=True)
class Nexus:
    name: str
    description: str
    seed: int
    host: str
    duration: float
    dreamers: tuple[Dreamer, ...]
    portals: tuple[NexusPortal, ...]
    glitch: GlitchTimeline
    bleeds: tuple[Bleed, ...] = ()
    source: str = field(default="<nexus>", compare=False)

    def dreamer_index(self, name: str) -> int:
        return [d.name for d in self.dreamers].index(name)

    def host_scene(self) -> Scene:
        """The host's scene with every bleed merged into its graph: element i is grown by channel
        i and smooth-unioned with a blend width scaled by the same channel. Growing is a uniform
        scale and the blend a smooth minimum, so the merged map stays a distance bound."""
        from renderer.scene.nodes import Blend, Grow, Translate

        host = self.dreamers[0].scene
        if not self.bleeds:
            return host                  # also a shader dreamer's world (it has no graph)
        root, materials = host.root, dict(host.materials)
        for channel, bleed in enumerate(self.bleeds):
            source = self.dreamers[self.dreamer_index(bleed.dreamer)].scene
            element = _namespaced(_find_node(source.root, bleed.node), bleed.dreamer)
            for name in _material_names(element):
                materials[name] = source.materials[name.split(BLEED_SEPARATOR, 1)[1]]
            placed = Translate(Grow(element, channel), bleed.offset)
            root = Blend((root, placed), k=bleed.k, channel=channel)
        return dataclasses.replace(host, root=root, materials=materials)


def _find_node(root, name: str):
    from renderer.scene.nodes import walk

    return next((n for n in walk(root) if n.name == name), None)


def _namespaced(node, dreamer: str):
    from renderer.scene.nodes import Primitive

    if isinstance(node, Primitive):
        return dataclasses.replace(node, material=f"{dreamer}{BLEED_SEPARATOR}{node.material}")
    return node.with_children(tuple(_namespaced(c, dreamer) for c in node.children_nodes()))


def _material_names(node) -> set[str]:
    from renderer.scene.nodes import Primitive, walk

    return {n.material for n in walk(node) if isinstance(n, Primitive)}


# ------------------------------------------------------------------------------------------------
def _value(spec: FieldSpec, table: Mapping, key: str, default, file: str, path: str):
    if key not in table:
        if default is _REQUIRED:
            raise SceneError(file, f"{path}.{key}", "missing")
        return default
    try:
        return check_value(spec, table[key])
    except FieldRuleError as exc:
        raise SceneError(file, f"{path}.{key}", str(exc)) from None


_REQUIRED = object()


def _keyframes(raw: Any, value_key: str, file: str, path: str, default: float) -> Keyframes:
    if raw is None:
        return Keyframes(((0.0, default, "linear"),))
    if not isinstance(raw, list) or not raw:
        raise SceneError(file, path, "must be a non-empty array of tables")
    if len(raw) > NEXUS_LIMITS["keys"]:
        raise SceneError(file, path, f"at most {NEXUS_LIMITS['keys']} keys")
    keys, previous = [], None
    for i, key in enumerate(raw):
        kp = f"{path}[{i}]"
        key = require_table(key, file, kp)
        reject_unknown_keys(key, {"t", value_key, "easing"}, file, kp)
        t = _value(FieldSpec("float", 0.0, 1e6), key, "t", _REQUIRED, file, kp)
        if previous is not None and t <= previous:
            raise SceneError(file, f"{kp}.t", f"times must strictly increase, got {t:g} after {previous:g}")
        previous = t
        value = _value(_UNIT, key, value_key, _REQUIRED, file, kp)
        easing = _value(FieldSpec("str", choices=EASINGS), key, "easing", "smoothstep", file, kp)
        keys.append((t, value, easing))
    return Keyframes(tuple(keys))


def _scene_from(value: Any, base: Path, file: str, path: str, stack: tuple[str, ...]) -> Scene:
    """A dreamer's world: a scene path (relative to the nexus file), a bundled name, or a nexus
    file whose host world is borrowed."""
    from renderer.scene.bundled import resolve_scene_path

    if not isinstance(value, str):
        raise SceneError(file, path, "must be a scene file path or a bundled scene name")
    candidate = base / value
    try:
        resolved = candidate if candidate.exists() else resolve_scene_path(value)
    except Exception:
        raise SceneError(file, path, f'scene "{value}" not found (relative to {base} or bundled)') from None
    key = str(resolved.resolve())
    if key in stack:
        chain = " -> ".join(Path(s).name for s in (*stack[stack.index(key):], key))
        raise SceneError(file, path, f"nexus files include each other: {chain}")
    if len(stack) >= NEXUS_LIMITS["nesting"]:
        raise SceneError(file, path, f"nexus files nested deeper than {NEXUS_LIMITS['nesting']}")
    from renderer.shadertoy.world import is_shader_path, load_shader_world

    if is_shader_path(resolved):
        return load_shader_world(resolved)
    data, shown = read_toml(resolved)
    if is_nexus_data(data):
        inner = _parse(data, shown, resolved.parent, (*stack, key))
        return inner.dreamers[inner.dreamer_index(inner.host)].scene
    return parse_scene(data, shown)


def load_nexus(path: str | Path) -> Nexus:
    data, shown = read_toml(path)
    if not is_nexus_data(data):
        raise SceneError(shown, "nexus", "missing (a nexus file starts with a [nexus] table)")
    return _parse(data, shown, Path(path).parent, (str(Path(path).resolve()),))


def _parse(data: Mapping, file: str, base: Path, stack: tuple[str, ...]) -> Nexus:
    reject_unknown_keys(data, {"nexus", "dreamers", "portals", "glitch", "bleeds"}, file, "")
    head = require_table(data["nexus"], file, "nexus")
    reject_unknown_keys(head, {"name", "description", "seed", "host", "duration"}, file, "nexus")
    name = _value(FieldSpec("str"), head, "name", Path(file).stem, file, "nexus")
    description = _value(FieldSpec("str"), head, "description", "", file, "nexus")
    seed = _value(FieldSpec("int", 0, 2**31 - 1), head, "seed", 0, file, "nexus")
    duration = _value(FieldSpec("float", 0.1, 3600.0), head, "duration", 20.0, file, "nexus")
    host = _value(_NAME, head, "host", _REQUIRED, file, "nexus")

    dreamers_raw = require_table(data.get("dreamers", {}), file, "dreamers")
    if not dreamers_raw:
        raise SceneError(file, "dreamers", "a nexus needs at least one dreamer")
    if len(dreamers_raw) > NEXUS_LIMITS["dreamers"]:
        raise SceneError(file, "dreamers", f"at most {NEXUS_LIMITS['dreamers']} dreamers, got {len(dreamers_raw)}")
    dreamers, lowered = [], {}
    for dname, body in dreamers_raw.items():
        path = f"dreamers.{dname}"
        try:
            check_value(_NAME, dname)
        except FieldRuleError as exc:
            raise SceneError(file, path, f"dreamer name {exc}") from None
        if dname.lower() in lowered:
            raise SceneError(file, path, f'name overlaps dreamer "{lowered[dname.lower()]}" (names ignore case)')
        lowered[dname.lower()] = dname
        body = require_table(body, file, path)
        reject_unknown_keys(body, {"scene", "inline", "emotion"}, file, path)
        if ("scene" in body) == ("inline" in body):
            raise SceneError(file, path, "needs exactly one of scene (a file or bundled name) or inline")
        if "scene" in body:
            scene = _scene_from(body["scene"], base, file, f"{path}.scene", stack)
        else:
            try:
                scene = parse_scene(require_table(body["inline"], file, f"{path}.inline"), file)
            except SceneError as exc:
                raise SceneError(file, f"{path}.inline.{exc.path}" if exc.path else f"{path}.inline",
                                 exc.rule) from None
        emotion = None
        if "emotion" in body:
            from renderer.scene.emotion_io import parse_emotion_section

            try:
                emotion = parse_emotion_section(body["emotion"], file)
            except SceneError as exc:
                raise SceneError(file, f"{path}.{exc.path}", exc.rule) from None
        dreamers.append(Dreamer(dname, scene, emotion))
    names = [d.name for d in dreamers]
    if host not in names:
        raise SceneError(file, "nexus.host", f'names dreamer "{host}", which is not under [dreamers]')
    # The host renders as layer 0.
    dreamers.sort(key=lambda d: d.name != host)

    portals_raw = data.get("portals", [])
    if not isinstance(portals_raw, list):
        raise SceneError(file, "portals", "must be an array of tables ([[portals]])")
    if len(portals_raw) > NEXUS_LIMITS["portals"]:
        raise SceneError(file, "portals", f"at most {NEXUS_LIMITS['portals']} portals")
    portals, portal_names = [], set()
    for i, body in enumerate(portals_raw):
        path = f"portals[{i}]"
        body = require_table(body, file, path)
        reject_unknown_keys(body, {"name", "dreamer", "centre", "radius", "rim_color", "rim_width", "keys", "position",
                     "world_radius"}, file, path)
        if "position" in body and ("centre" in body or "radius" in body):
            raise SceneError(file, f"{path}.position", "give either position/world_radius (anchored in the "
                             "host's world) or centre/radius (fixed on screen), not both")
        pname = _value(_NAME, body, "name", f"portal_{i}", file, path)
        if pname in portal_names:
            raise SceneError(file, f"{path}.name", f'portal name "{pname}" is used twice')
        portal_names.add(pname)
        target = _value(_NAME, body, "dreamer", _REQUIRED, file, path)
        if target not in names:
            raise SceneError(file, f"{path}.dreamer", f'unknown dreamer "{target}" (dreamers: {", ".join(names)})')
        if target == host:
            raise SceneError(file, f"{path}.dreamer", "a portal must lead to another dreamer than the host")
        centre = body.get("centre", [0.5, 0.5])
        if not isinstance(centre, list) or len(centre) != 2:
            raise SceneError(file, f"{path}.centre", "must be a list of 2 numbers (screen u, v in [0, 1])")
        centre = tuple(_value(_UNIT, {"c": c}, "c", 0.5, file, f"{path}.centre[{j}]") for j, c in enumerate(centre))
        radius = _value(FieldSpec("float", 0.01, 2.0), body, "radius", 0.25, file, path)
        rim = _value(FieldSpec("color"), body, "rim_color", (1.0, 0.6, 0.9), file, path)
        rim_width = _value(FieldSpec("float", 0.0, 0.5), body, "rim_width", 0.04, file, path)
        openness = _keyframes(body.get("keys"), "openness", file, f"{path}.keys", 1.0)
        position = (_value(FieldSpec("vec3", -1e4, 1e4), body, "position", None, file, path)
                    if "position" in body else None)
        world_radius = _value(FieldSpec("float", 0.0, 1e4, lo_open=True), body, "world_radius", 1.0, file, path)
        portals.append(NexusPortal(pname, target, centre, radius, rim, rim_width, openness, position, world_radius))

    glitch_raw = require_table(data.get("glitch", {}), file, "glitch")
    reject_unknown_keys(glitch_raw, {"follow_emotion", "weights", "keys"}, file, "glitch")
    follow = _value(FieldSpec("bool"), glitch_raw, "follow_emotion", True, file, "glitch")
    weights = dict(DEFAULT_WEIGHTS)
    weights_raw = require_table(glitch_raw.get("weights", {}), file, "glitch.weights")
    reject_unknown_keys(weights_raw, set(EFFECTS), file, "glitch.weights")
    for effect in weights_raw:
        weights[effect] = _value(_UNIT, weights_raw, effect, 0.0, file, "glitch.weights")
    amount = _keyframes(glitch_raw.get("keys"), "amount", file, "glitch.keys", 0.0)
    bleeds = _parse_bleeds(data.get("bleeds", []), dreamers, host, file)
    nexus = Nexus(name, description, seed, host, duration, tuple(dreamers), tuple(portals),
                  GlitchTimeline(amount, weights, follow), tuple(bleeds), source=file)
    if bleeds:
        from renderer.scene.model import LIMITS
        from renderer.scene.nodes import count_nodes, depth

        merged = nexus.host_scene().root
        if count_nodes(merged) > LIMITS["nodes"] or depth(merged) > LIMITS["depth"]:
            raise SceneError(file, "bleeds", f"the host with its bleeds exceeds {LIMITS['nodes']} nodes "
                             f"or depth {LIMITS['depth']}")
    return nexus


def _parse_bleeds(raw: Any, dreamers: list[Dreamer], host: str, file: str) -> list[Bleed]:
    if not isinstance(raw, list):
        raise SceneError(file, "bleeds", "must be an array of tables ([[bleeds]])")
    if len(raw) > NEXUS_LIMITS["bleeds"]:
        raise SceneError(file, "bleeds", f"at most {NEXUS_LIMITS['bleeds']} bleeds")
    by_name = {d.name: d for d in dreamers}
    bleeds = []
    for i, body in enumerate(raw):
        path = f"bleeds[{i}]"
        body = require_table(body, file, path)
        reject_unknown_keys(body, {"dreamer", "node", "offset", "k", "keys"}, file, path)
        dreamer = _value(_NAME, body, "dreamer", _REQUIRED, file, path)
        if dreamer not in by_name:
            raise SceneError(file, f"{path}.dreamer", f'unknown dreamer "{dreamer}"')
        if dreamer == host:
            raise SceneError(file, f"{path}.dreamer", "bleeds bring another dreamer's element into the host")
        node = _value(_NAME, body, "node", _REQUIRED, file, path)
        if not hasattr(by_name[dreamer].scene, "root") or not hasattr(by_name[host].scene, "root"):
            shader = dreamer if not hasattr(by_name[dreamer].scene, "root") else host
            raise SceneError(file, f"{path}.dreamer", f'dreamer "{shader}" is a shader: bleeds need scene graphs')
        if _find_node(by_name[dreamer].scene.root, node) is None:
            raise SceneError(file, f"{path}.node", f'dreamer "{dreamer}" has no node named "{node}"')
        offset = _value(FieldSpec("vec3", -1e4, 1e4), body, "offset", (0.0, 0.0, 0.0), file, path)
        k = _value(FieldSpec("float", 0.0, 100.0), body, "k", 0.5, file, path)
        strength = _keyframes(body.get("keys"), "strength", file, f"{path}.keys", 1.0)
        bleeds.append(Bleed(dreamer, node, offset, k, strength))
    return bleeds
