"""Copy text with the system's clipboard tool, when there is one.

Terminals may ignore the OSC 52 request a TUI sends (tmux without `set-clipboard on`, many
SSH setups, some terminals by default), and nothing tells the program. A clipboard tool says
whether it worked.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping

TIMEOUT = 3.0


def clipboard_tool(env: Mapping[str, str] | None = None) -> list[str] | None:
    """The command that puts its standard input on this system's clipboard, if any."""
    env = os.environ if env is None else env
    path = env.get("PATH")
    candidates: list[list[str]] = []
    if sys.platform == "darwin":
        candidates.append(["pbcopy"])
    if env.get("WAYLAND_DISPLAY"):
        candidates.append(["wl-copy"])
    if env.get("DISPLAY"):
        candidates += [["xclip", "-selection", "clipboard"], ["xsel", "--clipboard", "--input"]]
    if sys.platform == "win32" or env.get("WSL_DISTRO_NAME"):
        candidates.append(["clip.exe"])
    for command in candidates:
        found = shutil.which(command[0], path=path)
        if found:
            return [found, *command[1:]]
    return None


def copy_with_tool(text: str, env: Mapping[str, str] | None = None) -> str | None:
    """Copy `text` with the clipboard tool; the tool's name when it worked, else None."""
    command = clipboard_tool(env)
    if command is None:
        return None
    try:
        subprocess.run(
            command,
            input=text.encode(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=TIMEOUT,
            check=True,
            env=None if env is None else dict(env),
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return os.path.basename(command[0])
