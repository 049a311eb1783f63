"""The node palette: every op of the registry, grouped by family, with a search field.

Drag an entry onto the canvas (mime type ``application/x-backprop-op`` holding the op type) or
double-click it: the palette only announces ``opActivated(type)``; the window adds the node.
"""
from __future__ import annotations

from typing import Sequence

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import QHeaderView, QLineEdit, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from core.ops import Op, all_ops, by_family

MIME_TYPE = "application/x-backprop-op"
FAMILY_TITLES = {
    "data": "Data",
    "parameters": "Parameters & constants",
    "arithmetic": "Arithmetic",
    "linear": "Linear",
    "activations": "Activations",
    "losses": "Losses",
}
OP_ROLE = Qt.ItemDataRole.UserRole
MAX_SYMBOL = 5  # longer symbols are left to the tooltip: the titles need the room


def family_title(family: str) -> str:
    return FAMILY_TITLES.get(family, family.capitalize() or "Other")


def op_matches(op: Op, text: str) -> bool:
    """True when ``text`` (case-insensitive) occurs in the op's title, type, symbol, doc or the
    name of its group ("loss" finds every loss)."""
    needle = text.strip().lower()
    if not needle:
        return True
    fields = (op.title, op.type, op.symbol, op.doc, op.family, family_title(op.family))
    return any(needle in field.lower() for field in fields)


def op_tooltip(op: Op) -> str:
    ports = ", ".join(op.inputs) if op.inputs else "none"
    lines = [f"<b>{op.title}</b> ({op.type})", op.doc, f"inputs: {ports}"]
    if op.attrs:
        lines.append("attributes: " + ", ".join(spec.name for spec in op.attrs))
    lines.append("<i>Drag onto the canvas, or double-click to add.</i>")
    return "<br>".join(_escape(line) if i else line for i, line in enumerate(lines))


def _escape(text: str) -> str:
    if text.startswith("<i>"):
        return text
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class _OpTree(QTreeWidget):
    """The tree of families and ops; dragging an op carries its type under MIME_TYPE."""

    enterPressed = Signal(QTreeWidgetItem)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentItem() is not None:
            self.enterPressed.emit(self.currentItem())
            return
        super().keyPressEvent(event)

    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE]

    def mimeData(self, items: Sequence[QTreeWidgetItem]) -> QMimeData:
        data = QMimeData()
        types = [t for t in (item.data(0, OP_ROLE) for item in items) if t]
        if types:
            data.setData(MIME_TYPE, types[0].encode("utf-8"))
            data.setText(types[0])
        return data


class Palette(QWidget):
    """Search field over a tree of ops; ``opActivated(type)`` on double-click or Enter."""

    opActivated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search nodes…")
        self.search.setClearButtonEnabled(True)
        self.tree = _OpTree(self)
        self.tree.setColumnCount(2)
        self.tree.setHeaderHidden(True)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.setRootIsDecorated(True)
        self.tree.setDragEnabled(True)
        self.tree.setDragDropMode(QTreeWidget.DragDropMode.DragOnly)
        self.tree.setSelectionMode(QTreeWidget.SelectionMode.SingleSelection)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addWidget(self.search)
        layout.addWidget(self.tree)
        self._groups: dict[str, QTreeWidgetItem] = {}
        self._items: dict[str, QTreeWidgetItem] = {}
        self._build()
        self.search.textChanged.connect(self.set_filter)
        self.search.returnPressed.connect(self._activate_first_visible)
        self.tree.itemDoubleClicked.connect(self._on_item_activated)
        self.tree.enterPressed.connect(lambda item: self._on_item_activated(item, 0))

    def _build(self) -> None:
        for family, members in by_family():
            group = QTreeWidgetItem(self.tree, [family_title(family)])
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            group.setFirstColumnSpanned(True)
            self._groups[family] = group
            for op in members:
                short = len(op.symbol) <= MAX_SYMBOL and op.symbol.lower() != op.title.lower()
                symbol = op.symbol if short else ""
                item = QTreeWidgetItem(group, [op.title, symbol])
                item.setData(0, OP_ROLE, op.type)
                item.setToolTip(0, op_tooltip(op))
                item.setToolTip(1, op_tooltip(op))
                item.setForeground(1, QBrush(QColor("#6b6b6b")))
                item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled)
                self._items[op.type] = item
        self.tree.expandAll()

    def item_for(self, op_type: str) -> QTreeWidgetItem:
        return self._items[op_type]

    def visible_ops(self) -> list[str]:
        """Op types currently shown (not filtered out), in display order."""
        shown = []
        for group in self._groups.values():
            if group.isHidden():
                continue
            for i in range(group.childCount()):
                child = group.child(i)
                if child is not None and not child.isHidden():
                    shown.append(child.data(0, OP_ROLE))
        return shown

    def set_filter(self, text: str) -> None:
        """Show only ops whose title, type, symbol, doc or group contains ``text``; hide empty groups."""
        by_type = {op.type: op for op in all_ops()}
        for group in self._groups.values():
            any_shown = False
            for i in range(group.childCount()):
                child = group.child(i)
                assert child is not None
                shown = op_matches(by_type[child.data(0, OP_ROLE)], text)
                child.setHidden(not shown)
                any_shown |= shown
            group.setHidden(not any_shown)
            if any_shown:
                group.setExpanded(True)

    def _on_item_activated(self, item: QTreeWidgetItem, column: int) -> None:
        op_type = item.data(0, OP_ROLE)
        if op_type:
            self.opActivated.emit(op_type)

    def _activate_first_visible(self) -> None:
        shown = self.visible_ops()
        if len(shown) == 1 or (shown and self.search.text().strip()):
            self.opActivated.emit(shown[0])
