"""Shader worlds rendered on llvmpipe: both forms, checked against numpy where the shader is simple."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from renderer.compile.frame import FrameOptions
from renderer.compile.preprocess import ShaderSourceError
from renderer.scene.emotion import PAD
from renderer.shadertoy.renderer import ShaderRenderer, shader_world_renderer
from renderer.shadertoy.world import load_shader_world

SHADERS = Path(__file__).resolve().parent / "shaders"
FEEDBACK = SHADERS / "feedback" / "feedback.shadertoy.toml"
W, H = 64, 36


def render(ctx, path, t=0.0, size=(W, H), frame_index=0, options=FrameOptions(), **kw):
    renderer = ShaderRenderer(ctx, load_shader_world(path, **kw), size)
    try:
        return renderer.render(t, options, frame_index)
    finally:
        renderer.release()


def pixel_grid(size):
    """Shadertoy fragCoord (pixel centres, origin bottom-left) for a top-down image."""
    w, h = size
    x = np.arange(w) + 0.5
    y = (h - 1 - np.arange(h)) + 0.5
    return np.meshgrid(x, y)


def to_bytes(values):
    return np.clip(np.rint(np.asarray(values) * 255.0), 0, 255)


@pytest.mark.parametrize("name", ["pattern.glsl", "pattern.frag"])
def test_2d_pattern_matches_numpy(gl_ctx, name):
    t = 2.25
    image = render(gl_ctx, SHADERS / name, t)
    fx, fy = pixel_grid((W, H))
    expected = np.stack([to_bytes(fx / W), to_bytes(fy / H), np.full((H, W), to_bytes(0.25))], axis=-1)
    diff = np.abs(image.astype(int) - expected)
    assert diff.max() <= 1            # float -> unorm8 rounding at exact halves may go either way
    assert (diff == 0).mean() > 0.99


def _sphere_expectation(size, t):
    w, h = size
    fx, fy = pixel_grid(size)
    uv = np.stack([(2 * fx - w) / h, (2 * fy - h) / h], axis=-1)
    rd = np.concatenate([uv, np.full((h, w, 1), -2.0)], axis=-1)
    rd /= np.linalg.norm(rd, axis=-1, keepdims=True)
    ro = np.array([0.0, 0.0, 3.0])
    b = rd @ ro
    disc = b * b - (ro @ ro - 1.0)
    hit = disc > 0
    dist = -b - np.sqrt(np.maximum(disc, 0.0))
    normal = ro + dist[..., None] * rd
    light = np.array([np.cos(t), 1.0, np.sin(t)])
    light /= np.linalg.norm(light)
    shade = np.maximum(normal @ light, 0.0)
    colour = np.where(hit[..., None], shade[..., None] * np.ones(3), np.array([0.1, 0.2, 0.3]))
    return to_bytes(colour), np.abs(disc) > 0.02


@pytest.mark.parametrize("name", ["sphere.glsl", "sphere.frag"])
def test_raymarcher_matches_analytic_sphere(gl_ctx, name):
    t = 0.7
    image = render(gl_ctx, SHADERS / name, t)
    expected, clear_of_edge = _sphere_expectation((W, H), t)
    diff = np.abs(image.astype(int) - expected)
    assert clear_of_edge.mean() > 0.9
    assert diff[clear_of_edge].max() <= 2
    assert (image[H // 2, W // 2] != [26, 51, 76]).any()   # the sphere is there


def _texture(size):
    w, h = size
    rng = np.random.default_rng(7)
    image = rng.integers(0, 200, size=(h, w, 3), dtype=np.uint8)
    image[0, :] = (0, 0, 255)    # top row blue, bottom row red: catches a missing flip
    image[-1, :] = (255, 0, 0)
    return image


@pytest.mark.parametrize("name", ["mouse_channel.glsl", "mouse_channel.frag"])
def test_channel_image_and_mouse(gl_ctx, tmp_path, name):
    from PIL import Image

    texture = _texture((W, H))
    png = tmp_path / "channel.png"
    Image.fromarray(texture).save(png)
    mouse = (20.0, 10.0, 50.0, -25.0)   # held at (20, 10) since a click at (50, 25)
    image = render(gl_ctx, SHADERS / name, 1.0, channels=[str(png)], mouse=mouse)
    fx, fy = pixel_grid((W, H))
    expected = texture.astype(int).copy()
    expected[np.hypot(fx - 20.0, fy - 10.0) < 6.0] = (255, 0, 255)
    if name.endswith(".glsl"):   # glslViewer's u_mouse has no click position
        expected[np.hypot(fx - 50.0, fy - 25.0) < 3.0] = (0, 255, 0)
    diff = np.abs(image.astype(int) - expected)
    assert diff.max() <= 1
    assert (image[0] == (0, 0, 255)).all() and (image[-1, 30:] == (255, 0, 0)).all()


def test_channel_resolution_of_a_smaller_image(gl_ctx, tmp_path):
    from PIL import Image

    png = tmp_path / "small.png"
    Image.fromarray(_texture((8, 4))).save(png)
    image = render(gl_ctx, SHADERS / "mouse_channel.glsl", channels=[str(png)])
    assert image.max() == 0      # the shader blanks itself when iChannelResolution[0] != iResolution


def test_shadertoy_inputs(gl_ctx):
    t, frame = 3.0, 90
    renderer = ShaderRenderer(gl_ctx, load_shader_world(SHADERS / "inputs.glsl"), (4, 2))
    try:
        image = renderer.render(t, FrameOptions(emotion=PAD(0.5, -0.5, 1.0)), frame)
        rgba = np.frombuffer(renderer.color.read(), np.uint8).reshape(2, 4, 4)
    finally:
        renderer.release()
    row = image[0].astype(int)
    assert row[0].tolist() == [90, 30, 24]          # iFrame, iFrameRate, iDate.x - 2000
    assert row[1].tolist() == [0, 1, 3]             # iDate: January (0), day 1, 3 s after midnight
    assert row[2].tolist() == [191, 64, 255]        # uEmotion (0.5, -0.5, 1) mapped to [0, 1]
    assert row[3].tolist() == [30, 30, 44]          # 1/iTimeDelta, 10 iTime, iSampleRate / 1000
    assert (rgba[..., 3] == 255).all()              # the Image pass is opaque whatever alpha it writes


def test_emotion_in_glslviewer_form_and_world_track(gl_ctx):
    neutral = render(gl_ctx, SHADERS / "emotion.frag", size=(2, 2))
    assert (neutral == 128).all()
    scared = render(gl_ctx, SHADERS / "emotion.frag", size=(2, 2), options=FrameOptions(emotion=PAD(-1.0, 1.0, -1.0)))
    assert scared[0, 0].tolist() == [0, 255, 0]


def _feedback_expectation(frames: int, size):
    w, h = size
    column = np.arange(w)[None, :] * np.ones((h, 1))
    a_x = np.zeros((h, w))
    b = np.zeros((h, w))
    out = []
    for k in range(frames):
        a_y = b.copy()                          # A reads B's previous frame
        a_x = a_x + (column + 0.5 < k + 1.0)    # self-feedback
        b = a_x * 10.0                          # B reads A's current frame
        out.append(np.stack([a_x, a_y, b], axis=-1))
    return out


def test_multipass_feedback_matches_numpy(gl_ctx):
    size = (32, 18)
    frames = 10
    expected = _feedback_expectation(frames, size)
    renderer = ShaderRenderer(gl_ctx, load_shader_world(FEEDBACK), size)
    try:
        for k in range(frames):
            image = renderer.render(k / 30.0, FrameOptions(), k)
            np.testing.assert_array_equal(image, expected[k].astype(np.uint8), err_msg=f"frame {k}")
        assert renderer.read_buffer("A")[..., 0].max() == frames
        # The same frame index again redraws from the same history (motion-blur sub-frames).
        np.testing.assert_array_equal(renderer.render(9 / 30.0, FrameOptions(), 9), expected[9].astype(np.uint8))
        # A jump (backwards here) replays frames 0..k-1, so the frame does not depend on the order.
        np.testing.assert_array_equal(renderer.render(5 / 30.0, FrameOptions(), 5), expected[5].astype(np.uint8))
    finally:
        renderer.release()
    # A fresh renderer asked for frame 7 first (a video segment or a worker) gives the same frame.
    fresh = shader_world_renderer(gl_ctx, load_shader_world(FEEDBACK), size, allow_flashing=False,
                                  keyframe_interval=48)
    try:
        np.testing.assert_array_equal(fresh.render(7 / 30.0, FrameOptions(), 7), expected[7].astype(np.uint8))
    finally:
        fresh.release()


def test_multipass_with_an_image_channel(gl_ctx, tmp_path):
    from PIL import Image

    Image.fromarray(np.full((4, 4, 3), 200, np.uint8)).save(tmp_path / "grey.png")
    shader = tmp_path / "show.glsl"
    shader.write_text("void mainImage(out vec4 c, in vec2 f) {\n"
                      "    c = texture(iChannel1, vec2(0.5)) * texelFetch(iChannel0, ivec2(f), 0).x / 3.0;\n}\n")
    manifest = tmp_path / "m.shadertoy.toml"
    manifest.write_text(f'[passes.A]\nsource = "{(SHADERS / "feedback" / "buffer_a.glsl").as_posix()}"\n'
                        'channels = ["A"]\n'
                        f'[shadertoy]\ncommon = "{(SHADERS / "feedback" / "common.glsl").as_posix()}"\n'
                        '[image]\nsource = "show.glsl"\nchannels = ["A", "image:grey.png"]\n')
    renderer = ShaderRenderer(gl_ctx, load_shader_world(manifest), (8, 4))
    try:
        image = renderer.render(2 / 30.0, FrameOptions(), 2)
    finally:
        renderer.release()
    # Column 0 has counted 3 frames (x = 3) -> grey; column 1 two -> 2/3 grey; column 3 none.
    assert image[0, 0].tolist() == [200] * 3
    assert image[0, 1].tolist() == [133] * 3
    assert image[0, 3].tolist() == [0] * 3


@pytest.mark.parametrize("name, line, message", [
    ("error.glsl", 3, "'undefinedBrightness' undeclared"),
    ("syntax_error.frag", 5, "syntax error"),
])
def test_compile_errors_name_the_users_file_and_line(gl_ctx, name, line, message):
    path = SHADERS / name
    with pytest.raises(ShaderSourceError) as info:
        ShaderRenderer(gl_ctx, load_shader_world(path), (8, 8))
    text = str(info.value)
    assert text.startswith(f"{path}:{line}: ") and message in text and "\n" not in text
    assert info.value.exit_code == 2


def test_errors_in_a_pass_or_common_file_name_that_file(gl_ctx, tmp_path):
    folder = SHADERS / "feedback"
    manifest = tmp_path / "bad.shadertoy.toml"
    manifest.write_text(f'[shadertoy]\ncommon = "{(folder / "common.glsl").as_posix()}"\n'
                        f'[passes.A]\nsource = "{(folder / "buffer_a.glsl").as_posix()}"\nchannels = ["A"]\n'
                        f'[passes.B]\nsource = "{(folder / "bad_buffer_b.glsl").as_posix()}"\nchannels = ["A"]\n'
                        f'[image]\nsource = "{(folder / "image.glsl").as_posix()}"\nchannels = ["A", "B"]\n')
    with pytest.raises(ShaderSourceError, match=rf"^{folder / 'bad_buffer_b.glsl'}:4: "):
        ShaderRenderer(gl_ctx, load_shader_world(manifest), (8, 8))
    broken_common = tmp_path / "common.glsl"
    broken_common.write_text("// common\nvec4 fetchTexel(sampler2D c, vec2 f)\n{\n    return texelFetch(c, f, 0);\n}\n")
    manifest.write_text(f'[shadertoy]\ncommon = "common.glsl"\n'
                        f'[image]\nsource = "{(folder / "image.glsl").as_posix()}"\n')
    with pytest.raises(ShaderSourceError, match=rf"^{broken_common}:4: "):
        ShaderRenderer(gl_ctx, load_shader_world(manifest), (8, 8))


def test_a_shader_layer_goes_through_the_compositor(gl_ctx):
    """What a nexus does with a dreamer: `draw` into `.color`, then composite (portals work)."""
    from renderer.compositor.compositor import Compositor
    from renderer.compositor.effects import GlitchParams, Portal

    host = ShaderRenderer(gl_ctx, load_shader_world(SHADERS / "pattern.glsl"), (W, H))
    other = ShaderRenderer(gl_ctx, load_shader_world(SHADERS / "sphere.frag"), (W, H))
    compositor = Compositor(gl_ctx, (W, H))
    try:
        host.draw(0.5, FrameOptions(), 0)
        other.draw(0.5, FrameOptions(), 0)
        compositor.composite([host.color, other.color], GlitchParams(), 0)
        np.testing.assert_array_equal(compositor.read(), host.read())
        portal = Portal(centre=(0.5, 0.5), radius=0.4, openness=1.0, source=1, rim_width=0.0)
        compositor.composite([host.color, other.color], GlitchParams(portals=(portal,)), 1)
        out = compositor.read()
        assert np.abs(out[H // 2, W // 2].astype(int) - other.read()[H // 2, W // 2]).max() <= 2
        assert np.abs(out[0, 0].astype(int) - host.read()[0, 0]).max() <= 2
    finally:
        compositor.release()
        host.release()
        other.release()


EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "shadertoy"


@pytest.mark.parametrize("name", ["emotion_waves.glsl", "orb.frag", "trails/trails.shadertoy.toml"])
def test_examples_render_and_follow_the_emotion(gl_ctx, name):
    renderer = ShaderRenderer(gl_ctx, load_shader_world(EXAMPLES / name), (W, H))
    try:
        calm = renderer.render(1.0, FrameOptions(emotion=PAD(0.7, -0.5, 0.0)), 30)
        afraid = renderer.render(1.0, FrameOptions(emotion=PAD(-0.6, 0.6, -0.4)), 30)
    finally:
        renderer.release()
    assert calm.std() > 5 and afraid.std() > 5
    assert np.abs(calm.astype(int) - afraid).mean() > 2


def test_glslviewer_texcoord_without_declared_resolution(gl_ctx, tmp_path):
    shader = tmp_path / "uv.frag"
    shader.write_text("varying vec2 v_texcoord;\nvoid main() {\n    gl_FragColor = vec4(v_texcoord, u_time, 1.0);\n}\n")
    image = render(gl_ctx, shader, 0.5, size=(4, 2))
    assert image[0, 0].tolist() == [32, 191, 128] and image[1, 3].tolist() == [223, 64, 128]


def test_bench_record_of_a_shader(gl_ctx):
    from renderer.bench.recorder import BenchSettings
    from renderer.shadertoy.bench import record_shader

    record = record_shader(gl_ctx, "feedback", load_shader_world(FEEDBACK),
                           BenchSettings(size=(16, 8), frames=4, warmup=2))
    assert len(record.times_s) == 4 and record.clock_t[0] == pytest.approx(2 / 30)
    assert all(t > 0 for t in record.times_s) and record.steps_total == 0.0
