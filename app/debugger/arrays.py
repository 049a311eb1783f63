"""Read-only views of one array: a table of its numbers and, for a matrix, a heat map (heat_map.py)."""
from __future__ import annotations

import html
from typing import Any

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QVBoxLayout, QWidget

from app.inspector.wrap_label import WrapLabel
from core.format import format_number, format_range, format_shape, grid_shape, is_small

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()  # the invalid index: a table's parent (never changed)
TABLE_ROWS_SHOWN = 6  # the table's height grows up to this many rows, then scrolls
SIZED_ROWS = 20  # the columns are made as wide as the numbers of this many rows (rows past it are alike)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def as_grid(a: np.ndarray) -> np.ndarray:
    """An array as rows × columns: a scalar 1×1, a vector one row, more dimensions rows of the last axis.

    A view of ``a`` (never a converted copy of a million-row batch): cells become floats as they are shown.
    """
    arr = np.asarray(a)
    return arr.reshape(grid_shape(arr.shape))


class ArrayModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._grid = np.zeros((0, 0))
        self.name = ""

    def set_array(self, a: np.ndarray | None, name: str = "") -> None:
        self.beginResetModel()
        self._grid = np.zeros((0, 0)) if a is None else as_grid(a)
        self.name = name
        self.endResetModel()

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else self._grid.shape[0]

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else self._grid.shape[1]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return format_number(float(self._grid[index.row(), index.column()]))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid():
            return f"{self.name}[{index.row()}, {index.column()}] = {float(self._grid[index.row(), index.column()])!r}"
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        return str(section) if role == Qt.ItemDataRole.DisplayRole else None

    def text(self, row: int, column: int) -> str:
        return format_number(self._grid[row, column])


class ArrayPanel(QWidget):
    """A caption (name, shape, range), the numbers as a table, and a heat map for matrices."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.caption = WrapLabel("", self)
        self.caption.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.model = ArrayModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setResizeContentsPrecision(SIZED_ROWS)  # a 1e6-row batch: not every row
        self.table.verticalHeader().setDefaultSectionSize(20)
        self.table.horizontalHeader().setMinimumSectionSize(30)
        self.heat: Any = None  # a HeatMap, made on first use (pyqtgraph loads then): most values are not matrices
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(2)
        self._layout.addWidget(self.caption)
        self._layout.addWidget(self.table)

    def set_array(self, a: np.ndarray | None, name: str, note: str = "", title: str | None = None) -> None:
        """Show ``a`` (None hides the panel); ``title`` replaces the panel's heading."""
        if title is not None:
            self.title = title
        self.setVisible(a is not None)
        self.model.set_array(a, name)
        if a is None:
            return
        arr = np.asarray(a)
        extra = f" · {note}" if note else ""
        summary = "" if is_small(arr) else f"<br>range {format_range(arr)}"
        shape = f"shape {format_shape(arr.shape)}" if arr.ndim else "a single number"
        self.caption.setText(f"<b>{html.escape(self.title)}</b> · {shape}{extra}{summary}")
        rows = self.model.rowCount()
        for header in (self.table.horizontalHeader(), self.table.verticalHeader()):
            header.setVisible(arr.ndim > 0)  # a single number needs no index
        self.table.setFixedHeight((24 if arr.ndim else 4) + 20 * min(rows, TABLE_ROWS_SHOWN))
        matrix = arr.ndim == 2 and arr.shape[0] > 1 and arr.shape[1] > 1
        if matrix and self.heat is None:
            from app.debugger.heat_map import HeatMap

            self.heat = HeatMap(self)
            self._layout.addWidget(self.heat)
        if self.heat is not None:
            self.heat.setVisible(matrix)
            if matrix:
                self.heat.set_array(arr)
