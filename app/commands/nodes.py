"""Node commands: add, remove (with their edges), delete a selection, move, rename."""
from __future__ import annotations

from typing import Any, Iterable, Mapping

import numpy as np

from app.commands.base import (
    GraphCommand,
    GraphOrder,
    Pos,
    Target,
    graph_of,
    graph_order,
    nodes_text,
    plural,
    put_back_order,
)
from app.commands.dataset import input_field_command
from app.commands.edges import Disconnect
from core.data.edit import free_field
from core.graph import Graph, GraphError, Node, as_value
from core.position import within_bounds


class AddNode(GraphCommand):
    """Add one node; ``node_id`` is chosen at construction (a fresh one when not given). A new
    node without a value starts at its op's ``start_value`` (a Parameter at 1)."""

    def __init__(
        self,
        target: Target,
        op_type: str,
        pos: Pos = (0.0, 0.0),
        node_id: str | None = None,
        attrs: Mapping[str, Any] | None = None,
        value: Any = None,
    ) -> None:
        graph = graph_of(target)
        op, node_id = graph.resolve_new_node(op_type, node_id)
        super().__init__(graph, f"Add {node_id} ({op.title})")
        self.node_id = node_id
        self.op_type = op.type
        self.pos = (float(pos[0]), float(pos[1]))
        self.attrs = dict(attrs or {})
        if value is None:
            value = op.start_value
        self.value = None if value is None else as_value(value)
        if op.type == "Input":  # a new Input reads a field it can run on at once (one row of 1s if new)
            taken = [n.attrs.get("field") for n in graph.nodes.values() if n.op_type == "Input"]
            self.attrs.setdefault("field", free_field(graph.dataset, [f for f in taken if f]))
            child = input_field_command(graph, self.attrs["field"])
            if child is not None:
                self.adopt(child)

    def redo(self) -> None:
        self.graph.add_node(self.op_type, self.node_id, attrs=self.attrs, pos=self.pos, value=self.value)
        super().redo()

    def undo(self) -> None:
        super().undo()
        self.graph.remove_node(self.node_id)


def copy_node(node: Node) -> Node:
    """A detached copy of ``node`` (its value array copied too)."""
    value = None if node.value is None else np.array(node.value, dtype=float)
    return Node(node.id, node.op_type, dict(node.attrs), node.pos, value)


class RemoveNodes(GraphCommand):
    """Remove nodes; their edges are removed first by child Disconnect commands (restored on undo)."""

    def __init__(self, target: Target, node_ids: Iterable[str]) -> None:
        graph = graph_of(target)
        ids = list(dict.fromkeys(node_ids))
        for node_id in ids:
            graph.node(node_id)
        if not ids:
            raise GraphError("no nodes to delete")
        super().__init__(graph, f"Delete {nodes_text(ids)}")
        self.node_ids = ids
        self._nodes: list[Node] = []
        self._objective: str | None = None
        self._order: GraphOrder | None = None
        for dst, port in _edges_in_restore_order(graph, set(ids)):
            self.adopt(Disconnect(graph, dst, port))

    def redo(self) -> None:
        self._order = graph_order(self.graph)
        super().redo()
        self._objective = self.graph.objective
        self._nodes = [copy_node(self.graph.node(n)) for n in self.node_ids]
        for node_id in self.node_ids:
            self.graph.remove_node(node_id)

    def undo(self) -> None:
        for node in self._nodes:
            self.graph.add_node(node.op_type, node.id, attrs=node.attrs, pos=node.pos, value=node.value)
        if self._objective in self.node_ids:
            self.graph.set_objective(self._objective)
        # the children are Disconnects: their edges come back as one set, checked for cycles once
        self.graph.restore_edges(child.edge() for child in reversed(self._children)
                                 if isinstance(child, Disconnect))
        put_back_order(self.graph, self._order)


def _edges_in_restore_order(graph: Graph, ids: set[str]) -> list[tuple[str, str]]:
    """The (dst, port) of every edge at ``ids``, ordered so that undo (which runs children in
    reverse) reconnects them source-side first: each cycle check then sees little downstream."""
    edges = [e for e in graph.edges if e.src in ids or e.dst in ids]
    order = {n: i for i, n in enumerate(_safe_order(graph))}
    edges.sort(key=lambda e: order.get(e.dst, 0), reverse=True)
    return [(e.dst, e.port) for e in edges]


def _safe_order(graph: Graph) -> list[str]:
    try:
        return graph.topological_order()
    except GraphError:
        return list(graph.nodes)


class Delete(GraphCommand):
    """Delete a selection: loose edges by child Disconnects, then the nodes by a child RemoveNodes."""

    def __init__(
        self,
        target: Target,
        node_ids: Iterable[str] = (),
        edges: Iterable[tuple[str, str]] = (),
    ) -> None:
        graph = graph_of(target)
        ids = list(dict.fromkeys(node_ids))
        loose = [(d, p) for d, p in dict.fromkeys(edges) if (e := graph.edge_into(d, p)) is not None
                 and e.src not in ids and d not in ids]
        if not ids and not loose:
            raise GraphError("nothing selected to delete")
        super().__init__(graph, "")
        self._order: GraphOrder | None = None
        for dst, port in loose:
            self.adopt(Disconnect(graph, dst, port))
        if ids:
            self.adopt(RemoveNodes(graph, ids))
        if len(self._children) == 1:
            self.setText(self._children[0].text())
        else:
            parts = [plural(len(ids), "node")] if ids else []
            parts += [plural(len(loose), "edge")] if loose else []
            self.setText("Delete " + " and ".join(parts))
        self._loose = bool(loose)

    def redo(self) -> None:
        if self._loose:  # the nodes' own edges come back in order by RemoveNodes; loose ones here
            self._order = graph_order(self.graph)
        super().redo()

    def undo(self) -> None:
        super().undo()
        put_back_order(self.graph, self._order)


class MoveNodes(GraphCommand):
    """Move nodes to new positions (one undo entry per drag or layout)."""

    def __init__(
        self, target: Target, positions: Mapping[str, Pos], text: str | None = None
    ) -> None:
        graph = graph_of(target)
        moves = {n: within_bounds(p) for n, p in positions.items()}  # never where a file could not hold it
        for node_id in moves:
            graph.node(node_id)
        if not moves:
            raise GraphError("no nodes to move")
        super().__init__(graph, f"Move {nodes_text(moves)}" if text is None else text)
        self.positions = moves
        self._old: dict[str, Pos] = {}

    def redo(self) -> None:
        self._old = {n: self.graph.node(n).pos for n in self.positions}
        for node_id, pos in self.positions.items():
            self.graph.move_node(node_id, pos)

    def undo(self) -> None:
        for node_id, pos in self._old.items():
            self.graph.move_node(node_id, pos)


class Rename(GraphCommand):
    def __init__(self, target: Target, old_id: str, new_id: str) -> None:
        graph = graph_of(target)
        graph.node(old_id)
        if new_id == old_id:
            raise GraphError(f"{old_id} has that name already")
        graph.check_new_id(new_id)
        super().__init__(graph, f"Rename {old_id} → {new_id}")
        self.old_id, self.new_id = old_id, new_id

    def redo(self) -> None:
        self.graph.rename_node(self.old_id, self.new_id)

    def undo(self) -> None:
        self.graph.rename_node(self.new_id, self.old_id)
