"""The inspector's editing part for one node: its id, op, inputs, attributes and value.

Every change goes through an undoable command on the document's undo stack; the panel shows
what the graph holds and is refreshed by the inspector when the graph announces a change.
"""
from __future__ import annotations

import html
from functools import partial
from typing import Any, Callable

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app import commands
from app.inspector.attrs import AttrEditor
from app.inspector.tables import ValueTableModel, parse_shape, resized
from app.inspector.wrap_label import WrapLabel
from app.model.document import Document
from core.format import format_shape
from core.graph import Graph, GraphError, Node
from core.validation import coded_nodes, infer_shapes

MAX_TABLE_ROWS = 12
MIN_COLUMN_WIDTH = 64  # a column is as wide as its longest number, and at least this
ERROR_STYLE = "color: #b00020;"


def _label(text: str = "", name: str = "") -> QLabel:
    label = WrapLabel(text)
    if name:
        label.setObjectName(name)
    if name in ("inspectorHeading", "inspectorTitle"):
        font = label.font()
        font.setBold(True)
        label.setFont(font)
    return label


class NodePanel(QWidget):
    """Edits the node ``node_id`` of ``document`` through commands."""

    statusMessage = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document: Document | None = None
        self.node_id: str | None = None
        self.id_edit = QLineEdit(self)
        self.id_edit.setToolTip("The node's id: edges, formulas and the file use it. Press Enter to rename.")
        self.id_edit.editingFinished.connect(self._on_rename)
        self.op_title = _label(name="inspectorTitle")
        self.op_doc = _label(name="inspectorDoc")
        self.op_doc.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.facts = QFormLayout()
        self.facts.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.inputs = _label()
        self.inputs.setTextFormat(Qt.TextFormat.RichText)
        self.shape = _label()
        self.facts.addRow("Inputs:", self.inputs)
        self.facts.addRow("Output:", self.shape)
        self.attrs_box = QWidget(self)
        self.attrs_form = QFormLayout(self.attrs_box)
        self.attrs_form.setContentsMargins(0, 0, 0, 0)
        self.attr_editors: dict[str, AttrEditor] = {}
        self.value_box = QWidget(self)
        self.shape_edit = QLineEdit(self.value_box)
        self.shape_edit.setToolTip("Resize or reshape the value: e.g. 2 × 3, 4, or () for a single number. "
                                   "Press Enter.")
        self.shape_edit.editingFinished.connect(self._on_shape)
        self.model = ValueTableModel(Graph(), None, self)
        self.model.cellEdited.connect(self._on_cell_edited)
        self.model.editRefused.connect(self.refuse)
        self.table = QTableView(self.value_box)
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setMinimumSectionSize(MIN_COLUMN_WIDTH)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        shape_row = QHBoxLayout()
        shape_row.setContentsMargins(0, 0, 0, 0)
        shape_row.addWidget(QLabel("Shape:"))
        shape_row.addWidget(self.shape_edit, 1)
        self.value_hint = _label("Double-click a cell to change it.", "inspectorHint")
        value_layout = QVBoxLayout(self.value_box)
        value_layout.setContentsMargins(0, 0, 0, 0)
        value_layout.addWidget(_label("Value", "inspectorHeading"))
        value_layout.addLayout(shape_row)
        value_layout.addWidget(self.table)
        value_layout.addWidget(self.value_hint)
        self.error = _label()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.hide()
        id_row = QHBoxLayout()
        id_row.addWidget(QLabel("Id:"))
        id_row.addWidget(self.id_edit, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(id_row)
        layout.addWidget(self.op_title)
        layout.addWidget(self.op_doc)
        layout.addLayout(self.facts)
        self.attrs_heading = _label("Attributes", "inspectorHeading")
        layout.addWidget(self.attrs_heading)
        layout.addWidget(self.attrs_box)
        layout.addWidget(self.value_box)
        layout.addWidget(self.error)

    # ----------------------------------------------------------------- showing
    @property
    def graph(self) -> Graph:
        assert self.document is not None
        return self.document.graph

    def show_node(self, document: Document, node_id: str) -> None:
        """Show ``node_id``; rebuilds the attribute editors when the node or its op changed."""
        same = document is self.document and node_id == self.node_id
        self.document, self.node_id = document, node_id
        if not same:
            self.clear_message()
        node = self.graph.node(node_id)
        if not same or set(self.attr_editors) != {s.name for s in node.op.attrs}:
            self._build_attrs(node)
        self.refresh()

    def refresh(self) -> None:
        """Re-read everything from the graph (after any change, undo included)."""
        if self.document is None or self.node_id not in self.graph.nodes:
            return
        node = self.graph.node(self.node_id)
        if not self.id_edit.hasFocus() or self.id_edit.text() == node.id:
            self.id_edit.setText(node.id)
        op = node.op
        self.op_title.setText(op.title if op.title == op.type else f"{op.title}  ({op.type})")
        self.op_doc.setText(node.op.doc)
        self.inputs.setText(self._inputs_text(node))
        self.facts.setRowVisible(self.inputs, bool(node.inputs))
        self.shape.setText(self._shape_text(node))
        for name, editor in self.attr_editors.items():
            editor.set_value(node.attrs.get(name))
        has_value = node.value is not None
        self.value_box.setVisible(has_value)
        if has_value:
            if self.model.node_id != node.id:
                self.model.set_node(self.graph, node.id)
            else:
                self.model.refresh()
            if not self.shape_edit.hasFocus():
                self.shape_edit.setText(format_shape(np.shape(np.asarray(node.value))))
            self._fit_table()

    def _inputs_text(self, node: Node) -> str:
        parts = []
        for port, src in zip(node.inputs, self.graph.sources(node.id), strict=True):
            if src is None:
                parts.append(f"{html.escape(port)} ← <span style='{ERROR_STYLE}'>not connected</span>")
            else:
                parts.append(f"{html.escape(port)} ← {html.escape(src)}")
        return "<br>".join(parts)

    def _shape_text(self, node: Node) -> str:
        try:
            shape = infer_shapes(self.graph).get(node.id)
        except ValueError:
            shape = None
        ran = self.document.run_shapes.get(node.id) if self.document is not None else None
        if shape is None and ran is not None:
            return f"{format_shape(ran)} (as it last ran; a custom layer's code decides it)"
        if shape is None and node.id in coded_nodes(self.graph):
            return "known once it runs (a custom layer's code is not run to validate)"
        if shape is None:
            return "shape unknown (inputs missing or not fitting)"
        return format_shape(shape)

    def _build_attrs(self, node: Node) -> None:
        while self.attrs_form.rowCount():
            self.attrs_form.removeRow(0)
        self.attr_editors = {}
        for spec in node.op.attrs:
            if node.op.runs_user_code and spec.name == "code":  # edited in the Layer code dock (View ▸ Docks)
                title = node.op.title_of(node.attrs)
                self.attrs_form.addRow("code:", _label(f"class {title}: see the Layer code dock"))  # wraps
                continue
            editor = AttrEditor(spec, node.attrs.get(spec.name), partial(self._on_attr, spec.name),
                                self.refuse, self.attrs_box)
            self.attr_editors[spec.name] = editor
            self.attrs_form.addRow(f"{spec.name}:", editor)
        self.attrs_heading.setVisible(bool(node.op.attrs))
        self.attrs_box.setVisible(bool(node.op.attrs))

    def _fit_table(self) -> None:
        rows = min(self.model.rowCount(), MAX_TABLE_ROWS)
        header = self.table.horizontalHeader().sizeHint().height()
        row_height = self.table.verticalHeader().defaultSectionSize()
        frame = 2 * self.table.frameWidth()
        columns = self.table.horizontalHeader().length() + self.table.verticalHeader().width() + frame
        scroll = self.table.horizontalScrollBar().sizeHint().height() if columns > self.table.width() else 0
        self.table.setFixedHeight(header + rows * row_height + frame + scroll + 2)

    # ---------------------------------------------------------------- messages
    def refuse(self, message: str) -> None:
        """A refused edit: say why under the node, and in the status bar."""
        self.error.setText(message)
        self.error.show()
        self.statusMessage.emit(message)

    def clear_message(self) -> None:
        self.error.clear()
        self.error.hide()

    # ------------------------------------------------------------------- edits
    def _push(self, make: Callable[[], Any]) -> bool:
        """Build a command and push it; a refused edit (GraphError) shows its reason instead."""
        try:
            command = make()
        except GraphError as exc:
            self.refuse(str(exc))
            self.refresh()
            return False
        self.clear_message()
        assert self.document is not None
        self.document.undo_stack.push(command)
        return True

    def _on_rename(self) -> None:
        if self.document is None or self.node_id is None:
            return
        new_id = self.id_edit.text().strip()
        if new_id == self.node_id:
            return
        old_id = self.node_id
        try:
            command = commands.Rename(self.document, old_id, new_id)
        except GraphError as exc:
            self.id_edit.setText(old_id)
            self.refuse(f"{exc}; kept {old_id!r}")
            return
        self.clear_message()
        self.document.undo_stack.push(command)

    def _on_attr(self, name: str, value: Any) -> None:
        document, node_id = self.document, self.node_id
        if document is not None and node_id is not None:
            self._push(lambda: commands.SetAttr(document, node_id, name, value))

    def _on_cell_edited(self, index: tuple[int, ...], value: float) -> None:
        document, node_id = self.document, self.node_id
        if document is not None and node_id is not None:
            self._push(lambda: commands.SetValue(document, node_id, value, index=index))

    def _on_shape(self) -> None:
        document, node_id = self.document, self.node_id
        if document is None or node_id is None:
            return
        node = self.graph.node(node_id)
        kept = np.shape(np.asarray(node.value))
        try:
            shape = parse_shape(self.shape_edit.text())
        except ValueError as exc:
            self.shape_edit.setText(format_shape(kept))
            self.refuse(f"{exc}; kept {format_shape(kept)}")
            return
        if shape == kept:
            self.shape_edit.setText(format_shape(shape))
            return
        new = resized(np.asarray(node.value), shape)
        self._push(lambda: commands.SetValue(document, node.id, new))
