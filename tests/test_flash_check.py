"""The WCAG 2.3.1 three-flashes check: transitions, regions, one-second windows, and the CLI."""

import numpy as np
import pytest

from renderer.cli import main
from renderer.output.encode import encode_mp4
from renderer.output.flash_check import (
    CELLS, FIELDS, FlashMonitor, cell_luminance, check_frames, chromaticity, count_transitions, saturated_red,
)

W, H, FPS = 48, 28, 30   # even: mp4 (yuv420p) needs it


def grey(level: int) -> np.ndarray:
    return np.full((H, W, 3), level, np.uint8)


def strobe(hz: float, seconds: float = 2.0, dark: int = 20, bright: int = 230):
    """A full-frame square wave: `hz` dark-bright cycles (flashes) per second."""
    for k in range(int(seconds * FPS)):
        yield grey(bright if (k * hz / FPS) % 1.0 >= 0.5 else dark)


def test_transitions_need_a_tenth_of_the_range_and_a_dark_side():
    assert count_transitions([0.1, 0.3, 0.1, 0.3, 0.1]) == [1, 2, 3, 4]
    assert count_transitions([0.1, 0.15, 0.1, 0.15, 0.1]) == []          # under 0.1
    assert count_transitions([0.85, 0.98, 0.85, 0.98]) == []             # darker state above 0.8
    # A slow climb is one transition, counted when it has risen 0.1 from its lowest point.
    assert count_transitions(np.linspace(0.1, 0.5, 41)) == [10]
    # Rises and falls alternate: a second rise before any fall is not a new transition.
    assert count_transitions([0.1, 0.25, 0.2, 0.35]) == [1]


@pytest.mark.parametrize("hz, passes", [(2.0, True), (3.0, True), (4.0, False), (8.0, False)])
def test_more_than_three_full_frame_flashes_a_second_fail(hz, passes):
    report = check_frames(strobe(hz), FPS)
    assert report.passed is passes, report.describe()
    assert report.max_flashes_per_second == pytest.approx(hz, abs=0.5)


def test_a_strobing_corner_fails_even_when_the_frame_mean_hardly_moves():
    frames = []
    for k in range(2 * FPS):
        frame = grey(120)
        frame[: H // 3, : W // 3] = 230 if k % 4 < 2 else 20   # 7.5 Hz in the top-left ninth
        frames.append(frame)
    lum = [cell_luminance(f).mean() for f in frames]
    assert max(lum) - min(lum) < 0.1, "the whole-frame mean stays within one transition"
    report = check_frames(frames, FPS)
    assert not report.passed
    assert report.violations[0].field == (0, 0)


def patch_strobe(hz: float, y0: int, x0: int, h: int, w: int, dark=60, bright=125, seconds=2.0):
    """A patch flashing between two dark greys (relative luminance ~0.05 and ~0.2) over a
    mid-grey frame."""
    for k in range(int(seconds * FPS)):
        frame = grey(90)
        frame[y0:y0 + h, x0:x0 + w] = bright if (k * hz / FPS) % 1.0 >= 0.5 else dark
        yield frame


def test_a_quarter_of_a_field_flashing_off_the_grid_fails():
    """WCAG's area is 25% of a 10 degree field (a third of the frame each way): a patch a sixth
    of the frame each way, placed across cell borders, is enough."""
    size_y, size_x = H // 6 + 3, W // 6 + 3
    assert not check_frames(patch_strobe(5.0, H // 2 - 3, W // 2 - 5, size_y, size_x), FPS).passed
    # The same patch flashing three times a second passes; a much smaller one never counts.
    assert check_frames(patch_strobe(3.0, H // 2 - 3, W // 2 - 5, size_y, size_x), FPS).passed
    assert check_frames(patch_strobe(5.0, H // 2, W // 2, 2, 3), FPS).passed


def test_a_strobe_faster_than_the_frame_rate_can_show_is_counted_once_per_change():
    report = check_frames(strobe(15.0), FPS)   # the picture inverts every frame
    assert report.max_flashes_per_second == pytest.approx(15.0, abs=0.5)


def test_the_one_second_window_is_exact_at_fractional_frame_rates():
    """Transitions at frames 1-6 and 13 at 12.5 fps: the seventh comes 12 frames (0.96 s) after
    the first, so one second holds seven (3.5 flashes). A window of round(12.5) = 12 frames
    would have missed it."""
    bright = {1, 3, 5, 13}
    frames = [grey(230 if k in bright else 20) for k in range(15)]
    report = check_frames(frames, 12.5)
    assert report.max_flashes_per_second == 3.5 and not report.passed
    assert report.violations[0].time_s == pytest.approx(1 / 12.5)


def test_cells_tile_the_frame():
    frame = grey(0)
    frame[H // 2, W // 2] = 255
    lum = cell_luminance(frame)
    assert lum.shape == (CELLS, CELLS) and FIELDS == CELLS - 3
    assert (lum > 0).sum() == 1 and lum[CELLS // 2, CELLS // 2] > 0


def test_monitor_needs_a_positive_frame_rate():
    with pytest.raises(ValueError):
        FlashMonitor(0)


def test_flashcheck_command_reads_a_video_and_exits_3_when_it_flashes(tmp_path, capsys):
    fast, slow = tmp_path / "fast.mp4", tmp_path / "slow.mp4"
    encode_mp4(fast, strobe(6.0), (W, H), FPS, 18, 64)
    encode_mp4(slow, strobe(1.0), (W, H), FPS, 18, 64)
    assert main(["flashcheck", str(slow)]) == 0
    assert "within WCAG 2.3.1" in capsys.readouterr().out
    assert main(["flashcheck", str(fast)]) == 3
    err = capsys.readouterr().err.strip()
    assert err.startswith("dreamscape: warning: flash check: at most 6.0 flashes") and "\n" not in err


def test_flashcheck_command_bad_input_is_one_line_and_exit_2(tmp_path, capsys):
    text = tmp_path / "notes.txt"
    text.write_text("not a video")
    for arg in (str(text), str(tmp_path / "missing.mp4"), str(tmp_path)):
        assert main(["flashcheck", arg]) == 2
        err = capsys.readouterr().err.strip()
        assert err.startswith("dreamscape: ") and "\n" not in err and arg in err


STROBE_SHADER = """
void mainImage(out vec4 fragColor, in vec2 fragCoord) {
    fragColor = vec4(vec3(step(0.5, fract(iTime * %s))), 1.0);
}
"""


@pytest.mark.parametrize("hz, allow, status", [(6.0, False, 3), (6.0, True, 0), (1.0, False, 0)])
def test_render_checks_what_it_wrote(tmp_path, capsys, hz, allow, status):
    shader = tmp_path / "strobe.frag"
    shader.write_text(STROBE_SHADER % hz)
    out = tmp_path / "strobe.mp4"
    args = ["render", str(shader), "-o", str(out), "--size", "32x18", "--duration", "1.5", "--quiet"]
    assert main(args + (["--allow-flashing"] if allow else [])) == status
    captured = capsys.readouterr()
    assert out.exists(), "the video is kept either way"
    assert "flash check:" in (captured.err if status else captured.out)


def test_render_reports_a_damaged_output_in_one_line(tmp_path, capsys, monkeypatch):
    """If the written file reads back short, the render says so (exit 1) instead of passing it."""
    from renderer.output import flash_check

    real = flash_check.check_file

    def short(path, fps=None):
        report = real(path, fps)
        return flash_check.FlashReport(report.frames - 2, report.fps, report.max_flashes_per_second, ())

    monkeypatch.setattr(flash_check, "check_file", short)
    out = tmp_path / "v.mp4"
    assert main(["render", "elena", "-o", str(out), "--size", "32x18", "--frames", "6", "--quiet"]) == 1
    err = capsys.readouterr().err.strip()
    assert "4 frames read back where 6 were rendered" in err and "\n" not in err


@pytest.mark.parametrize("seed", range(4))
def test_a_camera_pan_over_bright_shapes_is_not_a_flash(seed):
    """Edges sweeping through a field at half a frame width a second turn different cells at
    different times and no cell flashes more than three times a second, so nothing fails (a
    per-field count used to add the cells up). A much faster pan over dense bright shapes does
    make single places flicker, and is counted."""
    rng = np.random.default_rng(seed)
    w, h = 96, 54
    scene = np.full((h, 2 * w, 3), 20, np.uint8)
    for _ in range(8):
        x, y = rng.integers(0, 2 * w - 12), rng.integers(0, h - 9)
        scene[y:y + 9, x:x + 12] = 230
    frames = [np.roll(scene, -int(0.5 * w * k / FPS), axis=1)[:, :w] for k in range(2 * FPS)]
    report = check_frames(frames, FPS)
    assert report.passed, report.describe()


@pytest.mark.parametrize("fps", [30, 120, 240])
def test_a_smooth_flicker_over_a_quarter_of_a_field_fails_at_any_frame_rate(fps):
    """A 4 Hz sine over six cells of one field, three strong and three weaker (a swing of about
    0.2): each of them flashes four times a second, whenever its own threshold is crossed, so the
    cells need not change in the same frame to count together."""
    w, h = 96, 48
    cw, ch = w // 12, h // 12
    frames = []
    for k in range(2 * fps):
        level = 0.5 + 0.5 * np.sin(2 * np.pi * 4 * k / fps)
        frame = np.full((h, w, 3), 60, np.uint8)
        for i, amplitude in enumerate((170, 170, 170, 90, 90, 90)):
            y, x = 4 * ch + (i // 3) * ch, 4 * cw + (i % 3) * cw
            frame[y:y + ch, x:x + cw] = int(40 + amplitude * level)
        frames.append(frame)
    report = check_frames(frames, fps)
    assert not report.passed and report.max_flashes_per_second >= 3.5, report.describe()


def test_gifs_read_back_every_frame_once_and_need_their_frame_rate(tmp_path, capsys):
    """ffmpeg reports a GIF as 100 fps; read at a constant rate, a 60 fps GIF came back with
    duplicated frames and the render called its own output damaged."""
    out = tmp_path / "g.gif"
    assert main(["render", "elena", "-o", str(out), "--size", "32x18", "--frames", "12", "--fps", "60", "--quiet"]) == 0
    assert "(12 frames at 60 fps)" in capsys.readouterr().out
    assert main(["flashcheck", str(out)]) == 2
    assert "give --fps" in capsys.readouterr().err
    assert main(["flashcheck", str(out), "--fps", "60"]) == 0



def colour_strobe(a, b, hz: float, seconds: float = 2.0):
    """The whole frame alternating between two sRGB colours, `hz` cycles a second."""
    for k in range(int(seconds * FPS)):
        yield np.broadcast_to(np.array(b if (k * hz / FPS) % 1.0 >= 0.5 else a, np.uint8), (H, W, 3)).copy()


RED = (255, 0, 0)
GREEN_AS_BRIGHT_AS_RED = (0, 149, 0)   # relative luminance 0.213, red's is 0.2126


def test_saturated_red_and_chromaticity():
    linear = np.array([[1.0, 0.0, 0.0], [1.0, 0.2, 0.1], [0.5, 0.5, 0.5], [0.01, 0.0, 0.0]])
    assert saturated_red(linear).tolist() == [True, False, False, False]   # the last: too dark
    uv = chromaticity(linear)
    np.testing.assert_allclose(uv[0], [0.4507, 0.5229], atol=1e-3)      # sRGB red
    np.testing.assert_allclose(uv[2], [0.1978, 0.4683], atol=1e-3)      # D65 grey


def test_a_red_green_flicker_of_equal_luminance_is_a_red_flash():
    """No general flash (the luminance hardly moves), but more than three red flashes a second."""
    report = check_frames(colour_strobe(RED, GREEN_AS_BRIGHT_AS_RED, 5.0), FPS)
    assert report.max_flashes_per_second == 0.0
    assert report.max_red_flashes_per_second == pytest.approx(5.0, abs=0.5)
    assert not report.passed
    assert {v.kind for v in report.violations} == {"red"}
    assert "three flashes (red)" in report.describe()


@pytest.mark.parametrize("hz, passes", [(2.0, True), (5.0, False)])
def test_red_blinking_to_black_counts_as_red_flashes(hz, passes):
    report = check_frames(colour_strobe(RED, (0, 0, 0), hz), FPS)
    assert report.max_red_flashes_per_second == pytest.approx(hz, abs=0.5)
    assert report.passed is passes


def test_colour_changes_without_a_saturated_red_or_too_small_are_not_red_flashes():
    blue_green = check_frames(colour_strobe((0, 0, 255), (0, 200, 0), 5.0), FPS)
    assert blue_green.max_red_flashes_per_second == 0.0
    red_orange = check_frames(colour_strobe(RED, (255, 60, 0), 5.0), FPS)   # u'v' 0.06 apart
    assert red_orange.max_red_flashes_per_second == 0.0


def test_a_red_strobe_is_caught_whatever_colour_came_before_it():
    """Two colours 0.24 apart in u'v' (one a saturated red), both within 0.2 of a red shown just
    before: measured from that red alone the strobe went unseen."""
    a, b = (218, 115, 0), (211, 36, 255)
    alone = check_frames(colour_strobe(a, b, 5.0), FPS)
    primed = check_frames([np.full((H, W, 3), (231, 0, 121), np.uint8), *colour_strobe(a, b, 5.0)], FPS)
    assert alone.max_red_flashes_per_second == pytest.approx(5.0, abs=0.5)
    assert primed.max_red_flashes_per_second == pytest.approx(5.0, abs=0.5)
    assert not primed.passed


@pytest.mark.parametrize("dark", [(0, 0, 0), (1, 0, 0), (0, 0, 1), (3, 3, 3)])
def test_red_blinking_to_any_near_black_is_a_red_flash(dark):
    report = check_frames(colour_strobe((128, 0, 0), dark, 5.0), FPS)
    assert report.max_red_flashes_per_second == pytest.approx(5.0, abs=0.5), dark


def test_a_dark_red_wavering_by_one_code_value_is_not_a_red_flash():
    """(38, 0, 0) and (39, 0, 0) straddle the darkness floor; they are the same colour."""
    report = check_frames(colour_strobe((38, 0, 0), (39, 0, 0), 7.5), FPS)
    assert report.max_red_flashes_per_second == 0.0


@pytest.mark.parametrize("h, w", [(5, 5), (10, 20), (11, 30)])
def test_frames_smaller_than_the_cell_grid_have_empty_cells(h, w):
    lum = cell_luminance(np.full((h, w, 3), 255, np.uint8))
    assert lum.shape == (CELLS, CELLS)
    assert lum.max() <= 1.0 + 1e-9 and set(np.unique(np.round(lum, 9))) <= {0.0, 1.0}
