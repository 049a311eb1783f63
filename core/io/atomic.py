"""Atomic file writing: a crash, an error or a cancel while saving never leaves a half-written
file in place of the old one, and the temporary files a killed save left behind are removed by
the next save of the same file. The data may come in chunks (a big document's text as it is
made); whatever stops them (an error, :class:`WriteCancelled`) leaves the old file as it was."""
from __future__ import annotations

import os
import re
import secrets
import stat
import sys
import time
from collections.abc import Iterable

if sys.platform == "win32":
    _BINARY = os.O_BINARY  # no newline translation
else:
    _BINARY = 0
STALE_AFTER = 60.0  # seconds since a temporary file was last written before it counts as left behind


class WriteCancelled(Exception):
    """A write stopped before its end because someone asked (raised by the chunks of its data):
    the old file is as it was and the temporary file is removed."""


def write_atomic(path: str | os.PathLike[str], data: bytes | Iterable[bytes]) -> None:
    """Write ``data`` (bytes, or chunks of bytes written as they come) to ``path`` atomically: a
    temporary file in the same folder, synced, then renamed over the old one. On any error (or
    :class:`WriteCancelled` from the chunks) the old file is untouched and the temporary removed."""
    target = os.path.realpath(path)
    folder, name = os.path.split(target)
    remove_stale_temporaries(target)
    tmp = os.path.join(folder, f".{name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY, 0o666)
    try:
        try:
            for chunk in (data,) if isinstance(data, bytes) else data:
                _write_all(fd, chunk)
            os.fsync(fd)
        finally:
            os.close(fd)
        if os.path.exists(target):
            os.chmod(tmp, stat.S_IMODE(os.stat(target).st_mode))
        os.replace(tmp, target)
    except BaseException:
        try:
            os.remove(tmp)
        except OSError:
            pass
        raise
    _sync_folder(folder)


def remove_stale_temporaries(path: str | os.PathLike[str], now: float | None = None) -> list[str]:
    """Remove the temporary files (``.name.<8 hex digits>.tmp``) that saves of ``path`` killed
    before their rename left in its folder, and return their paths. Only files not written for
    :data:`STALE_AFTER` seconds count: a save still going on in another process keeps its file.
    Files that cannot be removed are left alone (the save itself goes on)."""
    folder, name = os.path.split(os.path.realpath(path))
    pattern = re.escape(f".{name}.") + r"[0-9a-f]{8}\.tmp"
    now = time.time() if now is None else now
    removed: list[str] = []
    try:
        entries = list(os.scandir(folder or "."))
    except OSError:
        return removed
    for entry in entries:
        if not re.fullmatch(pattern, entry.name):
            continue
        try:
            if entry.is_file(follow_symlinks=False) and now - entry.stat(follow_symlinks=False).st_mtime >= STALE_AFTER:
                os.remove(entry.path)
                removed.append(entry.path)
        except OSError:
            pass
    return removed


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _sync_folder(folder: str) -> None:
    """Make the rename durable where the system allows syncing a folder (POSIX)."""
    try:
        fd = os.open(folder or ".", os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
