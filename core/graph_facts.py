"""What validation and the Program read of a graph's structure, read once per build.

Each node's op (a registry lookup), its input ports and the node feeding each port, and the
topological order: :func:`core.validation.check` and :class:`core.program.Program` both walk
them several times, and asking the graph each time (``Node.op``, ``Graph.sources``,
``Graph.partial_order``) cost more than the walks themselves on a graph of thousands of nodes.
A :class:`GraphFacts` is a snapshot: made from the graph as it is, never updated.
"""
from __future__ import annotations

from dataclasses import dataclass

from core.graph import Graph
from core.ops import Op, get_op
from core.topology import reached


@dataclass(frozen=True)
class GraphFacts:
    ops: dict[str, Op]  # node → its op, in the graph's node order
    ports: dict[str, tuple[str, ...]]  # node → its input ports (``Node.inputs``)
    feeds: dict[str, list[str | None]]  # node → the node feeding each port (``Graph.sources``)
    order: list[str]  # the nodes a topological order can hold (``Graph.partial_order``)
    cyclic: list[str]  # the nodes left over: in or behind a cycle

    def ancestors(self, node_id: str) -> set[str]:
        """Every node feeding ``node_id``, directly or not (``Graph.ancestors``)."""
        return reached([node_id], self.feeds.__getitem__)

    def objective_id(self, graph: Graph) -> str | None:
        """``graph.objective_id()`` with the ops already looked up."""
        if graph.objective is not None:
            return graph.objective
        losses = [n for n, op in self.ops.items() if op.is_loss]
        if len(losses) == 1:
            return losses[0]
        if not losses:
            sinks = graph.sinks()
            if len(sinks) == 1:
                return sinks[0]
        return None


def read_facts(graph: Graph) -> GraphFacts:
    """The facts of ``graph`` as it is now."""
    ops: dict[str, Op] = {}
    ports: dict[str, tuple[str, ...]] = {}
    feeds: dict[str, list[str | None]] = {}
    edge_into = graph.edge_into
    for node_id, node in graph.nodes.items():
        op = get_op(node.op_type)
        ins = op.ports(node.attrs)
        ops[node_id], ports[node_id] = op, ins
        feeds[node_id] = [e.src if (e := edge_into(node_id, p)) is not None else None for p in ins]
    order, cyclic = graph.partial_order()
    return GraphFacts(ops, ports, feeds, order, cyclic)
