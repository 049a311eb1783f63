"""The view after an undo or a redo that changes the graph's extent a lot: framed again as a
graph is when it opens (``EditorView.show_graph``: all of it while its labels stay legible, else
the readable zoom around the objective). Undoing Expand to Neurons after fitting the expanded
graph (F) left Mazur's 11 nodes small in a corner of the canvas; redoing it leaves the view
where the person put it only while the graph's size stays about the same.

An undo moves the stack's index down; a redo moves it up onto the command that was next to
redo before (a push puts a new command there). The graph is measured on the event loop's next
turn, once the canvas has followed the change."""
from __future__ import annotations

from typing import Any, Callable

import shiboken6
from PySide6.QtCore import QObject, QRectF, QTimer
from PySide6.QtGui import QUndoStack

LOT = 1.5  # the graph's width or height grew or shrank by this factor or more


class UndoFraming(QObject):
    """Watches the undo stack of the scene ``graph_rect`` measures and calls ``frame`` after an
    undo or redo that changed the graph's extent by LOT or more."""

    def __init__(self, graph_rect: Callable[[], QRectF | None], frame: Callable[[], None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._graph_rect = graph_rect
        self._frame = frame
        self._stack: QUndoStack | None = None
        self._index = 0
        self._next: Any = None  # the command a redo would run
        self._extent: QRectF | None = None  # the graph's rectangle when last measured
        self._undone_or_redone = False
        self.reframed = 0  # how many times it framed the graph again
        self._measure = QTimer(self)
        self._measure.setSingleShot(True)
        self._measure.setInterval(0)
        self._measure.timeout.connect(self._measured)

    def watch(self, stack: QUndoStack | None) -> None:
        """Follow ``stack`` (None: none) from now on."""
        if self._stack is not None and shiboken6.isValid(self._stack):  # a closed document's stack is gone
            self._stack.indexChanged.disconnect(self._on_index)
        self._stack = stack
        self._undone_or_redone = False
        if stack is not None:
            stack.indexChanged.connect(self._on_index)
            self._remember(stack)
        self._extent = self._graph_rect()

    def _remember(self, stack: QUndoStack) -> None:
        self._index = stack.index()
        self._next = stack.command(self._index) if self._index < stack.count() else None

    def _on_index(self, index: int) -> None:
        stack = self._stack
        if stack is None or not shiboken6.isValid(stack):  # emitted as a closed document's stack goes
            self._stack = None
            return
        redone = index == self._index + 1 and self._next is not None and stack.command(self._index) is self._next
        self._undone_or_redone = index < self._index or redone  # a push right after it: the push decides
        self._remember(stack)
        self._measure.start()

    def _measured(self) -> None:
        before, after = self._extent, self._graph_rect()
        self._extent = after
        if self._undone_or_redone and before is not None and after is not None and _changed_a_lot(before, after):
            self.reframed += 1
            self._frame()
        self._undone_or_redone = False


def _changed_a_lot(before: QRectF, after: QRectF) -> bool:
    if before.isEmpty() or after.isEmpty():
        return False
    ratios = (after.width() / before.width(), after.height() / before.height())
    return any(r >= LOT or r <= 1 / LOT for r in ratios)
