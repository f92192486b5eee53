"""Export a scene as one self-contained Shadertoy Image shader.

The scene's main pass (`compile_scene(scene).source("main")`: the library, the render passes and
the generated `dsMap`, all inlined by the preprocessor) is rewritten for Shadertoy:

- `#version` and `#line` lines are dropped (Shadertoy adds its own version line and prelude), and
  `precision highp float; precision highp int;` are put first for WebGL2 (GLSL ES 3.00).
- Every Dreamscape uniform becomes a value in the text. With `t` given the whole frame is baked at
  that time: every uniform is a `const`. Without `t` the export is animated: the per-frame uniforms
  (`evaluate_frame`) are sampled every 1/rate s over [0, duration]; components that never change
  are `const`, the others are plain globals set at the start of `mainImage` by linear
  interpolation in a table indexed by `mod(iTime, duration)` (so the emotion track, the emotion-
  driven animation clock and the camera path play on Shadertoy's clock, looping after
  `duration`). At a sample time the values equal the scene's exactly; between samples they are
  interpolated (camera drift and flicker are smoothed at that rate).
- `uResolution` is `iResolution.xy`; the hit tolerance's half-pixel floor is computed from
  iResolution as `SceneRenderer` does; `main` becomes `mainImage`, writing through `gl_FragCoord`
  (which equals Shadertoy's fragCoord for an Image pass).
- The cone-marching prepass is not part of an export: the shader marches plainly (over-relaxed)
  from t = 0, as `SceneRenderer(prepass=False)` does (`uUsePrepass` is the constant 0; the
  prepass texture name maps to iChannel0 only so that the unused branch still compiles).

Pure Python (compile layer + numpy): no GL here.
"""

from __future__ import annotations

import math
import re

import numpy as np

from renderer.compile.frame import FrameOptions, evaluate_frame
from renderer.compile.program import compile_scene
from renderer.shadertoy.form import comment_safe

__all__ = ["export_shadertoy", "default_duration", "DEFAULT_RATE", "DEFAULT_LOOP"]

DEFAULT_RATE = 5.0      # samples per second of the animated export's value table
DEFAULT_LOOP = 10.0     # seconds exported when the scene has no story length of its own
_MAX_TABLE = 200_000    # floats in the value table (text size stays in the low megabytes)

_UNIFORM = re.compile(r"^\s*uniform\s+(\w+)\s+(\w+)\s*(?:\[\s*(\w+)\s*\])?\s*;\s*(?://.*)?$")
_DEFINE = re.compile(r"^\s*#\s*define\s+(\w+)\s+(\d+)\s*$")
_VECTOR = {"float": 1, "int": 1, "vec2": 2, "vec3": 3, "vec4": 4}


def default_duration(scene) -> float:
    """The story length: the last emotion or camera key, else DEFAULT_LOOP seconds."""
    ends = [0.0]
    if scene.emotion is not None:
        ends.append(scene.emotion.keys[-1].t)
    if scene.camera.keys:
        ends.append(scene.camera.keys[-1].t)
    end = max(ends)
    return end if end > 0.0 else DEFAULT_LOOP


def _float(x: float) -> str:
    """Shortest GLSL literal that reads back as the same float32."""
    v = np.float32(x)
    if not np.isfinite(v):
        raise ValueError(f"export: non-finite value {x!r}")
    if v == 0:
        return "0.0"
    if 1e-4 <= abs(v) < 1e7:
        return np.format_float_positional(v, unique=True, trim="0")
    return np.format_float_scientific(v, unique=True, trim="0")


def _literal(gtype: str, values) -> str:
    values = list(values)
    if gtype == "int":
        return str(int(round(values[0])))
    if gtype == "float":
        return _float(values[0])
    return f"{gtype}({', '.join(_float(v) for v in values)})"


class _Uniform:
    def __init__(self, gtype: str, name: str, size_expr: str | None, size: int, samples: list):
        self.gtype, self.name, self.size_expr, self.size = gtype, name, size_expr, size
        width = _VECTOR[gtype]
        rows = []
        for value in samples:
            flat = np.asarray(value, dtype=np.float64).reshape(-1)
            need = width * (size or 1)
            if flat.size > need:
                raise ValueError(f"export: {name} has {flat.size} values, its declaration {need}")
            rows.append(np.concatenate([flat, np.zeros(need - flat.size)]))
        table = np.array(rows)
        if gtype != "int":
            table = table.astype(np.float32).astype(np.float64)
        self.table = table                             # (samples, components)
        self.varying = np.ptp(table, axis=0) > 0.0 if len(rows) > 1 else np.zeros(table.shape[1], bool)

    def initializer(self) -> str:
        first = self.table[0]
        width = _VECTOR[self.gtype]
        if not self.size_expr:
            return _literal(self.gtype, first)
        items = ", ".join(_literal(self.gtype, first[i * width:(i + 1) * width]) for i in range(self.size))
        return f"{self.gtype}[{self.size_expr}]({items})"

    def declaration(self) -> str:
        array = f"[{self.size_expr}]" if self.size_expr else ""
        qualifier = "" if self.varying.any() else "const "
        return f"{qualifier}{self.gtype} {self.name}{array} = {self.initializer()};"

    def component(self, index: int) -> str:
        """The GLSL lvalue of flattened component `index`."""
        width = _VECTOR[self.gtype]
        row, col = divmod(index, width)
        target = f"{self.name}[{row}]" if self.size_expr else self.name
        return target if width == 1 else f"{target}.{'xyzw'[col]}"


def _sample_times(t: float | None, duration: float, rate: float) -> list[float]:
    if t is not None:
        return [float(t)]
    count = int(math.ceil(duration * rate - 1e-9)) + 1
    return [i / rate for i in range(max(count, 2))]


def export_shadertoy(scene, t: float | None = None, *, duration: float | None = None,
                     rate: float = DEFAULT_RATE, options: FrameOptions = FrameOptions()) -> str:
    """One Shadertoy Image shader for `scene` (see the module docstring).

    t: bake the frame at this time (all constants). None: animate over `duration` seconds
    (default: `default_duration(scene)`), sampling the uniforms `rate` times a second.
    options: FrameOptions for evaluate_frame (e.g. a constant emotion from --emotion).
    """
    if rate <= 0 or not math.isfinite(rate):
        raise ValueError(f"rate: must be > 0, got {rate!r}")
    duration = default_duration(scene) if duration is None else float(duration)
    if t is None and not (duration > 0 and math.isfinite(duration)):
        raise ValueError(f"duration: must be > 0, got {duration!r}")
    compiled = compile_scene(scene)
    text = compiled.source("main").text
    times = _sample_times(t, duration, rate)
    frames = [evaluate_frame(compiled, ti, options).uniforms for ti in times]

    defines: dict[str, int] = {}
    uniforms: dict[str, _Uniform] = {}
    body: list[str] = []
    hit_eps = None
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("#version") or stripped.startswith("#line"):
            continue
        if m := _DEFINE.match(line):
            defines[m[1]] = int(m[2])
        m = _UNIFORM.match(line)
        if m is None and re.match(r"\s*uniform\b", line):
            # Left in, it would be a uniform nobody sets (0 in Shadertoy): a silent wrong picture.
            raise ValueError(f"export: cannot read uniform declaration {stripped!r}")
        if m is None:
            line = re.sub(r"\bvoid\s+main\s*\(\s*\)", "void dsSceneMain()", line)
            # The scene pass's outputs become plain globals: a Shadertoy pass has one output of
            # its own (mainImage's), and GLSL ES needs locations on all outputs when there are
            # several. The depth output only serves the nexus compositor.
            line = re.sub(r"^\s*(?:layout\s*\([^)]*\)\s*)?out\s+vec4\s+fragColor\s*;", "vec4 dsFragColor;", line)
            line = re.sub(r"^\s*(?:layout\s*\([^)]*\)\s*)?out\s+float\s+dsOutDepth\s*;", "float dsOutDepth;", line)
            body.append(re.sub(r"\bfragColor\b", "dsFragColor", line))
            continue
        gtype, name, size_expr = m[1], m[2], m[3]
        if name == "uResolution":
            body.append("#define uResolution (iResolution.xy)")
        elif gtype.startswith("sampler"):
            body.append(f"#define {name} iChannel0  // unused: the prepass is not exported")
        elif name == "uUsePrepass":
            body.append("const int uUsePrepass = 0;")
        elif name == "uHitEps":
            hit_eps = float(np.float32(frames[0]["uHitEps"]))
            body.append("float uHitEps;  // set in dsLoadUniforms (half a pixel at the least)")
        elif name in frames[0] and gtype in _VECTOR:
            size = 0
            if size_expr:
                size = int(size_expr) if size_expr.isdigit() else defines.get(size_expr, 0)
                if size <= 0:
                    raise ValueError(f"export: cannot size uniform {name}[{size_expr}]")
            u = _Uniform(gtype, name, size_expr, size, [f[name] for f in frames])
            uniforms[name] = u
            body.append(u.declaration())
        else:
            raise ValueError(f"export: no value for uniform {gtype} {name}")

    tracks = [(u, i) for u in uniforms.values() for i in np.flatnonzero(u.varying)]
    n = len(times)
    if len(tracks) * n > _MAX_TABLE:
        raise ValueError(f"export: {len(tracks)} changing values x {n} samples exceed {_MAX_TABLE}; "
                         "lower the rate or the duration")
    load = ["void dsLoadUniforms() {"]
    tail = []
    if tracks:
        # Time-major, four values to a vec4: a row of `groups` vec4s per sample, so loading a frame
        # reads 2 * groups vec4s (drivers keep a const vec4 array this size in uniform storage;
        # a large float array can instead be lowered to a chain of selects per access).
        groups = (len(tracks) + 3) // 4
        padded = np.zeros((n, groups * 4))
        for k, (u, i) in enumerate(tracks):
            padded[:, k] = u.table[:, i]
        rows = ", ".join(_literal("vec4", padded[j, 4 * g:4 * g + 4]) for j in range(n) for g in range(groups))
        tail += [
            f"// {len(tracks)} changing values sampled every {1.0 / rate:g} s over {duration:g} s "
            f"({n} samples of {groups} vec4s each).",
            f"const int DS_SAMPLES = {n};",
            f"const int DS_GROUPS = {groups};",
            f"const float DS_RATE = {_float(rate)};",
            f"const float DS_LOOP = {_float(duration)};",
            f"const vec4 DS_TRACK[{n * groups}] = vec4[{n * groups}]({rows});",
        ]
        load += ["    float s = mod(iTime, DS_LOOP) * DS_RATE;",
                 "    int i = clamp(int(floor(s)), 0, DS_SAMPLES - 2);",
                 "    float f = clamp(s - float(i), 0.0, 1.0);",
                 "    vec4 v;"]
        for g in range(groups):
            load.append(f"    v = mix(DS_TRACK[i * DS_GROUPS + {g}], DS_TRACK[(i + 1) * DS_GROUPS + {g}], f);")
            for c, (u, i) in enumerate(tracks[4 * g:4 * g + 4]):
                value = f"v.{'xyzw'[c]}"
                if u.gtype == "int":
                    value = f"int(floor({value} + 0.5))"
                load.append(f"    {u.component(i)} = {value};")
    if hit_eps is not None:
        load.append(f"    uHitEps = max({_float(hit_eps)}, uTanHalfFov / iResolution.y);")
    load.append("}")

    name = comment_safe(getattr(scene, "name", "") or "scene")
    if t is None:
        when = (f"animated: uniforms sampled every {1.0 / rate:g} s over {duration:g} s, "
                "interpolated by iTime (looping)")
    else:
        when = f"baked at t = {float(t):g} s"
    head = [
        f"// Dreamscape: \"{name}\" ({comment_safe(scene.source)}) as a Shadertoy Image shader; {when}.",
        "// Generated by `dreamscape export --shadertoy`: the whole renderer is inlined; paste into",
        "// the Image tab. No channels are needed (iChannel0 is referenced only by a disabled branch).",
        "precision highp float;",
        "precision highp int;",
    ]
    main = ["void mainImage(out vec4 dsOut, in vec2 dsCoord) {",
            "    dsLoadUniforms();",
            "    dsSceneMain();",
            "    dsOut = dsFragColor;",
            "}"]
    return "\n".join(head + body + tail + load + main) + "\n"
