"""Everything a frame's uniforms need, computed from the scene and a time: emotion, camera,
lights, colours, materials and the packed node parameters. Pure Python: the GL layer only uploads
the dictionary this returns.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import noise
import numpy as np

from renderer.compile.frame_values import FrameValues
from renderer.compile.program import CompiledScene
from renderer.scene.colour import srgb_decode
from renderer.scene.emotion import NEUTRAL, PAD, EmotionTrack
from renderer.scene.emotion_map import DreamParams, map_emotion
from renderer.scene.model import Camera, Scene

__all__ = ["FrameOptions", "Frame", "evaluate_frame", "camera_at", "camera_uniforms", "look_at", "anim_time",
           "integrate_rate", "CameraPose"]

_UP = np.array([0.0, 1.0, 0.0])


@dataclass(frozen=True)
class FrameOptions:
    emotion: PAD | None = None  # replaces the scene's emotion track (constant), e.g. from --emotion
    shake: bool = True          # emotion-driven camera shake; tests of motion metrics turn it off
    flicker: bool = True        # emotion-driven flicker (already capped at 3 Hz)


@dataclass(frozen=True)
class CameraPose:
    position: np.ndarray
    forward: np.ndarray
    right: np.ndarray
    up: np.ndarray
    fov: float


@dataclass(frozen=True)
class Frame:
    t: float
    pad: PAD
    params: DreamParams
    values: FrameValues
    camera: CameraPose
    uniforms: dict


def _track(scene: Scene, options: FrameOptions) -> EmotionTrack:
    if options.emotion is not None:
        return EmotionTrack.constant(options.emotion)
    return scene.emotion if scene.emotion is not None else EmotionTrack.constant(NEUTRAL)


@lru_cache(maxsize=1024)
def _params(pad: PAD, overrides) -> DreamParams:
    """map_emotion, memoised: its gamut mapping costs ~2 ms, and a constant emotion (the common
    case, and any --emotion override) asks for the same PAD every frame."""
    return map_emotion(pad, overrides)


_GRID_STEP = 1.0 / 30.0
_RATES = ("animation_speed", "flicker_hz")


@lru_cache(maxsize=64)
def _rate_table(track: EmotionTrack, overrides):
    """Cumulative integrals of the emotion-driven rates on a 1/30 s grid up to the last key
    (trapezoid rule): row 0 is time, then one row per entry of _RATES."""
    end = track.keys[-1].t
    n = max(1, int(math.ceil(end / _GRID_STEP)))
    times = np.linspace(0.0, n * _GRID_STEP, n + 1)
    params = [_params(track.sample(t), overrides) for t in times]
    rows = [times]
    last = []
    for name in _RATES:
        rate = np.array([getattr(p, name) for p in params])
        rows.append(np.concatenate([[0.0], np.cumsum((rate[1:] + rate[:-1]) * 0.5 * _GRID_STEP)]))
        last.append(float(rate[-1]))
    return np.stack(rows), tuple(last)


def integrate_rate(track: EmotionTrack, overrides, t: float, name: str = "animation_speed") -> float:
    """Integral from 0 to t of an emotion-driven rate (animation speed, flicker frequency).

    Integrating instead of multiplying by t means a rate change never makes the animation jump,
    and a flicker phase never runs faster than the rate it is at (3 Hz cap holds mid-track).
    """
    index = _RATES.index(name)
    if len(track.keys) == 1:
        return getattr(_params(track.keys[0].pad, overrides), name) * t
    table, last = _rate_table(track, overrides)
    times, cumulative = table[0], table[index + 1]
    if t <= times[-1]:
        return float(np.interp(t, times, cumulative))
    return float(cumulative[-1] + last[index] * (t - times[-1]))


def anim_time(track: EmotionTrack, overrides, t: float) -> float:
    """Animation clock: the integral of the emotion-driven animation speed up to t."""
    return integrate_rate(track, overrides, t, "animation_speed")


def _catmull_rom(points: list[np.ndarray], times: list[float], t: float) -> np.ndarray:
    if t <= times[0]:
        return points[0]
    if t >= times[-1]:
        return points[-1]
    i = int(np.searchsorted(times, t, side="right")) - 1
    p0 = points[max(i - 1, 0)]
    p1, p2 = points[i], points[i + 1]
    p3 = points[min(i + 2, len(points) - 1)]
    u = (t - times[i]) / (times[i + 1] - times[i])
    u2, u3 = u * u, u * u * u
    return 0.5 * ((2 * p1) + (-p0 + p2) * u + (2 * p0 - 5 * p1 + 4 * p2 - p3) * u2
                  + (-p0 + 3 * p1 - 3 * p2 + p3) * u3)


def _noise3(seed: int, x: float) -> np.ndarray:
    return np.array([noise.pnoise1(x + 17.31 * k + (seed % 997) * 3.7, 2) for k in range(3)])


def camera_target(camera: Camera, t: float) -> np.ndarray:
    """Where the camera path looks at time t, without drift or shake."""
    if camera.keys:
        return _catmull_rom([np.array(k.target) for k in camera.keys], [k.t for k in camera.keys], t)
    return np.array(camera.target)


def camera_at(camera: Camera, t: float, anim: float, seed: int, shake: float = 0.0) -> CameraPose:
    if camera.keys:
        times = [k.t for k in camera.keys]
        position = _catmull_rom([np.array(k.position) for k in camera.keys], times, t)
        target = _catmull_rom([np.array(k.target) for k in camera.keys], times, t)
    else:
        position, target = np.array(camera.position), np.array(camera.target)
    if camera.drift > 0.0:
        offset = camera.drift * _noise3(seed, anim * camera.drift_speed)
        position = position + offset
        target = target + 0.5 * offset
    if shake > 0.0:
        target = target + shake * _noise3(seed + 1, anim * 4.0) * np.linalg.norm(target - position)
    return CameraPose(position, *look_at(position, target), camera.fov)


def look_at(position, target) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(forward, right, up) unit vectors of a camera at `position` looking at `target`, with no
    roll: right stays horizontal."""
    forward = np.asarray(target, dtype=float) - np.asarray(position, dtype=float)
    norm = np.linalg.norm(forward)
    forward = forward / norm if norm > 1e-9 else np.array([0.0, 0.0, -1.0])
    right = np.cross(forward, _UP)
    if np.linalg.norm(right) < 1e-6:  # looking straight up or down
        right = np.array([1.0, 0.0, 0.0])
    right /= np.linalg.norm(right)
    up = np.cross(right, forward)
    return forward, right, up


def camera_uniforms(cam: CameraPose) -> dict:
    return {"uCamPos": tuple(cam.position), "uCamForward": tuple(cam.forward),
            "uCamRight": tuple(cam.right), "uCamUp": tuple(cam.up),
            "uTanHalfFov": math.tan(math.radians(cam.fov) * 0.5)}


def _linear(srgb) -> tuple:
    return tuple(float(x) for x in srgb_decode(np.asarray(srgb, dtype=float)))


def evaluate_frame(compiled: CompiledScene, t: float, options: FrameOptions = FrameOptions(),
                   channels: tuple = (), material_palettes=None) -> Frame:
    """Uniforms for time t. `channels` feed grow/blend nodes; `material_palettes` maps a material
    name to the palette it takes its slot colour from (a bled-in element keeps its own dreamer's
    emotion-driven colours inside the host's world)."""
    scene = compiled.scene
    track = _track(scene, options)
    pad = track.sample(t)
    params = _params(pad, scene.overrides)
    anim = anim_time(track, scene.overrides, t)
    shake = params.camera_shake if options.shake else 0.0
    cam = camera_at(scene.camera, t, anim, scene.seed, shake)
    values = FrameValues.from_params(params, t, anim, scene.seed, pivot=camera_target(scene.camera, t),
                                     channels=channels)
    world = scene.world

    palette = [_linear(c) for c in world.palette] if world.palette else list(params.palette)
    zenith = _linear(world.sky_zenith) if world.sky_zenith else params.sky_zenith
    horizon = _linear(world.sky_horizon) if world.sky_horizon else params.sky_horizon
    fog = _linear(world.fog_color) if world.fog_color else params.fog_color
    sun_dir = np.asarray(world.sun_direction, dtype=float)
    sun_dir = sun_dir / np.linalg.norm(sun_dir)
    sun = np.asarray(_linear(world.sun_color)) * world.sun_intensity * params.key_light
    fill = (0.6 * np.asarray(zenith) + 0.4 * np.asarray(horizon)) * params.fill_ratio * params.key_light * 2.0

    albedo, emission = [], []
    for name in compiled.material_names:
        mat = scene.materials[name]
        source = (material_palettes or {}).get(name, palette)
        rgb = source[mat.palette] if mat.palette >= 0 else _linear(mat.color)
        albedo.append((*rgb, mat.roughness))
        pulse = 1.0 + 0.5 * math.sin(2.0 * math.pi * mat.pulse_hz * anim) if mat.pulse_hz > 0 else 1.0
        emission.append(tuple(c * mat.emission * pulse for c in rgb) + (0.0,))

    exposure = 1.0
    if options.flicker and params.flicker_hz > 0.0 and params.flicker_amount > 0.0:
        cycles = integrate_rate(track, scene.overrides, t, "flicker_hz")
        exposure -= 0.5 * params.flicker_amount * (1.0 - math.cos(2.0 * math.pi * cycles))

    render = scene.render
    uniforms = {
        "uParams": compiled.map.layout.pack(values),
        **camera_uniforms(cam),
        "uSunDir": tuple(sun_dir), "uSunColor": tuple(sun), "uFillColor": tuple(fill),
        "uAmbient": world.ambient,
        "uSkyZenith": tuple(zenith), "uSkyHorizon": tuple(horizon), "uFogColor": tuple(fog),
        "uFogDensity": world.fog_density * params.fog_density, **_height_fog(world.fog_height, values),
        "uExposure": exposure,
        "uShadows": int(render.shadows), "uAmbientOcclusion": int(render.ambient_occlusion),
        "uMatAlbedo": np.asarray(albedo, dtype=np.float32),
        "uMatEmission": np.asarray(emission, dtype=np.float32),
        "uMaxSteps": render.max_steps, "uMaxDist": render.max_distance, "uHitEps": render.hit_epsilon,
        "uOverRelax": render.over_relaxation, "uStepScale": render.step_scale,
    }
    return Frame(t, pad, params, values, cam, uniforms)


def _height_fog(height: float, values: FrameValues) -> dict:
    """The height fog's layer is part of the world: as the feature scale grows the world about
    its pivot, the layer's base plane (y = 0 as authored) and its thickness grow with it, so a
    valley's fog still fills the valley instead of the valley sinking into denser fog."""
    fs = values.feature_scale
    return {"uFogHeight": height * fs, "uFogBase": values.pivot[1] * (1.0 - fs)}
