"""Exit codes and messages of the command line: 0 ok, 2 bad input (one line, no traceback),
1 environment problems."""

import subprocess
from pathlib import Path
import sys

import numpy as np
import pytest
from PIL import Image

from renderer.cli import main


def run_cli(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_scenes_lists_every_bundled_scene(capsys):
    code, out, _ = run_cli(capsys, "scenes")
    assert code == 0
    names = [line.split()[0] for line in out.splitlines()]
    assert names[:4] == ["mia", "leo", "sam", "elena"]


def test_still_writes_a_png_of_the_requested_size(capsys, tmp_path):
    out_file = tmp_path / "x.png"
    code, out, err = run_cli(capsys, "still", "sam", "-o", str(out_file), "--size", "48x27", "--time", "1")
    assert code == 0, err
    image = np.asarray(Image.open(out_file))
    assert image.shape == (27, 48, 3)
    assert image.std() > 5
    assert not list(tmp_path.glob(".*part*")), "temporary file left behind"


@pytest.mark.parametrize("argv, fragment", [
    (["still", "no-such-scene"], "no such file or bundled scene"),
    (["still", "mia", "--size", "0x10"], "size"),
    (["still", "mia", "--size", "abc"], "size"),
    (["still", "mia", "--time", "soon"], "time"),
    (["still", "mia", "-o", "out.jpg"], "must end in .png"),
    (["still", "mia", "-o", "/no/such/folder/x.png"], "does not exist"),
    (["still", "mia", "--emotion", "glee=1"], "glee"),
    (["still", "mia", "--emotion", "fear=2"], "fear"),
    (["still", "mia", "--seed", "-3"], "seed"),
    (["nonsense"], "invalid choice"),
    ([], "required"),
])
def test_bad_input_exits_2_with_one_line(capsys, argv, fragment):
    code, out, err = run_cli(capsys, *argv)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert fragment in lines[0]
    assert "Traceback" not in err


def test_validate_reports_each_file(capsys, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[scene]\nroot = "a"\n[nodes.a]\ntype = "sphere"\nradius = -1\n')
    good = tmp_path / "good.toml"
    good.write_text('[scene]\nroot = "a"\n[nodes.a]\ntype = "sphere"\nradius = 1\n')
    code, out, err = run_cli(capsys, "validate", str(good), str(bad))
    assert code == 2
    assert out.strip() == f"{good}: ok"
    assert err.strip().splitlines() == [f"{bad}: nodes.a.radius: must be in (0, 10000], got -1"]


def test_glsl_prints_a_complete_fragment_shader(capsys):
    code, out, _ = run_cli(capsys, "glsl", "elena")
    assert code == 0
    assert out.startswith("#version 330 core")
    assert "vec4 dsMap(vec3 p)" in out and "void main()" in out
    assert "#include" not in out


def test_missing_egl_is_one_line_and_exit_1(tmp_path):
    """With EGL unloadable the user gets one line naming what is missing, exit status 1."""
    script = (
        "import moderngl, sys\n"
        "def broken(*a, **k):\n"
        "    raise Exception('libEGL.so: cannot open shared object file')\n"
        "moderngl.create_standalone_context = broken\n"
        "from renderer.cli import main\n"
        f"sys.exit(main(['still', 'mia', '-o', r'{tmp_path / 'x.png'}', '--size', '8x8']))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "EGL" in lines[0] and "Mesa" in lines[0]
    assert not (tmp_path / "x.png").exists()


def test_generate_writes_a_valid_scene_and_is_deterministic(capsys, tmp_path):
    first, second = tmp_path / "a.toml", tmp_path / "b.toml"
    for out in (first, second):
        assert main(["generate", "--emotion", "fear=1", "--seed", "4", "-o", str(out)]) == 0
    assert first.read_text() == second.read_text()
    capsys.readouterr()
    assert main(["validate", str(first)]) == 0
    other = tmp_path / "c.toml"
    assert main(["generate", "--emotion", "joy=1", "--seed", "4", "-o", str(other)]) == 0
    assert other.read_text() != first.read_text()


@pytest.mark.parametrize("argv, fragment", [
    (["generate", "--emotion", "glee=1", "-o", "x.toml"], "glee"),
    (["generate", "--emotion", "fear=1", "-o", "x.png"], ".toml"),
    (["generate", "--emotion", "fear=1", "--seed", "x", "-o", "x.toml"], "seed"),
])
def test_generate_bad_arguments_exit_2(capsys, tmp_path, monkeypatch, argv, fragment):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and fragment in err
    assert list(tmp_path.iterdir()) == []


def test_every_command_that_takes_a_scene_takes_a_nexus(capsys, tmp_path):
    out = tmp_path / "n.png"
    assert main(["still", "nexus", "-o", str(out), "--size", "48x27", "--time", "12"]) == 0
    assert np.asarray(Image.open(out)).std() > 5
    assert main(["glsl", "nexus"]) == 0
    assert "vec4 dsMap(vec3 p)" in capsys.readouterr().out
    assert main(["validate", str(Path(__file__).parent.parent / "scenes" / "nexus.toml")]) == 0
