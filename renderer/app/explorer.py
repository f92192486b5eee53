"""The explorer's state and one frame of it, independent of the window library.

`Explorer` owns the view of the world, the camera rig, the emotion control, the dynamic
resolution controller, the clocks, hot reload, screenshots and recording. The moderngl-window
`WindowConfig` in `window.py` only forwards events here and calls `render_frame` / `end_frame`;
`launch.py` runs the loop. Nothing here imports moderngl_window.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from renderer.app.camera import CameraRig, ViewPose, resolve_move
from renderer.app.clock import FixedStepClock, RealClock, SceneTime
from renderer.app.controls import ACTIONS, EMOTION_KEYS, FAST_KEYS, HELD, PRESET_KEYS
from renderer.app.dynamic_resolution import QUALITY_NAMES, ResolutionController, build_ladder
from renderer.app.refine import Refiner, uniforms_key
from renderer.app.emotion_control import AnimationClock, EmotionControl
from renderer.app.panels import Panels
from renderer.app.reload import FileWatcher, locate_error, shader_files, world_files
from renderer.app.view import make_view
from renderer.compile.frame import camera_target
from renderer.errors import InputError
from renderer.gl.programs import ProgramCache
from renderer.scene.emotion_map import map_emotion

__all__ = ["Explorer", "ExploreSettings"]


@dataclass(frozen=True)
class ExploreSettings:
    scene: str                        # path or bundled name, as given
    path: Path                        # the resolved file (watched for hot reload)
    target_fps: float = 30.0
    start_time: float = 0.0
    fixed_step: bool = False          # scripted runs: scene time advances 1/target_fps per frame
    min_scale: float | None = None    # None: 10% on software rasterisers, 35% on GPUs
    max_scale: float = 1.0
    dynamic: bool = True
    reduced_shading: bool = True
    hud: bool = True
    show_steps: bool = False          # steps per pixel in the HUD from the start (F3 toggles)
    output_dir: Path = Path(".")      # screenshots and recordings
    watch: bool = True
    load: object = None               # callable reloading the world (hot reload); default: the path
    sharpen: bool = True              # render a still view at full resolution, band by band


def default_min_scale(ctx) -> float:
    """Lowest internal render scale when none is asked for. On a CPU rasteriser (llvmpipe, 2 cores)
    the terrain scenes hold 30 fps at 960x540 only near 10-16% (measured, benchmarks/README.md),
    so the floor is 10% there: a smooth, soft preview beats a sharp slide show. GPUs keep 35%."""
    from renderer.gl.context import is_software_renderer

    return 0.10 if is_software_renderer(ctx) else 0.35


class Explorer:
    def __init__(self, ctx, world, settings: ExploreSettings, size: tuple[int, int]):
        self.ctx = ctx
        self.settings = settings
        self.size = size
        self.pointer = None
        self.cache = ProgramCache(ctx)
        self.view = make_view(ctx, self.cache, world)
        self.view.prepare()
        self.world = world
        self.name = Path(settings.path).stem
        fps = settings.target_fps
        self.clock = FixedStepClock(fps) if settings.fixed_step else RealClock()
        self.time = SceneTime(settings.start_time, 1.0 / fps)
        self.emotion = EmotionControl()
        self.anim = AnimationClock()
        self._last_params = None
        ladder = build_ladder(default_min_scale(ctx) if settings.min_scale is None else settings.min_scale,
                              settings.max_scale,
                              reduced_shading=settings.reduced_shading and self.view.reduced_shading)
        start = min(range(len(ladder)), key=lambda i: (abs(ladder[i].scale - 0.5), -ladder[i].quality))
        self.resolution = ResolutionController(1.0 / fps, ladder, start=start)
        self.resolution.set_enabled(settings.dynamic)
        self.watcher = FileWatcher(self._watched()) if settings.watch else None
        self.panels = Panels(ctx, settings.hud)
        self.held: set[str] = set()
        self.frame_index = 0
        self.pose: ViewPose | None = None
        self.error: str | None = None
        self.recorder = None
        self.last_frame = None
        self.capture_next = False
        self.quit_requested = False
        self._steps_due = 0.0
        self.steps: float | None = None
        self.show_steps = settings.show_steps
        self.reloads = 0
        self.frame_log: list | None = None    # set to [] to record (period, work, scale, quality)
        self.rig = self._new_rig()
        self.refiner = Refiner()
        self._view_key: bytes | None = None   # the last frame's uniforms digest
        self._live_texture = None             # the last picture drawn at the live resolution
        self._still = False                   # this frame sharpened a still view

    # -- setup -----------------------------------------------------------------------------------

    def _watched(self) -> list[Path]:
        return world_files(self.world, self.settings.path) + shader_files()

    def _scene_pose(self):
        frame = self.view.frame(self.time.t)
        if not self.view.free_camera:
            return None, None
        cam = frame.camera
        return cam, camera_target(self.view.scene.camera, self.time.t)

    def _new_rig(self) -> CameraRig:
        cam, target = self._scene_pose()
        if cam is None:
            rig = CameraRig(np.zeros(3), np.array([0.0, 0.0, -1.0]), 1.0)
            rig.mode = "path"
            return rig
        scale = float(np.linalg.norm(np.asarray(target) - cam.position))
        return CameraRig(cam.position, cam.forward, scale, orbit_target=target)

    def start_emotion(self, pad) -> None:
        """Start with a constant emotion, as `--emotion` does for `still` and `render`."""
        self.emotion.start_with(pad)
        params = map_emotion(pad, self.view.scene.overrides)
        t = self.time.t
        self.anim = AnimationClock(params.animation_speed * t, params.flicker_hz * t)
        self._last_params = params

    # -- input -----------------------------------------------------------------------------------

    def key(self, name: str | None, pressed: bool, shift: bool = False) -> None:
        if name is None:
            return
        if not pressed:
            self.held.discard(name)
            return
        self.held.add(name)
        if name in EMOTION_KEYS:
            axis, delta = EMOTION_KEYS[name]
            self.emotion.nudge(axis, delta)
        elif name in PRESET_KEYS:
            self.emotion.preset(PRESET_KEYS[name])
        elif name in ACTIONS:
            getattr(self, "_act_" + ACTIONS[name][0])(shift or bool(self.held & set(FAST_KEYS)))
        self.panels.dirty = True

    def drag(self, dx: float, dy: float, pan: bool = False) -> None:
        self.rig.drag(dx, dy, pan)

    # -- pointer (Shadertoy's iMouse for shader worlds) --------------------------------------
    def mouse_press(self, x: float, y: float) -> None:
        """Left button down at window pixel (x, y), origin at the top left."""
        self.pointer = {"at": (x, y), "click": (x, y), "down": True, "clicked_now": True}

    def mouse_move(self, x: float, y: float) -> None:
        if self.pointer is not None and self.pointer["down"]:
            self.pointer["at"] = (x, y)

    def mouse_release(self, x: float, y: float) -> None:
        if self.pointer is not None:
            self.pointer["down"] = False

    def _pointer_for(self, internal: tuple[int, int]):
        """iMouse in the internal render's pixels, origin at the bottom left (Shadertoy's)."""
        if self.pointer is None:
            return None
        from renderer.shadertoy.wrap import encode_mouse

        sx, sy = internal[0] / self.size[0], internal[1] / self.size[1]

        def convert(point):
            return (point[0] * sx, (self.size[1] - point[1]) * sy)

        state = self.pointer
        mouse = encode_mouse(convert(state["at"]), convert(state["click"]), down=state["down"],
                             clicked_now=state["clicked_now"])
        state["clicked_now"] = False
        return mouse

    def scroll(self, amount: float) -> None:
        self.rig.scroll(amount)

    def _act_toggle_camera(self, shift):
        if self.view.free_camera:
            self.rig.toggle_fly_orbit(self.pose)

    def _act_follow_path(self, shift):
        if self.view.free_camera:
            self.rig.set_mode("fly" if self.rig.mode == "path" else "path", self.pose)

    def _act_reset_camera(self, shift):
        if self.view.free_camera:
            self.rig = self._new_rig()

    def _act_emotion_scene(self, shift):
        self.emotion.follow_scene()

    def _act_pause(self, shift):
        self.time.toggle_pause()

    def _act_step_forward(self, shift):
        self.time.step(1)

    def _act_step_back(self, shift):
        self.time.step(-1)

    def _act_scrub_forward(self, shift):
        self.time.scrub(5.0 if shift else 1.0)

    def _act_scrub_back(self, shift):
        self.time.scrub(-5.0 if shift else -1.0)

    def _act_scrub_fine_forward(self, shift):
        self.time.scrub(0.1)

    def _act_scrub_fine_back(self, shift):
        self.time.scrub(-0.1)

    def _act_toggle_hud(self, shift):
        self.panels.show_hud = not self.panels.show_hud

    def _act_toggle_steps(self, shift):
        self.show_steps = not self.show_steps
        self.steps = None
        self._steps_due = 0.0

    def _act_toggle_dynres(self, shift):
        self.resolution.set_enabled(not self.resolution.enabled)

    def _act_screenshot(self, shift):
        self.capture_next = True

    def _act_toggle_record(self, shift):
        from renderer.app.recorder import Recorder

        if self.recorder is None:
            self.recorder = Recorder(self._output_name("mp4"), self.size, self.settings.target_fps)
            self.panels.say(f"recording {self.recorder.path}")
        else:
            recorder, self.recorder = self.recorder, None
            path = recorder.stop()
            self.panels.say(f"saved {path} ({recorder.frames} frames)" if path else "recording empty")

    def _act_toggle_help(self, shift):
        self.panels.show_help = not self.panels.show_help

    def _act_quit(self, shift):
        self.quit_requested = True

    def _output_name(self, suffix: str) -> Path:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        return Path(self.settings.output_dir) / f"{self.name}-t{self.time.t:07.2f}-{stamp}.{suffix}"

    # -- hot reload -----------------------------------------------------------------------------

    def check_reload(self) -> bool:
        """Reload when a watched file changed; on failure keep the last good world running."""
        if self.watcher is None or not self.watcher.poll():
            return False
        from renderer.scene.bundled import load_world_path

        view = None
        try:
            world = self.settings.load() if self.settings.load else load_world_path(self.settings.path)
            view = make_view(self.ctx, self.cache, world)
            view.prepare()
        except Exception as exc:   # a broken file must never take the window down
            if view is not None:
                view.release()
            text = str(exc) if isinstance(exc, InputError) else f"{type(exc).__name__}: {exc}"
            self.error = locate_error(text)
            self.panels.dirty = True
            return False
        self.view.release()
        self.view, self.world = view, world
        self._forget_pictures()
        self.watcher.set_paths(self._watched())
        self.error = None
        self.reloads += 1
        self.panels.say(f"reloaded {Path(self.settings.path).name}")
        return True

    # -- frames ----------------------------------------------------------------------------------

    def _emotion_for_frame(self, dt: float, dt_scene: float):
        t = self.time.t
        scene_pad = self.view.track.sample(t)
        was_touched = self.emotion.touched
        if self.time.jumped:
            self.time.jumped = False
            self.emotion.resync()
        pad = self.emotion.update(dt, scene_pad)
        if not self.emotion.touched:
            return None
        if not was_touched:            # the user just took over: start from the exact clock
            self.anim = self.view.exact_clock(t)
        elif self._last_params is not None:
            self.anim.advance(dt_scene, self._last_params.animation_speed, self._last_params.flicker_hz)
        self._last_params = map_emotion(pad, self.view.scene.overrides)
        return pad

    def _camera(self, frame, dt: float):
        if not self.view.free_camera:
            return None
        if self.rig.mode == "path":
            cam = frame.camera
            self.pose = ViewPose(cam.position, cam.forward, cam.right, cam.up)
            return None
        axes = [0.0, 0.0, 0.0]
        for name in self.held & set(HELD):
            for i, v in enumerate(HELD[name]):
                axes[i] += v
        fast = bool(self.held & set(FAST_KEYS))
        current = self.rig.position
        desired = self.rig.desired_position(tuple(axes), dt, fast)
        h = 0.25 * self.rig.clearance
        field = lambda points: self.view.distances(frame, points)  # noqa: E731
        self.pose = self.rig.settle(resolve_move(current, desired, field, self.rig.clearance, h))
        return self.pose.uniforms()

    def render_frame(self, screen) -> None:
        """Draw one frame into `screen` (the window's framebuffer)."""
        dt = self.clock.tick()
        self.check_reload()
        before = self.time.t
        self.time.advance(dt)
        dt_scene = self.time.t - before
        pad = self._emotion_for_frame(dt, dt_scene)
        frame = self.view.frame(self.time.t, pad, self.anim)
        self.last_frame = frame
        camera = self._camera(frame, dt)
        rung = self.resolution.rung
        internal = rung.size(self.size)
        if hasattr(self.view, "pointer"):
            self.view.pointer = self._pointer_for(internal)
        texture = self._sharpened(frame, camera, rung)
        if texture is None:
            texture = self._live_texture = self.view.draw(frame, internal, camera, rung.quality, self.frame_index)
        if self.show_steps:
            self._steps_due -= dt
            if self._steps_due <= 0.0:
                self._steps_due = 0.5
                half = (max(8, internal[0] // 2), max(8, internal[1] // 2))
                self.steps = self.view.steps_per_pixel(frame, half)
        screen.use()
        screen.viewport = (0, 0, *self.size)
        self.panels.overlay.upscale(texture)
        emotion = self.emotion.current.as_tuple() if self.emotion.current else (0.0, 0.0, 0.0)
        self.panels.draw(self.size, dt, dict(
            work_target=self.settings.target_fps, rung=rung, internal=internal, dynamic=self.resolution.enabled,
            quality=QUALITY_NAMES[rung.quality], pad=emotion, emotion_name=self.emotion.goal_name,
            t=self.time.t, paused=self.time.paused, camera=self.rig.mode if self.view.free_camera else "nexus",
            steps=self.steps if self.show_steps else None, recording=self.recorder is not None,
            sharpening=self.refiner.progress if self._still else None, full_size=self.size), self.error)
        if self.capture_next or self.recorder is not None:
            image = self.read_screen(screen)
            if self.capture_next:
                self.capture_next = False
                self.save_screenshot(self._output_name("png"), image)
            if self.recorder is not None:
                self.recorder.add(image)
        self.frame_index += 1

    def end_frame(self, period_s: float, work_s: float) -> None:
        """After the frame was presented: its period (pacing included) and its work time. A frame
        spent sharpening a still view says nothing about the live resolution's cost."""
        self.panels.measure(period_s, work_s)
        if self.frame_log is not None:
            rung = self.resolution.rung
            self.frame_log.append((period_s, work_s, rung.scale, rung.quality))
        if not self._still:
            self.resolution.update(work_s)

    def _forget_pictures(self) -> None:
        """The view was replaced (reload, resize): its textures are gone, and equal uniforms no
        longer mean an equal picture (an edited shader)."""
        self._view_key = None
        self._live_texture = None
        self.refiner.reset()

    def _sharpened(self, frame, camera: dict | None, rung):
        """While the view is still (the frame's uniforms, camera included, equal the last frame's),
        spend the frame's budget rendering the window-size picture band by band (full shading).
        Returns what to show, the sharp picture once complete and the last live one before, or
        None when the view moved (draw live)."""
        self._still = False
        if not (self.settings.sharpen and self.view.can_sharpen):
            return None
        uniforms = dict(frame.uniforms)
        if camera:
            uniforms.update(camera)
        key = uniforms_key(uniforms, self.size)
        still = key == self._view_key and self._live_texture is not None
        self._view_key = key
        live_is_full = rung.scale >= 1.0 and rung.quality == 0
        self._still = still and not live_is_full
        if not self._still:
            self.refiner.reset()
            return None
        frame.uniforms.update(uniforms)
        full = self.view.renderer(self.size)
        if not self.refiner.complete:
            self.refiner.step(full, frame, 0.8 / self.settings.target_fps)
        return full.color if self.refiner.complete else self._live_texture

    def read_screen(self, screen) -> np.ndarray:
        w, h = self.size
        data = screen.read(viewport=(0, 0, w, h), components=3, alignment=1)
        return np.frombuffer(data, dtype=np.uint8).reshape(h, w, 3)[::-1].copy()

    def save_screenshot(self, path: Path, image: np.ndarray) -> Path:
        from renderer.output.stills import save_png

        save_png(image, path)
        self.panels.say(f"saved {path}")
        return path

    def resize(self, size: tuple[int, int]) -> None:
        if size == self.size or min(size) < 1:
            return
        self.size = size
        self.view.release()
        self.view = make_view(self.ctx, self.cache, self.world)
        self._forget_pictures()
        self.panels.dirty = True

    def close(self) -> None:
        if self.recorder is not None:
            self._act_toggle_record(False)
        self.view.release()
        self.panels.release()
        self.cache.release()
