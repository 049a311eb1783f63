"""The debugger's canvas drawing that can wait until after the repaint.

A step that changes many items (the first step of a wide graph dims every node and writes every
parameter's value on its edges) draws at once only what is in sight of a shown view (with the
label pass's margin, after the views have scrolled to the current node). The rest waits here,
a prerequisite of the scene's label pass: the pass's timer draws it in slices after the repaint,
so the window repaints and takes input in between. A slice is bounded by time, not by a count:
it draws small batches until BUDGET of work is done, each batch sized by the cost per item
measured so far (250 items a slice took 224–448 ms on a loaded machine), so the event loop gets
control back about every BUDGET whatever the machine's load. Whatever reads or renders
the whole canvas (an export, a screenshot, a scroll or zoom that brings waiting items into
sight) finishes it first.
"""
from __future__ import annotations

import time
from typing import Any, Callable, Iterable

from PySide6.QtCore import QObject, QRectF, Qt

from app.editor.edge_item import EdgeItem
from app.editor.label_pass import visible_area
from app.editor.node_item import NodeItem

EdgeKey = tuple[str, str, str]  # source, destination, port

DEFER_AT = 200  # a refresh of at most this many items draws them all at once
BUDGET = 0.010  # seconds of drawing per slice of the backlog
FIRST_BATCH = 8  # items drawn before anything is measured
MAX_BATCH = 250  # items drawn at once, however cheap they have been


class DrawBacklog(QObject):
    """Nodes and edges whose drawing waits; ``draw(nodes, edges)`` draws them from the current state."""

    def __init__(self, draw: Callable[[list[str], list[EdgeKey]], None], parent: QObject | None = None,
                 clock: Callable[[], float] = time.perf_counter) -> None:
        super().__init__(parent)
        self._draw = draw
        self.clock = clock  # what a slice measures its work with (a test gives one that counts)
        self._per_item = 0.0  # seconds per item drawn, as measured (0: not yet)
        self.drawn_last = 0  # items the last slice drew
        self.nodes: set[str] = set()
        self.edges: set[EdgeKey] = set()
        self._scene: Any = None  # the scene of the last split

    def pending(self) -> bool:
        return bool(self.nodes or self.edges)

    def clear(self) -> None:
        self.nodes, self.edges = set(), set()

    def split(self, scene: Any, nodes: list[str], edges: Iterable[EdgeKey]) -> tuple[list[str], list[EdgeKey]]:
        """Of ``nodes`` and ``edges`` to draw, those to draw now: all of them when they are few
        or no view is shown, else those in sight. The others wait."""
        self._scene = scene
        edges = list(edges)
        area = visible_area(scene) if scene is not None and len(nodes) + len(edges) > DEFER_AT else None
        if area is None:
            now_nodes, now_edges = nodes, edges
        else:
            shown_nodes, shown_edges = _in(scene, area)
            now_nodes = [n for n in nodes if n in shown_nodes]
            now_edges = [e for e in edges if (e[1], e[2]) in shown_edges]
            if len(now_nodes) + len(now_edges) > DEFER_AT:  # a zoomed-out view: the nearest first
                now_nodes, now_edges = _nearest(scene, area, now_nodes, now_edges)
            self.nodes.update(nodes)
            self.edges.update(edges)
        self.nodes.difference_update(now_nodes)
        self.edges.difference_update(now_edges)
        label_pass = getattr(scene, "label_pass", None)
        if self.pending() and label_pass is not None:
            label_pass.wake()
        return now_nodes, now_edges

    def finish(self, area: QRectF | None = None) -> None:
        """Draw now everything that waits (with ``area``: what waits inside it)."""
        nodes, edges = sorted(self.nodes), sorted(self.edges)
        if area is not None and self._scene is not None:
            shown_nodes, shown_edges = _in(self._scene, area)
            nodes = [n for n in nodes if n in shown_nodes]
            edges = [e for e in edges if (e[1], e[2]) in shown_edges]
        self.nodes.difference_update(nodes)
        self.edges.difference_update(edges)
        if nodes or edges:
            self._draw(nodes, edges)

    def draw_slice(self) -> None:
        """Draw the items that wait for about BUDGET seconds (at least one batch), in batches
        sized by the cost per item measured so far."""
        waiting = [(n, None) for n in sorted(self.nodes)] + [(None, e) for e in sorted(self.edges)]
        start = now = self.clock()
        self.drawn_last = 0
        while self.drawn_last < len(waiting) and (self.drawn_last == 0 or now - start < BUDGET):
            count = FIRST_BATCH if self._per_item <= 0 else int((BUDGET - (now - start)) / self._per_item)
            batch = waiting[self.drawn_last:self.drawn_last + max(1, min(MAX_BATCH, count))]
            nodes = [n for n, _ in batch if n is not None]
            edges = [e for _, e in batch if e is not None]
            self.nodes.difference_update(nodes)
            self.edges.difference_update(edges)
            self._draw(nodes, edges)
            before, now = now, self.clock()
            self.drawn_last += len(batch)
            measured = (now - before) / len(batch)
            self._per_item = measured if self._per_item <= 0 else (self._per_item + measured) / 2

def _nearest(scene: Any, area: QRectF, nodes: list[str], edges: list[EdgeKey]) -> tuple[list[str], list[EdgeKey]]:
    """Of ``nodes`` and ``edges`` in sight, the DEFER_AT nearest the middle of ``area`` (where the
    views put the current node); the rest follow in the slices after the repaint."""
    centre = area.center()

    def away(item: Any) -> float:
        d = item.sceneBoundingRect().center() - centre
        return abs(d.x()) + abs(d.y())

    ranked: list[tuple[float, int, Any]] = [(away(scene.node_item(n)), 0, n) for n in nodes]
    ranked += [(away(item), 1, e) for e in edges if (item := scene.edge_item(e[1], e[2])) is not None]
    ranked.sort(key=lambda entry: entry[0])
    chosen = ranked[:DEFER_AT]
    return [n for _, kind, n in chosen if kind == 0], [e for _, kind, e in chosen if kind == 1]


def _in(scene: Any, area: QRectF) -> tuple[set[str], set[tuple[str, str]]]:
    """The ids of the nodes and the keys (destination, port) of the edges inside ``area``, as
    the scene's index finds them."""
    nodes, edges = set(), set()
    for item in scene.items(area, Qt.ItemSelectionMode.IntersectsItemBoundingRect):
        kind = item.type()
        if kind == NodeItem.Type:
            nodes.add(item.node_id)
        elif kind == EdgeItem.Type:
            edges.add(item.key)
    return nodes, edges
