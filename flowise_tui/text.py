"""Server text is data: strip what a terminal would act on."""

from __future__ import annotations

import json
import re

_TERMINAL_CONTROLS = re.compile(
    r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: title, clipboard (52), hyperlinks
    r"|\x1b[P^_X][^\x1b]*(?:\x1b\\)?"  # DCS, PM, APC, SOS strings
    r"|\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, clear screen
    r"|\x1b[ -/]*[0-~]?"  # other escapes, or a lone ESC
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f]"  # C0 and C1 controls but tab and newline
    "|[\u202a-\u202e\u2066-\u2069]"  # bidi embeddings, overrides, isolates: reorder text
    "|[\ud800-\udfff]"  # lone surrogates: no terminal or file can encode them
)
_LINE_SEPARATORS = str.maketrans({"\u2028": "\n", "\u2029": "\n"})


def strip_controls(text: str) -> str:
    """Remove escape sequences and control characters, keeping tabs and newlines.

    Right-to-left letters and zero-width joiners stay (scripts and emoji need them);
    the bidi override and isolate controls that can make text read differently from
    what it is go, and Unicode line separators become newlines.
    """
    if text.isprintable():
        return text
    return _TERMINAL_CONTROLS.sub("", text).translate(_LINE_SEPARATORS)


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def json_line(value: object) -> str:
    """`value` as one line of JSON that a terminal shows as text and every line splitter
    reads as one line: non-ASCII stays readable, but C1 controls, Unicode line separators
    and bidi controls are written as `\\uXXXX` escapes."""
    text = json.dumps(value, ensure_ascii=False)
    return _JSON_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)
