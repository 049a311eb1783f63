"""Collapse a layer drawn as its neurons (by :mod:`core.rewrite.neurons`) back into one Affine.

The entries' current values are written into the matrix and the bias, the nodes the expansion
moved go back, and nodes and edges return to their order before the expansion. Pure: a new
graph is returned and the given one is left alone.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from core.graph import Graph
from core.rewrite.apply import copy_graph
from core.rewrite.neurons import RewriteError, expansion_of


def collapse(graph: Graph, node: str) -> Graph:
    """``graph`` with the expanded layer that ``node`` belongs to (the layer's id, or any node
    the expansion made) brought back as one Affine, its matrix holding the entries' values.
    Layers expanded later on top of it are collapsed first."""
    g = copy_graph(graph)
    _collapse(g, _find(g, node))
    return g


def _find(g: Graph, node: str) -> dict[str, Any]:
    e = expansion_of(g, node)
    if e is None:
        raise RewriteError(f"{node} is not part of a layer expanded into neurons")
    return e


def _collapse(g: Graph, e: dict[str, Any]) -> None:
    made = set(e["created"])
    later = g.expansions[g.expansions.index(e) + 1:]
    for f in reversed(later):
        if f in g.expansions and any(x.src in made and x.dst in f["created"] for x in g.edges):
            _collapse(g, f)
    consumers = [(x.dst, x.port) for x in g.consumers(e["output"]) if x.dst not in made]
    values = {n["id"]: np.array(n["value"], dtype=float) for n in e["removed"]["nodes"] if "value" in n}
    for sid, mid, index in e["entries"]:
        if sid in g.nodes and g.nodes[sid].value is not None:
            values[mid][tuple(index)] = g.nodes[sid].value
    present = [n for n in e["created"] if n in g.nodes]
    for node_id in present:  # edges first: removing a node with no edges left does not search them all
        for port, src in zip(g.nodes[node_id].inputs, g.sources(node_id)):
            if src is not None:
                g.disconnect(node_id, port)
        for edge in g.consumers(node_id):
            g.disconnect(edge.dst, edge.port)
    for node_id in present:
        g.remove_node(node_id)
    for data in e["removed"]["nodes"]:
        if data["id"] in g.nodes:
            raise RewriteError(f"cannot collapse {e['layer']}: a node {data['id']!r} exists already")
        g.add_node(data["op"], data["id"], attrs=data["attrs"], pos=tuple(data["pos"]), value=values.get(data["id"]))
    for src, dst, port in e["removed"]["edges"]:
        if src in g.nodes and dst in g.nodes and g.edge_into(dst, port) is None:
            g.connect(src, dst, port)
    for dst, port in consumers:
        if g.edge_into(dst, port) is None:
            g.connect(e["output"], dst, port)
    for node_id, old, new in e["moved"]:
        node = g.nodes.get(node_id)
        if node is not None:
            back = tuple(old) if node.pos == tuple(new) else (node.pos[0] - new[0] + old[0], node.pos[1])
            g.move_node(node_id, back)
    _arrange(g, e["order"], e["edge_order"])
    g.expansions.remove(e)


def _arrange(g: Graph, order: list[str], edge_order: list[list[str]]) -> None:
    """Nodes and edges in their order before the expansion; any made since come after."""
    rank = {n: i for i, n in enumerate(order)}
    now = {n: i for i, n in enumerate(g.nodes)}
    nodes = sorted(g.nodes, key=lambda n: (rank.get(n, len(rank)), now[n]))
    edge_rank = {tuple(x): i for i, x in enumerate(edge_order)}
    current = {x: i for i, x in enumerate(g.edges)}
    edges = sorted(current, key=lambda x: (edge_rank.get((x.src, x.dst, x.port), len(edge_rank)), current[x]))
    g.arrange(nodes, edges)
