"""The graph's rectangle on the canvas (what Fit to Graph and an undo's framing measure), kept
item by item.

Measuring every node item and every edge label after each undo cost about 8 µs a node (25 ms on
a 3,000-node graph, for an undo that restored 50). The scene tells :class:`Extent` which items
changed (a node added, moved, resized or removed; an edge's labels made, placed, changed or
removed: :func:`touched`); the next question measures only those, and reads each side of the
rectangle from a heap whose outdated entries are dropped when they come to the top. A question
costs about the number of items changed since the last one, not the size of the graph.

Labels that belong to no edge hang under a node (the debugger's output arrow beside the
objective holds two); their room changes them without telling the scene, so the nodes they hang
under (now, and at the last question) are measured again at every question.
"""
from __future__ import annotations

import heapq
import weakref
from typing import Callable, Hashable

import shiboken6
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene

# labels that belong to no edge (EdgeLabelItem registers them as they are made)
HANGING: "weakref.WeakSet[QGraphicsItem]" = weakref.WeakSet()
REBUILD = 3  # the heaps are rebuilt when they hold this many times more entries than there are items
PENDING = 256  # more items told about than this are measured at once, though nobody asked


def touched(item: QGraphicsItem) -> None:
    """``item`` (a node item, an edge item whose labels changed) changed its room on the canvas:
    its scene's extent measures it again at the next question."""
    extent = getattr(item.scene(), "extent", None)
    if isinstance(extent, Extent):
        extent.touch(item)


class Extent:
    """The union of the rectangles ``measure`` gives the items it was told about.

    ``measure(item)`` is the item's rectangle on the scene, or None when it no longer counts
    (removed from the graph); a null rectangle counts as none, as in ``QRectF.united``.
    ``measured`` counts the items measured so far (tests read it).
    """

    def __init__(self, scene: QGraphicsScene, measure: Callable[[Hashable], QRectF | None]) -> None:
        self._scene = scene
        self._measure = measure
        self._rects: dict[Hashable, tuple[float, float, float, float, int]] = {}
        self._dirty: set[Hashable] = set()
        self._hosts: list[Hashable] = []  # the nodes hanging labels were under at the last question
        # left, top, -right, -bottom of every measure, each with its serial and item: the smallest first
        self._sides: tuple[list[tuple[float, int, Hashable]], ...] = ([], [], [], [])
        self._serial = 0
        self.measured = 0

    def touch(self, item: Hashable) -> None:
        self._dirty.add(item)
        if len(self._dirty) > PENDING:  # nobody asks (no view): measure now and then, so that items
            self.rect()  # removed from the canvas are not kept alive

    def rect(self) -> QRectF:
        """The union of every counted item's rectangle (an empty one when none counts)."""
        hosts = self._hanging_hosts()
        dirty, self._dirty = self._dirty.union(hosts, self._hosts), set()
        self._hosts = hosts
        for item in dirty:
            self._update(item)
        if len(self._sides[0]) > REBUILD * len(self._rects) + 64:
            self._rebuild()
        if not self._rects:
            return QRectF()
        left, top, right, bottom = (self._top(heap) for heap in self._sides)
        return QRectF(QPointF(left, top), QPointF(-right, -bottom))

    def held(self, item: Hashable) -> QRectF | None:
        """``item``'s rectangle as last measured (None when it does not count)."""
        entry = self._rects.get(item)
        return None if entry is None else QRectF(QPointF(entry[0], entry[1]), QPointF(entry[2], entry[3]))

    def _update(self, item: Hashable) -> None:
        self.measured += 1
        rect = self._measure(item)
        if rect is None or rect.isNull():
            self._rects.pop(item, None)
            return
        self._serial += 1
        entry = (rect.left(), rect.top(), rect.right(), rect.bottom(), self._serial)
        self._rects[item] = entry
        self._push(item, entry)

    def _push(self, item: Hashable, entry: tuple[float, float, float, float, int]) -> None:
        left, top, right, bottom, serial = entry
        for heap, value in zip(self._sides, (left, top, -right, -bottom), strict=True):
            heapq.heappush(heap, (value, serial, item))

    def _top(self, heap: list[tuple[float, int, Hashable]]) -> float:
        """The heap's smallest value still current (outdated entries are dropped)."""
        while True:
            value, serial, item = heap[0]
            entry = self._rects.get(item)
            if entry is not None and entry[4] == serial:
                return value
            heapq.heappop(heap)

    def _rebuild(self) -> None:
        for heap in self._sides:
            heap.clear()
        for item, entry in self._rects.items():
            self._push(item, entry)

    def _hanging_hosts(self) -> list[Hashable]:
        """The top-level items of this scene that labels belonging to no edge hang under."""
        hosts: list[Hashable] = []
        for label in list(HANGING):
            if shiboken6.isValid(label) and label.scene() is self._scene:
                top = label.topLevelItem()
                if top is not label:
                    hosts.append(top)
        return hosts
