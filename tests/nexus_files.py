"""Small nexus files for tests: Elena's garden as host, Leo's world behind the portals."""

from __future__ import annotations

import textwrap
from pathlib import Path

from renderer.scene.bundled import scene_root
from renderer.scene.nexus import Nexus, load_nexus

__all__ = ["garden_with_portals_into_leo", "nexus_with_shader"]

SHADERS = Path(__file__).resolve().parent / "shaders"


def garden_with_portals_into_leo(tmp_path, *portals: str, amount: float = 0.0) -> Nexus:
    """Each entry of `portals` is the body of one portal into Leo's world (placement, rim, keys);
    `amount` is the glitch timeline's constant amount."""
    bodies = "".join(f'\n[[portals]]\ndreamer = "leo"\n{textwrap.dedent(body).strip()}\n' for body in portals)
    path = tmp_path / "n.toml"
    path.write_text(textwrap.dedent(f"""\
        [nexus]
        host = "elena"
        [dreamers.elena]
        scene = "{scene_root() / 'elena.toml'}"
        [dreamers.leo]
        scene = "{scene_root() / 'leo.toml'}"
        """) + bodies + textwrap.dedent(f"""
        [glitch]
        [[glitch.keys]]
        t = 0
        amount = {amount}
        """))
    return load_nexus(path)


def nexus_with_shader(tmp_path, host_is_shader: bool) -> Path:
    """A nexus file with a shader dreamer (tests/shaders/sphere.glsl) beside Mia, the shader as
    host or as the world behind a screen-fixed portal."""
    shader = (SHADERS / "sphere.glsl").as_posix()
    dreamers = [("orb", shader), ("mia", "mia")]
    if not host_is_shader:
        dreamers.reverse()
    text = f'[nexus]\nhost = "{dreamers[0][0]}"\nduration = 4.0\n'
    for name, scene in dreamers:
        text += f'[dreamers.{name}]\nscene = "{scene}"\n'
    text += '[dreamers.orb.emotion]\njoy = 0.9\n'
    text += (f'[[portals]]\ndreamer = "{dreamers[1][0]}"\ncentre = [0.5, 0.5]\nradius = 0.3\n'
             '[[portals.keys]]\nt = 0.0\nopenness = 1.0\n')
    path = tmp_path / "n.toml"
    path.write_text(text)
    return path
