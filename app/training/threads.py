"""How many BLAS threads a training run may use: one by default, more if the user asks.

NumPy's matrix products run on OpenBLAS (or MKL) threads. Beside the window on a busy machine
two threads make an update several times slower than one (they wait for each other's core)
and starve the GUI thread, so a run uses one unless the user raises the setting. The limit is
set with threadpoolctl, which finds the BLAS libraries NumPy loaded and sets their thread
count; it is process-wide while a run goes on.
"""
from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from typing import Any, Iterator

from PySide6.QtCore import QSettings

THREADS_KEY = "training/blas_threads"
DEFAULT_THREADS = 1


def max_threads() -> int:
    """The most threads worth asking for: the machine's cores."""
    return max(1, os.cpu_count() or 1)


def blas_threads() -> int:
    """The user's setting (QSettings), within 1 and the number of cores."""
    raw = QSettings().value(THREADS_KEY, DEFAULT_THREADS)
    try:
        wanted = int(str(raw))
    except (TypeError, ValueError):
        wanted = DEFAULT_THREADS
    return min(max_threads(), max(1, wanted))


def set_blas_threads(count: int) -> None:
    QSettings().setValue(THREADS_KEY, min(max_threads(), max(1, int(count))))


_controller: list[Any] = []  # threadpoolctl's view of the loaded libraries, found once
_lock = threading.Lock()
_held: list[int] = []  # the count each holder of the limit asked for
_original: list[Any] = []  # the first holder's limiter: it puts back the count of before


def _set(count: int) -> Any:
    """Set the count from this thread (under ``_lock``). threadpoolctl lets one thread at a time
    set OpenBLAS's shared pool and ignores the others; the holders take turns under the lock, so
    the thread setting it now takes control first."""
    if not _controller:
        from threadpoolctl import ThreadpoolController  # type: ignore[import-untyped]

        _controller.append(ThreadpoolController())
    _release_control()
    return _controller[0].limit(limits=count, user_api="blas")


def _release_control() -> None:
    from threadpoolctl import OpenBLASController

    release = getattr(OpenBLASController, "clear_controlling_thread", None)  # threadpoolctl 3.6 and later
    if release is not None:
        release(force=True)


@contextmanager
def limited(count: int) -> Iterator[None]:
    """While inside: BLAS uses at most ``count`` threads (the most any holder asked for, when
    several threads hold it: a training run, a measurement of the run before, the debugger);
    the count of before comes back when the last holder leaves. The limit is process-wide, and
    one threadpoolctl limiter per holder put back what it found on entry: a measurement that
    ended during the next run gave that run OpenBLAS's two threads."""
    with _lock:
        if _held:
            _set(max(*_held, count))
        else:
            _original.append(_set(count))
        _held.append(count)
    try:
        yield
    finally:
        with _lock:
            _held.remove(count)
            if _held:
                _set(max(_held))
            else:
                _release_control()
                _original.pop().restore_original_limits()
                _release_control()
