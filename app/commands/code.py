"""Commands of custom layers: apply edited code (one undo entry), and turn a built-in node into
a custom layer whose class gives the same numbers (same id, same edges)."""
from __future__ import annotations

from typing import Any

from app.commands.base import GraphCommand, graph_of
from app.commands.edges import Disconnect
from app.commands.values import SetAttr
from core.custom.op import CustomLayer
from core.custom.source import source_of
from core.custom.templates import TEMPLATES
from core.graph import Edge, Graph, GraphError, Node


class ApplyCode(GraphCommand):
    """Set a custom layer's code; edges into ports the new code no longer has are removed first
    (child Disconnects), so undo puts code and edges back together."""

    def __init__(self, target: Any, node_id: str, code: str) -> None:
        graph = graph_of(target)
        node = graph.node(node_id)
        if node.op_type != CustomLayer.type:
            raise GraphError(f"{node.label()} is not a custom layer")
        super().__init__(graph, f"Edit the code of {node_id}")
        ports = set(source_of(code).ports)
        for port in node.inputs:
            if port not in ports and graph.edge_into(node_id, port) is not None:
                self.adopt(Disconnect(graph, node_id, port))
        self.adopt(SetAttr(graph, node_id, "code", code))


def cannot_make_custom(graph: Graph, node_id: str) -> str | None:
    """Why ``node_id`` cannot become a custom layer, or None when it can."""
    node = graph.node(node_id)
    if node.op_type == CustomLayer.type:
        return f"{node.label()} is already a custom layer (edit its code in the Layer code dock)"
    if node.op_type not in TEMPLATES:
        known = ", ".join(sorted(TEMPLATES))
        return f"{node.label()}: there is no layer class for {node.op_type} (there is for {known})"
    return None


class ReplaceWithCustom(GraphCommand):
    """Replace a built-in node by a CustomLayer with the notebook-style class of its op."""

    def __init__(self, target: Any, node_id: str) -> None:
        graph = graph_of(target)
        node = graph.node(node_id)
        why = cannot_make_custom(graph, node_id)
        if why is not None:
            raise GraphError(why)
        super().__init__(graph, f"Make {node_id} a custom layer")
        self.node_id = node_id
        self.code = TEMPLATES[node.op_type]
        self._old: Node | None = None
        self._edges: list[Edge] = []

    def redo(self) -> None:
        self._edges = self.graph.edges_of(self.node_id)
        self._old = self._swap(CustomLayer.type, {"code": self.code}, None)

    def undo(self) -> None:
        old = self._old
        assert old is not None
        self._swap(old.op_type, dict(old.attrs), old.value)

    def _swap(self, op_type: str, attrs: dict[str, Any], value: Any) -> Node:
        """Put a node of ``op_type`` in the place of the node (id, position, edges, objective)."""
        g = self.graph
        objective = g.objective
        old, _ = g.remove_node(self.node_id)
        g.add_node(op_type, self.node_id, attrs=attrs, pos=old.pos, value=value)
        for e in self._edges:
            g.connect(e.src, e.dst, e.port)
        if objective == self.node_id:
            g.set_objective(objective)
        return old
