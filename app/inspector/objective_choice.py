"""The graph summary's choice of objective: "Automatic: …" and every computed node, in the
graph's order.

The choices are a list model over plain tuples: refilling a QComboBox item by item cost about
4 µs a node (12 ms on a 3,000-node graph, at every edit, undo or redo, even one that changed no
choice). The model is reset only when the choices changed, and a reset costs nothing per row:
the popup's list asks for the rows it shows.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QSize, Qt
from PySide6.QtWidgets import QComboBox, QStyle, QStyleOptionComboBox, QWidget

from app.inspector.tables import NO_PARENT, Index
from core.graph import Graph

AUTOMATIC_TIP = "The only loss node, or else the only node nobody consumes"
MAX_CHOICE_WIDTH = 250  # px: the objective's choice fits the inspector's first width (under its label)


class ObjectiveChoices(QAbstractListModel):
    """Rows of (text, node id or None for the automatic choice)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[tuple[str, str | None]] = []

    def set_rows(self, rows: list[tuple[str, str | None]]) -> None:
        if rows != self.rows:
            self.beginResetModel()
            self.rows = rows
            self.endResetModel()

    def rowCount(self, parent: Index = NO_PARENT) -> int:  # noqa: N802  (Qt's name)
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        text, node_id = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return text
        if role == Qt.ItemDataRole.UserRole:
            return node_id
        if role == Qt.ItemDataRole.ToolTipRole and index.row() == 0:
            return AUTOMATIC_TIP
        return None


def choices(graph: Graph, found: str | None) -> list[tuple[str, str | None]]:
    """The automatic choice (naming ``found``, the objective ``graph.objective_id()`` finds, when
    none is chosen), then every computed node."""
    found = found if graph.objective is None else None
    automatic = f"Automatic: {found}" if found in graph.nodes else "Automatic: none found"
    return [(automatic, None)] + [(node.label(), node.id) for node in graph.nodes.values() if not node.op.is_leaf]


def show_choices(combo: QComboBox, model: ObjectiveChoices, graph: Graph, found: str | None) -> None:
    """``combo`` (showing ``model``) offers ``graph``'s choices (``found``: its objective_id()),
    its objective chosen, and is as wide as that choice's text."""
    combo.blockSignals(True)
    try:
        model.set_rows(choices(graph, found))
        chosen = 0
        if graph.objective:
            chosen = next((row for row, (_, node_id) in enumerate(model.rows) if node_id == graph.objective), 0)
        combo.setCurrentIndex(chosen)
        _fit_choice(combo)
    finally:
        combo.blockSignals(False)


def _fit_choice(combo: QComboBox) -> None:
    """As wide as the choice shown, arrow and frame included (the form puts it under its label
    when the row is too narrow); a longer one keeps the whole text in its tooltip."""
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    metrics = combo.fontMetrics()
    text = QSize(metrics.horizontalAdvance(combo.currentText()), metrics.height())
    needed = combo.style().sizeFromContents(QStyle.ContentsType.CT_ComboBox, option, text, combo).width()
    combo.setMinimumWidth(min(MAX_CHOICE_WIDTH, needed))
