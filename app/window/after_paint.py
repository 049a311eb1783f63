"""Work that waits for a paint: ``after_next_paint(widget, then)`` calls ``then`` on the event loop's turn
after ``widget``'s next paint, once (a zero timer alone may fire before a paint Qt has queued).

The watcher is an event filter on that one widget, removed at the paint: a Python event filter costs
each event it sees, so it looks only while it waits.
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class _NextPaint(QObject):
    def __init__(self, widget: QWidget, then: Callable[[], object]) -> None:
        super().__init__(widget)
        self._then = then
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._then)
            self.deleteLater()
        return False


def after_next_paint(widget: QWidget, then: Callable[[], object]) -> None:
    """Call ``then`` once, on the event loop's turn after ``widget`` next paints (never, if it does not)."""
    _NextPaint(widget, then)
