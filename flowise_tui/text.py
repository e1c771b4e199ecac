"""Server text is data: strip what a terminal would act on."""

from __future__ import annotations

import re

_TERMINAL_CONTROLS = re.compile(
    r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: title, clipboard (52), hyperlinks
    r"|\x1b[P^_X][^\x1b]*(?:\x1b\\)?"  # DCS, PM, APC, SOS strings
    r"|\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, clear screen
    r"|\x1b[ -/]*[0-~]?"  # other escapes, or a lone ESC
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f]"  # C0 and C1 controls but tab and newline
)


def strip_controls(text: str) -> str:
    """Remove escape sequences and control characters, keeping tabs and newlines."""
    if text.isprintable():
        return text
    return _TERMINAL_CONTROLS.sub("", text)
