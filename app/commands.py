"""One ``QUndoCommand`` per kind of edit. ``redo``/``undo`` call only the ``core.graph`` API.

Every command takes the graph (or anything with a ``graph`` attribute, such as a Document)
first. A constructor raises :class:`core.graph.GraphError` with the reason when the graph
would refuse the edit, so nothing refused is ever pushed. Compound edits are built from
child commands; what ``undo`` needs is recorded when ``redo`` runs.
"""
from __future__ import annotations

import re
from typing import Any, Iterable, Mapping, Sequence

import numpy as np
from PySide6.QtGui import QUndoCommand

from core.data import Dataset
from core.graph import Graph, GraphError, Node, as_value
from core.ops import get_op
from core.settings import TrainingSettings

Pos = tuple[float, float]


def graph_of(target: Any) -> Graph:
    """The graph itself, or the ``graph`` of a document."""
    return target if isinstance(target, Graph) else target.graph


def number_text(x: float) -> str:
    """A short form of a number for command texts: 0.2, 1e-05, 3."""
    return format(float(x), ".6g")


def shape_text(shape: Sequence[int]) -> str:
    return "×".join(str(n) for n in shape) if len(shape) else "scalar"


def port_text(graph: Graph, dst: str, port: str) -> str:
    """``dst`` alone when it has one input, else ``dst.port``."""
    node = graph.nodes.get(dst)
    return dst if node is not None and len(node.inputs) == 1 else f"{dst}.{port}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


class GraphCommand(QUndoCommand):
    """Base: holds the graph and its child commands.

    Children are kept in Python (Qt's own parent/child ownership double-frees under PySide):
    ``redo`` runs them in order, ``undo`` in reverse. A subclass that does more calls
    ``super().redo()`` / ``super().undo()`` where the children belong.
    """

    def __init__(self, target: Any, text: str = "") -> None:
        super().__init__(text)
        self.graph = graph_of(target)
        self._children: list[GraphCommand] = []

    def adopt(self, child: "GraphCommand") -> "GraphCommand":
        self._children.append(child)
        return child

    def children(self) -> list["GraphCommand"]:
        return list(self._children)

    def redo(self) -> None:
        for child in self._children:
            child.redo()

    def undo(self) -> None:
        for child in reversed(self._children):
            child.undo()


class AddNode(GraphCommand):
    """Add one node; ``node_id`` is chosen at construction (a fresh one when not given)."""

    def __init__(
        self,
        target: Any,
        op_type: str,
        pos: Pos = (0.0, 0.0),
        node_id: str | None = None,
        attrs: Mapping[str, Any] | None = None,
        value: Any = None,
    ) -> None:
        graph = graph_of(target)
        try:
            op = get_op(op_type)
        except KeyError as exc:
            raise GraphError(str(exc.args[0])) from None
        node_id = node_id or graph.new_id(op.type)
        graph.check_new_id(node_id)
        super().__init__(graph, f"Add {node_id} ({op.title})")
        self.node_id = node_id
        self.op_type = op.type
        self.pos = (float(pos[0]), float(pos[1]))
        self.attrs = dict(attrs or {})
        self.value = None if value is None else as_value(value)

    def redo(self) -> None:
        self.graph.add_node(self.op_type, self.node_id, attrs=self.attrs, pos=self.pos, value=self.value)

    def undo(self) -> None:
        self.graph.remove_node(self.node_id)


class Disconnect(GraphCommand):
    def __init__(self, target: Any, dst: str, port: str) -> None:
        graph = graph_of(target)
        edge = graph.edge_into(dst, port)
        if edge is None:
            raise GraphError(f"input {dst}.{port} is not connected")
        super().__init__(graph, f"Disconnect {edge.src} → {port_text(graph, dst, port)}")
        self.dst, self.port = dst, port
        self.src = edge.src

    def redo(self) -> None:
        self.src = self.graph.disconnect(self.dst, self.port).src

    def undo(self) -> None:
        self.graph.connect(self.src, self.dst, self.port)


class Connect(GraphCommand):
    """Connect ``src``'s output to ``dst.port``; an edge already there is replaced (a child command)."""

    def __init__(self, target: Any, src: str, dst: str, port: str) -> None:
        graph = graph_of(target)
        check_connect(graph, src, dst, port)
        old = graph.edge_into(dst, port)
        text = f"Connect {src} → {port_text(graph, dst, port)}"
        if old is not None:
            text += f" (replacing {old.src})"
        super().__init__(graph, text)
        self.src, self.dst, self.port = src, dst, port
        self.replaced = old.src if old is not None else None
        if old is not None:
            self.adopt(Disconnect(graph, dst, port))

    def redo(self) -> None:
        super().redo()
        self.graph.connect(self.src, self.dst, self.port)

    def undo(self) -> None:
        self.graph.disconnect(self.dst, self.port)
        super().undo()


def check_connect(graph: Graph, src: str, dst: str, port: str) -> None:
    """Raise GraphError with the reason when ``src → dst.port`` cannot be made (replacing is allowed)."""
    source, target = graph.node(src), graph.node(dst)
    if port not in target.inputs:
        ports = ", ".join(target.inputs) or "none"
        raise GraphError(f"{target.label()} has no input {port!r} (inputs: {ports})")
    if src == dst:
        raise GraphError(f"{source.id} cannot feed its own input")
    old = graph.edge_into(dst, port)
    if old is not None and old.src == src:
        raise GraphError(f"{src} is connected to {dst}.{port} already")
    if graph.would_cycle(src, dst):
        raise GraphError(f"connecting {src} → {dst} would make a cycle ({dst} already feeds {src})")


class Reconnect(GraphCommand):
    """Move the input end of the edge into ``dst.port`` to ``new_dst.new_port`` (one undo entry)."""

    def __init__(self, target: Any, dst: str, port: str, new_dst: str, new_port: str) -> None:
        graph = graph_of(target)
        edge = graph.edge_into(dst, port)
        if edge is None:
            raise GraphError(f"input {dst}.{port} is not connected")
        if (dst, port) == (new_dst, new_port):
            raise GraphError(f"{edge.src} is connected to {dst}.{port} already")
        check_connect(graph, edge.src, new_dst, new_port)
        super().__init__(graph, f"Reconnect {edge.src} → {port_text(graph, new_dst, new_port)}")
        self.adopt(Disconnect(graph, dst, port))
        self.connect_command = self.adopt(Connect(graph, edge.src, new_dst, new_port))


class RemoveNodes(GraphCommand):
    """Remove nodes; their edges are removed first by child Disconnect commands (restored on undo)."""

    def __init__(self, target: Any, node_ids: Iterable[str]) -> None:
        graph = graph_of(target)
        ids = list(dict.fromkeys(node_ids))
        for node_id in ids:
            graph.node(node_id)
        if not ids:
            raise GraphError("no nodes to delete")
        text = f"Delete {ids[0]}" if len(ids) == 1 else f"Delete {len(ids)} nodes"
        super().__init__(graph, text)
        self.node_ids = ids
        self._nodes: list[Node] = []
        self._objective: str | None = None
        for dst, port in _edges_in_restore_order(graph, set(ids)):
            self.adopt(Disconnect(graph, dst, port))

    def redo(self) -> None:
        super().redo()
        self._objective = self.graph.objective
        self._nodes = [_copy_node(self.graph.node(n)) for n in self.node_ids]
        for node_id in self.node_ids:
            self.graph.remove_node(node_id)

    def undo(self) -> None:
        for node in self._nodes:
            self.graph.add_node(node.op_type, node.id, attrs=node.attrs, pos=node.pos, value=node.value)
        if self._objective in self.node_ids:
            self.graph.set_objective(self._objective)
        super().undo()


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


def _copy_node(node: Node) -> Node:
    value = None if node.value is None else np.array(node.value, dtype=float)
    return Node(node.id, node.op_type, dict(node.attrs), node.pos, value)


class Delete(GraphCommand):
    """Delete a selection: loose edges by child Disconnects, then the nodes by a child RemoveNodes."""

    def __init__(
        self,
        target: Any,
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
        for dst, port in loose:
            self.adopt(Disconnect(graph, dst, port))
        if ids:
            self.adopt(RemoveNodes(graph, ids))
        if len(self._children) == 1:
            self.setText(self._children[0].text())
        else:
            parts = [_plural(len(ids), "node")] if ids else []
            parts += [_plural(len(loose), "edge")] if loose else []
            self.setText("Delete " + " and ".join(parts))


class MoveNodes(GraphCommand):
    """Move nodes to new positions (one undo entry per drag or layout)."""

    def __init__(
        self, target: Any, positions: Mapping[str, Pos], text: str | None = None
    ) -> None:
        graph = graph_of(target)
        moves = {n: (float(p[0]), float(p[1])) for n, p in positions.items()}
        for node_id in moves:
            graph.node(node_id)
        if not moves:
            raise GraphError("no nodes to move")
        if text is None:
            text = f"Move {next(iter(moves))}" if len(moves) == 1 else f"Move {len(moves)} nodes"
        super().__init__(graph, text)
        self.positions = moves
        self._old: dict[str, Pos] = {}

    def redo(self) -> None:
        self._old = {n: self.graph.node(n).pos for n in self.positions}
        for node_id, pos in self.positions.items():
            self.graph.move_node(node_id, pos)

    def undo(self) -> None:
        for node_id, pos in self._old.items():
            self.graph.move_node(node_id, pos)


class SetAttr(GraphCommand):
    def __init__(self, target: Any, node_id: str, name: str, value: Any) -> None:
        graph = graph_of(target)
        node = graph.node(node_id)
        try:
            value = node.op.attr_spec(name).coerce(value)
        except KeyError:
            raise GraphError(f"{node.label()} has no attribute {name!r}") from None
        except ValueError as exc:
            raise GraphError(f"{node_id}: {exc}") from None
        shown = number_text(value) if isinstance(value, float) else str(value)
        super().__init__(graph, f"Set {node_id}.{name} = {shown}")
        self.node_id, self.name, self.value = node_id, name, value
        self._old: Any = None

    def redo(self) -> None:
        self._old = self.graph.node(self.node_id).attrs.get(self.name)
        self.graph.set_attr(self.node_id, self.name, self.value)

    def undo(self) -> None:
        self.graph.set_attr(self.node_id, self.name, self._old)


class SetValue(GraphCommand):
    """Replace a constant's or parameter's value, or (with ``index``) one cell of it."""

    def __init__(
        self,
        target: Any,
        node_id: str,
        value: Any,
        index: Sequence[int] | int | None = None,
    ) -> None:
        graph = graph_of(target)
        node = graph.node(node_id)
        if node.value is None:
            raise GraphError(f"{node.label()} holds no value")
        try:
            new = as_value(value)
        except (TypeError, ValueError):
            raise GraphError(f"{node_id}: {value!r} is not a number or an array of numbers") from None
        if index is not None:
            index = (index,) if isinstance(index, int) else tuple(int(i) for i in index)
        if index == ():
            index = None
        if index is not None:
            if len(index) != node.value.ndim or any(not 0 <= i < n for i, n in zip(index, node.value.shape)):
                raise GraphError(f"{node_id}: no cell {list(index)} in a {shape_text(node.value.shape)} value")
            if new.ndim != 0:
                raise GraphError(f"{node_id}{list(index)}: a cell holds one number")
            text = f"Set {node_id}[{', '.join(map(str, index))}] = {number_text(new)}"
        elif new.ndim == 0:
            text = f"Set {node_id} = {number_text(new)}"
        else:
            text = f"Set {node_id} ({shape_text(new.shape)})"
        super().__init__(graph, text)
        self.node_id, self.index, self.new = node_id, index, new
        self._old: np.ndarray | None = None

    def redo(self) -> None:
        old = self.graph.node(self.node_id).value
        self._old = old
        if self.index is None:
            self.graph.set_value(self.node_id, self.new.copy())
        else:
            changed = np.array(old, dtype=float)
            changed[self.index] = self.new
            self.graph.set_value(self.node_id, changed)

    def undo(self) -> None:
        self.graph.set_value(self.node_id, self._old)


class Rename(GraphCommand):
    def __init__(self, target: Any, old_id: str, new_id: str) -> None:
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


class Paste(GraphCommand):
    """Add the nodes of ``source`` and the edges between them, offset by ``offset``.

    A node keeps its id when that id is free, else gets a fresh one; ``node_ids`` lists the
    ids in the target graph (in ``source`` order) and ``id_map`` maps old ids to them.
    """

    def __init__(
        self,
        target: Any,
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
        n = len(source.nodes)
        super().__init__(graph, text or (f"Paste {self.id_map[next(iter(source.nodes))]}" if n == 1 else f"Paste {n} nodes"))
        self.node_ids = list(self.id_map.values())
        self._nodes = [_copy_node(node) for node in source.nodes.values()]
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


class SetSettings(GraphCommand):
    def __init__(self, target: Any, settings: TrainingSettings) -> None:
        graph = graph_of(target)
        changed = [f for f, v in settings.to_dict().items() if graph.settings.to_dict()[f] != v]
        if len(changed) == 1:
            value = getattr(settings, changed[0])
            shown = number_text(value) if isinstance(value, float) else str(value)
            text = f"Set {changed[0].replace('_', ' ')} = {shown}"
        else:
            text = "Change training settings"
        super().__init__(graph, text)
        self.settings = settings
        self._old: TrainingSettings | None = None

    def redo(self) -> None:
        self._old = self.graph.settings
        self.graph.set_settings(self.settings)

    def undo(self) -> None:
        assert self._old is not None
        self.graph.set_settings(self._old)


class SetObjective(GraphCommand):
    """Choose the node the backward pass starts from (``None``: found automatically)."""

    def __init__(self, target: Any, node_id: str | None) -> None:
        graph = graph_of(target)
        if node_id is not None:
            graph.node(node_id)
        super().__init__(graph, f"Set objective {node_id}" if node_id else "Clear objective")
        self.node_id = node_id
        self._old: str | None = None

    def redo(self) -> None:
        self._old = self.graph.objective
        self.graph.set_objective(self.node_id)

    def undo(self) -> None:
        self.graph.set_objective(self._old)


class SetDataset(GraphCommand):
    def __init__(self, target: Any, dataset: Dataset | None, text: str | None = None) -> None:
        super().__init__(target, text or ("Set dataset" if dataset is not None else "Remove dataset"))
        self.dataset = dataset
        self._old: Dataset | None = None

    def redo(self) -> None:
        self._old = self.graph.dataset
        self.graph.set_dataset(self.dataset)

    def undo(self) -> None:
        self.graph.set_dataset(self._old)
