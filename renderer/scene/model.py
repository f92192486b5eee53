"""Everything in a scene besides the node graph: materials, world, camera, render settings.

All values are frozen and range-checked through the same `param` declarations as the nodes, so a
scene built in Python obeys the same rules as one loaded from TOML.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Mapping

from renderer.errors import SceneError
from renderer.scene.fields import FieldRuleError, check_fields, check_value, field_specs, param
from renderer.scene.nodes import Node

__all__ = ["Material", "World", "CameraKey", "Camera", "RenderSettings", "Scene",
           "LIMITS", "DEFAULT_MATERIAL_TABLE"]

# Limits that keep a hostile file from hanging the GPU or the compiler.
LIMITS = MappingProxyType({
    "nodes": 256,          # nodes in the expanded tree
    "depth": 32,           # nesting depth
    "materials": 32,
    "camera_keys": 256,
    "emotion_keys": 256,
    "file_bytes": 1 << 20,  # 1 MiB of TOML
})


class _Checked:
    """Mixin: validate every `param` field on construction (builder and loader alike)."""

    def __post_init__(self):
        check_fields(self, self.SECTION)


@dataclass(frozen=True)
class Material(_Checked):
    """Surface look. `palette` >= 0 takes the colour from the emotion-driven palette slot
    (0 dark accent, 1 mid, 2 light, 3 accent); -1 uses `color`."""

    SECTION = "materials"
    color: tuple = param((0.7, 0.7, 0.7), "color", doc="sRGB base colour")
    palette: int = param(1, "int", -1, 3)
    roughness: float = param(0.6, "float", 0.0, 1.0)
    emission: float = param(0.0, "float", 0.0, 100.0)
    pulse_hz: float = param(0.0, "float", 0.0, 3.0, doc="emission pulsing, capped at 3 Hz")


DEFAULT_MATERIAL_TABLE = MappingProxyType({"default": Material()})


@dataclass(frozen=True)
class World(_Checked):
    """Sky, fog and lights. Colours left unset come from the emotion mapping."""

    SECTION = "world"
    fog_density: float = param(0.02, "float", 0.0, 10.0, doc="base density; emotion multiplies it")
    fog_height: float = param(0.0, "float", 0.0, 100.0, doc="height falloff, 0 = uniform fog")
    sun_direction: tuple = param((0.4, 0.7, 0.3), "vec3", -1.0, 1.0, nonzero=True)
    sun_color: tuple = param((1.0, 0.92, 0.8), "color")
    sun_intensity: float = param(2.0, "float", 0.0, 100.0)
    ambient: float = param(0.35, "float", 0.0, 10.0)
    sky_zenith: tuple | None = None
    sky_horizon: tuple | None = None
    fog_color: tuple | None = None
    palette: tuple | None = None  # four sRGB colours, overriding the emotion palette

    def __post_init__(self):
        super().__post_init__()
        colour = field_specs(Material)["color"]
        for fname in ("sky_zenith", "sky_horizon", "fog_color"):
            value = getattr(self, fname)
            if value is not None:
                try:
                    object.__setattr__(self, fname, check_value(colour, value))
                except FieldRuleError as exc:
                    raise SceneError("<builder>", f"world.{fname}", str(exc)) from None
        if self.palette is not None:
            if not isinstance(self.palette, (list, tuple)) or len(self.palette) != 4:
                raise SceneError("<builder>", "world.palette", "must be a list of 4 colours")
            out = []
            for i, c in enumerate(self.palette):
                try:
                    out.append(check_value(colour, c))
                except FieldRuleError as exc:
                    raise SceneError("<builder>", f"world.palette[{i}]", str(exc)) from None
            object.__setattr__(self, "palette", tuple(out))


@dataclass(frozen=True)
class CameraKey(_Checked):
    SECTION = "camera.keys"
    t: float = param(0.0, "float", 0.0, 1e6)
    position: tuple = param((0.0, 2.0, 6.0), "vec3", -1e4, 1e4)
    target: tuple = param((0.0, 1.0, 0.0), "vec3", -1e4, 1e4)


@dataclass(frozen=True)
class Camera(_Checked):
    """A fixed look-at camera, or a keyframed path (Catmull-Rom through `keys`), plus optional
    Perlin drift (from the `noise` package) for a floating, dreamy hand-held feel."""

    SECTION = "camera"
    position: tuple = param((0.0, 2.0, 6.0), "vec3", -1e4, 1e4)
    target: tuple = param((0.0, 1.0, 0.0), "vec3", -1e4, 1e4)
    fov: float = param(55.0, "float", 5.0, 150.0, doc="vertical field of view in degrees")
    drift: float = param(0.0, "float", 0.0, 10.0, doc="drift amplitude in scene units")
    drift_speed: float = param(0.15, "float", 0.0, 10.0)
    keys: tuple = ()

    def __post_init__(self):
        super().__post_init__()
        object.__setattr__(self, "keys", tuple(self.keys))
        times = [k.t for k in self.keys]
        if any(b <= a for a, b in zip(times, times[1:])):
            raise SceneError("<builder>", "camera.keys", "key times must strictly increase")


@dataclass(frozen=True)
class RenderSettings(_Checked):
    """Raymarcher settings. `max_steps` is capped so a file cannot hang the GPU."""

    SECTION = "render"
    max_steps: int = param(384, "int", 8, 1024)
    max_distance: float = param(120.0, "float", 1.0, 1e4)
    hit_epsilon: float = param(0.0008, "float", 1e-6, 0.1, doc="hit threshold relative to distance")
    over_relaxation: float = param(1.6, "float", 1.0, 1.95, doc="Keinert et al. omega; 1 = plain")
    prepass: bool = param(True, "bool", doc="coarse cone-marching prepass")
    step_scale: float = param(1.0, "float", 0.05, 1.0, doc="extra safety factor on every step")
    shadows: bool = param(True, "bool")
    ambient_occlusion: bool = param(True, "bool")


@dataclass(frozen=True)
class Scene:
    """A dreamer's world: graph, materials, world, camera, emotion, render settings and seed."""

    root: Node
    name: str = "untitled"
    description: str = ""
    seed: int = 0
    materials: Mapping[str, Material] = field(default_factory=lambda: dict(DEFAULT_MATERIAL_TABLE))
    world: World = field(default_factory=World)
    camera: Camera = field(default_factory=Camera)
    render: RenderSettings = field(default_factory=RenderSettings)
    emotion: Any = None      # renderer.scene.emotion.EmotionTrack, or None for neutral
    overrides: Any = None    # renderer.scene.emotion_map.ParamOverrides, or None
    source: str = field(default="<builder>", compare=False)

    def __post_init__(self):
        from renderer.scene.nodes import Primitive, walk

        for node in walk(self.root):
            if isinstance(node, Primitive) and node.material not in self.materials:
                raise SceneError(self.source, f"nodes.{node.name or node.TYPE}.material",
                                 f'unknown material "{node.material}" (define it in the scene\'s materials)')

    def material_names(self) -> list[str]:
        return list(self.materials)
