"""Put pixels on the window: the upscale of the internal frame and the HUD / help / error panels.

Two tiny programs, kept here as strings because they are window plumbing, not part of the GLSL
library in `shaders/` (which only holds what scenes are built from): a textured rectangle in
window pixels, drawn without blending (the upscaled frame, bilinear) or with alpha blending
(text panels).
"""

from __future__ import annotations

import moderngl
import numpy as np

__all__ = ["Overlay", "PanelTexture"]

_VERTEX = """
#version 330 core
uniform vec4 uRect;      // x0, y0, x1, y1 in normalised device coordinates
out vec2 vUv;
void main() {
    vec2 corner = vec2(float(gl_VertexID & 1), float((gl_VertexID >> 1) & 1));
    vUv = corner;
    gl_Position = vec4(mix(uRect.xy, uRect.zw, corner), 0.0, 1.0);
}
"""

_FRAGMENT = """
#version 330 core
uniform sampler2D uImage;
uniform int uFlipY;      // 1 for images uploaded top row first
in vec2 vUv;
out vec4 fragColor;
void main() {
    vec2 uv = vec2(vUv.x, uFlipY != 0 ? 1.0 - vUv.y : vUv.y);
    fragColor = texture(uImage, uv);
}
"""


class PanelTexture:
    """An RGBA image as a texture, reallocated only when its size changes."""

    def __init__(self, ctx: moderngl.Context):
        self.ctx = ctx
        self.texture: moderngl.Texture | None = None
        self.key = None

    def update(self, image: np.ndarray, key=None) -> None:
        h, w = image.shape[:2]
        if self.texture is None or self.texture.size != (w, h):
            if self.texture is not None:
                self.texture.release()
            self.texture = self.ctx.texture((w, h), 4)
            self.texture.filter = (moderngl.NEAREST, moderngl.NEAREST)
        self.texture.write(np.ascontiguousarray(image, dtype=np.uint8).tobytes())
        self.key = key

    def release(self) -> None:
        if self.texture is not None:
            self.texture.release()
            self.texture = None


class Overlay:
    def __init__(self, ctx: moderngl.Context):
        self.ctx = ctx
        self.program = ctx.program(vertex_shader=_VERTEX, fragment_shader=_FRAGMENT)
        self.vao = ctx.vertex_array(self.program, [])
        self.program["uImage"] = 0

    def _draw(self, texture, rect, flip: bool, blend: bool) -> None:
        self.program["uRect"] = rect
        self.program["uFlipY"] = int(flip)
        texture.use(location=0)
        if blend:
            self.ctx.enable(moderngl.BLEND)
            self.ctx.blend_func = moderngl.SRC_ALPHA, moderngl.ONE_MINUS_SRC_ALPHA
        else:
            self.ctx.disable(moderngl.BLEND)
        self.vao.render(moderngl.TRIANGLE_STRIP, vertices=4)
        if blend:
            self.ctx.disable(moderngl.BLEND)

    def upscale(self, texture: moderngl.Texture) -> None:
        """Stretch a frame over the whole viewport with bilinear filtering."""
        texture.filter = (moderngl.LINEAR, moderngl.LINEAR)
        texture.repeat_x = texture.repeat_y = False
        self._draw(texture, (-1.0, -1.0, 1.0, 1.0), flip=False, blend=False)

    def panel(self, panel: PanelTexture, viewport: tuple[int, int], x: int, y: int) -> None:
        """Blend a panel with its top-left corner at window pixel (x, y) from the top-left."""
        if panel.texture is None:
            return
        vw, vh = viewport
        w, h = panel.texture.size
        x0, x1 = 2.0 * x / vw - 1.0, 2.0 * (x + w) / vw - 1.0
        y0, y1 = 1.0 - 2.0 * (y + h) / vh, 1.0 - 2.0 * y / vh
        self._draw(panel.texture, (x0, y0, x1, y1), flip=True, blend=True)

    def release(self) -> None:
        self.vao.release()
        self.program.release()
