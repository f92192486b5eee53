"""Assemble the fragment shaders of a scene and the key they are cached by.

The shader text is: a header of structure-only defines, the GLSL library, the pass's main file and
the generated `dsMap`. Numbers are uniforms, so the program key (a hash of the text) stays the same
when radii, colours or emotions change. The one exception is whether a repeated child needs its
neighbouring cells evaluated (see `symmetry`), which a few of its numbers decide.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property

from renderer.compile.codegen import GeneratedMap, generate_map
from renderer.compile.preprocess import PreprocessedSource, preprocess
from renderer.scene.model import Scene
from renderer.scene.nodes import Primitive, walk

__all__ = ["CompiledScene", "compile_scene", "PASSES", "LIBRARY", "GLSL_VERSION"]

GLSL_VERSION = "#version 330 core"
PASSES = {"main": "render/main.glsl", "prepass": "render/prepass.glsl"}
_MAP_MARKER = "// ---- generated from the scene graph ----"
LIBRARY = ("lib/common.glsl", "lib/sdf.glsl", "lib/ops.glsl", "lib/domain.glsl", "lib/terrain.glsl")


def used_materials(scene: Scene) -> list[str]:
    """Material names in table order, limited to those some primitive uses (at least one)."""
    used = {node.material for node in walk(scene.root) if isinstance(node, Primitive)}
    names = [name for name in scene.materials if name in used]
    return names or ["default"]


@dataclass(frozen=True)
class CompiledScene:
    scene: Scene
    map: GeneratedMap
    material_names: tuple[str, ...]

    def source(self, pass_name: str = "main", debug_steps: bool = False) -> PreprocessedSource:
        """Preprocessed fragment source for one pass (`main` or `prepass`)."""
        return self._sources[(pass_name, debug_steps)]

    @cached_property
    def _sources(self) -> dict:
        return _SourceTable(self)

    def key(self, pass_name: str = "main", debug_steps: bool = False) -> str:
        return hashlib.sha256(self.source(pass_name, debug_steps).text.encode()).hexdigest()[:20]

    def node_for_line(self, origin_line: int, pass_name: str = "main", debug_steps: bool = False) -> str | None:
        """The scene node whose generated code is at `origin_line` of the top-level shader text."""
        header = _fragment_text(self, pass_name, debug_steps).split(_MAP_MARKER)[0]
        return self.map.node_lines.get(origin_line - header.count("\n") - 1)


class _SourceTable(dict):
    def __init__(self, compiled: CompiledScene):
        super().__init__()
        self.compiled = compiled

    def __missing__(self, key):
        pass_name, debug_steps = key
        text = _fragment_text(self.compiled, pass_name, debug_steps)
        value = preprocess(text, origin=f"<{self.compiled.scene.source}: generated>")
        self[key] = value
        return value


def _fragment_text(compiled: CompiledScene, pass_name: str, debug_steps: bool) -> str:
    defines = [
        f"#define DS_PARAM_COUNT {max(compiled.map.layout.count, 1)}",
        f"#define DS_MATERIAL_COUNT {len(compiled.material_names)}",
    ]
    if debug_steps:
        defines.append("#define DS_DEBUG_STEPS 1")
    includes = [f'#include "{path}"' for path in (*LIBRARY, PASSES[pass_name])]
    return "\n".join([
        GLSL_VERSION, *defines, "uniform vec4 uParams[DS_PARAM_COUNT];", *includes,
        _MAP_MARKER, compiled.map.source,
    ])


def compile_scene(scene: Scene) -> CompiledScene:
    names = used_materials(scene)
    return CompiledScene(scene, generate_map(scene.root, names), tuple(names))
