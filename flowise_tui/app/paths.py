"""Local file paths a person types or pastes: completion, and paths in a paste.

A terminal pastes a file dragged onto it as its path, often quoted ('/a b.png') or with
backslash escapes (/a\\ b.png), some as a file:// URI; several files, one after another.
"""

from __future__ import annotations

import os
import shlex
from pathlib import Path
from urllib.parse import unquote, urlsplit

from textual.suggester import Suggester

MAX_PASTED_PATHS = 10
MAX_PASTE = 4096
MAX_LISTED = 2000


def pasted_paths(text: str) -> list[Path] | None:
    """The files a paste names, when it is nothing but paths of existing files; else None."""
    text = text.strip()
    if not text or len(text) > MAX_PASTE:
        return None
    try:
        words = shlex.split(text) if "\n" not in text else text.splitlines()
    except ValueError:
        return None
    paths = []
    for word in (w.strip() for w in words):
        if not word:
            continue
        if word.startswith("file://"):
            word = unquote(urlsplit(word).path)
        path = Path(os.path.expanduser(word))
        if not path.is_absolute() and not word.startswith("."):
            return None  # a plain word is text, even if a file of that name is here
        if not path.is_file():
            return None
        paths.append(path)
    return paths if 0 < len(paths) <= MAX_PASTED_PATHS else None


class PathSuggester(Suggester):
    """Suggests the rest of a path: the first entry of its folder that starts with what is
    typed (hidden ones only once a '.' is typed), with a '/' after a folder."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        return complete_path(value)


def complete_path(value: str) -> str | None:
    if not value:
        return None
    folder_text, _, prefix = value.rpartition("/")
    folder = Path(os.path.expanduser(folder_text + "/" if folder_text or value[0] == "/" else "."))
    try:
        names = []
        with os.scandir(folder) as entries:
            for index, entry in enumerate(entries):
                if index >= MAX_LISTED:
                    break
                if entry.name.startswith(prefix) and (prefix[:1] == "." or entry.name[0] != "."):
                    names.append((entry.name, entry.is_dir()))
    except OSError:
        return None
    names = [(name, is_dir) for name, is_dir in names if name != prefix or is_dir]
    if not names:
        return None
    name, is_dir = min(names)
    return value[: len(value) - len(prefix)] + name + ("/" if is_dir else "")
