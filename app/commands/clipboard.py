"""The paste command: nodes of another graph added with their internal edges."""
from __future__ import annotations

import re

from app.commands.base import GraphCommand, Pos, Target, graph_of, nodes_text
from app.commands.nodes import copy_node
from core.graph import Graph, GraphError


class Paste(GraphCommand):
    """Add the nodes of ``source`` and the edges between them, offset by ``offset``.

    A node keeps its id when that id is free, else gets a fresh one; ``node_ids`` lists the
    ids in the target graph (in ``source`` order) and ``id_map`` maps old ids to them.
    """

    def __init__(
        self,
        target: Target,
        source: Graph,
        offset: Pos = (40.0, 40.0),
        text: str | None = None,
    ) -> None:
        graph = graph_of(target)
        if not source.nodes:
            raise GraphError("there are no nodes to paste")
        taken: set[str] = set()
        self.id_map: dict[str, str] = {}
        for node_id in source.nodes:
            new = node_id if node_id not in graph.nodes and node_id not in taken else _fresh_id(graph, node_id, taken)
            taken.add(new)
            self.id_map[node_id] = new
        self.node_ids = list(self.id_map.values())
        super().__init__(graph, text or f"Paste {nodes_text(self.node_ids)}")
        self._nodes = [copy_node(node) for node in source.nodes.values()]
        self._edges = [(e.src, e.dst, e.port) for e in source.edges]
        self.offset = (float(offset[0]), float(offset[1]))

    def redo(self) -> None:
        dx, dy = self.offset
        for node in self._nodes:
            pos = (node.pos[0] + dx, node.pos[1] + dy)
            self.graph.add_node(node.op_type, self.id_map[node.id], attrs=node.attrs, pos=pos, value=node.value)
        for src, dst, port in self._edges:
            self.graph.connect(self.id_map[src], self.id_map[dst], port)

    def undo(self) -> None:
        for node_id in reversed(self.node_ids):
            self.graph.remove_node(node_id)


def _fresh_id(graph: Graph, node_id: str, taken: set[str]) -> str:
    base = re.sub(r"\d+$", "", node_id) or "node"
    i = 1
    while f"{base}{i}" in graph.nodes or f"{base}{i}" in taken:
        i += 1
    return f"{base}{i}"
