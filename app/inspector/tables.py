"""Table models of the inspector: a node's value as an editable grid, read from a plain Graph.

The model never writes the graph: a valid edit is announced with ``cellEdited(index, value)``
(the inspector turns it into an undoable SetValue command) and a refused one with
``editRefused(message)``. After the graph changed, :meth:`ValueTableModel.refresh` re-reads it.
"""
from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from core.format import grid_shape
from core.graph import Graph

Index = QModelIndex | QPersistentModelIndex
NO_PARENT = QModelIndex()


def parse_number(text: str) -> float:
    """A finite number from what a person typed (``1e-3``, `` 0.5 ``, ``−2``); ValueError otherwise."""
    cleaned = text.strip().replace("−", "-").replace("\u2212", "-")
    if not cleaned:
        raise ValueError("a cell needs a number; it cannot be empty")
    try:
        value = float(cleaned)
    except ValueError:
        raise ValueError(f"{text.strip()!r} is not a number") from None
    if not math.isfinite(value):
        raise ValueError(f"{text.strip()!r} is not a finite number")
    return value


def parse_shape(text: str) -> tuple[int, ...]:
    """A shape from text such as ``2 × 3``, ``2x3``, ``(2, 3)``, ``4`` or ``()`` / empty for a scalar."""
    cleaned = text.strip().strip("()[]").strip()
    if not cleaned or cleaned.lower() == "scalar":
        return ()
    parts = [p for p in re.split(r"[\s,×xX*]+", cleaned) if p]
    dims = []
    for part in parts:
        if not part.isdigit():
            raise ValueError(f"{text.strip()!r} is not a shape: write sizes like 2 × 3, or () for a single number")
        dims.append(int(part))
    if any(d < 1 for d in dims):
        raise ValueError(f"every size must be at least 1, not {text.strip()!r}")
    if len(dims) > 4:
        raise ValueError("at most 4 dimensions")
    if math.prod(dims) > 1_000_000:
        raise ValueError("at most 1,000,000 numbers in a value")
    return tuple(dims)


def resized(value: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """``value`` brought to ``shape``: kept where old and new overlap, zero elsewhere.

    With the same number of elements and a different number of dimensions, it is a reshape.
    """
    value = np.asarray(value, dtype=float)
    if value.shape == shape:
        return value.copy()
    if value.size == int(np.prod(shape)) and value.ndim != len(shape):
        return value.reshape(shape).copy()
    out = np.zeros(shape, dtype=float)
    if value.ndim == len(shape) and value.ndim > 0:
        region = tuple(slice(0, min(a, b)) for a, b in zip(value.shape, shape, strict=True))
        out[region] = value[region]
    else:
        flat = value.reshape(-1)
        n = min(flat.size, out.size)
        out.reshape(-1)[:n] = flat[:n]
    return out


def format_cell(x: float) -> str:
    """A cell as shown: six significant digits (the tooltip and the editor hold every digit)."""
    return f"{x:.6g}"


def edit_text(x: float) -> str:
    """A cell as its editor opens it: every digit, so confirming an edit never rounds the value."""
    text = repr(float(x))
    return text[:-2] if text.endswith(".0") else text


class ValueTableModel(QAbstractTableModel):
    """The value of a Constant or Parameter as a grid of numbers, one cell per element."""

    cellEdited = Signal(tuple, float)  # (element index, new value)
    editRefused = Signal(str)

    def __init__(self, graph: Graph, node_id: str | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._graph = graph
        self._node_id = node_id
        self._value = self._read()

    @property
    def node_id(self) -> str | None:
        return self._node_id

    def set_node(self, graph: Graph, node_id: str | None) -> None:
        self.beginResetModel()
        self._graph, self._node_id = graph, node_id
        self._value = self._read()
        self.endResetModel()

    def refresh(self) -> None:
        """Re-read the value from the graph (after an edit, an undo, an update)."""
        new = self._read()
        old = self._value
        if old is not None and new is not None and old.shape == new.shape:
            self._value = new
            if self.rowCount() and self.columnCount():
                self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))
            return
        self.beginResetModel()
        self._value = new
        self.endResetModel()

    def _read(self) -> np.ndarray | None:
        node = self._graph.nodes.get(self._node_id) if self._node_id else None
        return None if node is None or node.value is None else np.asarray(node.value)

    def value_shape(self) -> tuple[int, ...]:
        return () if self._value is None else tuple(self._value.shape)

    def element_index(self, row: int, column: int) -> tuple[int, ...]:
        """The array index of grid cell (row, column)."""
        shape = self.value_shape()
        if not shape:
            return ()
        if len(shape) == 1:
            return (column,)
        flat = row * shape[-1] + column
        return tuple(int(i) for i in np.unravel_index(flat, shape))

    def rowCount(self, parent: Index = NO_PARENT) -> int:
        if parent.isValid() or self._value is None:
            return 0
        return grid_shape(self.value_shape())[0]

    def columnCount(self, parent: Index = NO_PARENT) -> int:
        if parent.isValid() or self._value is None:
            return 0
        return grid_shape(self.value_shape())[1]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self._value is None:
            return None
        x = float(self._value[self.element_index(index.row(), index.column())])
        if role == Qt.ItemDataRole.DisplayRole:
            return format_cell(x)
        if role == Qt.ItemDataRole.EditRole:
            return edit_text(x)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{self._label(index)} = {x!r}"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _label(self, index: Index) -> str:
        idx = self.element_index(index.row(), index.column())
        return f"{self._node_id}[{', '.join(map(str, idx))}]" if idx else str(self._node_id)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        shape = self.value_shape()
        if orientation == Qt.Orientation.Vertical and len(shape) > 2:
            return ",".join(str(int(i)) for i in np.unravel_index(section, shape[:-1]))
        return str(section)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self._value is None:
            return False
        element = self.element_index(index.row(), index.column())
        try:
            number = parse_number(str(value)) if isinstance(value, str) else float(value)
            if not math.isfinite(number):
                raise ValueError(f"{value!r} is not a finite number")
        except (TypeError, ValueError) as exc:
            kept = format_cell(float(self._value[element]))
            self.editRefused.emit(f"{self._label(index)}: {exc}; kept {kept}")
            return False
        if float(self._value[element]) == float(number):
            return True
        self.cellEdited.emit(element, float(number))
        return True
