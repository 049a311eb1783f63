"""How many BLAS threads a training run may use: one by default, more if the user asks.

NumPy's matrix products run on OpenBLAS (or MKL) threads. Beside the window on a busy machine
two threads make an update several times slower than one (they wait for each other's core)
and starve the GUI thread, so a run uses one unless the user raises the setting. The limit is
set with threadpoolctl, which finds the BLAS libraries NumPy loaded and sets their thread
count; it is process-wide while a run goes on.
"""
from __future__ import annotations

import os
from contextlib import AbstractContextManager
from typing import Any, cast

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


def limited(count: int) -> AbstractContextManager[object]:
    """While inside: BLAS uses at most ``count`` threads (restored on leaving)."""
    if not _controller:
        from threadpoolctl import ThreadpoolController  # type: ignore[import-untyped]

        _controller.append(ThreadpoolController())
    return cast(AbstractContextManager[object], _controller[0].limit(limits=count, user_api="blas"))
