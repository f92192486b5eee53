"""Shader worlds through `dreamscape` itself. These run once renderer/cli.py wires the shadertoy
package in (`export`, `--channel0`, shader paths as SCENE); until then they skip."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from nexus_files import nexus_with_shader

from renderer.errors import InputError

SHADERS = Path(__file__).resolve().parent / "shaders"


def _wired(argv) -> bool:
    from renderer.cli import build_parser

    try:
        build_parser().parse_args(argv)
    except (InputError, SystemExit):
        return False
    return True


needs_still = pytest.mark.skipif(not _wired(["still", "x.glsl", "--channel0", "a.png", "--mouse", "1,2"]),
                                 reason="shader options not wired into renderer/cli.py yet")
needs_export = pytest.mark.skipif(not _wired(["export", "sam", "--shadertoy"]),
                                  reason="`dreamscape export` not wired into renderer/cli.py yet")


@needs_still
def test_still_of_a_shader_file(tmp_path, capsys):
    from PIL import Image

    from renderer.cli import main

    out = tmp_path / "p.png"
    assert main(["still", str(SHADERS / "pattern.glsl"), "-o", str(out), "--size", "32x18", "--time", "0.5"]) == 0
    image = np.asarray(Image.open(out))
    assert image.shape == (18, 32, 3) and abs(int(image[0, 0, 2]) - 128) <= 1
    captured = capsys.readouterr()
    assert "Shadertoy form" in captured.out + captured.err


@needs_still
def test_shader_compile_error_exits_2_with_file_and_line(tmp_path, capsys):
    from renderer.cli import main

    path = SHADERS / "error.glsl"
    assert main(["still", str(path), "-o", str(tmp_path / "e.png"), "--size", "8x8"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and f"{path}:3: 'undefinedBrightness' undeclared" in err[0]


@needs_export
def test_export_command(tmp_path):
    from renderer.cli import main

    out = tmp_path / "sam.glsl"
    assert main(["export", "sam", "--shadertoy", "-o", str(out), "--time", "1"]) == 0
    assert "void mainImage(" in out.read_text()
    assert main(["export", "sam"]) == 2


def _nexus_wired(tmp_path) -> bool:
    from renderer.scene.bundled import load_world_path

    try:
        load_world_path(nexus_with_shader(tmp_path, False))
    except InputError:
        return False
    return True


@pytest.mark.parametrize("host_is_shader", [False, True])
def test_shader_dreamer_in_a_nexus(tmp_path, gl_ctx, host_is_shader):
    if not _nexus_wired(tmp_path):
        pytest.skip("shader dreamers not wired into renderer/scene/nexus.py yet")
    from renderer.output.stills import render_still
    from renderer.scene.bundled import load_world_path

    nexus = load_world_path(nexus_with_shader(tmp_path, host_is_shader))
    image = render_still(nexus, (64, 36), 1.0, ctx=gl_ctx)
    from renderer.shadertoy.renderer import ShaderRenderer
    from renderer.shadertoy.world import load_shader_world

    alone = ShaderRenderer(gl_ctx, load_shader_world(SHADERS / "sphere.glsl"), (64, 36))
    try:
        sphere = alone.render(1.0, frame_index=30).astype(int)
    finally:
        alone.release()
    # The sphere shader is the layer seen through the portal (no glitches in this nexus), or the
    # host all around the portal.
    if host_is_shader:
        assert np.abs(image[2, 2].astype(int) - sphere[2, 2]).max() <= 3
        assert np.abs(image[18, 32].astype(int) - sphere[18, 32]).max() > 12
    else:
        assert np.abs(image[18, 32].astype(int) - sphere[18, 32]).max() <= 3
        assert np.abs(image[2, 2].astype(int) - sphere[2, 2]).max() > 12
