"""A shader world: a user's fragment shader (one file) or a multipass Shadertoy project (a manifest).

`ShaderWorld` is frozen, picklable data, like a Scene: the shader texts and channel images travel
inside it (image files as bytes), so a render worker needs no shared filesystem. Loading checks
everything that can be checked without GL (form, manifest keys, channel bindings, that each image
decodes); compile errors surface when a renderer builds the programs.

Manifest (`*.shadertoy.toml`; paths relative to the manifest):

    [shadertoy]                      # optional
    name = "Feedback trails"
    common = "common.glsl"           # optional: Shadertoy's Common tab, put before every pass
    [emotion]                        # optional, as in scene files: drives uEmotion over time
    joy = 0.6
    [passes.A]                       # buffers A..D, rendered in that order each frame
    source = "buffer_a.glsl"
    channels = ["A", "image:noise.png"]   # iChannel0.. : a buffer, an image, or "" for none
    [image]                          # the pass that is shown
    source = "image.glsl"
    channels = ["A", { source = "B", filter = "nearest", wrap = "clamp" }]

A channel is "A".."D" (that buffer: this frame's output if the buffer was rendered earlier in the
frame, else the previous frame's, so a pass reading itself gets feedback), "image:PATH" or a
PATH ending in .png/.jpg/.jpeg/.bmp/.gif/.webp (a texture, flipped so uv (0,0) is its bottom-left
corner as on Shadertoy), or "" / "none". The table form adds filter ("mipmap", "linear",
"nearest"), wrap ("repeat", "clamp") and, for images, vflip (true). Defaults follow Shadertoy:
images mipmap + repeat, buffers linear + clamp.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from renderer.errors import InputError, SceneError
from renderer.scene.loader import reject_unknown_keys, require_table
from renderer.shadertoy.form import FORM_DESCRIPTIONS, SHADERTOY, detect_form

__all__ = ["ChannelSpec", "ShaderPass", "ShaderWorld", "load_shader_world", "is_shader_path",
           "is_shader_manifest_data", "SHADER_SUFFIXES", "BUFFER_NAMES", "CHANNELS"]

SHADER_SUFFIXES = (".glsl", ".frag", ".fs")
MANIFEST_SUFFIX = ".shadertoy.toml"
BUFFER_NAMES = ("A", "B", "C", "D")
CHANNELS = 4
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp")
FILTERS = ("mipmap", "linear", "nearest")
WRAPS = ("repeat", "clamp")
_MAX_SHADER_BYTES = 1 << 20
_MAX_IMAGE_BYTES = 64 << 20
_MAX_IMAGE_SIDE = 8192


@dataclass(frozen=True)
class ChannelSpec:
    """What one iChannel reads: nothing, a buffer pass ("A".."D") or an image (file bytes)."""

    kind: str = "none"            # "none" | "buffer" | "image"
    buffer: str = ""
    name: str = ""                # image: its path, for messages
    data: bytes = field(default=b"", repr=False)
    filter: str = "linear"
    wrap: str = "clamp"
    vflip: bool = True

    def digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()[:16] if self.data else ""


@dataclass(frozen=True)
class ShaderPass:
    name: str                     # "A".."D" or "image"
    source: str                   # display name of its file
    text: str = field(repr=False)
    channels: tuple[ChannelSpec, ...] = (ChannelSpec(),) * CHANNELS


@dataclass(frozen=True, repr=False)
class ShaderWorld:
    """A shader file or multipass project, renderable like a scene (see renderer.py)."""

    source: str                               # the file given (shader or manifest)
    form: str                                 # wrap.SHADERTOY or wrap.GLSLVIEWER
    passes: tuple[ShaderPass, ...]            # buffers in render order, then the image pass last
    name: str = ""
    common: tuple[str, str] | None = None     # (display name, text) of a Common file
    mouse: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # iMouse, Shadertoy encoding
    emotion: Any = None                       # EmotionTrack or None (neutral unless --emotion)
    fps: float | None = None                  # iTimeDelta = 1/fps, iFrameRate (None: the renderer's)
    seed: int = 0                             # unused by shaders; kept so world-wide seed overrides apply

    @property
    def image(self) -> ShaderPass:
        return self.passes[-1]

    @property
    def buffers(self) -> tuple[ShaderPass, ...]:
        return self.passes[:-1]

    def describe(self) -> str:
        """One line saying which form was detected, e.g. for the CLI to print."""
        passes = ", ".join(f"Buffer {p.name}" for p in self.buffers)
        more = f"; multipass: {passes} + Image" if passes else ""
        return f"{self.source}: {FORM_DESCRIPTIONS[self.form]}{more}"

    def digest(self) -> str:
        """Hash of everything that decides the pixels (shader texts, images, settings)."""
        h = hashlib.sha256()
        for item in (self.form, self.common, self.mouse, repr(self.emotion), self.fps, self.seed):
            h.update(repr(item).encode())
        for p in self.passes:
            h.update(repr((p.name, p.source, p.text)).encode())
            for c in p.channels:
                h.update(repr((c.kind, c.buffer, c.filter, c.wrap, c.vflip, c.digest())).encode())
        return h.hexdigest()[:24]

    def __repr__(self) -> str:  # compact and complete: job fingerprints hash reprs of worlds
        return (f"ShaderWorld(source={self.source!r}, form={self.form!r}, "
                f"passes={[p.name for p in self.passes]!r}, digest={self.digest()!r})")


def is_shader_path(path: str | Path) -> bool:
    """Whether a SCENE argument names a shader file or a Shadertoy manifest (by its name)."""
    name = str(path).lower()
    return name.endswith(SHADER_SUFFIXES) or name.endswith(MANIFEST_SUFFIX)


def is_shader_manifest_data(data: Mapping) -> bool:
    """Whether parsed TOML is a Shadertoy manifest (has [image], no [scene] or [nexus])."""
    return isinstance(data, Mapping) and "image" in data and "scene" not in data and "nexus" not in data


def _read_text(path: Path, shown: str, where: str = "") -> str:
    prefix = f"{where}: " if where else ""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{prefix}{shown}: file not found") from None
    except IsADirectoryError:
        raise InputError(f"{prefix}{shown}: is a folder, expected a shader file") from None
    except OSError as exc:
        raise InputError(f"{prefix}{shown}: cannot read ({exc.strerror})") from None
    if len(raw) > _MAX_SHADER_BYTES:
        raise InputError(f"{prefix}{shown}: larger than {_MAX_SHADER_BYTES} bytes")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{prefix}{shown}: not UTF-8 text") from None


def _image_channel(path: Path, where: str, *, filter: str = "mipmap", wrap: str = "repeat",
                   vflip: bool = True) -> ChannelSpec:
    from PIL import Image, UnidentifiedImageError

    shown = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{where}: {shown}: cannot read image ({exc.strerror or exc})") from None
    if len(data) > _MAX_IMAGE_BYTES:
        raise InputError(f"{where}: {shown}: image larger than {_MAX_IMAGE_BYTES} bytes")
    try:
        with Image.open(io.BytesIO(data)) as img:
            size = img.size
            img.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise InputError(f"{where}: {shown}: not a readable image ({exc})") from None
    if not all(1 <= s <= _MAX_IMAGE_SIDE for s in size):
        raise InputError(f"{where}: {shown}: image sides must be 1..{_MAX_IMAGE_SIDE}, got {size[0]}x{size[1]}")
    return ChannelSpec("image", name=shown, data=data, filter=filter, wrap=wrap, vflip=vflip)


def load_shader_world(path: str | Path, channels=(), mouse=None, emotion=None) -> ShaderWorld:
    """A ShaderWorld from a `.glsl`/`.frag`/`.fs` file or a `*.toml` manifest.

    channels: up to four image paths (None to skip) for iChannel0..3 / u_tex0..3 of a single file
    (`--channel0 PATH` ...). mouse: an iMouse vec4 (see wrap.encode_mouse). emotion: an
    EmotionTrack replacing the manifest's.
    """
    path = Path(path)
    shown = str(path)
    channels = tuple(channels)
    if len(channels) > CHANNELS:
        raise InputError(f"{shown}: at most {CHANNELS} channels, got {len(channels)}")
    if path.suffix.lower() == ".toml":
        if any(c is not None for c in channels):
            raise InputError(f"{shown}: a multipass manifest names its own channels; "
                             "--channel options apply to single shader files")
        world = _load_manifest(path)
    else:
        text = _read_text(path, shown)
        form = detect_form(text, shown)
        specs = [ChannelSpec()] * CHANNELS
        for i, c in enumerate(channels):
            if c is not None:
                specs[i] = _image_channel(Path(c), f"--channel{i}")
        world = ShaderWorld(source=shown, form=form, name=path.stem,
                            passes=(ShaderPass("image", shown, text, tuple(specs)),))
    updates = {}
    if mouse is not None:
        updates["mouse"] = tuple(float(v) for v in mouse)
    if emotion is not None:
        updates["emotion"] = emotion
    if updates:
        import dataclasses

        world = dataclasses.replace(world, **updates)
    return world


def _string(value: Any, file: str, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise SceneError(file, where, "must be a non-empty string")
    return value


def _parse_channel(raw: Any, base: Path, file: str, where: str, buffers: set[str]) -> ChannelSpec:
    options: Mapping = {}
    if isinstance(raw, Mapping):
        reject_unknown_keys(raw, {"source", "filter", "wrap", "vflip"}, file, where)
        if "source" not in raw:
            raise SceneError(file, where, "missing required key 'source'")
        options = raw
        raw = raw["source"]
    if not isinstance(raw, str):
        raise SceneError(file, where, f"must be a buffer name, an image path or a table, got {type(raw).__name__}")
    spec = raw.strip()
    filter_ = options.get("filter")
    wrap = options.get("wrap")
    vflip = options.get("vflip", True)
    if filter_ is not None and filter_ not in FILTERS:
        raise SceneError(file, f"{where}.filter", f"must be one of {', '.join(FILTERS)}, got {filter_!r}")
    if wrap is not None and wrap not in WRAPS:
        raise SceneError(file, f"{where}.wrap", f"must be one of {', '.join(WRAPS)}, got {wrap!r}")
    if not isinstance(vflip, bool):
        raise SceneError(file, f"{where}.vflip", "must be true or false")
    if spec in ("", "none"):
        return ChannelSpec()
    if spec.upper() in BUFFER_NAMES and len(spec) == 1:
        name = spec.upper()
        if name not in buffers:
            raise SceneError(file, where, f"buffer {name} has no [passes.{name}] section")
        if "vflip" in options:
            raise SceneError(file, f"{where}.vflip", "applies to images only")
        return ChannelSpec("buffer", buffer=name, filter=filter_ or "linear", wrap=wrap or "clamp")
    image = spec[len("image:"):] if spec.startswith("image:") else spec
    if not spec.startswith("image:") and not image.lower().endswith(IMAGE_SUFFIXES):
        raise SceneError(file, where, f'"{spec}": expected a buffer A-D, "image:PATH" or an image file '
                                      f"({', '.join(IMAGE_SUFFIXES)}), or \"\" for none")
    path = Path(image)
    if not path.is_absolute():
        path = base / path
    return _image_channel(path, f"{file}: {where}", filter=filter_ or "mipmap", wrap=wrap or "repeat",
                          vflip=vflip)


def _parse_pass(name: str, raw: Any, base: Path, file: str, where: str, buffers: set[str]) -> ShaderPass:
    table = require_table(raw, file, where)
    reject_unknown_keys(table, {"source", "channels"}, file, where)
    if "source" not in table:
        raise SceneError(file, where, "missing required key 'source'")
    rel = _string(table["source"], file, f"{where}.source")
    path = Path(rel) if Path(rel).is_absolute() else base / rel
    text = _read_text(path, str(path), f"{file}: {where}.source")
    form = detect_form(text, str(path))
    if form != SHADERTOY:
        raise SceneError(file, f"{where}.source", f"{path}: multipass passes must be in Shadertoy form (mainImage)")
    raw_channels = table.get("channels", [])
    if not isinstance(raw_channels, list) or len(raw_channels) > CHANNELS:
        raise SceneError(file, f"{where}.channels", f"must be a list of at most {CHANNELS} channels")
    specs = [_parse_channel(c, base, file, f"{where}.channels[{i}]", buffers) for i, c in enumerate(raw_channels)]
    specs += [ChannelSpec()] * (CHANNELS - len(specs))
    return ShaderPass(name, str(path), text, tuple(specs))


def _load_manifest(path: Path) -> ShaderWorld:
    from renderer.scene.loader import read_toml

    data, file = read_toml(path)
    base = path.parent
    reject_unknown_keys(data, {"shadertoy", "passes", "image", "emotion"}, file, "")
    if "image" not in data:
        raise SceneError(file, "image", "missing: a manifest needs an [image] pass")
    head = require_table(data.get("shadertoy", {}), file, "shadertoy")
    reject_unknown_keys(head, {"name", "common"}, file, "shadertoy")
    name = _string(head["name"], file, "shadertoy.name") if "name" in head else path.name.split(".")[0]
    common = None
    if "common" in head:
        rel = _string(head["common"], file, "shadertoy.common")
        common_path = Path(rel) if Path(rel).is_absolute() else base / rel
        common = (str(common_path), _read_text(common_path, str(common_path), f"{file}: shadertoy.common"))
    raw_passes = require_table(data.get("passes", {}), file, "passes")
    for key in raw_passes:
        if key not in BUFFER_NAMES:
            raise SceneError(file, f"passes.{key}", "buffer passes are named A, B, C or D")
    buffers = set(raw_passes)
    passes = [_parse_pass(n, raw_passes[n], base, file, f"passes.{n}", buffers)
              for n in BUFFER_NAMES if n in raw_passes]
    passes.append(_parse_pass("image", data["image"], base, file, "image", buffers))
    emotion = None
    if "emotion" in data:
        from renderer.scene.emotion_io import parse_emotion_section

        emotion = parse_emotion_section(data["emotion"], file)
    return ShaderWorld(source=file, form=SHADERTOY, passes=tuple(passes), name=name, common=common,
                       emotion=emotion)
