"""Writing the user's files safely, and saying in plain words why it failed.

A file is written whole under a temporary name beside its target, flushed to disk, then
given its name, so a crash or a full disk never leaves a half-written file behind. A lock
file beside it lets two processes take turns to change it.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]


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


class LockTimeout(TimeoutError):
    """Another process held the lock for longer than the caller would wait."""


@contextlib.contextmanager
def exclusive_lock(lock_path: Path, timeout: float) -> Iterator[None]:
    """Hold the lock `lock_path` names, waiting at most `timeout` seconds for it.

    The lock file exists only while it is held: the holder removes it before letting go, and
    whoever takes a file that was meanwhile removed or replaced lets go and tries again. Where
    `fcntl` is missing (Windows) nothing is locked.
    """
    if fcntl is None:
        yield
        return
    fd = _take(lock_path, time.monotonic() + timeout)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(lock_path)
        os.close(fd)


def _take(lock_path: Path, deadline: float) -> int:
    pause = 0.001
    while True:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
        except BaseException:
            os.close(fd)
            raise
        else:
            if _still_named(fd, lock_path):
                return fd
            os.close(fd)
            continue
        if time.monotonic() >= deadline:
            raise LockTimeout(f"{lock_path} is held by another process")
        time.sleep(pause)
        pause = min(pause * 2, 0.02)


def _still_named(fd: int, lock_path: Path) -> bool:
    """Whether `lock_path` still names the file `fd` locked (the last holder may have removed
    it between our open and our lock)."""
    try:
        named = os.stat(lock_path)
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (named.st_dev, named.st_ino) == (held.st_dev, held.st_ino)
