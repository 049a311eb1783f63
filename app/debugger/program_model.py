"""The program view's model: one row per step of a training step (row 0 is its start), read from
the controller's stepper, and the roles a row answers (its node, done, breakpoint, cursor).
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QStringListModel, Qt

from app.debugger.controller import DebugController
from core.program import CLEAR

Index = QModelIndex | QPersistentModelIndex
NODE_ROLE = Qt.ItemDataRole.UserRole + 1
EXECUTED_ROLE = Qt.ItemDataRole.UserRole + 2
BREAKPOINT_ROLE = Qt.ItemDataRole.UserRole + 3
CURSOR_ROLE = Qt.ItemDataRole.UserRole + 4


class ProgramModel(QStringListModel):
    """The rows of the program view, read from the controller's stepper.

    It holds one empty string per row, so that the row count, each row's index and its flags,
    which a view asks of every row at each layout, are answered in C++ (a Python ``rowCount``
    was asked 6,000 times a layout on a 3,000-node graph); what a row shows is asked of
    :meth:`data`, for the rows a view shows. The view never edits a row.
    """

    def __init__(self, controller: DebugController, parent: Any = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self._shown: tuple[tuple[Any, ...], int] | None = None  # what the rows showed, and the cursor

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        s = self.controller.stepper
        if s is None or not index.isValid():
            return None
        row = index.row()
        step = s.program.steps[row - 1] if row > 0 else None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self.name(row)
        if role == NODE_ROLE:
            return None if step is None else step.node
        if role == EXECUTED_ROLE:
            return row > 0 and row <= s.cursor
        if role == BREAKPOINT_ROLE:
            return step is not None and step.node is not None and step.node in self.controller.breakpoints
        if role == CURSOR_ROLE:
            return row == s.cursor
        if role == Qt.ItemDataRole.ToolTipRole:  # the whole name first: the row may show it elided
            if step is None:
                return f"start of training step {s.iteration + 1:,}\nClick: go back to the start of this training step"
            name = self.data(index)
            return f"{name}\nClick: move the cursor to just after '{step.label}'. Margin: toggle a breakpoint"
        return None

    def name(self, row: int) -> str:
        """The name shown on ``row`` (without its check mark)."""
        s = self.controller.stepper
        assert s is not None
        step = s.program.steps[row - 1] if row > 0 else None
        if step is not None and step.kind == CLEAR and s.graph.settings.keep_gradients:
            return f"{step.label}: skipped (gradients kept)"
        return f"start of training step {s.iteration + 1:,}" if step is None else step.label

    def refresh(self) -> None:
        """Tell the view which rows changed: after a step or a step back only those between the
        old and the new cursor (the list measures the rows it is told of again, up to
        RELAYOUT_ROWS of them), else all."""
        s = self.controller.stepper
        rows = self.rowCount()
        if not rows or s is None:
            self._shown = None
            return
        shown = self._showing()
        if self._shown == (shown, s.cursor):  # nothing changed: nothing to measure again
            return
        first, last = 0, rows - 1
        if self._shown is not None and self._shown[0] == shown:
            old = self._shown[1]
            first, last = min(old, s.cursor), min(max(old, s.cursor), rows - 1)
        self._shown = (shown, s.cursor)
        self.dataChanged.emit(self.index(first), self.index(last))

    def reset(self) -> None:
        """A new program: one row for the start and one for each step (the view reads every row anew)."""
        s = self.controller.stepper
        self.setStringList([""] * (0 if s is None else len(s.program.steps) + 1))
        self._shown = None if s is None or not self.rowCount() else (self._showing(), s.cursor)

    def _showing(self) -> tuple[Any, ...]:
        s = self.controller.stepper
        assert s is not None
        return (s.program, s.iteration, s.graph.settings.keep_gradients, frozenset(self.controller.breakpoints))
