"""Plain-Python events: the way `core` announces what changed (no Qt here).

An :class:`Event` is a list of callbacks. Models own events named in the past tense
(``node_added``, ``step_executed``); views subscribe with :meth:`Event.connect`. An event may be
held (:meth:`Event.hold`) while a model changes on a thread whose callbacks must not run (the
window's views live on its GUI thread); :meth:`Event.release` then announces what happened.
"""
from __future__ import annotations

from typing import Any, Callable

Callback = Callable[..., Any]


class Event:
    """A named broadcast: ``emit(*args)`` calls every connected callback in order."""

    __slots__ = ("name", "_callbacks", "_held")

    def __init__(self, name: str) -> None:
        self.name = name
        self._callbacks: list[Callback] = []
        self._held: dict[tuple[object, ...], tuple[Any, ...]] | None = None

    def connect(self, callback: Callback) -> None:
        if callback not in self._callbacks:
            self._callbacks.append(callback)

    def disconnect(self, callback: Callback) -> None:
        if callback in self._callbacks:
            self._callbacks.remove(callback)

    def emit(self, *args: Any) -> None:
        held = self._held
        if held is not None:
            key = tuple(a if isinstance(a, (int, str, float)) else id(a) for a in args)
            held.pop(key, None)
            held[key] = args  # the newest emission of the same arguments counts
            return
        for callback in tuple(self._callbacks):
            callback(*args)

    def hold(self) -> None:
        """Call no callback until :meth:`release`; the emissions are kept meanwhile."""
        if self._held is None:
            self._held = {}

    def release(self) -> None:
        """Call the callbacks for what was emitted while held: once per distinct arguments, in
        the order of their last emission."""
        held, self._held = self._held, None
        for args in (held or {}).values():
            self.emit(*args)

    def __len__(self) -> int:
        return len(self._callbacks)

    def __repr__(self) -> str:
        return f"Event({self.name!r}, {len(self._callbacks)} callbacks)"
