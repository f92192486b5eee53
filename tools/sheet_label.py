"""Shared by the contact-sheet tools: a caption drawn on a tile (white on a black box, top left),
so every sheet in docs/images reads the same."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

__all__ = ["label"]


def label(image: np.ndarray, text: str) -> np.ndarray:
    pil = Image.fromarray(image)
    draw = ImageDraw.Draw(pil)
    draw.rectangle([0, 0, 8 + 6 * len(text), 13], fill=(0, 0, 0))
    draw.text((4, 1), text, fill=(255, 255, 255))
    return np.asarray(pil)
