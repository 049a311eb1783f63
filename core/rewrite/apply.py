"""Copy a graph, and turn a live graph into a rewritten one edit by edit.

A rewrite works on a copy (:func:`copy_graph`); :func:`restructure` then makes the live graph
equal to the result with the graph's own edits, each announced by its event, and puts nodes
and edges in the result's order, so saving gives the same bytes as saving the result.
"""
from __future__ import annotations

import copy
from typing import Any

import numpy as np

from core.graph import Edge, Graph


def copy_graph(graph: Graph) -> Graph:
    """A new graph with the same nodes, edges, values, dataset, settings and expansions.

    Value arrays are shared (the engine never writes one in place); attributes are copied."""
    out = graph.copy()
    out.expansions = copy.deepcopy(graph.expansions)
    out.references = copy.deepcopy(graph.references)
    out.exercise = copy.deepcopy(graph.exercise)
    return out


def restructure(graph: Graph, target: Graph) -> None:
    """Make ``graph``'s nodes, edges, values, positions, objective and expansions those of ``target``."""
    wanted = {(e.src, e.dst, e.port) for e in target.edges}
    for edge in graph.edges:
        if (edge.src, edge.dst, edge.port) not in wanted:
            graph.disconnect(edge.dst, edge.port)
    for node_id, node in list(graph.nodes.items()):
        other = target.nodes.get(node_id)
        if other is None or other.op_type != node.op_type:
            graph.remove_node(node_id)
    for node_id, other in target.nodes.items():
        if node_id not in graph.nodes:
            graph.add_node(other.op_type, node_id, attrs=dict(other.attrs), pos=other.pos, value=other.value)
            if other.value is not None:
                graph.set_value(node_id, other.value)
            continue
        node = graph.nodes[node_id]
        for name, value in other.attrs.items():
            if node.attrs.get(name) != value:
                graph.set_attr(node_id, name, value)
        if other.value is not None and not _same(node.value, other.value):
            graph.set_value(node_id, other.value)
        if node.pos != other.pos:
            graph.move_node(node_id, other.pos)
    have = {(e.src, e.dst, e.port) for e in graph.edges}
    for edge in target.edges:
        if (edge.src, edge.dst, edge.port) not in have:
            graph.connect(edge.src, edge.dst, edge.port)
    graph.arrange(list(target.nodes), [Edge(e.src, e.dst, e.port) for e in target.edges])
    if graph.objective != target.objective:
        graph.set_objective(target.objective)
    graph.expansions = copy.deepcopy(target.expansions)


def _same(a: Any, b: Any) -> bool:
    """The same array object, or equal bits and shape (a value kept needs no event)."""
    if a is b:
        return True
    x, y = np.asarray(a), np.asarray(b)
    return x.shape == y.shape and x.dtype == y.dtype and x.tobytes() == y.tobytes()
