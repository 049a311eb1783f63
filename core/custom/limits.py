"""Time limits on calls into user code, in whatever thread makes them.

Each thread that calls :func:`call_with_limit` or :func:`run_with_limit` gets a slot holding its
deadline (0 when it is not inside a limited call). A watchdog thread looks at every slot every
``POLL`` seconds; when a deadline has passed it raises :class:`TimeLimitExceeded` inside that
thread (``PyThreadState_SetAsyncExc``), again at every poll until the call has ended, so a bare
``except:`` in the user's loop cannot swallow it for good.

A call sets and clears its slot's deadline, takes no lock, and no exception meant for it arrives
after it ended: the watchdog marks a slot before it looks at the deadline again and raises, and a
call that finds its slot marked once it cleared the deadline waits for the watchdog's lock and
drops what is pending. The watchdog sleeps when no call has been made for a while. Pure Python
loops stop within a poll; a single long NumPy call is stopped when it returns.
"""
from __future__ import annotations

import ctypes
import threading
import time
import weakref
from typing import Any, Callable

POLL = 0.02  # seconds between the watchdog's looks
IDLE = 2.0  # seconds without calls after which the watchdog sleeps

_set_async_exc = ctypes.pythonapi.PyThreadState_SetAsyncExc
_set_async_exc.argtypes = [ctypes.c_ulong, ctypes.py_object]
_set_async_exc.restype = ctypes.c_int
Call = tuple[Callable[..., Any], tuple[Any, ...]]  # a bound call: f(*args)
_get_ident = threading.get_ident
_monotonic = time.monotonic


class TimeLimitExceeded(BaseException):
    """Raised inside user code that ran past its time limit (a BaseException: ``except
    Exception`` in the user's code does not catch it)."""


class _Slot:
    """One thread's deadline (monotonic seconds; 0: not in a limited call) and whether the
    watchdog has raised in it since the call began."""

    __slots__ = ("deadline", "fired", "__weakref__")

    def __init__(self) -> None:
        self.deadline = 0.0
        self.fired = False


class _Watch:
    awake = False  # the watchdog looks (mirrors ``wake``, read without a call on every limited call)
    wake = threading.Event()
    thread: threading.Thread | None = None


_lock = threading.Lock()  # guards _slots and the watchdog's look-and-raise
_slots: weakref.WeakValueDictionary[int, _Slot] = weakref.WeakValueDictionary()  # thread id → its slot
_local = threading.local()  # holds this thread's slot (the slot ends with its thread)


def call_with_limit(limit: float, fn: Callable[..., Any], *args: Any) -> Any:
    """``fn(*args)``, or :class:`TimeLimitExceeded` raised inside it once ``limit`` seconds passed."""
    result: list[Any] = []
    run_with_limit([(_keep, (result, fn, args))], [limit])
    return result[0]


def _keep(result: list[Any], fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
    result.append(fn(*args))


def run_with_limit(call: list[Call], limit: list[float], timeout: Callable[[], BaseException] | None = None) -> None:
    """``f(*args)`` of the one call in ``call`` (a list: its owner may put another call there), with
    :class:`TimeLimitExceeded` raised inside it once ``limit[0]`` seconds passed (read at every call);
    ``timeout()`` is raised instead of one that ends the call (e.g. the trainer's update: one frame
    between the trainer and the update)."""
    try:
        slot: _Slot = _local.slot
    except AttributeError:
        slot = _new_slot()
    f, args = call[0]
    if slot.deadline:  # a nested call keeps the outer deadline
        f(*args)
        return
    slot.deadline = _monotonic() + limit[0]
    if not _Watch.awake:
        _wake_up()
    try:
        f(*args)
    except TimeLimitExceeded:
        if timeout is None:
            raise
        raise timeout() from None
    finally:
        slot.deadline = 0.0
        if slot.fired:  # the watchdog marks a slot before it raises (see _watch): no mark, no raise to come
            _cancel(slot)


def _cancel(slot: _Slot) -> None:
    with _lock:  # a raise the watchdog is making now has ended; later looks see no deadline
        slot.fired = False
        _set_async_exc(_get_ident(), ctypes.py_object())  # drop one not delivered yet


def _new_slot() -> _Slot:
    slot = _local.slot = _Slot()
    with _lock:
        _slots[_get_ident()] = slot
        if _Watch.thread is None:
            _Watch.thread = threading.Thread(target=_watch, name="user-code watchdog", daemon=True)
            _Watch.thread.start()
    return slot


def _wake_up() -> None:
    _Watch.awake = True
    _Watch.wake.set()


def _watch() -> None:
    idle_since = _monotonic()
    while True:
        _Watch.wake.wait()
        time.sleep(POLL)
        now = _monotonic()
        with _lock:
            armed = False
            for tid, slot in list(_slots.items()):
                deadline = slot.deadline
                if deadline:
                    armed = True
                    if now >= deadline:
                        slot.fired = True  # first mark, then look again: a call that cleared its
                        if slot.deadline == deadline:  # deadline before the mark is not raised in
                            _set_async_exc(tid, ctypes.py_object(TimeLimitExceeded))
            if armed:
                idle_since = now
            elif now - idle_since > IDLE:
                _Watch.awake = False
                _Watch.wake.clear()
                if any(s.deadline for s in list(_slots.values())):  # a call began after the look above and
                    _wake_up()  # saw the watchdog still awake: look after it
