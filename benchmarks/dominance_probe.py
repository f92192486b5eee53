"""Measure how the frame's dominant spatial wavelength follows dominance, against a zoom control.

The design brief (shared EMOTION.md, section 5) asks that the dominant wavelength of the frame
(radially averaged power spectrum) rise with dominance. This script renders, for every bundled
scene, the dominance sweep (d over 9 values in [-0.8, 0.8], p = a = 0, shake and flicker off) and a
control in which nothing but the camera's field of view changes: the frame is magnified by exactly
the feature scale 2^(0.6d) that dominance applies to the world, emotion held neutral. A
magnification is the plainest "bigger features" there is, so a wavelength measure that does not
rise under it cannot judge the dominance cue either. A third series keeps that zoom but lets
dominance drive everything else EMOTION.md's table gives it (fog density, dark-accent spread; the
feature scale is pinned to 1): what those other cues do to the measure on their own. Spearman rho
of the wavelength against d is reported for the whole frame and for its top and bottom halves.

    python benchmarks/dominance_probe.py [--size 96x54] [--record benchmarks/results]
"""

from __future__ import annotations

import argparse
import dataclasses
import math
from pathlib import Path

import numpy as np
from results_io import save_record

from renderer.compile.frame import FrameOptions
from renderer.compile.program import compile_scene
from renderer.gl.context import create_headless_context
from renderer.gl.raymarch import SceneRenderer
from renderer.scene.bundled import bundled_scene_names, load_scene_arg
from renderer.scene.emotion import PAD
from renderer.scene.emotion_map import ParamOverrides, map_emotion
from renderer.scene.image_metrics import dominant_wavelength, spearman

SWEEP = np.linspace(-0.8, 0.8, 9)
TIME = 2.0
REGIONS = {
    "frame": lambda image: image,
    "top half": lambda image: image[: image.shape[0] // 2],
    "bottom half": lambda image: image[image.shape[0] // 2:],
}


def zoomed(scene, factor: float):
    """The scene seen through a lens `factor` times longer: same camera, narrower field of view."""
    half = math.radians(scene.camera.fov) / 2.0
    fov = math.degrees(2.0 * math.atan(math.tan(half) / factor))
    return dataclasses.replace(scene, camera=dataclasses.replace(scene.camera, fov=fov))


def _options(d: float) -> FrameOptions:
    return FrameOptions(emotion=PAD(0.0, 0.0, float(d)), shake=False, flicker=False)


def render_sweeps(ctx, name: str, size) -> dict[str, list[np.ndarray]]:
    """The dominance sweep, its zoom control, and the zoom with dominance's other cues, as lists
    of frames in sweep order."""
    scene = load_scene_arg(name)
    series = {"dominance sweep": [], "zoom control": [], "zoom + other cues": []}
    renderer = SceneRenderer(ctx, compile_scene(scene), size)
    for d in SWEEP:
        series["dominance sweep"].append(renderer.render(TIME, _options(d)))
    renderer.release()
    unscaled = ParamOverrides(pin={"feature_scale": 1.0})
    for d in SWEEP:
        lens = zoomed(scene, map_emotion(PAD(0.0, 0.0, float(d))).feature_scale)
        renderer = SceneRenderer(ctx, compile_scene(lens), size)
        series["zoom control"].append(renderer.render(TIME, _options(0.0)))
        renderer.set_scene(compile_scene(dataclasses.replace(lens, overrides=unscaled)))
        series["zoom + other cues"].append(renderer.render(TIME, _options(d)))
        renderer.release()
    return series


def measure(frames: list[np.ndarray]) -> dict[str, dict]:
    out = {}
    for region, crop in REGIONS.items():
        wavelengths = [dominant_wavelength(crop(image)) for image in frames]
        out[region] = {"rho": round(spearman(SWEEP, wavelengths), 3),
                       "wavelength_px": [round(w, 2) for w in wavelengths]}
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="96x54", help="WxH of the rendered frames")
    parser.add_argument("--record", type=Path, help="also write the figures as JSON under this folder")
    args = parser.parse_args(argv)
    size = tuple(int(x) for x in args.size.lower().split("x"))
    ctx = create_headless_context()
    results = {}
    print(f"Spearman rho of the dominant wavelength against d, {size[0]}x{size[1]}, t = {TIME} s")
    print(f"{'scene':8s} {'series':16s} " + " ".join(f"{r:>12s}" for r in REGIONS))
    for name in bundled_scene_names():
        results[name] = {}
        for series, frames in render_sweeps(ctx, name, size).items():
            results[name][series] = measure(frames)
            rhos = " ".join(f"{results[name][series][r]['rho']:+12.2f}" for r in REGIONS)
            print(f"{name:8s} {series:16s} {rhos}")
    if args.record:
        record = {"size": list(size), "time_s": TIME, "sweep": SWEEP.round(3).tolist(), "scenes": results}
        save_record(args.record, "dominance_probe", record, f"{size[0]}x{size[1]}", ctx=ctx)


if __name__ == "__main__":
    main()
