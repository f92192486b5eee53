"""Include-once GLSL preprocessor with a source map, and driver-error rewriting.

`#include "lib/noise.glsl"` lines are replaced by the named file's text, resolved against the shader
root (`shaders/`), never outside it. Every file is emitted at most once, however often it is
included; cycles are reported with their chain. The output carries GLSL `#line` markers so that a
driver's compile log can be rewritten (`map_driver_error`) into `shaders/lib/sdf.glsl:42: ...`.

Line encoding. A marker is `#line <index * LINE_STRIDE + line> <index>`: the source-string number is
the file's index in `SourceMap.files`, and the same index is also folded into the line number.
Mesa (checked on 22.3, llvmpipe) reports the source-string number only for preprocessor and syntax
errors; semantic errors (undeclared names, type mismatches) always say source 0 while keeping the
`#line` line number. Folding the index into the line number keeps the file recoverable from either
kind of message, and from any driver that reports lines but not source strings. The top-level text
is index 0, so its line numbers are plain.

The output contains no `#include` text at all, not even in comments: moderngl's `ctx.program`
runs its own `#include "..."` substitution over the whole source (comments included) and raises
`KeyError: cannot include` for names it was not given.

Pure Python: no moderngl here, so the compile layer stays testable without a GL context.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from renderer.errors import InputError
from renderer.resources import shader_root

__all__ = [
    "SourceMap",
    "PreprocessedSource",
    "ShaderSourceError",
    "preprocess",
    "preprocess_file",
    "map_driver_error",
    "LINE_STRIDE",
]

#: Line numbers of file `i` are emitted as `i * LINE_STRIDE + line` (see module docstring).
LINE_STRIDE = 100_000

_INCLUDE_START = re.compile(r"^\s*#\s*include\b")
_INCLUDE_LINE = re.compile(r'^\s*#\s*include\s+"([^"\n]*)"\s*(?://.*|/\*.*\*/\s*)?$')
_VERSION_LINE = re.compile(r"^\s*#\s*version\b")

# Mesa: `0:42(5): error: message` (source:line(column)).
_MESA = re.compile(r"^(?P<src>\d+):(?P<line>\d+)\((?P<col>\d+)\):\s*(?P<msg>.*)$")
# NVIDIA: `0(42) : error C1008: message` (source(line)).
_NVIDIA = re.compile(r"^(?P<src>\d+)\((?P<line>\d+)\)\s*:\s*(?P<msg>.*)$")
# ANGLE / AMD / glslang: `ERROR: 0:42: message`.
_GLSLANG = re.compile(r"^(?P<kind>ERROR|WARNING):\s*(?P<src>\d+):(?P<line>\d+):\s*(?P<msg>.*)$")
_ERROR_PREFIX = re.compile(r"^error(?:\s+C\d+)?\s*:\s*", re.IGNORECASE)
_MESA_QUOTE = re.compile(r"`([^`']*)'")


class ShaderSourceError(InputError):
    """A shader source problem (bad include, cycle, compile error), reported as one line."""


@dataclass(frozen=True)
class SourceMap:
    """Source-string numbers used in `#line` markers, mapped to display names."""

    files: tuple[str, ...]

    def name(self, index: int) -> str:
        """Display name of source string `index` (`<source N>` if unknown)."""
        if 0 <= index < len(self.files):
            return self.files[index]
        return f"<source {index}>"

    def locate(self, source: int, line: int) -> tuple[str, int] | None:
        """Original (file name, line) of a driver-reported (source, line), None if unknown."""
        if line >= LINE_STRIDE:
            source, line = divmod(line, LINE_STRIDE)
        if not 0 <= source < len(self.files):
            return None
        return self.files[source], line


@dataclass(frozen=True)
class PreprocessedSource:
    text: str
    source_map: SourceMap


def _display(relative: PurePosixPath) -> str:
    return f"shaders/{relative.as_posix()}"


class _Resolver:
    def __init__(self, root: Path):
        self.root = root.resolve()
        self.files: list[str] = []
        self.emitted: set[Path] = set()
        self.out: list[str] = []

    def resolve(self, raw: str, where: str) -> tuple[Path, PurePosixPath]:
        """Validate an include path and return (resolved path, path relative to the root)."""
        if not raw.strip():
            raise ShaderSourceError(f"{where}: empty include path")
        if "\\" in raw or raw.startswith("/") or re.match(r"^[A-Za-z]:", raw):
            raise ShaderSourceError(
                f'{where}: include "{raw}" must be a relative path inside shaders/'
            )
        rel = PurePosixPath(raw)
        if ".." in rel.parts:
            raise ShaderSourceError(f'{where}: include "{raw}" must not use ".." (stays inside shaders/)')
        if rel.suffix != ".glsl":
            raise ShaderSourceError(f'{where}: include "{raw}" must name a .glsl file')
        candidate = (self.root / rel).resolve()
        if not candidate.is_relative_to(self.root):
            raise ShaderSourceError(f'{where}: include "{raw}" resolves outside shaders/')
        if not candidate.is_file():
            raise ShaderSourceError(f'{where}: include "{raw}" not found')
        return candidate, PurePosixPath(candidate.relative_to(self.root).as_posix())

    def read(self, path: Path, display: str, where: str | None) -> str:
        try:
            return path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise ShaderSourceError(f"{display}: not UTF-8 text") from None
        except OSError as exc:
            prefix = f"{where}: " if where else ""
            raise ShaderSourceError(f"{prefix}cannot read {display} ({exc.strerror})") from None

    def add_file(self, display: str) -> int:
        self.files.append(display)
        return len(self.files) - 1

    def marker(self, index: int, line: int) -> str:
        return f"#line {index * LINE_STRIDE + line} {index}"

    def emit(self, text: str, index: int, stack: list[tuple[Path | None, str]], top: bool) -> None:
        display = self.files[index]
        lines = text.splitlines()
        if len(lines) >= LINE_STRIDE:
            raise ShaderSourceError(f"{display}: too long ({len(lines)} lines, limit {LINE_STRIDE - 1})")
        self.out.append(self.marker(index, 1))
        in_comment = False
        for number, line in enumerate(lines, start=1):
            where = f"{display}:{number}"
            starts_in_comment = in_comment
            in_comment = _ends_in_block_comment(line, in_comment)
            if starts_in_comment:
                self.out.append(_defuse(line))
                continue
            if _VERSION_LINE.match(line):
                if top:
                    self.out.append("")  # hoisted to the first line by preprocess()
                    continue
                raise ShaderSourceError(f"{where}: #version is only allowed in the top-level shader")
            if not _INCLUDE_START.match(line):
                self.out.append(_defuse(line))
                continue
            match = _INCLUDE_LINE.match(line)
            if match is None:
                raise ShaderSourceError(
                    f'{where}: malformed include, expected #include "lib/name.glsl"'
                )
            path, rel = self.resolve(match.group(1), where)
            child = _display(rel)
            chain_paths = [p for p, _ in stack]
            if path in chain_paths:
                first = chain_paths.index(path)
                chain = [name for _, name in stack[first:]] + [child]
                raise ShaderSourceError(f"{where}: include cycle: {' -> '.join(chain)}")
            if path in self.emitted:
                self.out.append(f"// (already included: {child})")
                continue
            self.emitted.add(path)
            child_index = self.add_file(child)
            self.out.append(f"// begin {child}")
            self.emit(self.read(path, child, where), child_index, stack + [(path, child)], False)
            self.out.append(f"// end {child}")
            self.out.append(self.marker(index, number + 1))


def _defuse(line: str) -> str:
    """Break up `#include` left in comments: moderngl's own include pass would act on it."""
    return line.replace("#include", "# include") if "#include" in line else line


def _ends_in_block_comment(line: str, in_comment: bool) -> bool:
    """Whether a `/* ... */` comment is still open at the end of `line` (strings are rare in GLSL)."""
    i = 0
    n = len(line)
    while i < n:
        if in_comment:
            end = line.find("*/", i)
            if end < 0:
                return True
            in_comment = False
            i = end + 2
        else:
            slash = line.find("/", i)
            if slash < 0 or slash + 1 >= n:
                return False
            nxt = line[slash + 1]
            if nxt == "/":
                return False
            if nxt == "*":
                in_comment = True
                i = slash + 2
            else:
                i = slash + 1
    return in_comment


def _run(text: str, origin: str, root: Path | None, top_path: Path | None) -> PreprocessedSource:
    resolver = _Resolver(root if root is not None else shader_root())
    resolver.add_file(origin)
    stack: list[tuple[Path | None, str]] = [(top_path, origin)]
    if top_path is not None:
        resolver.emitted.add(top_path)

    version: str | None = None
    in_comment = False
    for number, line in enumerate(text.splitlines(), start=1):
        if not in_comment and _VERSION_LINE.match(line):
            if version is not None:
                raise ShaderSourceError(f"{origin}:{number}: second #version line")
            version = line.strip()
        in_comment = _ends_in_block_comment(line, in_comment)

    resolver.emit(text, 0, stack, True)
    out = resolver.out
    if version is not None:
        out = [version] + out
    return PreprocessedSource("\n".join(out) + "\n", SourceMap(tuple(resolver.files)))


def preprocess(text: str, origin: str, root: Path | None = None) -> PreprocessedSource:
    """Resolve `#include "lib/..."` lines in `text` (displayed as `origin`) against `root`.

    `root` defaults to the bundled `shaders/` folder. A `#version` line, if present, becomes the
    first output line. Raises ShaderSourceError naming the including file and line.
    """
    return _run(text, origin, root, None)


def preprocess_file(relative: str, root: Path | None = None) -> PreprocessedSource:
    """Preprocess a shader file given by its path relative to the root, e.g. "raymarch.frag"."""
    resolver = _Resolver(root if root is not None else shader_root())
    rel = PurePosixPath(relative)
    display = _display(rel)
    if rel.is_absolute() or ".." in rel.parts or "\\" in relative:
        raise ShaderSourceError(f"{display}: shader path must be relative and inside shaders/")
    path = (resolver.root / rel).resolve()
    if not path.is_relative_to(resolver.root):
        raise ShaderSourceError(f"{display}: resolves outside shaders/")
    if not path.is_file():
        raise ShaderSourceError(f"{display}: not found")
    display = _display(PurePosixPath(path.relative_to(resolver.root).as_posix()))
    return _run(resolver.read(path, display, None), display, root, path)


def _rewrite(source: int, line: int, msg: str, source_map: SourceMap) -> str | None:
    located = source_map.locate(source, line)
    if located is None:
        return None
    name, original = located
    msg = _ERROR_PREFIX.sub("", msg.strip(), count=1)
    msg = _MESA_QUOTE.sub(r"'\1'", msg)
    return f"{name}:{original}: {msg}"


def map_driver_error(message: str, source_map: SourceMap) -> str:
    """Rewrite a driver compile log so each error names the original file and line.

    Understands Mesa (`0:42(5): error: ...`), NVIDIA (`0(42) : error C1008: ...`) and
    glslang/ANGLE (`ERROR: 0:42: ...`). One output line per input line; a leading `error:` is
    dropped (warnings keep their `warning:`); lines that do not parse pass through unchanged.
    """
    out: list[str] = []
    for raw in message.splitlines():
        stripped = raw.strip()
        rewritten = None
        m = _MESA.match(stripped) or _NVIDIA.match(stripped)
        if m:
            rewritten = _rewrite(int(m["src"]), int(m["line"]), m["msg"], source_map)
        else:
            g = _GLSLANG.match(stripped)
            if g:
                msg = g["msg"] if g["kind"] == "ERROR" else f"warning: {g['msg']}"
                rewritten = _rewrite(int(g["src"]), int(g["line"]), msg, source_map)
        out.append(rewritten if rewritten is not None else raw)
    return "\n".join(out)
