"""Writing the user's files safely, and saying in plain words why it failed.

A file is written whole under a temporary name beside its target, flushed to disk, then
given its name, so a crash or a full disk never leaves a half-written file behind.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


def os_error_reason(exc: BaseException) -> str:
    """What went wrong, for a person: "No space left on device (/path)"."""
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.strerror} ({exc.filename})" if exc.filename else exc.strerror
    return str(exc) or type(exc).__name__


def make_directory(directory: Path, mode: int = 0o777) -> None:
    """Create `directory` and its parents; a file in the way is named in the error."""
    try:
        directory.mkdir(mode=mode, parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError) as exc:
        raise NotADirectoryError(f"{first_non_directory(directory)} is not a directory") from exc


def first_non_directory(directory: Path) -> Path:
    """The part of `directory` that exists but is not a directory."""
    candidates = (directory, *directory.parents)
    return next((p for p in candidates if p.exists() and not p.is_dir()), directory)


@contextlib.contextmanager
def staged_file(directory: Path, name: str, data: bytes) -> Iterator[Path]:
    """A private (0600) file in `directory` holding `data`, already on disk, under a temporary
    name starting with `.name.`; rename or link it into place. It is removed on exit."""
    fd, staged = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        yield Path(staged)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(staged)


def fsync_directory(directory: Path) -> None:
    """Make a rename in `directory` durable; not every platform can open or fsync one."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
