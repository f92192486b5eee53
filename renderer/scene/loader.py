"""Load and validate scene files (TOML). Loading is pure data handling: nothing in a file is ever
executed or passed into GLSL as text; only checked numbers, and names chosen from fixed tables,
leave this module.

Every problem is reported as one `SceneError`: `scenes/mia.toml: nodes.spires.radius: must be > 0,
got -1`. Unknown keys are errors (a typo must not be silently ignored).
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Mapping

from renderer.errors import SceneError
from renderer.scene.fields import FieldRuleError, check_value, field_specs
from renderer.scene.model import (
    DEFAULT_MATERIAL_TABLE, LIMITS, Camera, CameraKey, Material, RenderSettings, Scene, World,
)
from renderer.scene.nodes import NODE_TYPES, Combiner, DomainOp, Node, Primitive

__all__ = ["load_scene", "parse_scene", "read_toml", "build_checked", "require_table", "reject_unknown_keys", "SECTIONS"]

SECTIONS = ("scene", "nodes", "materials", "world", "camera", "render", "emotion", "overrides")
_WORLD_COLOURS = ("sky_zenith", "sky_horizon", "fog_color", "palette")


def read_toml(path: str | Path) -> tuple[dict, str]:
    """Read a TOML file with a size limit; returns (data, display name)."""
    path = Path(path)
    shown = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SceneError(shown, "", "file not found") from None
    except IsADirectoryError:
        raise SceneError(shown, "", "is a folder, expected a .toml file") from None
    except OSError as exc:
        raise SceneError(shown, "", f"cannot read ({exc.strerror})") from None
    if len(raw) > LIMITS["file_bytes"]:
        raise SceneError(shown, "", f"file is larger than {LIMITS['file_bytes']} bytes")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise SceneError(shown, "", "is not UTF-8 text") from None
    try:
        return tomllib.loads(text), shown
    except tomllib.TOMLDecodeError as exc:
        raise SceneError(shown, "", f"TOML syntax error: {exc}") from None
    except ValueError:  # tomllib: an integer of more than sys.get_int_max_str_digits() digits
        raise SceneError(shown, "", "TOML value error: integer too long") from None
    except RecursionError:  # tomllib recurses once per nested array / inline table
        raise SceneError(shown, "", "TOML arrays or tables nested too deeply") from None


def load_scene(path: str | Path) -> Scene:
    data, shown = read_toml(path)
    return parse_scene(data, shown)


def require_table(value: Any, file: str, path: str) -> Mapping:
    """`value` if it is a TOML table, else a SceneError at `path` (shared by every file loader:
    scenes, nexus files, shader manifests)."""
    if not isinstance(value, Mapping):
        raise SceneError(file, path, f"must be a table, got {type(value).__name__}")
    return value


def _unknown(file: str, path: str, key: str, allowed) -> SceneError:
    return SceneError(file, f"{path}.{key}" if path else key,
                      f"unknown key (expected one of: {', '.join(sorted(allowed))})")


def reject_unknown_keys(table: Mapping, allowed, file: str, path: str) -> None:
    """A SceneError naming the first key of `table` that is not in `allowed`."""
    for key in table:
        if key not in allowed:
            raise _unknown(file, path, key, allowed)


def build_checked(cls, table: Any, file: str, path: str, *, skip: tuple[str, ...] = ()):
    """Build a `param`-declared dataclass from a TOML table, naming the file and path on error."""
    table = require_table(table, file, path)
    specs = field_specs(cls)
    values = {}
    for key, raw in table.items():
        if key in skip:
            continue
        if key not in specs:
            raise _unknown(file, path, key, [*specs, *skip])
        try:
            values[key] = check_value(specs[key], raw)
        except FieldRuleError as exc:
            raise SceneError(file, f"{path}.{key}", str(exc)) from None
    return values


def _construct(cls, values: dict, file: str, path: str):
    try:
        return cls(**values)
    except SceneError as exc:
        raise SceneError(file, exc.path.replace(cls.__dict__.get("SECTION", ""), path, 1)
                         if exc.path else path, exc.rule) from None


def parse_scene(data: Mapping, file: str) -> Scene:
    try:
        return _parse_scene(data, file)
    except SceneError as exc:
        # Every error names this file (helpers such as the emotion track default to a placeholder)
        # and is one printable line, even when it quotes a key like "a\nb" from the file.
        path, rule = _printable(exc.path), _printable(exc.rule)
        if exc.file == file and path == exc.path and rule == exc.rule:
            raise
        raise SceneError(file, path, rule) from None


def _printable(text: str) -> str:
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def _parse_scene(data: Mapping, file: str) -> Scene:
    for key in data:
        if key not in SECTIONS:
            raise SceneError(file, key, f"unknown section (expected one of: {', '.join(SECTIONS)})")
    head = require_table(data.get("scene", {}), file, "scene")
    reject_unknown_keys(head, {"name", "description", "seed", "root"}, file, "scene")
    name = _string(head.get("name", Path(file).stem), file, "scene.name", 200)
    description = _string(head.get("description", ""), file, "scene.description", 4096)
    seed = _integer(head.get("seed", 0), file, "scene.seed", 0, 2**31 - 1)
    root_name = _string(head.get("root", "root"), file, "scene.root", 64)

    materials = _parse_materials(data.get("materials", {}), file)
    nodes_table = require_table(data.get("nodes"), file, "nodes") if "nodes" in data else None
    if not nodes_table:
        raise SceneError(file, "nodes", "a scene needs at least one node")
    name_spec = field_specs(Primitive)["material"]
    for node_name in nodes_table:  # node names reach the generated GLSL (`// nodes.<name>` comments)
        try:
            check_value(name_spec, node_name)
        except FieldRuleError as exc:
            raise SceneError(file, f"nodes.{node_name}", f"node name {exc}") from None
    root = _NodeBuilder(nodes_table, materials, file).build_root(root_name)

    world = _parse_world(data.get("world", {}), file)
    camera = _parse_camera(data.get("camera", {}), file)
    render = _construct(RenderSettings, build_checked(RenderSettings, data.get("render", {}), file, "render"),
                        file, "render")
    emotion, overrides = _parse_emotion(data, file)
    return Scene(root=root, name=name, description=description, seed=seed, materials=materials,
                 world=world, camera=camera, render=render, emotion=emotion, overrides=overrides,
                 source=file)


def _string(value: Any, file: str, path: str, limit: int) -> str:
    if not isinstance(value, str):
        raise SceneError(file, path, f"must be a string, got {type(value).__name__}")
    if len(value) > limit:
        raise SceneError(file, path, f"must be at most {limit} characters")
    return value


def _integer(value: Any, file: str, path: str, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise SceneError(file, path, f"must be an integer, got {type(value).__name__}")
    if not lo <= value <= hi:
        raise SceneError(file, path, f"must be in [{lo}, {hi}], got {value}")
    return value


def _parse_materials(raw: Any, file: str) -> dict[str, Material]:
    table = require_table(raw, file, "materials")
    if len(table) > LIMITS["materials"]:
        raise SceneError(file, "materials", f"at most {LIMITS['materials']} materials, got {len(table)}")
    materials = dict(DEFAULT_MATERIAL_TABLE)
    name_spec = field_specs(Primitive)["material"]
    for name, body in table.items():
        try:
            check_value(name_spec, name)
        except FieldRuleError as exc:
            raise SceneError(file, f"materials.{name}", f"material name {exc}") from None
        path = f"materials.{name}"
        materials[name] = _construct(Material, build_checked(Material, body, file, path), file, path)
    return materials


def _parse_world(raw: Any, file: str) -> World:
    values = build_checked(World, raw, file, "world", skip=_WORLD_COLOURS)
    for key in _WORLD_COLOURS:
        if key in raw:
            values[key] = raw[key]
    return _construct(World, values, file, "world")


def _parse_camera(raw: Any, file: str) -> Camera:
    raw = require_table(raw, file, "camera")
    values = build_checked(Camera, raw, file, "camera", skip=("keys",))
    keys_raw = raw.get("keys", [])
    if not isinstance(keys_raw, list):
        raise SceneError(file, "camera.keys", "must be an array of tables ([[camera.keys]])")
    if len(keys_raw) > LIMITS["camera_keys"]:
        raise SceneError(file, "camera.keys", f"at most {LIMITS['camera_keys']} keys")
    keys = []
    for i, key_raw in enumerate(keys_raw):
        path = f"camera.keys[{i}]"
        keys.append(_construct(CameraKey, build_checked(CameraKey, key_raw, file, path), file, path))
    values["keys"] = tuple(keys)
    return _construct(Camera, values, file, "camera")


def _parse_emotion(data: Mapping, file: str):
    """Emotion track and parameter overrides (see renderer.scene.emotion_io)."""
    from renderer.scene.emotion_io import parse_emotion_section, parse_overrides_section

    def parsed(section, parse):
        if section not in data:
            return None
        try:
            return parse(data[section], file)
        except OverflowError:  # float() of a TOML integer with hundreds of digits, in the helpers
            raise SceneError(file, section, "numbers must be finite; got an integer too large for a float") from None

    return parsed("emotion", parse_emotion_section), parsed("overrides", parse_overrides_section)


class _NodeBuilder:
    """Resolves named node tables into a tree, catching dangling names, cycles and size limits."""

    def __init__(self, table: Mapping, materials: Mapping, file: str):
        self.table = table
        self.materials = materials
        self.file = file
        self.built: dict[str, Node] = {}
        self.expanded = 0

    def build_root(self, root_name: str) -> Node:
        if root_name not in self.table:
            raise SceneError(self.file, "scene.root",
                             f'names node "{root_name}", which is not defined under [nodes]')
        root = self._build(root_name, (), 1)
        # Nodes the root does not use are still checked: a typo in a spare node must not pass
        # `validate` silently. They count towards the node limit like any other.
        for name in self.table:
            if name not in self.built:
                self._build(name, (), 1)
        return root

    def _count(self, node: Node, path: str) -> None:
        from renderer.scene.nodes import count_nodes

        self.expanded += count_nodes(node)
        if self.expanded > LIMITS["nodes"]:
            raise SceneError(self.file, path, f"scene has more than {LIMITS['nodes']} nodes")

    def _ref(self, ref: Any, stack: tuple[str, ...], depth: int, path: str) -> Node:
        if not isinstance(ref, str):
            raise SceneError(self.file, path, f"must name a node, got {type(ref).__name__}")
        if ref not in self.table:
            raise SceneError(self.file, path, f'unknown node "{ref}"')
        if ref in stack:
            chain = " -> ".join([*stack[stack.index(ref):], ref])
            raise SceneError(self.file, path, f"cycle: {chain}")
        return self._build(ref, stack, depth + 1)

    def _build(self, name: str, stack: tuple[str, ...], depth: int) -> Node:
        path = f"nodes.{name}"
        if depth > LIMITS["depth"]:
            raise SceneError(self.file, path, f"nesting deeper than {LIMITS['depth']}")
        if name in self.built:  # a shared subtree: its whole height now sits below `depth`
            from renderer.scene.nodes import depth as tree_depth

            if depth + tree_depth(self.built[name]) - 1 > LIMITS["depth"]:
                raise SceneError(self.file, path, f"nesting deeper than {LIMITS['depth']}")
            self._count(self.built[name], path)
            return self.built[name]
        body = require_table(self.table[name], self.file, path)
        kind = body.get("type")
        if kind is None:
            raise SceneError(self.file, f"{path}.type", "missing (every node needs a type)")
        if not isinstance(kind, str) or kind not in NODE_TYPES:
            raise SceneError(self.file, f"{path}.type",
                             f'unknown node type "{kind}" (expected one of: {", ".join(sorted(NODE_TYPES))})'
                             if isinstance(kind, str) else "must be a string")
        cls = NODE_TYPES[kind]
        stack = (*stack, name)
        structural = {"type"}
        values: dict[str, Any] = {}
        if issubclass(cls, Combiner):
            structural.add("children")
            kids = body.get("children")
            if not isinstance(kids, list) or len(kids) < 2:
                raise SceneError(self.file, f"{path}.children", "must list at least 2 node names")
            values["children"] = tuple(self._ref(ref, stack, depth, f"{path}.children[{i}]")
                                       for i, ref in enumerate(kids))
        elif issubclass(cls, DomainOp):
            structural.add("child")
            if "child" not in body:
                raise SceneError(self.file, f"{path}.child", "missing (a domain operator needs a child node)")
            values["child"] = self._ref(body["child"], stack, depth, f"{path}.child")
        for key in body:
            if key not in structural and key not in field_specs(cls):
                raise _unknown(self.file, path, key, [*structural, *field_specs(cls)])
        values.update(build_checked(cls, {k: v for k, v in body.items() if k not in structural},
                                    self.file, path))
        if issubclass(cls, Primitive) and values.get("material", "default") not in self.materials:
            raise SceneError(self.file, f"{path}.material",
                             f'unknown material "{values["material"]}" (define it under [materials])')
        node = cls(**values, name=name)
        if not node.children_nodes():
            self._count(node, path)
        else:
            self.expanded += 1
            if self.expanded > LIMITS["nodes"]:
                raise SceneError(self.file, path, f"scene has more than {LIMITS['nodes']} nodes")
        self.built[name] = node
        return node
