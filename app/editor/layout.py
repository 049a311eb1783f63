"""Auto-layout: columns left to right by depth, nodes in a column ordered to reduce crossings.

The depth of a node is the longest path from a node without inputs; a leaf (Input, Constant,
Parameter) moves to the column just before its nearest consumer. Columns are ordered by
barycentre sweeps (forwards by the sources' ranks, backwards by the consumers' ranks and port
order). Then each node is placed so its inputs line up with their sources' outputs (leaves:
their output with the inputs they feed), stacked without overlap.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, Mapping

from app.editor import style
from core.graph import Graph

COLUMN_GAP = 170.0  # room between columns for an edge's label: a 3-vector's (~150) and a port's clearance
ROW_GAP = 30.0
SWEEPS = 4


@dataclass(frozen=True)
class Box:
    """A node's size and where its ports sit (y offsets from its top)."""

    width: float = style.NODE_MIN_WIDTH
    height: float = 70.0
    out_y: float = style.HEADER_HEIGHT + 0.5 * style.ROW_HEIGHT
    in_y: Mapping[str, float] = field(default_factory=dict)

    def input_y(self, port: str, index: int) -> float:
        return self.in_y.get(port, style.HEADER_HEIGHT + (index + 1.5) * style.ROW_HEIGHT)


def box_of(item: Any) -> Box:
    """The Box of a node item (app.editor.node_item.NodeItem) as the canvas draws it."""
    body = item.body_rect()
    return Box(body.width(), body.height(), item.output.y(), {name: port.y() for name, port in item.inputs.items()})


def measured_boxes(graph: Graph) -> dict[str, Box] | None:
    """The boxes of ``graph``'s nodes as the canvas will draw them (their names and values make
    them wider and taller than a Box's defaults); None where the canvas's fonts cannot measure
    them: without a GUI application, or off its thread (a file read on a worker)."""
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is None or threading.current_thread() is not threading.main_thread():
        return None
    from app.editor.node_item import NodeItem

    return {node_id: box_of(NodeItem(node)) for node_id, node in graph.nodes.items()}


def depths(graph: Graph) -> dict[str, int]:
    """Column of every node (raises core.graph.GraphError on a cycle)."""
    order = graph.topological_order()
    preds, succs = _neighbours(graph)
    depth: dict[str, int] = {}
    for n in order:
        depth[n] = 1 + max((depth[p] for p, _ in preds[n]), default=-1)
    for n in reversed(order):
        if not preds[n] and succs[n]:
            depth[n] = max(0, min(depth[s] for s, _ in succs[n]) - 1)
    return depth


def _neighbours(graph: Graph) -> tuple[dict[str, list[tuple[str, str]]], dict[str, list[tuple[str, str]]]]:
    """For each node: (source, own port) pairs, and (consumer, consumer's port) pairs."""
    preds: dict[str, list[tuple[str, str]]] = {n: [] for n in graph.nodes}
    succs: dict[str, list[tuple[str, str]]] = {n: [] for n in graph.nodes}
    for e in graph.edges:
        preds[e.dst].append((e.src, e.port))
        succs[e.src].append((e.dst, e.port))
    return preds, succs


def layered_positions(
    graph: Graph, boxes: Mapping[str, Box] | None = None, origin: tuple[float, float] | None = None
) -> dict[str, tuple[float, float]]:
    """Top-left position of every node; ``origin`` (default: the graph's current top-left) is
    where the layout's top-left corner goes."""
    if not graph.nodes:
        return {}
    boxes = boxes or {}
    box = {n: boxes.get(n, Box()) for n in graph.nodes}
    port_index = {n: {p: i for i, p in enumerate(graph.nodes[n].inputs)} for n in graph.nodes}
    depth = depths(graph)
    columns: list[list[str]] = [[] for _ in range(max(depth.values()) + 1)]
    for n in graph.nodes:
        columns[depth[n]].append(n)
    preds, succs = _neighbours(graph)
    _order(columns, preds, succs, port_index)

    top: dict[str, float] = {}

    def in_y(n: str, port: str) -> float:
        return top[n] + box[n].input_y(port, port_index[n][port])

    for column in columns:
        wanted = {n: _mean([top[p] + box[p].out_y - box[n].input_y(port, port_index[n][port])
                            for p, port in preds[n] if p in top]) for n in column}
        _stack(column, wanted, box, top)
    for column in reversed(columns):
        wanted = {n: (_mean([in_y(s, port) - box[n].out_y for s, port in succs[n] if s in top])
                      if not preds[n] else top[n]) for n in column}
        _stack(column, wanted, box, top)

    x, left = 0.0, []
    for column in columns:
        left.append(x)
        x += max((box[n].width for n in column), default=0.0) + COLUMN_GAP
    raw = {n: (left[depth[n]], top[n]) for n in graph.nodes}
    if origin is None:
        origin = (min(node.pos[0] for node in graph.nodes.values()), min(node.pos[1] for node in graph.nodes.values()))
    min_x = min(p[0] for p in raw.values())
    min_y = min(p[1] for p in raw.values())
    return {n: (float(round(origin[0] + p[0] - min_x)), float(round(origin[1] + p[1] - min_y))) for n, p in raw.items()}


def _order(columns: list[list[str]], preds: dict, succs: dict, port_index: dict) -> None:
    """Barycentre sweeps: sort each column by the mean rank of its neighbours on one side."""
    rank = {n: float(i) for column in columns for i, n in enumerate(column)}
    for _ in range(SWEEPS):
        for column in columns[1:]:
            _sort(column, {n: [rank[p] for p, _ in preds[n]] for n in column}, rank)
        for column in reversed(columns[:-1]):
            keys = {n: [rank[s] + (port_index[s][port] + 1) / (len(port_index[s]) + 1) for s, port in succs[n]]
                    for n in column}
            _sort(column, keys, rank)


def _sort(column: list[str], keys: dict[str, list[float]], rank: dict[str, float]) -> None:
    key = {n: (sum(k) / len(k) if k else rank[n]) for n, k in keys.items()}
    index = {n: i for i, n in enumerate(column)}
    column.sort(key=lambda n: (key[n], index[n]))
    for i, n in enumerate(column):
        rank[n] = float(i)


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _stack(column: list[str], wanted: dict[str, float | None], box: Mapping[str, Box], top: dict[str, float]) -> None:
    """Place ``column`` in its order without overlap, as near the wanted tops as possible
    (least squares: isotonic regression on the tops minus the space the nodes above need)."""
    offsets, acc = [], 0.0
    for n in column:
        offsets.append(acc)
        acc += box[n].height + ROW_GAP
    known = [wanted[n] - off for n, off in zip(column, offsets) if wanted[n] is not None]  # type: ignore[operator]
    if not known:
        base = min((top[n] for n in column if n in top), default=0.0)
        for n, off in zip(column, offsets):
            top[n] = base + off
        return
    targets, weights, last = [], [], known[0]
    for n, off in zip(column, offsets):
        if wanted[n] is not None:
            last = wanted[n] - off  # type: ignore[operator]
        targets.append(last)
        weights.append(1.0 if wanted[n] is not None else 1e-6)
    for n, off, z in zip(column, offsets, _isotonic(targets, weights)):
        top[n] = z + off


def _isotonic(values: list[float], weights: list[float]) -> list[float]:
    """The non-decreasing sequence nearest ``values`` in weighted least squares (pool adjacent violators)."""
    blocks: list[list[float]] = []  # [mean, weight, count]
    for v, w in zip(values, weights):
        blocks.append([v, w, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            m2, w2, c2 = blocks.pop()
            m1, w1, c1 = blocks.pop()
            blocks.append([(m1 * w1 + m2 * w2) / (w1 + w2), w1 + w2, c1 + c2])
    out: list[float] = []
    for mean, _, count in blocks:
        out.extend([mean] * int(count))
    return out
