"""Procedural dream worlds from an emotion and a seed: `generate_scene(pad, seed) -> Scene`.

The emotion decides *what kind* of world it is, following shared/EMOTION.md section 3:

- sharpness s = clamp(0.5 - 0.45p + 0.3a, 0, 1) (unpleasant or aroused -> sharp): the chance that a
  shape is angular (cones, boxes, twisted) rather than curved (spheres, tori, capsules, round
  boxes), the odds and ridge blend of ridged terrain, plain `union` (sharp) or `smooth_union`
  with k > 0 (soft), jagged or soft noise texture;
- gloom (1 - p) / 2: fog density and ground fog, a low camera, a low cold sun;
- energy (a + 1) / 2: how many elements there are and how many of them move (`spin`, `bob`,
  noise `flow`), twist rates; low arousal gives fewer, larger, calmer elements;
- dominance d: feature size (elements scale by 2^(0.5d), terrain wavelength by 2^(0.6d)); on top
  of that the renderer scales the whole world by the emotion's feature scale about the camera's
  target, which the camera placement allows for;
- pleasure p > 0: shapes float above the ground with `bob` (sometimes over land far below), open
  sky, a glowing moon.

The *seed* picks the layout: the arrangement (seed mod 4: tower, ring, grid via `repeat`,
scattered, so consecutive seeds show all four), ground style (rolling or ridged terrain, a flat
plain, a rippling sea or still lake; the emotion weights the odds), which primitives of each family
this world uses, palette slot assignment, camera and sun azimuth, camera distance and height
jitter, whether a moon hangs in the sky.

Randomness comes from independent streams, one per decision (`_stream(seed, tag)`), derived from
the seed alone with BLAKE2 (never Python's per-process salted `hash()`), so the result is the same
in every process. The emotion enters only through thresholds and continuous parameters applied to
the same uniform draws for every PAD: one seed under two emotions gives related worlds, and the
draws are coupled (a shape that is angular under a milder emotion stays angular under a harsher).

The scene is valid by construction: it round-trips through its own TOML, has at most MAX_NODES
nodes (in practice under 30), at most one noise node (on the software rasteriser a noise node costs
the GLSL compiler more than ten primitives do) and at most 224 march steps, and its camera, in the
world as the renderer draws it for this emotion, is above the highest the ground can reach and
outside the horizontal extent of every shape. (Rendering it with another emotion, `--emotion`,
changes that scaling; the margins are not sized for every such override.)
"""

from __future__ import annotations

import math
from dataclasses import replace

from renderer.scene.emotion import PAD, EmotionTrack
from renderer.scene.model import Camera, RenderSettings, Scene, World
from renderer.scene.nodes import (
    Displace, Node, Rotate, Sphere, Terrain, Torus, Translate, Twist, count_nodes, walk,
)

from renderer.errors import InputError
from renderer.scene.generate_layout import (
    _Builder, _arrange, _union,
)
from renderer.scene.generate_parts import (
    ANGULAR_KINDS, ARRANGEMENTS, CURVED_KINDS, GROUND_STYLES, structural_sharpness, MAX_NODES, MAX_SEED, _Mood, _clamp, _lerp, _make_ground, _materials, _r, _sign, _stream, _v, dominant_emotion,
)

__all__ = [
    "generate_scene", "structural_sharpness", "dominant_emotion",
    "MAX_NODES", "MAX_SEED", "ARRANGEMENTS", "GROUND_STYLES", "ANGULAR_KINDS", "CURVED_KINDS",
]



# ---------------------------------------------------------------------------------------------
# The generator
# ---------------------------------------------------------------------------------------------
def generate_scene(pad: PAD, seed: int) -> Scene:
    """A procedural dream world: `pad` decides its look and feel, `seed` its layout.

    Deterministic: equal arguments give equal scenes and identical TOML in any process. Raises
    TypeError when `pad` is not a PAD and InputError for a seed outside [0, MAX_SEED].
    """
    if not isinstance(pad, PAD):
        raise TypeError(f"pad must be a PAD, got {type(pad).__name__}")
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise InputError(f"seed must be an integer in [0, {MAX_SEED}], got {seed!r}")
    mood = _Mood.of(pad)
    layout = _stream(seed, "layout")
    (_u_spare, u_sink, u_mix_a, u_mix_c, u_tex, u_moon, u_cam_az, u_cam_d, u_cam_h, u_fov,
     u_sun_az, u_sun_side, u_sun_back, u_drift, u_fog_h, u_target) = (layout.random() for _ in range(16))

    # Consecutive seeds cycle through the arrangements, so any few seeds show them all.
    arrangement = ARRANGEMENTS[seed % len(ARRANGEMENTS)]
    sink = arrangement != "tower" and u_sink < mood.float_bias - 0.2
    ground = _make_ground(seed, mood, sink)
    if sink:   # land far below: everything floats
        mood = replace(mood, float_bias=1.0)

    mix = _stream(seed, "mix")
    angular_kinds, curved_kinds = list(ANGULAR_KINDS), list(CURVED_KINDS)
    mix.shuffle(angular_kinds)
    mix.shuffle(curved_kinds)
    builder = _Builder(seed, mood, ground, tuple(angular_kinds[:2 if u_mix_a < 0.6 else 3]),
                       tuple(curved_kinds[:2 if u_mix_c < 0.6 else 3]))
    layout_ = _arrange(builder, arrangement)
    pieces, focus_y, words = layout_.pieces, layout_.focus_y, layout_.words
    unit = mood.unit
    reach = max(p.reach for p in pieces)

    # -- the shapes, joined: plain union when sharp, smooth (k > 0) when soft -------------------
    shapes = _union([p.node for p in pieces], "dream_shapes",
                    k=0.3 * unit * (1.0 - mood.sharp) if mood.sharp < 0.5 else 0.0)
    # One noise node per world at most (each costs the GLSL compiler more than ten primitives): on
    # flat ground, often a texture on the whole group: jagged edges for sharp worlds (drifting,
    # restless, when aroused), a soft wobble for curved ones.
    texture = ""
    if not ground.noisy and u_tex < 0.7:
        flow = _r((0.15 + 0.45 * mood.energy) * _sign(u_tex)) if mood.energy > 0.5 else 0.0
        if mood.sharp >= 0.5:
            shapes = Displace(shapes, amplitude=_r(0.07 * unit), frequency=_r(2.4 / unit), octaves=2,
                              seed=int(u_tex * 9973), flow=flow, name="jagged")
            texture, reach = "jagged", reach + 0.1 * unit
        else:
            shapes = Displace(shapes, amplitude=_r(0.06 * unit), frequency=_r(1.2 / unit), octaves=2,
                              seed=int(u_tex * 9973), flow=flow, name="softened")
            texture, reach = "softly lumpy", reach + 0.1 * unit
    parts: list[Node] = [ground.node, shapes]

    # -- camera: azimuth from the seed, height from the emotion, outside every shape -------------
    # The renderer scales the whole world by the emotion's feature scale fs about the camera's
    # target (bigger, bolder structures for dominance and arousal), and the camera does not move
    # with it. So the framing below is authored, but every clearance is checked in the scaled
    # world: a point x of the scene is drawn at target + (x - target) * fs.
    fs = mood.feature_scale
    azimuth = 2.0 * math.pi * u_cam_az
    fov = _lerp(50.0, 64.0, u_fov) + 6.0 * (mood.energy - 0.5)
    # Far enough to take the whole arrangement in (closer, surrounded, when gloomy), and tall
    # arrangements whole (vertically: height / (2 tan(fov / 2)), plus a margin).
    lo, hi = layout_.frame
    span = layout_.top - max(ground.level, layout_.bottom)
    tall = span / (2.0 * math.tan(math.radians(fov) / 2.0)) * 1.15
    framing = max(tall, reach * (_lerp(lo, hi, u_cam_d) - 0.2 * mood.gloom) + unit)
    # Look at the focus; up from a low camera (looming shapes), towards the sky when pleasant.
    side = (u_target - 0.5) * 0.3 * reach
    target = _v(side * math.cos(azimuth), focus_y + (mood.lowness - 0.35) * unit + 0.1 * framing * max(0.0, mood.p),
                -side * math.sin(azimuth))

    def drawn_y(y: float) -> float:        # where the renderer puts authored height y
        return target[1] + (y - target[1]) * fs

    # Every shape lies within `reach` of the y axis, so within fs * (reach + |side|) of the
    # target's vertical line once scaled; the camera stays outside that with a margin.
    distance = max(framing, fs * (reach + abs(side) + 0.6) + abs(side) + 1.5 * unit)
    eye_floor = max(drawn_y(ground.top) + 0.4, drawn_y(ground.float_base), ground.top + 0.4)
    cam_y = eye_floor + unit * (_lerp(2.4, 0.3, mood.lowness) + 0.8 * u_cam_h)
    cam = _v(distance * math.sin(azimuth), cam_y, distance * math.cos(azimuth))

    # -- fog: thick and ground-hugging for gloom, but the arrangement must still show through it:
    # the density the renderer will use (base x the emotion's multiplier) is capped so that at
    # least e^-1.2 of the light from the middle of the arrangement reaches the camera.
    fog_base = 0.006 + 0.032 * mood.gloom ** 1.5 + 0.012 * mood.energy * mood.gloom
    fog_base = min(fog_base, 1.2 / (distance * mood.fog_mult))
    fog_eff = fog_base * mood.fog_mult
    # The layer is authored like the shapes: the renderer grows it with the world, so 2.5 to 5
    # drawn units of thickness are that over fs here, above the authored ground.
    fog_height = (_r(_lerp(2.5, 5.0, u_fog_h) / fs + max(0.0, ground.top))
                  if mood.gloom > 0.6 else 0.0)

    # -- a moon in clear skies, in the upper part of the view -----------------------------------
    # Placed where it should be drawn, then mapped back through the renderer's scaling.
    max_distance = _clamp(4.2 / max(fog_eff, 1e-3), 45.0, 140.0)
    moon_far = 60.0 + 20.0 * u_moon
    has_moon = fog_eff * moon_far < 1.2 and u_moon < 0.3 + 0.5 * max(0.0, mood.p)
    if has_moon:
        vx, vy, vz = target[0] - cam[0], target[1] - cam[1], target[2] - cam[2]
        yaw = math.atan2(vx, vz) + math.radians(fov * 0.6) * (u_sun_back - 0.5)
        pitch = math.atan2(vy, math.hypot(vx, vz)) + math.radians(fov * (0.22 + 0.15 * u_moon))
        moon_r = (3.0 + 3.0 * u_moon) * math.sqrt(unit)
        drawn = (cam[0] + moon_far * math.cos(pitch) * math.sin(yaw), cam[1] + moon_far * math.sin(pitch),
                 cam[2] + moon_far * math.cos(pitch) * math.cos(yaw))
        centre = tuple(t + (c - t) / fs for c, t in zip(drawn, target))
        body: Node = Sphere(radius=_r(moon_r / fs), material="moon", name="moon_body")
        if u_moon < 0.1:   # a ring in the sky, facing the camera
            body = Rotate(Torus(major=_r(moon_r / fs), minor=_r(0.12 * moon_r / fs), material="moon",
                                name="moon_ring"),
                          _v(90.0 - math.degrees(pitch), math.degrees(yaw), 0.0), name="moon_face")
        parts.append(Translate(body, _v(*centre), name="moon"))
        max_distance = max(max_distance, moon_far + 2.0 * moon_r + 5.0)

    root = _union(parts, "world", k=0.4 * unit if mood.sharp < 0.35 and not sink else 0.0)
    total = count_nodes(root)
    if total > MAX_NODES:  # pragma: no cover - the arrangements are sized to stay far below
        raise AssertionError(f"generated {total} nodes, more than {MAX_NODES}")

    # -- light: low, cold side or back light for gloom; high and warm for pleasure ---------------
    sun_az = azimuth + _sign(u_sun_side) * math.radians(_lerp(35.0, 110.0, u_sun_az))
    if mood.gloom > 0.55 and u_sun_back < 0.35:
        sun_az = azimuth + math.pi + (u_sun_az - 0.5)   # backlight: silhouettes against the fog
    warm = _clamp((mood.p + 1.0) / 2.0, 0.0, 1.0)
    elevation = math.radians(_lerp(14.0, 55.0, warm) + 10.0 * (u_sun_az - 0.5))
    world = World(
        fog_density=_r(fog_base, 4),
        fog_height=fog_height,
        sun_direction=_v(math.cos(elevation) * math.sin(sun_az), math.sin(elevation),
                         math.cos(elevation) * math.cos(sun_az)),
        sun_color=_v(_lerp(0.8, 1.0, warm), _lerp(0.88, 0.92, warm), _lerp(1.0, 0.78, warm)),
        sun_intensity=_r(1.5 + 0.9 * warm),
        ambient=_r(0.28 + 0.25 * warm),
    )
    camera = Camera(position=cam, target=target, fov=_r(fov, 1),
                    drift=_r(0.06 + 0.2 * mood.energy * (0.5 + u_drift)),
                    drift_speed=_r(0.06 + 0.14 * mood.energy))
    heavy = any(isinstance(nd, (Twist, Terrain, Displace)) for nd in walk(root))
    render = RenderSettings(max_steps=224 if heavy else 160, max_distance=_r(max_distance, 1))

    dominant = dominant_emotion(pad)
    fog_words = "heavy fog" if fog_eff > 0.05 else "a thin haze" if fog_eff > 0.015 else "a clear, open sky"
    texture = f", {texture}" if texture else ""
    description = (f"A generated dream, dominant emotion {dominant} (pleasure {pad.pleasure:+.2f}, arousal"
                   f" {pad.arousal:+.2f}, dominance {pad.dominance:+.2f}): {words}{texture}, on"
                   f" {ground.words}, under {fog_words}{', with a moon' if has_moon else ''}.")
    return Scene(
        root=root,
        name=f"Generated dream (seed {seed})",
        description=description,
        seed=seed,
        materials=_materials(seed, mood, ground.style),
        world=world,
        camera=camera,
        render=render,
        emotion=EmotionTrack.constant(pad),
    )

