"""The canvas model-view: one NodeItem per node, one EdgeItem per edge, following the graph.

Items are added, moved and removed only because the document's bridge said the graph changed.
User gestures become commands pushed on the document's undo stack (see ``connect.py`` for
connection drags and ``editing.py`` for delete, copy, paste and layout).
"""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from PySide6.QtCore import QObject, QPointF, QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QPainter
from PySide6.QtWidgets import QGraphicsSceneContextMenuEvent, QGraphicsSceneMouseEvent

from app import commands
from app.editor import style
from app.editor.connect import ConnectionDrag
from app.editor.context_menu import build_menu
from app.editor.edge_item import EdgeItem
from app.editor.editing import EditingMixin
from app.editor.extent import Extent
from app.editor.label_pass import LabelPass
from app.editor.marks import NodeMarks
from app.editor.node_item import NodeItem
from app.editor.port_item import PortItem
from app.model.document import Document
from core.graph import Problem
from core.validation import coded_nodes

EDGE_GRAB_DISTANCE = 16.0  # a press this close to an edge's input end picks the edge up


class GraphScene(EditingMixin):
    """``nodeSelectionChanged(list)`` carries the selected node ids; ``statusMessage(str)`` says
    what happened or why not; ``problemsChanged(int)`` counts validation problems."""

    nodeSelectionChanged = Signal(list)  # statusMessage(str) is declared by SceneHost
    problemsChanged = Signal(int)

    def __init__(self, document: Document, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.graph = document.graph
        self.problems: list[Problem] = []
        self._nodes: dict[str, NodeItem] = {}
        self._edges: dict[tuple[str, str], EdgeItem] = {}
        self._edges_at: dict[str, set[tuple[str, str]]] = defaultdict(set)
        self._drag: ConnectionDrag | None = None
        self._selection: list[str] = []
        self._quiet_selection = False
        self._view_scale = 1.0
        self.extent = Extent(self, self._room_of)  # graph_rect, kept item by item
        self.marks = NodeMarks()  # the problem marks and shapes shown, set where they changed
        self._validation = QTimer(self)
        self._validation.setSingleShot(True)
        self._validation.setInterval(0)
        self._validation.timeout.connect(self.validate_now)
        self.label_pass = LabelPass(self)
        self.setBackgroundBrush(style.BACKGROUND)
        for node_id in self.graph.nodes:
            self._on_node_added(node_id)
        for edge in self.graph.edges:
            self._on_edge_added(edge.src, edge.dst, edge.port)
        bridge = document.bridge
        bridge.nodeAdded.connect(self._on_node_added)
        bridge.nodeRemoved.connect(self._on_node_removed)
        bridge.nodeMoved.connect(self._on_node_moved)
        bridge.nodeRenamed.connect(self._on_node_renamed)
        bridge.edgeAdded.connect(self._on_edge_added)
        bridge.edgeRemoved.connect(self._on_edge_removed)
        bridge.attrChanged.connect(self._on_attr_changed)
        bridge.valueChanged.connect(self._on_value_changed)
        for signal in (bridge.settingsChanged, bridge.datasetChanged, bridge.objectiveChanged,
                       document.runShapesChanged):
            signal.connect(self.schedule_validation)
        self.selectionChanged.connect(self._on_selection_changed)
        self.validate_now()

    # ------------------------------------------------------------ queries
    def node_item(self, node_id: str) -> NodeItem:
        return self._nodes[node_id]

    def edge_item(self, dst: str, port: str) -> EdgeItem | None:
        return self._edges.get((dst, port))

    def node_items(self) -> list[NodeItem]:
        return list(self._nodes.values())

    def edge_items(self) -> list[EdgeItem]:
        return list(self._edges.values())

    def selected_node_ids(self) -> list[str]:
        """Selected nodes in the graph's order."""
        chosen = {item.node_id for item in self.selectedItems() if isinstance(item, NodeItem)}
        return [n for n in self._nodes if n in chosen] if chosen else []

    def selected_edges(self) -> list[tuple[str, str]]:
        """(dst, port) of every selected edge."""
        return [item.key for item in self.selectedItems() if isinstance(item, EdgeItem)]

    def graph_rect(self) -> QRectF:
        """The rectangle around all nodes, what they carry (the debugger's output arrow) and the
        edges' labels (empty when there are no nodes), measured again only where items changed
        (:mod:`.extent`)."""
        return self.extent.rect() if self._nodes else QRectF()

    def _room_of(self, item: object) -> QRectF | None:
        """What ``item`` adds to graph_rect: a node with what it carries, or an edge's labels
        (None for an item no longer on the canvas)."""
        if isinstance(item, NodeItem):
            if self._nodes.get(item.node_id) is not item:
                return None
            return item.sceneBoundingRect().united(item.mapRectToScene(item.childrenBoundingRect()))
        if isinstance(item, EdgeItem) and self._edges.get(item.key) is item:
            rect = QRectF()
            for label in item.label_items():
                rect = rect.united(label.sceneBoundingRect())
            return rect
        return None

    def port_at(self, pos: QPointF) -> PortItem | None:
        for item in self.items(pos):
            if isinstance(item, PortItem):
                return item
        return None

    def node_at(self, pos: QPointF) -> NodeItem | None:
        for item in self.items(pos):
            if isinstance(item, NodeItem):
                return item
        return None

    def ports_near(self, pos: QPointF, distance: float) -> list[PortItem]:
        area = QRectF(pos.x() - distance, pos.y() - distance, 2 * distance, 2 * distance)
        return [item for item in self.items(area) if isinstance(item, PortItem)]

    # -------------------------------------------------- following the graph
    def _on_node_added(self, node_id: str) -> None:
        item = NodeItem(self.graph.node(node_id))
        self._nodes[node_id] = item
        self.addItem(item)
        self.extent.touch(item)
        self.label_pass.scene_changed()
        self.marks.added(node_id)
        self.schedule_validation()

    def _on_node_removed(self, node_id: str) -> None:
        item = self._nodes.pop(node_id, None)
        self._edges_at.pop(node_id, None)
        if item is not None:
            self.extent.touch(item)
            self.removeItem(item)
            self.label_pass.scene_changed()
        self.schedule_validation()

    def _on_node_moved(self, node_id: str) -> None:
        x, y = self.graph.node(node_id).pos
        self._nodes[node_id].setPos(x, y)

    def _on_node_renamed(self, new_id: str, old_id: str) -> None:
        item = self._nodes[old_id]
        self._nodes = {(new_id if k == old_id else k): v for k, v in self._nodes.items()}
        keys = self._edges_at.pop(old_id, set())
        for key in keys:
            edge = self._edges.pop(key)
            if edge.src == old_id:
                edge.src = new_id
            if edge.dst == old_id:
                edge.dst = new_id
            self._edges[edge.key] = edge
            other = edge.dst if edge.src == new_id else edge.src
            self._edges_at[other].discard(key)
            self._edges_at[other].add(edge.key)
            self._edges_at[new_id].add(edge.key)
        item.set_node_id(new_id)
        self.marks.added(new_id)
        self.schedule_validation()
        if item.isSelected():
            self._on_selection_changed()

    def _on_edge_added(self, src: str, dst: str, port: str) -> None:
        edge = EdgeItem(src, dst, port)
        self._edges[(dst, port)] = edge
        self._edges_at[src].add((dst, port))
        self._edges_at[dst].add((dst, port))
        self._place_edge(edge)
        edge.set_view_scale(self._view_scale)
        self.addItem(edge)
        self.extent.touch(edge)
        self.label_pass.scene_changed()
        self._nodes[dst].inputs[port].set_connected(True)
        self._nodes[src].output.set_connected(True)
        self.schedule_validation()

    def _on_edge_removed(self, src: str, dst: str, port: str) -> None:
        edge = self._edges.pop((dst, port), None)
        for node_id in (src, dst):
            if node_id in self._edges_at:
                self._edges_at[node_id].discard((dst, port))
        if edge is not None:
            self.extent.touch(edge)
            self.removeItem(edge)
            self.label_pass.scene_changed()
        if dst in self._nodes:
            self._nodes[dst].inputs[port].set_connected(False)
        if src in self._nodes:
            feeds = any(self._edges[k].src == src for k in self._edges_at.get(src, ()) if k in self._edges)
            self._nodes[src].output.set_connected(feeds)
        self.schedule_validation()

    def _on_attr_changed(self, node_id: str, _name: str) -> None:
        self._nodes[node_id].refresh_from(self.graph.node(node_id))
        self.schedule_validation()

    def _on_value_changed(self, node_id: str) -> None:
        self._nodes[node_id].refresh_from(self.graph.node(node_id))
        self.schedule_validation()

    def _place_edge(self, edge: EdgeItem) -> None:
        src, dst = self._nodes[edge.src], self._nodes[edge.dst]
        edge.set_ends(src.output.scenePos(), dst.inputs[edge.port].scenePos())

    def reveal_node(self, item: NodeItem) -> None:
        """Scroll the views that can (EditorView.reveal) to show ``item`` whole (with what it
        carries) and, when they fit too, the nodes it is connected to."""
        node = item.sceneBoundingRect().united(item.mapRectToScene(item.childrenBoundingRect()))
        around = QRectF(node)
        for edge in self.graph.edges_of(item.node_id):
            for other in (edge.src, edge.dst):
                if other in self._nodes:
                    around = around.united(self._nodes[other].sceneBoundingRect())
        for view in self.views():
            reveal = getattr(view, "reveal", None)
            if reveal is not None:
                reveal(around, node)

    def set_view_scale(self, scale: float) -> None:
        """The view's zoom changed: edges keep a visible thickness when zoomed out."""
        self._view_scale = scale
        for edge in self._edges.values():
            edge.set_view_scale(scale)

    def node_geometry_changed(self, item: NodeItem) -> None:
        """A node item moved or changed size: its edges follow, and labels it now covers move
        (called by the item)."""
        self.extent.touch(item)
        for key in self._edges_at.get(item.node_id, ()):
            edge = self._edges.get(key)
            if edge is not None and edge.src in self._nodes and edge.dst in self._nodes:
                self._place_edge(edge)
        self.label_pass.area_changed(item.mapRectToScene(item.body_rect()))

    # ------------------------------------------------------------ edge labels
    def labels_moved(self, edge: EdgeItem) -> None:
        """``edge``'s labels changed or moved: find them their place after this burst of changes."""
        self.label_pass.edge_changed(edge)

    def layout_labels_now(self) -> None:
        """Place every label that waits for its place (an export or a screenshot is coming)."""
        self.label_pass.run()

    def layout_visible_labels(self) -> bool:
        """Place the first slice of a burst's labels, those in sight first (a repaint is coming
        before the burst's pass); True when it placed any."""
        self.label_pass.placed_last = 0
        self.label_pass.run_posted()
        return self.label_pass.placed_last > 0

    def view_changed(self) -> None:
        """A view scrolled, zoomed or resized: labels that came into sight find their place."""
        self.label_pass.view_changed()

    def render(self, painter: QPainter, target: QRectF | QRect | None = None, source: QRectF | QRect | None = None,
               mode: Qt.AspectRatioMode = Qt.AspectRatioMode.KeepAspectRatio) -> None:
        """Render with every label in its place (an export may come before the label pass)."""
        self.label_pass.run()
        super().render(painter, target or QRectF(), source or QRectF(), mode)

    # ------------------------------------------------------ live validation
    def schedule_validation(self) -> None:
        """Validate once, after the current event (a compound command validates once)."""
        self._validation.start()

    def validate_now(self) -> None:
        self._validation.stop()
        problems, shapes = self.document.derived.check()
        self.marks.show(self._nodes, problems, shapes, lambda: coded_nodes(self.graph), self.document.run_shapes)
        self.problems = problems
        self.problemsChanged.emit(len(problems))

    # ---------------------------------------------------------- selection
    def _on_selection_changed(self) -> None:
        if self._quiet_selection:
            return
        ids = self.selected_node_ids()
        if ids != self._selection:
            self._selection = ids
            self.nodeSelectionChanged.emit(list(ids))

    def select_nodes(self, node_ids: Iterable[str]) -> None:
        """Select exactly these nodes (one nodeSelectionChanged at the end)."""
        wanted = set(node_ids)
        self._quiet_selection = True
        try:
            for item in self.selectedItems():
                item.setSelected(False)
            for node_id in wanted:
                if node_id in self._nodes:
                    self._nodes[node_id].setSelected(True)
        finally:
            self._quiet_selection = False
        self._on_selection_changed()

    def select_all(self) -> None:
        self._quiet_selection = True
        try:
            for item in [*self._nodes.values(), *self._edges.values()]:
                item.setSelected(True)
        finally:
            self._quiet_selection = False
        self._on_selection_changed()

    # -------------------------------------------------------------- mouse
    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self._drag is not None:
            event.accept()
            return
        if event.button() == Qt.MouseButton.LeftButton:
            port = self.port_at(event.scenePos())
            if port is None:
                port = self._edge_end_at(event.scenePos())
            if port is not None:
                self._drag = ConnectionDrag(self, port)
                event.accept()
                return
        super().mousePressEvent(event)

    def _edge_end_at(self, pos: QPointF) -> PortItem | None:
        """The input port of an edge whose input end is under ``pos`` (to pick the edge up)."""
        for item in self.items(pos):
            if isinstance(item, EdgeItem) and (item.ends()[1] - pos).manhattanLength() <= EDGE_GRAB_DISTANCE:
                return self._nodes[item.dst].inputs[item.port]
        return None

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self._drag is not None:
            self._drag.move(event.scenePos())
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self._drag is not None:
            if event.button() == Qt.MouseButton.LeftButton:
                drag, self._drag = self._drag, None
                drag.drop(event.scenePos())
            event.accept()
            return
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton:
            self._commit_moves()

    def _commit_moves(self) -> None:
        """Items dragged away from their graph position become one MoveNodes command."""
        moves = {}
        for node_id, item in self._nodes.items():
            pos = (round(item.x()), round(item.y()))
            if (item.x(), item.y()) != self.graph.node(node_id).pos:
                moves[node_id] = (float(pos[0]), float(pos[1]))
        if moves:
            self.document.undo_stack.push(commands.MoveNodes(self.document, moves))

    def cancel_drag(self) -> bool:
        if self._drag is None:
            return False
        self._drag.cancel()
        self._drag = None
        self.statusMessage.emit("Connection cancelled")
        return True

    def contextMenuEvent(self, event: QGraphicsSceneContextMenuEvent) -> None:
        if self._drag is not None:
            event.accept()
            return
        build_menu(self, event.scenePos(), event.widget()).exec(event.screenPos())
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.cancel_drag():
            event.accept()
            return
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.focusItem() is None:
            self.delete_selection()
            event.accept()
            return
        super().keyPressEvent(event)
