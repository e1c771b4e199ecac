"""What the command line does before anything imports httpx: keep httpx's own command line
out of the program.

httpx imports its command-line tool (click, pygments, rich.progress and rich.syntax) as it
is imported, whenever click is installed; flowise-tui never runs that tool, and loading it
costs tens of milliseconds before the first screen. A stand-in takes its place and loads the
real one should anything call it.
"""

from __future__ import annotations

import sys
import types
from typing import Any

HTTPX_COMMAND_LINE = "httpx._main"


def _real_httpx_command_line(*args: Any, **kwargs: Any) -> Any:
    sys.modules.pop(HTTPX_COMMAND_LINE, None)
    from httpx._main import main

    return main(*args, **kwargs)


def skip_httpx_command_line() -> None:
    if "httpx" in sys.modules:
        return
    stand_in = types.ModuleType(HTTPX_COMMAND_LINE)
    stand_in.main = _real_httpx_command_line  # type: ignore[attr-defined]
    sys.modules.setdefault(HTTPX_COMMAND_LINE, stand_in)


skip_httpx_command_line()
