"""Write a scene back to TOML, losslessly: `parse_scene(scene_to_toml(s))` equals `s`.

Nodes keep their names where they have one; unnamed nodes get `<type>_<n>`. A subtree shared by
several parents (the same object) is written once and referenced by name.
"""

from __future__ import annotations


import tomli_w

from renderer.scene.fields import field_specs
from renderer.scene.model import DEFAULT_MATERIAL_TABLE, Scene
from renderer.scene.nodes import Combiner, DomainOp, Node

__all__ = ["scene_to_dict", "scene_to_toml", "save_scene"]


def _fields(obj, skip=()) -> dict:
    out = {}
    for name in field_specs(type(obj)):
        if name in skip:
            continue
        value = getattr(obj, name)
        out[name] = list(value) if isinstance(value, tuple) else value
    return out


class _NodeWriter:
    def __init__(self):
        self.tables: dict[str, dict] = {}
        self.by_id: dict[int, str] = {}
        self.counter = 0

    def _fresh(self, node: Node) -> str:
        if node.name and node.name not in self.tables:
            return node.name
        while True:
            self.counter += 1
            candidate = f"{node.TYPE}_{self.counter}"
            if candidate not in self.tables:
                return candidate

    def write(self, node: Node) -> str:
        if id(node) in self.by_id:
            return self.by_id[id(node)]
        name = self._fresh(node)
        self.by_id[id(node)] = name
        table: dict = {"type": node.TYPE}
        self.tables[name] = table  # reserve the name before children take theirs
        if isinstance(node, Combiner):
            table["children"] = [self.write(c) for c in node.children]
        elif isinstance(node, DomainOp):
            table["child"] = self.write(node.child)
        table.update(_fields(node))
        return name


def scene_to_dict(scene: Scene) -> dict:
    from renderer.scene.emotion_io import emotion_to_toml, overrides_to_toml

    writer = _NodeWriter()
    root = writer.write(scene.root)
    data: dict = {"scene": {"name": scene.name, "seed": scene.seed, "root": root}}
    if scene.description:
        data["scene"]["description"] = scene.description
    if scene.emotion is not None:
        data["emotion"] = emotion_to_toml(scene.emotion)
    if scene.overrides is not None:
        data["overrides"] = overrides_to_toml(scene.overrides)
    materials = {n: _fields(m) for n, m in scene.materials.items()
                 if not (n in DEFAULT_MATERIAL_TABLE and m == DEFAULT_MATERIAL_TABLE[n])}
    if materials:
        data["materials"] = materials
    world = _fields(scene.world)
    for key in ("sky_zenith", "sky_horizon", "fog_color", "palette"):
        value = getattr(scene.world, key)
        if value is not None:
            world[key] = [list(c) for c in value] if key == "palette" else list(value)
    data["world"] = world
    camera = _fields(scene.camera, skip=("keys",))
    if scene.camera.keys:
        camera["keys"] = [_fields(k) for k in scene.camera.keys]
    data["camera"] = camera
    data["render"] = _fields(scene.render)
    data["nodes"] = writer.tables
    return data


def scene_to_toml(scene: Scene) -> str:
    return tomli_w.dumps(scene_to_dict(scene))


def save_scene(scene: Scene, path) -> None:
    from renderer.output.atomic import write_text_atomic

    write_text_atomic(path, scene_to_toml(scene))
