"""Time limits on calls into user code, in whatever thread makes them.

A watchdog thread looks at the deadline of every thread inside :func:`call_with_limit` every
``POLL`` seconds; when one has passed it raises :class:`TimeLimitExceeded` inside that thread
(``PyThreadState_SetAsyncExc``), again at every poll until the call has ended, so a bare
``except:`` in the user's loop cannot swallow it for good. A call costs one lock and a dictionary
entry; the watchdog sleeps when no call has been made for a while. Pure Python loops stop within
a poll; a single long NumPy call is stopped when it returns.
"""
from __future__ import annotations

import ctypes
import threading
import time
from typing import Any, Callable

POLL = 0.02  # seconds between the watchdog's looks
IDLE = 2.0  # seconds without calls after which the watchdog sleeps

_set_async_exc = ctypes.pythonapi.PyThreadState_SetAsyncExc
_set_async_exc.argtypes = [ctypes.c_ulong, ctypes.py_object]
_set_async_exc.restype = ctypes.c_int


class TimeLimitExceeded(BaseException):
    """Raised inside user code that ran past its time limit (a BaseException: ``except
    Exception`` in the user's code does not catch it)."""


_lock = threading.Lock()
_deadlines: dict[int, float] = {}  # thread id → monotonic deadline
_fired: set[int] = set()
_wake = threading.Event()
_watchdog: threading.Thread | None = None


def call_with_limit(limit: float, fn: Callable[..., Any], *args: Any) -> Any:
    """``fn(*args)``, or :class:`TimeLimitExceeded` raised inside it once ``limit`` seconds passed."""
    global _watchdog
    tid = threading.get_ident()
    with _lock:
        if tid in _deadlines:  # a nested call keeps the outer deadline
            nested = True
        else:
            nested = False
            _deadlines[tid] = time.monotonic() + limit
            if _watchdog is None:
                _watchdog = threading.Thread(target=_watch, name="user-code watchdog", daemon=True)
                _watchdog.start()
    if not _wake.is_set():
        _wake.set()
    if nested:
        return fn(*args)
    try:
        return fn(*args)
    finally:
        with _lock:
            del _deadlines[tid]
            if tid in _fired:
                _fired.discard(tid)
                _set_async_exc(tid, ctypes.py_object())  # drop one not delivered yet


def _watch() -> None:
    idle_since = time.monotonic()
    while True:
        _wake.wait()
        time.sleep(POLL)
        now = time.monotonic()
        with _lock:
            if _deadlines:
                idle_since = now
            for tid, deadline in _deadlines.items():
                if now >= deadline:
                    _fired.add(tid)
                    _set_async_exc(tid, ctypes.py_object(TimeLimitExceeded))
            if not _deadlines and now - idle_since > IDLE:
                _wake.clear()
