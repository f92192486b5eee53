"""Error types that decide how a failure reaches the user.

The CLI maps these to exit codes: `InputError` (bad scene, bad argument, bad shader) is the user's
to fix and exits 2 with one line; `EnvironmentProblem` (no GL context, missing library) exits 1.
Anything else is a bug and is allowed to show a traceback.
"""

from __future__ import annotations

__all__ = ["DreamscapeError", "InputError", "SceneError", "EnvironmentProblem", "first_line"]


class DreamscapeError(Exception):
    """Base class for failures that are reported to the user as one line."""

    exit_code = 1


class InputError(DreamscapeError):
    """The user's input (file, argument, shader) is wrong; exit status 2."""

    exit_code = 2


class SceneError(InputError):
    """A rule broken inside a scene file, located by file and dotted node path.

    Formats as `scenes/mia.toml: nodes.spires.radius: must be > 0, got -1` so an editor or a person
    can jump straight to the problem.
    """

    def __init__(self, file: str, path: str, rule: str):
        self.file = file
        self.path = path
        self.rule = rule
        where = f"{file}: {path}" if path else file
        super().__init__(f"{where}: {rule}")


class EnvironmentProblem(DreamscapeError):
    """The machine lacks something we need (an EGL driver, a library); exit status 1."""

    exit_code = 1


def first_line(exc: BaseException) -> str:
    """The first line of an exception's message (or its type's name when it has none): what a
    one-line report quotes from a library's or driver's multi-line error."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__

