"""The canvas scene as the rooms that serve it see it: what ``connect.py``, ``context_menu.py``,
``editing.py`` and ``label_pass.py`` may use of the scene.

:class:`~app.editor.scene.GraphScene` implements it. The helpers name this type instead of
importing ``scene.py`` (which imports them), so the imports form no circle.
"""
from __future__ import annotations

from typing import Iterable

from PySide6.QtCore import QPointF, Signal
from PySide6.QtWidgets import QGraphicsScene

from app.editor.edge_item import EdgeItem
from app.editor.node_item import NodeItem
from app.editor.port_item import PortItem
from app.model.document import Document
from core.graph import Graph


class SceneHost(QGraphicsScene):
    """The document and graph the scene shows, its items by id, its selection and its status signal."""

    statusMessage = Signal(str)
    document: Document
    graph: Graph

    def node_item(self, node_id: str) -> NodeItem:
        raise NotImplementedError

    def edge_item(self, dst: str, port: str) -> EdgeItem | None:
        raise NotImplementedError

    def node_items(self) -> list[NodeItem]:
        raise NotImplementedError

    def selected_node_ids(self) -> list[str]:
        raise NotImplementedError

    def selected_edges(self) -> list[tuple[str, str]]:
        raise NotImplementedError

    def select_nodes(self, node_ids: Iterable[str]) -> None:
        raise NotImplementedError

    def select_all(self) -> None:
        raise NotImplementedError

    def port_at(self, pos: QPointF) -> PortItem | None:
        raise NotImplementedError

    def node_at(self, pos: QPointF) -> NodeItem | None:
        raise NotImplementedError

    def ports_near(self, pos: QPointF, distance: float) -> list[PortItem]:
        raise NotImplementedError
