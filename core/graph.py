"""The computational graph: nodes with named input ports and one output, edges, parameters.

The graph is the model every view follows: each change is announced by an :class:`Event`
named in the past tense. It never computes values; :mod:`core.program` does.
"""
from __future__ import annotations

import re
from typing import Any, Iterable

from core.data.dataset import Dataset
from core.events import Event
from core.graph_items import (
    ID_RE,
    Edge,
    GraphError,
    Node,
    Problem,
    adopt_value,
    as_value,
    describe_cycles,
    plural_edges,
)
from core.ops import Op, get_op
from core.settings import TrainingSettings
from core.topology import cycle_groups, cycles_reached, kahn, reached

__all__ = ["Edge", "Graph", "GraphError", "Node", "Problem", "adopt_value", "as_value", "describe_cycles",
           "plural_edges"]


class Graph:
    def __init__(self) -> None:
        self.nodes: dict[str, Node] = {}
        self._edges: dict[tuple[str, str], Edge] = {}  # (dst, port) -> edge
        self._outgoing: dict[str, list[Edge]] = {}  # src -> its edges, in the order they were made
        self.dataset: Dataset | None = None
        self.settings = TrainingSettings()
        self.objective: str | None = None  # explicit objective; None: found automatically
        self.name = ""
        self.description = ""
        self.expansions: list[dict[str, Any]] = []  # layers drawn as their neurons (core.rewrite.neurons)
        self.references: list[dict[str, Any]] = []  # published values with their source (core.references)
        self.exercise: dict[str, Any] | None = None  # the steps an exercise asks (core.exercise)
        self.node_added = Event("node_added")  # (node)
        self.node_removed = Event("node_removed")  # (node)
        self.node_moved = Event("node_moved")  # (node)
        self.node_renamed = Event("node_renamed")  # (node, old_id)
        self.edge_added = Event("edge_added")  # (edge)
        self.edge_removed = Event("edge_removed")  # (edge)
        self.attr_changed = Event("attr_changed")  # (node, name)
        self.value_changed = Event("value_changed")  # (node)
        self.settings_changed = Event("settings_changed")  # (settings)
        self.dataset_changed = Event("dataset_changed")  # (dataset)
        self.objective_changed = Event("objective_changed")  # (node id or None)
        self.exercise_changed = Event("exercise_changed")  # (exercise dict or None)
        self.arranged = Event("arranged")  # (): the nodes and edges are in a new order (Graph.arrange)

    # ----------------------------------------------------------------- queries
    @property
    def edges(self) -> list[Edge]:
        return list(self._edges.values())

    def node(self, node_id: str) -> Node:
        try:
            return self.nodes[node_id]
        except KeyError:
            raise GraphError(f"there is no node {node_id!r}") from None

    def edge_into(self, dst: str, port: str) -> Edge | None:
        return self._edges.get((dst, port))

    def edges_of(self, node_id: str) -> list[Edge]:
        return [e for e in self._edges.values() if node_id in (e.src, e.dst)]

    def consumers(self, node_id: str) -> list[Edge]:
        """The edges leaving ``node_id`` (the index makes this proportional to their number)."""
        return list(self._outgoing.get(node_id, ()))

    def sources(self, node_id: str) -> list[str | None]:
        """The node feeding each input port of ``node_id``, in port order (``None``: unconnected)."""
        node = self.node(node_id)
        return [e.src if (e := self._edges.get((node_id, p))) else None for p in node.inputs]

    def parameters(self) -> list[Node]:
        return [n for n in self.nodes.values() if n.is_parameter]

    def check_new_id(self, node_id: str) -> None:
        """Raise ``GraphError`` unless ``node_id`` is well-formed and free."""
        if not ID_RE.match(node_id):
            raise GraphError(f"{node_id!r} is not a valid node id "
                             "(a letter or _, then letters, digits, _ . -, and perhaps an index such as [0,1])")
        if node_id in self.nodes:
            raise GraphError(f"a node {node_id!r} exists already")

    def new_id(self, base: str) -> str:
        base = re.sub(r"[^A-Za-z0-9_]", "", base.lower()) or "node"
        i = 1
        while f"{base}{i}" in self.nodes:
            i += 1
        return f"{base}{i}"

    def resolve_new_node(self, op_type: str, node_id: str | None = None) -> tuple[Op, str]:
        """The op and the id a node added now would get; raises ``GraphError`` when either is refused."""
        try:
            op = get_op(op_type)
        except KeyError as exc:
            raise GraphError(str(exc.args[0])) from None
        node_id = node_id or self.new_id(op.type)
        self.check_new_id(node_id)
        return op, node_id

    def coerce_attr(self, node_id: str, name: str, value: Any) -> Any:
        """The value ``set_attr`` would store for ``name``; raises ``GraphError`` when it is refused."""
        return self._coerce_attr(self.node(node_id).op, node_id, name, value)

    # ------------------------------------------------------------------- edits
    def add_node(
        self,
        op_type: str,
        node_id: str | None = None,
        *,
        attrs: dict[str, Any] | None = None,
        pos: tuple[float, float] = (0.0, 0.0),
        value: Any = None,
    ) -> Node:
        op, node_id = self.resolve_new_node(op_type, node_id)
        merged = op.default_attrs()
        for name, raw in (attrs or {}).items():
            merged[name] = self._coerce_attr(op, node_id, name, raw)
        if op.holds_value:
            value = as_value(0.0 if value is None else value)
        elif value is not None:
            raise GraphError(f"node {node_id!r} ({op.type}) takes no value")
        node = Node(node_id, op.type, merged, (float(pos[0]), float(pos[1])), value)
        self.nodes[node_id] = node
        self.node_added.emit(node)
        return node

    def remove_node(self, node_id: str) -> tuple[Node, list[Edge]]:
        """Remove a node and the edges at it; returns both so an undo can restore them."""
        node = self.node(node_id)
        wired = node_id in self._outgoing or any((node_id, p) in self._edges for p in node.inputs)
        removed = [self.disconnect(e.dst, e.port) for e in self.edges_of(node_id)] if wired else []
        del self.nodes[node_id]
        if self.objective == node_id:
            self.set_objective(None)
        self.node_removed.emit(node)
        return node, removed

    def connect(self, src: str, dst: str, port: str) -> Edge:
        self._check_free_input(src, dst, port)
        if self.would_cycle(src, dst):
            raise GraphError(f"connecting {src} → {dst} would make a cycle")
        edge = Edge(src, dst, port)
        self._insert(edge)
        self.edge_added.emit(edge)
        return edge

    def restore_edges(self, edges: Iterable[Edge]) -> list[Edge]:
        """Add a set of edges at once, in their order (an undo putting back what a deletion took).

        Each edge is checked as :meth:`connect` checks it, except for cycles: the whole set is
        checked once, by one topological pass over the nodes both downstream of a new edge and
        upstream of one (the only place a cycle through one of them can lie), so the cost
        follows that region and not one search per edge. A refused set changes nothing and announces nothing.
        """
        batch = list(edges)
        for i, edge in enumerate(batch):
            try:
                self._check_free_input(edge.src, edge.dst, edge.port)
            except GraphError:
                self._remove_silently(batch[:i])
                raise
            self._insert(edge)
        upstream = {e.src for e in batch}  # the sources and every node feeding one (walked inline: an undo's cost)
        stack = list(upstream)
        while stack:
            node = stack.pop()
            for port in self.nodes[node].inputs:
                fed = self._edges.get((node, port))
                if fed is not None and fed.src not in upstream:
                    upstream.add(fed.src)
                    stack.append(fed.src)
        cycles = cycles_reached({e.dst for e in batch} & upstream, lambda node: [
            e.dst for e in self._outgoing.get(node, ()) if e.dst in upstream], list(self.nodes))
        if cycles:
            self._remove_silently(batch)
            raise GraphError(f"restoring {plural_edges(len(batch))} would make {describe_cycles(cycles)}")
        for edge in batch:
            self.edge_added.emit(edge)
        return batch

    def disconnect(self, dst: str, port: str) -> Edge:
        edge = self._edges.get((dst, port))
        if edge is None:
            raise GraphError(f"input {dst}.{port} is not connected")
        self._remove_silently([edge])
        self.edge_removed.emit(edge)
        return edge

    def _check_free_input(self, src: str, dst: str, port: str) -> None:
        """Raise GraphError unless both nodes exist and ``dst.port`` is an input that is free."""
        self.node(src)
        target = self.node(dst)
        if port not in target.inputs:
            ports = ", ".join(target.inputs) or "none"
            raise GraphError(f"{target.label()} has no input {port!r} (inputs: {ports})")
        if (dst, port) in self._edges:
            raise GraphError(f"input {dst}.{port} is connected already (to {self._edges[(dst, port)].src})")

    def _insert(self, edge: Edge) -> None:
        self._edges[(edge.dst, edge.port)] = edge
        self._outgoing.setdefault(edge.src, []).append(edge)

    def _remove_silently(self, edges: list[Edge]) -> None:
        """Take ``edges`` (all in the graph) out of both indexes, announcing nothing."""
        for edge in reversed(edges):
            del self._edges[(edge.dst, edge.port)]
            out = self._outgoing[edge.src]
            out.remove(edge)
            if not out:
                del self._outgoing[edge.src]

    def move_node(self, node_id: str, pos: tuple[float, float]) -> None:
        node = self.node(node_id)
        node.pos = (float(pos[0]), float(pos[1]))
        self.node_moved.emit(node)

    def set_attr(self, node_id: str, name: str, value: Any) -> None:
        node = self.node(node_id)
        node.attrs[name] = self._coerce_attr(node.op, node_id, name, value)
        self.attr_changed.emit(node, name)

    def set_value(self, node_id: str, value: Any) -> None:
        """Replace a constant's or parameter's value (the array object is replaced, never written).

        A float array is adopted as it is, so a step back restores the very same object; the
        caller must not write into it afterwards.
        """
        node = self.node(node_id)
        if node.value is None:
            raise GraphError(f"{node.label()} holds no value")
        node.value = adopt_value(value)
        self.value_changed.emit(node)

    def rename_node(self, old_id: str, new_id: str) -> None:
        node = self.node(old_id)
        if new_id == old_id:
            return
        self.check_new_id(new_id)
        self.nodes = {(new_id if k == old_id else k): v for k, v in self.nodes.items()}
        node.id = new_id
        self._edges = {
            (new_id if d == old_id else d, p):
                Edge(new_id if e.src == old_id else e.src, new_id if e.dst == old_id else e.dst, p)
            for (d, p), e in self._edges.items()
        }
        self._outgoing = {}
        for edge in self._edges.values():
            self._outgoing.setdefault(edge.src, []).append(edge)
        if self.objective == old_id:
            self.objective = new_id
        for ref in self.references:  # published values and an exercise's nodes follow their node
            if ref.get("node") == old_id:
                ref["node"] = new_id
        if self.exercise is not None and old_id in self.exercise.get("nodes", []):
            self.exercise["nodes"] = [new_id if n == old_id else n for n in self.exercise["nodes"]]
        self.node_renamed.emit(node, old_id)

    def copy(self) -> "Graph":
        """A new graph with the same nodes (attributes copied, value arrays shared: the engine
        never writes one in place), edges in their order, settings, dataset and objective;
        nobody listens to its events. Cheap: no edge is checked again."""
        out = Graph()
        out.name, out.description = self.name, self.description
        out.settings, out.dataset, out.objective = self.settings, self.dataset, self.objective
        out.nodes = {n: Node(v.id, v.op_type, dict(v.attrs), v.pos, v.value) for n, v in self.nodes.items()}
        out._edges = dict(self._edges)
        out._outgoing = {src: list(edges) for src, edges in self._outgoing.items()}
        return out

    def arrange(self, node_ids: list[str], edges: list[Edge]) -> None:
        """Put the nodes and edges in the given order (the order a saved file lists them in).

        Both lists hold exactly the graph's nodes and edges; nothing else changes."""
        fed = {(e.dst, e.port): e.src for e in edges}  # compared as strings: no Edge hashed (an undo's cost)
        if len(node_ids) != len(self.nodes) or self.nodes.keys() != set(node_ids) or len(edges) != len(self._edges) \
                or fed != {key: e.src for key, e in self._edges.items()}:
            raise GraphError("arrange needs exactly the graph's nodes and edges")
        self.nodes = {n: self.nodes[n] for n in node_ids}
        self._edges = dict(zip(fed, edges))  # fed's keys are in the edges' order
        self._outgoing = {}
        for edge in edges:
            self._outgoing.setdefault(edge.src, []).append(edge)
        self.arranged.emit()

    def set_settings(self, settings: TrainingSettings) -> None:
        self.settings = settings
        self.settings_changed.emit(settings)

    def set_dataset(self, dataset: Dataset | None) -> None:
        self.dataset = dataset
        self.dataset_changed.emit(dataset)

    def set_exercise(self, exercise: dict[str, Any] | None) -> None:
        """Which steps an exercise asks (``core.exercise.ExerciseSpec.to_dict()``), or None."""
        self.exercise = exercise
        self.exercise_changed.emit(exercise)

    def set_objective(self, node_id: str | None) -> None:
        if node_id is not None:
            self.node(node_id)
        self.objective = node_id
        self.objective_changed.emit(node_id)

    @staticmethod
    def _coerce_attr(op: Op, node_id: str, name: str, value: Any) -> Any:
        try:
            return op.attr_spec(name).coerce(value)
        except KeyError:
            raise GraphError(f"{op.type} node {node_id!r} has no attribute {name!r}") from None
        except ValueError as exc:
            raise GraphError(f"node {node_id!r}: {exc}") from None

    # --------------------------------------------------------------- structure
    def would_cycle(self, src: str, dst: str) -> bool:
        """True when an edge src → dst would close a cycle (dst already reaches src)."""
        if src == dst:
            return True
        stack, seen = [dst], {dst}
        while stack:
            for e in self._outgoing.get(stack.pop(), ()):
                if e.dst == src:
                    return True
                if e.dst not in seen:
                    seen.add(e.dst)
                    stack.append(e.dst)
        return False

    def topological_order(self) -> list[str]:
        """Nodes in an order where every edge goes forward; raises GraphError on a cycle."""
        order, cyclic = self.partial_order()
        if cyclic:
            raise GraphError("the graph has " + describe_cycles(self.cycles()))
        return order

    def partial_order(self) -> tuple[list[str], list[str]]:
        """The nodes a topological order can hold, and those left over (in or behind a cycle)."""
        return kahn(self._successors())

    def cycles(self) -> list[list[str]]:
        """The nodes of each cycle (each strongly connected group), in the graph's node order."""
        return cycle_groups(self._successors())

    def _successors(self) -> dict[str, list[str]]:
        return {n: [e.dst for e in self._outgoing.get(n, ())] for n in self.nodes}

    def sinks(self) -> list[str]:
        fed = {e.src for e in self._edges.values()}
        return [n for n in self.nodes if n not in fed and not self.nodes[n].op.is_leaf]

    def objective_id(self) -> str | None:
        """The node whose output the backward pass starts from, or ``None`` when there is none.

        An explicit choice wins; otherwise the only loss node, otherwise the only sink.
        """
        if self.objective is not None:
            return self.objective
        losses = [n for n in self.nodes.values() if n.op.is_loss]
        if len(losses) == 1:
            return losses[0].id
        if not losses:
            sinks = self.sinks()
            if len(sinks) == 1:
                return sinks[0]
        return None

    def ancestors(self, node_id: str) -> set[str]:
        return reached([node_id], self.sources)

    def __repr__(self) -> str:
        return f"<Graph {len(self.nodes)} nodes, {len(self._edges)} edges>"

