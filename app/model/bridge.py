"""The graph's plain-Python events as Qt signals with plain arguments (ids, not objects).

This is the only place Qt code subscribes to ``core.graph.Graph`` events; views connect to
the signals of a :class:`GraphBridge`.
"""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QObject, Signal

from core.graph import Edge, Graph, Node


class GraphBridge(QObject):
    """One Qt signal per graph event. ``detach()`` unsubscribes from the graph."""

    nodeAdded = Signal(str)
    nodeRemoved = Signal(str)
    nodeMoved = Signal(str)
    nodeRenamed = Signal(str, str)  # new id, old id
    edgeAdded = Signal(str, str, str)  # src, dst, port
    edgeRemoved = Signal(str, str, str)
    attrChanged = Signal(str, str)  # node id, attribute name
    valueChanged = Signal(str)
    settingsChanged = Signal()
    datasetChanged = Signal()
    objectiveChanged = Signal()
    arranged = Signal()  # the nodes and edges are in a new order (the Program's ties follow it)

    def __init__(self, graph: Graph, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.graph = graph
        self._subscriptions: list[tuple[Any, Callable[..., None]]] = [
            (graph.node_added, self._on_node_added),
            (graph.node_removed, self._on_node_removed),
            (graph.node_moved, self._on_node_moved),
            (graph.node_renamed, self._on_node_renamed),
            (graph.edge_added, self._on_edge_added),
            (graph.edge_removed, self._on_edge_removed),
            (graph.attr_changed, self._on_attr_changed),
            (graph.value_changed, self._on_value_changed),
            (graph.settings_changed, self._on_settings_changed),
            (graph.dataset_changed, self._on_dataset_changed),
            (graph.objective_changed, self._on_objective_changed),
            (graph.arranged, self._on_arranged),
        ]
        for event, callback in self._subscriptions:
            event.connect(callback)

    def changes(self) -> tuple[Any, ...]:
        """Every signal of a change to the graph."""
        return (self.nodeAdded, self.nodeRemoved, self.nodeMoved, self.nodeRenamed, self.edgeAdded,
                self.edgeRemoved, self.attrChanged, self.valueChanged, self.settingsChanged,
                self.datasetChanged, self.objectiveChanged, self.arranged)

    def detach(self) -> None:
        """Stop following the graph (the signals stay, but nothing emits them any more)."""
        for event, callback in self._subscriptions:
            event.disconnect(callback)
        self._subscriptions = []

    def _on_node_added(self, node: Node) -> None:
        self.nodeAdded.emit(node.id)

    def _on_node_removed(self, node: Node) -> None:
        self.nodeRemoved.emit(node.id)

    def _on_node_moved(self, node: Node) -> None:
        self.nodeMoved.emit(node.id)

    def _on_node_renamed(self, node: Node, old_id: str) -> None:
        self.nodeRenamed.emit(node.id, old_id)

    def _on_edge_added(self, edge: Edge) -> None:
        self.edgeAdded.emit(edge.src, edge.dst, edge.port)

    def _on_edge_removed(self, edge: Edge) -> None:
        self.edgeRemoved.emit(edge.src, edge.dst, edge.port)

    def _on_attr_changed(self, node: Node, name: str) -> None:
        self.attrChanged.emit(node.id, name)

    def _on_value_changed(self, node: Node) -> None:
        self.valueChanged.emit(node.id)

    def _on_settings_changed(self, _settings: object) -> None:
        self.settingsChanged.emit()

    def _on_dataset_changed(self, _dataset: object) -> None:
        self.datasetChanged.emit()

    def _on_objective_changed(self, _node_id: object) -> None:
        self.objectiveChanged.emit()

    def _on_arranged(self) -> None:
        self.arranged.emit()
