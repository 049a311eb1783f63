"""The node palette: every op of the registry, grouped by family, with a search field.

Drag an entry onto the canvas (mime type ``application/x-backprop-op`` holding the op type) or
double-click it: the palette only announces ``opActivated(type)``; the window adds the node.
Each entry starts with a badge as the canvas draws the node: its family's colour with the op's
symbol (σ, Wx+b) in it. A symbol right-aligned after the title read as a keyboard shortcut, and
no key adds a node.
"""
from __future__ import annotations

from typing import Sequence

from PySide6.QtCore import QMimeData, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QFont, QFontMetricsF, QIcon, QKeyEvent, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QLineEdit, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from app.editor import style
from app.editor.node_text import caption_symbol
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
SYMBOL_ROLE = Qt.ItemDataRole.UserRole + 1  # the symbol its badge shows ("" for a plain badge)
MAX_SYMBOL = 5  # longer symbols are left to the tooltip: the badge stays small
BADGE = QSize(36, 18)  # px: "Wx+b" in the canvas's bold symbol font, with a margin


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


def badge_symbol(op: Op) -> str:
    """The symbol an op's palette badge shows: the one its node's caption shows, when short."""
    symbol = caption_symbol(op.title, op.symbol, op.family)
    return symbol if len(symbol) <= MAX_SYMBOL else ""


def symbol_badge(op: Op, ratio: float = 1.0) -> QIcon:
    """The op's badge: a rounded chip in its family's colour (a node's header) with its symbol
    in the header's white, shrunk until it fits. ``ratio``: the screen's device pixel ratio."""
    pixmap = QPixmap(round(BADGE.width() * ratio), round(BADGE.height() * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    rect = QRectF(0.5, 1.5, BADGE.width() - 1.0, BADGE.height() - 3.0)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(style.family_colour(op.family))
    painter.drawRoundedRect(rect, 4, 4)
    symbol = badge_symbol(op)
    if symbol:
        font = QFont(style.font("symbol"))
        while font.pointSizeF() > 5 and QFontMetricsF(font).horizontalAdvance(symbol) > rect.width() - 4:
            font.setPointSizeF(font.pointSizeF() - 0.5)
        painter.setFont(font)
        painter.setPen(style.HEADER_TEXT)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, symbol)
    painter.end()
    return QIcon(pixmap)


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
        self.tree.setColumnCount(1)
        self.tree.setHeaderHidden(True)
        self.tree.setIconSize(BADGE)
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
        screen = QApplication.primaryScreen() if isinstance(QApplication.instance(), QApplication) else None
        ratio = screen.devicePixelRatio() if screen is not None else 1.0
        for family, members in by_family():
            group = QTreeWidgetItem(self.tree, [family_title(family)])
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            group.setFirstColumnSpanned(True)
            self._groups[family] = group
            for op in members:
                item = QTreeWidgetItem(group, [op.title])
                item.setIcon(0, symbol_badge(op, ratio))
                item.setData(0, OP_ROLE, op.type)
                item.setData(0, SYMBOL_ROLE, badge_symbol(op))
                item.setToolTip(0, op_tooltip(op))
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
