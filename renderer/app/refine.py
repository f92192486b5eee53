"""Sharpen a still view: progressive full-resolution rendering while nothing on screen changes.

On a CPU rasteriser the explorer holds its frame rate by rendering at 10-35% of the window's
resolution, which is blurry. When nothing the picture depends on changes between frames (time
paused, camera and emotion at rest: the frame's uniforms are identical), each frame instead spends
its budget rendering the window-size picture in horizontal bands, and shows it once every band is
done. Any change starts over at the live resolution; the sharp picture is then stale.

The state (`Refiner`) is pure bookkeeping plus one `SceneRenderer.draw` per band; the explorer
decides when the view is still (`uniforms_key`) and which renderer (the window-size one) to use.
"""

from __future__ import annotations

import hashlib
import time

import numpy as np

__all__ = ["Refiner", "uniforms_key", "BANDS"]

BANDS = 48   # horizontal bands of the window-size picture: a band of Mia at 960x540 is ~45 ms on llvmpipe


def uniforms_key(uniforms: dict, *extra) -> bytes:
    """A digest of every uniform value (and `extra`): equal keys mean an identical picture."""
    digest = hashlib.blake2b(digest_size=16)
    for name in sorted(uniforms):
        value = uniforms[name]
        digest.update(name.encode())
        if isinstance(value, np.ndarray):
            digest.update(np.ascontiguousarray(value).tobytes())
        else:
            digest.update(repr(value).encode())
    digest.update(repr(extra).encode())
    return digest.digest()


class Refiner:
    def __init__(self, bands: int = BANDS, now=time.perf_counter):
        self.bands = bands
        self.now = now
        self.reset()

    def reset(self) -> None:
        """Forget the sharp picture (the view changed)."""
        self.done = 0          # bands rendered so far; 0 also means the prepass has not run
        self.renderer = None

    @property
    def complete(self) -> bool:
        return self.renderer is not None and self.done >= self.bands

    @property
    def progress(self) -> float:
        return self.done / self.bands

    def step(self, renderer, frame, budget_s: float) -> bool:
        """Render bands of `frame` into `renderer` (window size) until `budget_s` is spent (at
        least one band); True once the picture is complete. Each band is finished (ctx.finish) so
        the budget measures real work, as the explorer's frame time does."""
        if renderer is not self.renderer:
            self.reset()
            self.renderer = renderer
        start = self.now()
        w, h = renderer.size
        while self.done < self.bands:
            y0 = h * self.done // self.bands
            y1 = h * (self.done + 1) // self.bands
            # GL rows count from the bottom: band 0 is the top of the picture.
            renderer.draw(frame, region=(0, h - y1, w, y1 - y0), prepass=self.done == 0)
            renderer.ctx.finish()
            self.done += 1
            if self.now() - start >= budget_s:
                break
        return self.complete
