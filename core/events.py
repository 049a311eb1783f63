"""Plain-Python events: the way `core` announces what changed (no Qt here).

An :class:`Event` is a list of callbacks. Models own events named in the past tense
(``node_added``, ``step_executed``); views subscribe with :meth:`Event.connect`.
"""
from __future__ import annotations

from typing import Any, Callable

Callback = Callable[..., Any]


class Event:
    """A named broadcast: ``emit(*args)`` calls every connected callback in order."""

    __slots__ = ("name", "_callbacks")

    def __init__(self, name: str) -> None:
        self.name = name
        self._callbacks: list[Callback] = []

    def connect(self, callback: Callback) -> None:
        if callback not in self._callbacks:
            self._callbacks.append(callback)

    def disconnect(self, callback: Callback) -> None:
        if callback in self._callbacks:
            self._callbacks.remove(callback)

    def emit(self, *args: Any) -> None:
        for callback in tuple(self._callbacks):
            callback(*args)

    def __len__(self) -> int:
        return len(self._callbacks)

    def __repr__(self) -> str:
        return f"Event({self.name!r}, {len(self._callbacks)} callbacks)"
