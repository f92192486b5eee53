"""Every key and mouse control of the explorer, in one table: the window dispatches from it, the
help overlay (F1 / H) prints it, and the README lists it.

Keys are named as moderngl-window's `BaseKeys` attributes ("W", "F12", "LEFT_SHIFT"). A window
backend maps its own key codes to these names through `KeyNames`; the headless window has no key
codes, so there the names themselves are the codes (tests send "W").
"""

from __future__ import annotations

__all__ = ["ACTIONS", "HELD", "MOUSE_HELP", "KeyNames", "help_lines", "EMOTION_KEYS", "PRESET_KEYS"]

# Keys that act while held (movement), as (right, up, forward) axis contributions.
HELD = {
    "W": (0, 0, 1), "S": (0, 0, -1), "A": (-1, 0, 0), "D": (1, 0, 0),
    "E": (0, 1, 0), "Q": (0, -1, 0),
}
FAST_KEYS = ("LEFT_SHIFT", "RIGHT_SHIFT")

# PAD axis nudges: key -> (axis, delta).
EMOTION_KEYS = {
    "Z": ("pleasure", -0.1), "X": ("pleasure", 0.1),
    "C": ("arousal", -0.1), "V": ("arousal", 0.1),
    "B": ("dominance", -0.1), "N": ("dominance", 0.1),
}
PRESET_KEYS = {f"NUMBER_{i + 1}": name for i, name in enumerate(
    ("joy", "trust", "fear", "surprise", "sadness", "disgust", "anger", "anticipation"))}

# Keys that act once per press: name -> (action, help text). Several names may share an action.
ACTIONS = {
    "TAB": ("toggle_camera", "switch fly / orbit camera"),
    "F": ("follow_path", "follow the scene's own camera path (toggle)"),
    "R": ("reset_camera", "reset the camera to the scene's"),
    "NUMBER_0": ("emotion_scene", "back to the scene's own emotion"),
    "SPACE": ("pause", "pause / resume time"),
    "PERIOD": ("step_forward", "pause and step one frame forward"),
    "COMMA": ("step_back", "pause and step one frame back"),
    "RIGHT": ("scrub_forward", "scrub time +1 s (Shift: +5 s)"),
    "LEFT": ("scrub_back", "scrub time -1 s (Shift: -5 s)"),
    "UP": ("scrub_fine_forward", "scrub time +0.1 s"),
    "DOWN": ("scrub_fine_back", "scrub time -0.1 s"),
    "F2": ("toggle_hud", "HUD on / off"),
    "F3": ("toggle_steps", "steps per pixel in the HUD (toggle)"),
    "G": ("toggle_dynres", "dynamic resolution on / off (off: 100%)"),
    "F12": ("screenshot", "screenshot to <scene>-t<time>-<date>.png"),
    "P": ("screenshot", None),
    "F9": ("toggle_record", "record an mp4 of what you see (toggle)"),
    "F1": ("toggle_help", "this help"),
    "H": ("toggle_help", None),
    "ESCAPE": ("quit", "quit"),
}

MOUSE_HELP = (
    ("left drag", "look around (fly) / orbit (orbit)"),
    ("right drag", "pan the orbit target"),
    ("scroll", "zoom (orbit) / flying speed (fly)"),
)


def _shown(name: str) -> str:
    return {"NUMBER_0": "0", "PERIOD": ".", "COMMA": ",", "ESCAPE": "Esc", "SPACE": "Space",
            "TAB": "Tab", "RIGHT": "Right", "LEFT": "Left", "UP": "Up", "DOWN": "Down"}.get(name, name)


def help_lines() -> list[tuple[str, str]]:
    """(keys, what they do) for every control, in the order the help overlay shows them."""
    lines = [("W A S D", "fly forward / left / back / right"), ("Q E", "fly down / up"),
             ("Shift", "fly 4x faster")]
    lines += list(MOUSE_HELP)
    by_action: dict[str, list[str]] = {}
    text: dict[str, str] = {}
    for name, (action, doc) in ACTIONS.items():
        by_action.setdefault(action, []).append(_shown(name))
        if doc:
            text[action] = doc
    lines.append(("Z X / C V / B N", "valence / arousal / dominance -/+ 0.1 (eased 0.5 s)"))
    lines.append(("1 .. 8", "Plutchik presets: " + ", ".join(PRESET_KEYS.values())))
    for action, names in by_action.items():
        lines.append((" / ".join(names), text[action]))
    lines.append(("F11", "fullscreen (windowed backends)"))
    return lines


class KeyNames:
    """Backend key code -> control name, built from a window's `keys` class."""

    NAMES = tuple(HELD) + FAST_KEYS + tuple(EMOTION_KEYS) + tuple(PRESET_KEYS) + tuple(ACTIONS)

    def __init__(self, keys_cls):
        self._names: dict = {}
        self._codes: dict = {}
        for name in self.NAMES:
            code = getattr(keys_cls, name, "undefined")
            if code == "undefined":
                code = name
            self._names[code] = name
            self._codes[name] = code

    def name(self, code) -> str | None:
        return self._names.get(code)

    def code(self, name: str):
        """The backend's code for a control name (what a test sends)."""
        return self._codes[name]
