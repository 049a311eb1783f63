"""The table of a dataset's rows: a Qt model that reads the NumPy arrays cell by cell as the view
asks (nothing is copied into widgets, so a million rows scroll), shades the held-out rows, and
turns an edit into a request that the panel makes an undoable command of."""
from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from core.data.dataset import Dataset
from core.data.split import split_indices
from core.format import format_number

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()  # the table's invisible root: the parent of every cell
HELD_OUT = QColor(235, 238, 245)
HELD_OUT_TIP = "held out: not used for training; measures the held-out loss"
Role = Qt.ItemDataRole  # an int subclass: roles arrive as ints or as these, compared by value
DISPLAY, EDIT, ALIGN = int(Role.DisplayRole), int(Role.EditRole), int(Role.TextAlignmentRole)
BACKGROUND, TOOLTIP = int(Role.BackgroundRole), int(Role.ToolTipRole)
_ROLES = frozenset((DISPLAY, EDIT, ALIGN, BACKGROUND, TOOLTIP))
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_HELD_BRUSH = QBrush(HELD_OUT)
_READ_ONLY = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled
_EDITABLE = _READ_ONLY | Qt.ItemFlag.ItemIsEditable
DIGITS = 8  # the house number format at its longest: 2999999 stays whole
CellEdit = Callable[[str, int, int, float], None]  # field, row, column, value


def column_titles(dataset: Dataset) -> list[tuple[str, int, str]]:
    """(field, column in the field, header text) for every column the table shows: the CSV
    column's name where the dataset came from one (or was edited from one), ``x[0]`` style otherwise."""
    out: list[tuple[str, int, str]] = []
    origin = dataset.csv_origin
    mapping = origin.mapping if origin is not None else None
    for name, arr in dataset.fields.items():
        width = int(np.prod(arr.shape[1:])) if arr.ndim > 1 else 1
        for c in range(width):
            title = f"{name}[{c}]" if width > 1 else name
            if mapping is not None and name in mapping.fields and c < len(mapping.fields[name]):
                title = f"{name}: {mapping.fields[name][c]}"
            elif mapping is not None and name in mapping.labels:
                lab = mapping.labels[name]
                title = f"{name}: {lab.classes[c]}" if width > 1 and c < len(lab.classes) else f"{name}: {lab.column}"
            out.append((name, c, title))
    return out


class DatasetTableModel(QAbstractTableModel):
    """Rows of the dataset, every field's columns side by side."""

    def __init__(self, on_edit: CellEdit | None = None) -> None:
        super().__init__()
        self.on_edit = on_edit
        self.dataset: Dataset | None = None
        self._columns: list[tuple[str, int, str]] = []
        self._flat: dict[str, np.ndarray] = {}
        self._held: np.ndarray = np.zeros(0, dtype=bool)
        self._split_key: tuple[int, float, int] = (0, 0.0, 0)

    # ------------------------------------------------------------ the data
    def set_dataset(self, dataset: Dataset | None) -> None:
        """Show ``dataset``. The same columns and rows again (a cell written in place, or the rows
        detached from their CSV file by that edit) only repaint: a reset would close the editor
        the edit is still coming from, and the view would then be handed an editor it no longer has."""
        columns = column_titles(dataset) if dataset is not None else []
        same = (dataset is not None and self.dataset is not None and len(self._held) == dataset.rows
                and columns == self._columns)
        if same and self.rowCount():
            assert dataset is not None
            self.dataset = dataset
            self._flat = {k: v.reshape(v.shape[0], -1) for k, v in dataset.fields.items()}
            self._update_split()
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))
            return
        self.beginResetModel()
        self.dataset = dataset
        self._columns = columns
        self._flat = {k: v.reshape(v.shape[0], -1) for k, v in dataset.fields.items()} if dataset else {}
        self._update_split()
        self.endResetModel()

    def _update_split(self) -> None:
        ds = self.dataset
        key = (ds.rows, ds.test_fraction, ds.split_seed) if ds is not None else (0, 0.0, 0)
        if key == self._split_key:
            return
        self._split_key = key
        self._held = np.zeros(key[0], dtype=bool)
        if ds is not None and ds.test_fraction:
            self._held[split_indices(ds.rows, ds.test_fraction, ds.split_seed)[1]] = True

    def column(self, index: int) -> tuple[str, int]:
        name, c, _ = self._columns[index]
        return name, c

    def is_held_out(self, row: int) -> bool:
        return bool(self._held[row]) if row < len(self._held) else False

    # ------------------------------------------------------------- the model
    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._held)

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = DISPLAY) -> object:
        """Called about seven times a visible cell per repaint: roles it has nothing for return first."""
        if role not in _ROLES:
            return None
        if role == DISPLAY or role == EDIT:
            name, c, _ = self._columns[index.column()]
            value = float(self._flat[name][index.row(), c])
            return format_number(value, DIGITS) if role == DISPLAY else repr(value)
        if role == ALIGN:
            return _RIGHT
        if self._held[index.row()]:
            return _HELD_BRUSH if role == BACKGROUND else HELD_OUT_TIP
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._columns[section][2] if section < len(self._columns) else None
        return str(section + 1)

    def flags(self, index: Index) -> Qt.ItemFlag:
        return _EDITABLE if self.on_edit is not None else _READ_ONLY

    def setData(self, index: Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self.on_edit is None:
            return False
        try:
            number = float(str(value).strip().replace("−", "-"))
        except ValueError:
            return False
        if not math.isfinite(number):
            return False
        name, c, _ = self._columns[index.column()]
        self.on_edit(name, index.row(), c, number)
        return True
