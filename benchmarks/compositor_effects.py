"""Frame-time cost of each compositor effect, and a contact sheet that shows what each one does.

Times `Compositor.composite` at 640x360 over 3 dreamer layers: the identity pass (no effect, no
portal), each effect alone at intensity 1, two open portals, and everything together. Each
variant is drawn `--warmup` times, then `--frames` times with `perf_counter()` around
`ctx.finish()` per frame (DESIGN.md section 7: on llvmpipe GL timer queries see only the last
tile); variants take turns frame by frame. Frames advance, so datamosh and interlace read real
history. Results go to
benchmarks/results/compositor_effects-<llvmpipe|gpu>-<size>-<date>.json.

    python benchmarks/compositor_effects.py [--size 640x360] [--frames 30] [--warmup 5]
    python benchmarks/compositor_effects.py --sheet /tmp/fx_sheet.png [--sheet-size 320x180]

The layers are real renders of the bundled scenes (Mia, Leo, Sam at t = 2 s), so the effects run
on the textures they will see in a video; `--synthetic` uses gradient images instead (no raymarch).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

from renderer.cli import parse_size
from renderer.compositor import EFFECT_NAMES, Compositor, GlitchParams, Portal
from renderer.gl.context import create_headless_context, is_software_renderer
from renderer.gl.programs import ProgramCache

RESULTS = Path(__file__).resolve().parent / "results"
SCENES = ("mia", "leo", "sam")
PORTALS = (
    Portal(centre=(0.3, 0.45), radius=0.28, openness=1.0, source=1, rim_color=(0.45, 0.8, 1.0), rim_width=0.05),
    Portal(centre=(0.78, 0.6), radius=0.2, openness=0.8, source=2, rim_color=(1.0, 0.45, 0.85), rim_width=0.04),
)


def render_layers(ctx, size, names, t=2.0):
    from renderer.output.stills import render_still
    from renderer.scene.bundled import load_scene_arg

    return [render_still(load_scene_arg(name), size, t, ctx=ctx) for name in names]


def synthetic_layers(size, count):
    w, h = size
    x = np.linspace(0.0, 1.0, w)[None, :]
    y = np.linspace(0.0, 1.0, h)[:, None]
    out = []
    for i in range(count):
        r = (0.5 + 0.5 * np.sin(2 * np.pi * (x * (3 + i) + y))) * np.ones((h, 1))
        g = (y * np.ones((1, w))) ** (1 + i)
        b = ((x * 8 + y * 4 + i) % 1.0) * np.ones((h, 1))
        out.append((np.stack([r, g, b], axis=-1) * 255).round().astype(np.uint8))
    return out


def variants():
    out = {"identity": GlitchParams.zero()}
    for name in EFFECT_NAMES:
        out[name] = GlitchParams.only(name, 1.0)
    out["portals (2)"] = GlitchParams(portals=PORTALS)
    out["all effects + portals"] = GlitchParams(
        tear=1.0, channel_split=1.0, blocks=1.0, datamosh=1.0, interlace=1.0, posterize=1.0, portals=PORTALS)
    return out


def summary(times):
    return {
        "median_ms": statistics.median(times),
        "mean_ms": statistics.fmean(times),
        "p95_ms": float(np.percentile(times, 95)),
        "min_ms": min(times),
        "frames": len(times),
    }


def measure(ctx, size, textures, seed, frames, warmup):
    """Per variant, `frames` timed composites. Variants take turns frame by frame (each on its own
    Compositor, so its history stays live), which spreads load from other processes on a shared
    machine evenly over them instead of penalising whichever ran during a busy spell."""
    cache = ProgramCache(ctx)
    runs = {label: (params, Compositor(ctx, size, keyframe_interval=10_000, seed=seed, cache=cache))
            for label, params in variants().items()}
    for params, comp in runs.values():
        comp.prepare([params])
        for frame in range(1, warmup + 1):
            comp.composite(textures, params, frame)
    ctx.finish()
    times = {label: [] for label in runs}
    for frame in range(warmup + 1, warmup + 1 + frames):
        for label, (params, comp) in runs.items():
            t0 = time.perf_counter()
            comp.composite(textures, params, frame)
            ctx.finish()
            times[label].append((time.perf_counter() - t0) * 1000.0)
    for _, comp in runs.values():
        comp.release()
    cache.release()
    return {label: summary(t) for label, t in times.items()}


def benchmark(args):
    ctx = create_headless_context()
    size = args.size
    images = synthetic_layers(size, 3) if args.synthetic else render_layers(ctx, size, SCENES)
    textures = [ctx.texture(size, 3, np.ascontiguousarray(img[::-1]).tobytes()) for img in images]
    results = measure(ctx, size, textures, args.seed, args.frames, args.warmup)
    identity_ms = results["identity"]["median_ms"]
    print(f"{'variant':<24} {'median ms':>10} {'p95 ms':>8} {'over identity':>14}")
    for label, r in results.items():
        r["over_identity_ms"] = r["median_ms"] - identity_ms
        print(f"{label:<24} {r['median_ms']:>10.2f} {r['p95_ms']:>8.2f} {r['over_identity_ms']:>+14.2f}")
    info = ctx.info
    record = {
        "benchmark": "compositor_effects",
        "date": datetime.date.today().isoformat(),
        "size": list(size),
        "layers": "synthetic" if args.synthetic else list(SCENES),
        "frames": args.frames,
        "warmup": args.warmup,
        "seed": args.seed,
        "timing": "perf_counter around ctx.finish(), per frame, variants interleaved; median reported",
        "machine": {"platform": platform.platform(), "python": sys.version.split()[0],
                    "processor": platform.processor() or platform.machine(),
                    "cpu_count": os.cpu_count(), "load_average": list(os.getloadavg())},
        "gl": {"GL_RENDERER": info.get("GL_RENDERER"), "GL_VERSION": info.get("GL_VERSION"),
               "GL_VENDOR": info.get("GL_VENDOR")},
        "results": results,
    }
    kind = "llvmpipe" if is_software_renderer(ctx) else "gpu"
    out_dir = Path(args.out) if args.out else RESULTS
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"compositor_effects-{kind}-{size[0]}x{size[1]}-{record['date']}.json"
    path.write_text(json.dumps(record, indent=2) + "\n")
    print(f"wrote {path}")
    for tex in textures:
        tex.release()
    ctx.release()


def contact_sheet(args):
    """One cell per effect on real renders; datamosh and interlace run over a few frames."""
    from PIL import Image, ImageDraw

    ctx = create_headless_context()
    size = args.sheet_size
    mia, leo, sam = (synthetic_layers(size, 3) if args.synthetic
                     else render_layers(ctx, size, SCENES))
    mia_later = mia if args.synthetic else render_layers(ctx, size, ["mia"], t=2.4)[0]
    comp = Compositor(ctx, size, keyframe_interval=48, seed=args.seed)
    tex = {name: comp.upload(img) for name, img in
           (("mia", mia), ("leo", leo), ("sam", sam), ("mia2", mia_later))}
    base = [tex["mia"], tex["leo"], tex["sam"]]
    cells = [("Mia (layer 0)", mia), ("Leo (layer 1)", leo)]

    def still(params, frame=7, layers=base):
        comp.reset()
        comp.composite(layers, params, frame)
        return comp.read()

    cells.append(("portals into Leo / Sam", still(GlitchParams(portals=PORTALS))))
    for name in ("tear", "channel_split", "blocks", "posterize"):
        cells.append((f"{name} 1.0", still(GlitchParams.only(name, 1.0))))
    # Datamosh: key frame on Mia, then Leo's frames push Mia's pixels around (the classic I-frame cut).
    comp.reset()
    comp.composite(base, GlitchParams(datamosh=1.0), 48)
    for f in range(49, 49 + args.mosh_frames):
        comp.composite([tex["leo"], tex["mia"]], GlitchParams(datamosh=1.0), f)
    cells.append((f"datamosh 1.0 ({args.mosh_frames} frames after a cut)", comp.read()))
    # Interlace: the previous frame is an earlier moment, so moving edges comb.
    comp.reset()
    comp.composite([tex["mia"]], GlitchParams(interlace=1.0), 60)
    comp.composite([tex["mia2"]], GlitchParams(interlace=1.0), 61)
    cells.append(("interlace/VHS 1.0", comp.read()))
    cells.append(("tear .5 split .6 blocks .4 poster .3 + portal",
                  still(GlitchParams(tear=0.5, channel_split=0.6, blocks=0.4, posterize=0.3,
                                     portals=PORTALS[:1]), frame=11)))
    comp.reset()
    everything = GlitchParams(tear=0.7, channel_split=0.7, blocks=0.6, datamosh=0.8, interlace=0.8,
                              posterize=0.4, portals=PORTALS)
    comp.composite(base, everything, 96)
    for f in range(97, 97 + args.mosh_frames):
        comp.composite([tex["leo"], tex["sam"], tex["mia"]], everything, f)
    cells.append(("everything (after a cut)", comp.read()))

    w, h = size
    cols = 3
    rows = (len(cells) + cols - 1) // cols
    label_h = 16
    sheet = Image.new("RGB", (cols * (w + 4) + 4, rows * (h + label_h + 4) + 4), (20, 20, 24))
    draw = ImageDraw.Draw(sheet)
    for i, (label, img) in enumerate(cells):
        x = 4 + (i % cols) * (w + 4)
        y = 4 + (i // cols) * (h + label_h + 4)
        draw.text((x + 2, y + 2), label, fill=(230, 230, 230))
        sheet.paste(Image.fromarray(img), (x, y + label_h))
    sheet.save(args.sheet)
    print(f"wrote {args.sheet}")
    for t in tex.values():
        t.release()
    comp.release()
    ctx.release()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=parse_size, default=(640, 360))
    parser.add_argument("--frames", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--synthetic", action="store_true", help="gradient layers instead of renders")
    parser.add_argument("--out", help="results folder (default benchmarks/results)")
    parser.add_argument("--sheet", help="write a contact sheet PNG here instead of benchmarking")
    parser.add_argument("--sheet-size", type=parse_size, default=(320, 180))
    parser.add_argument("--mosh-frames", type=int, default=12)
    args = parser.parse_args(argv)
    if args.sheet:
        contact_sheet(args)
    else:
        benchmark(args)


if __name__ == "__main__":
    main()
