"""Small nexus files for tests: Elena's garden as host, Leo's world behind the portals."""

from __future__ import annotations

import textwrap

from renderer.scene.bundled import scene_root
from renderer.scene.nexus import Nexus, load_nexus

__all__ = ["garden_with_portals_into_leo"]


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
