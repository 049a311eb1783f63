"""The inspector dock's widget: collapsible sections in a scroll area.

Its own first section edits the selected node (:class:`NodePanel`) or, with no single node
selected, summarises the graph (:class:`GraphPanel`). Other modules add sections with
:meth:`Inspector.add_section` (the debugger adds "Values & gradients"). It follows the graph
through the document's bridge signals and refreshes once per burst of changes.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QScrollArea, QSizePolicy, QToolButton, QVBoxLayout, QWidget

from app import commands
from app.inspector.graph_panel import GraphPanel
from app.inspector.node_panel import NodePanel
from app.model.document import Document
from core.graph import GraphError


def _no_mnemonic(text: str) -> str:
    """``text`` shown literally on a button (an ``&`` would otherwise mark a shortcut letter)."""
    return text.replace("&", "&&")


class Section(QWidget):
    """A titled block whose body folds away when its header is clicked."""

    def __init__(self, title: str, body: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.body = body
        self.header = QToolButton(self)
        self.header.setObjectName("sectionHeader")
        self._title = title
        self.header.setText(_no_mnemonic(title))
        self.header.setCheckable(True)
        self.header.setChecked(True)
        self.header.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.header.setArrowType(Qt.ArrowType.DownArrow)
        self.header.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.header.toggled.connect(self.set_expanded)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 6)
        layout.setSpacing(4)
        layout.addWidget(self.header)
        layout.addWidget(body)

    def title(self) -> str:
        return self._title

    def set_title(self, title: str) -> None:
        self._title = title
        self.header.setText(_no_mnemonic(title))

    def is_expanded(self) -> bool:
        return self.header.isChecked()

    def set_expanded(self, expanded: bool) -> None:
        self.header.setChecked(expanded)
        self.header.setArrowType(Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow)
        self.body.setVisible(expanded)


class Inspector(QWidget):
    """Shows and edits the selected node, or the graph; hosts the other modules' sections."""

    statusMessage = Signal(str)
    scroll: QScrollArea  # type: ignore[assignment]  # the attribute hides QWidget.scroll()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document: Document | None = None
        self.node_id: str | None = None
        self.node_panel = NodePanel()
        self.graph_panel = GraphPanel()
        self.node_panel.statusMessage.connect(self.statusMessage)
        self.graph_panel.objectiveChosen.connect(self._on_objective_chosen)
        self.stack = QWidget()
        stack_layout = QVBoxLayout(self.stack)
        stack_layout.setContentsMargins(0, 0, 0, 0)
        stack_layout.addWidget(self.graph_panel)
        stack_layout.addWidget(self.node_panel)
        self.node_panel.hide()
        self.sections: list[Section] = []
        self._content = QWidget()
        self._layout = QVBoxLayout(self._content)
        self._layout.setContentsMargins(6, 6, 6, 6)
        self._layout.addStretch(1)
        self.main_section = self.add_section("Graph", self.stack)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self._content)
        self.scroll = scroll
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(0)
        self._refresh_timer.timeout.connect(self.refresh)

    def add_section(self, title: str, widget: QWidget) -> Section:
        """Add a collapsible section titled ``title`` below the existing ones."""
        section = Section(title, widget, self._content)
        self._layout.insertWidget(self._layout.count() - 1, section)
        self.sections.append(section)
        return section

    def section(self, title: str) -> Section:
        for section in self.sections:
            if section.title() == title:
                return section
        raise KeyError(f"no inspector section {title!r}")

    # ----------------------------------------------------------------- binding
    def set_document(self, document: Document | None) -> None:
        if self.document is not None:
            for signal in self._signals(self.document):
                signal.disconnect(self._schedule)
            self.document.bridge.nodeRenamed.disconnect(self._on_renamed)
            self.document.bridge.nodeRemoved.disconnect(self._on_removed)
            self.document.bridge.valueChanged.disconnect(self._on_value_changed)
        self.document = document
        self.node_id = None
        if document is not None:
            for signal in self._signals(document):
                signal.connect(self._schedule)
            document.bridge.nodeRenamed.connect(self._on_renamed)
            document.bridge.nodeRemoved.connect(self._on_removed)
            document.bridge.valueChanged.connect(self._on_value_changed)
        self.refresh()

    @staticmethod
    def _signals(document: Document) -> list[Any]:
        b = document.bridge
        return [b.nodeAdded, b.edgeAdded, b.edgeRemoved, b.attrChanged, b.settingsChanged,
                b.datasetChanged, b.objectiveChanged, document.pathChanged, document.runShapesChanged]

    def set_node(self, node_id: str | None) -> None:
        """Show ``node_id`` (None: the graph summary)."""
        self.node_id = node_id
        self.refresh()

    def _schedule(self, *args: Any) -> None:
        self._refresh_timer.start()

    def _on_renamed(self, new_id: str, old_id: str) -> None:
        if self.node_id == old_id:
            self.node_id = new_id
        self._schedule()

    def _on_value_changed(self, node_id: str) -> None:
        if self.node_id is None or self.node_id == node_id:
            self._schedule()

    def _on_removed(self, node_id: str) -> None:
        if self.node_id == node_id:
            self.node_id = None
        self._schedule()

    def _on_objective_chosen(self, node_id: str | None) -> None:
        if self.document is None or node_id == self.document.graph.objective:
            return
        try:
            command = commands.SetObjective(self.document, node_id)
        except GraphError as exc:
            self.statusMessage.emit(str(exc))
            return
        self.document.undo_stack.push(command)

    def refresh(self) -> None:
        """Show what the graph holds now."""
        self._refresh_timer.stop()
        doc = self.document
        if doc is not None and self.node_id is not None and self.node_id in doc.graph.nodes:
            self.node_panel.show_node(doc, self.node_id)
            self.graph_panel.hide()
            self.node_panel.show()
            self.main_section.set_title(f"Node {self.node_id}")
        else:
            if doc is not None:
                self.graph_panel.show_graph(doc.graph, doc.title(), doc.derived.problems())
            self.node_panel.hide()
            self.graph_panel.show()
            self.main_section.set_title("Graph")
