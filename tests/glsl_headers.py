"""Parsing of GLSL file headers, shared by the tests that keep shaders/lib and shaders/fx
headers true to the code: a header is the comment block at the top of a file, listing every
function with its exact signature."""

from __future__ import annotations

import re
from pathlib import Path

TYPES = r"(?:void|bool|int|uint|float|vec[234]|ivec[234]|uvec[234]|bvec[234]|mat[234])"
DEFINITION = re.compile(rf"^({TYPES})\s+(\w+)\s*\(([^)]*)\)\s*\{{", re.MULTILINE)
HEADER_ENTRY = re.compile(rf"^//\s+({TYPES})\s+(\w+)\s*\(([^)]*)\)(.*)$")


def strip_comments(text: str) -> str:
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.DOTALL)
    return re.sub(r"//[^\n]*", "", text)


def header_lines(text: str) -> list[str]:
    lines = []
    for line in text.splitlines():
        if not line.startswith("//"):
            break
        lines.append(line)
    return lines


def normalise(ret: str, name: str, params: str) -> str:
    params = ", ".join(" ".join(p.split()) for p in params.split(",")) if params.strip() else ""
    return f"{ret} {name}({params})"


def definitions(path: Path) -> dict[str, str]:
    """Function name -> normalised signature, for every function defined in the file."""
    return {m[2]: normalise(m[1], m[2], m[3]) for m in DEFINITION.finditer(strip_comments(path.read_text()))}


def header_entries(path: Path) -> dict[str, tuple[str, str]]:
    """Function name -> (normalised signature, the rest of its header line)."""
    entries = {}
    for line in header_lines(path.read_text()):
        m = HEADER_ENTRY.match(line)
        if m:
            entries[m[2]] = (normalise(m[1], m[2], m[3]), m[4])
    return entries
