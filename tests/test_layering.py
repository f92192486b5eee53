"""The layering rules of docs/architecture.md, checked by walking the imports of every module."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "renderer"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def modules_under(sub: str):
    return sorted((PACKAGE / sub).rglob("*.py"))


@pytest.mark.parametrize("layer", ["scene", "compile"])
def test_scene_and_compile_layers_never_import_gl(layer):
    files = modules_under(layer)
    assert files, f"no modules found under renderer/{layer}"
    for path in files:
        for module in imported_modules(path):
            assert not module.startswith("moderngl"), f"{path} imports {module}"
            assert not module.startswith("renderer.gl"), f"{path} imports {module}"
            assert not module.startswith("renderer.app"), f"{path} imports {module}"


def test_only_the_app_imports_moderngl_window():
    for path in PACKAGE.rglob("*.py"):
        if "app" in path.relative_to(PACKAGE).parts:
            continue
        for module in imported_modules(path):
            assert not module.startswith("moderngl_window"), f"{path} imports {module}"


def test_only_gl_and_app_import_moderngl_directly():
    allowed = {"gl", "app"}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).parts
        if parts[0] in allowed:
            continue
        for module in imported_modules(path):
            assert not module.startswith("moderngl"), f"{path} imports {module}"


def test_scene_layer_does_not_import_compile_layer():
    for path in modules_under("scene"):
        for module in imported_modules(path):
            assert not module.startswith("renderer.compile"), f"{path} imports {module}"
