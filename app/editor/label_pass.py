"""The canvas's label pass: after a burst of changes, every edge whose labels changed or moved
(and every label a grown or moved node now covers) finds its place.

The pass is a posted event of normal priority: it runs once the current event is done and
before the view's repaint (a low-priority event), so labels are drawn where they belong. It
places at most SLICE edges at a time (so a step on a wide graph costs about the same as on a
small one): those inside (or near) a view's visible area first, of those the latest burst's
before older ones, the nearest the view's middle first (a slice then reads a small
neighbourhood of the scene). The rest wait, beside the middle of their curves, for a timer
that places them slice by slice while the window stays responsive. They are put in that order
once per burst (and again after a scroll or zoom, in sight first): a slice takes the next ones,
so a pass over n waiting edges sorts them a few times, not n / SLICE times. Whatever renders
the whole scene (an export, step images, a lesson page, a screenshot) first calls
:meth:`LabelPass.run`, which places everything that waits in the order of the edges' keys;
without a shown view the same steps give the same picture.

Other rooms may leave drawing for later too (the debugger draws what a step changed out of
sight after the repaint): they register it with :meth:`LabelPass.add_prerequisite`; the pass's
timer draws it a slice at a time before it places labels, all of it before the pass places
everything, and what a scroll or zoom brings into sight at once. A burst's second slice comes
AFTER_PAINT ms later when a view is shown (the repaint that shows the step comes first; a 10 ms
timer used to fire before it when the first slice took longer), the others SLICE_PAUSE apart.

The timer's slices share one index of the scene (label_index.py) for the next BATCH waiting
edges, made when the first of them is placed and kept while nothing but the pass's own
placements changes the scene (any change it hears of, an edge or node added or removed, drops
it); labels placed earlier that a slice's labels overlap are placed again with it too when it
holds their neighbourhood. A new index is made in a tick of its own, the slice follows in the
next. The first step of a wide graph fanned one value out along long curves whose rectangles
each hold much of the scene: an index made for every slice cost 17 ms a slice at 1,000 nodes,
half of all the pass's work and more with every node.

A timer's slice does not make the shown views repaint straight after it (quiet_views.py): they
repaint REPAINT_EVERY ms on while more slices follow, at once after the last. Labels a
prerequisite's slice changes post no pass (it ran straight after that slice, before the paint):
the timer's next tick places their first slice as that pass would have, so the order of the
work, and where the labels land, is the same.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

import numpy as np
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QRectF, Qt, QTimer

from app.editor import label_layout
from app.editor.edge_label import EdgeLabelItem
from app.editor.host import SceneHost
from app.editor.quiet_views import quiet_views, repaint_later

if TYPE_CHECKING:
    from app.editor.edge_item import EdgeItem

Key = tuple[str, str]  # an edge's key: destination and port

PASS_EVENT = QEvent.Type(QEvent.registerEventType())
SLICE = 4  # edges placed at once before the event loop gets control back (5–10 ms each)
SLICE_PAUSE = 10  # ms between slices (from the end of a repaint): repaints and input come in between
AFTER_PAINT = 60  # ms to a burst's second slice when a shown view is about to repaint (a slice never delays it)
NEAR = 200.0  # scene units around a view's visible area that count as visible
BATCH = 48  # waiting edges one index serves, slice after slice
REPAINT_EVERY = 30  # ms from a timer's slice to the repaint of what it changed, while more slices follow
BATCH_GROWTH = 4.0  # a batch's area stays within this many times its first slice's (an index of a few neighbourhoods)


class Deferred(Protocol):
    """Drawing another room leaves for later (see :meth:`LabelPass.add_prerequisite`)."""

    def pending(self) -> bool: ...

    def draw_slice(self) -> None: ...

    def finish(self, area: QRectF | None) -> None:
        """Draw now what waits inside ``area`` (None: everything)."""


class LabelPass(QObject):
    """Collects what changed and lays the labels out when the event loop gets to it."""

    def __init__(self, scene: SceneHost) -> None:
        super().__init__(scene)
        self.scene = scene
        self._edges: set[Key] = set()  # the latest burst's
        self._areas: list[QRectF] = []
        self._queue: list[Key] = []  # left over from earlier slices, the next to place last
        self._queued: set[Key] = set()  # the same keys, to look them up
        self._ranked_for: QRectF | None = None  # the visible area the queue is in order for
        self._posted = False
        self.placed_last = 0  # how many edges the last pass or slice placed
        self.ranked = 0  # how many times an edge's place was read to put it in order (the work of sorting)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._tick)
        self._prerequisites: list[Deferred] = []
        self._index: label_layout.SceneIndex | None = None  # the timer's slices' index, while valid
        self._index_for: set[Key] = set()  # the edges it was made for
        self._index_area = QRectF()  # the area it holds every item of
        self.indexes_made = 0  # how many indexes the slices made (the work a test counts)
        self._batching = False  # a timer's slice is being placed
        self._drawing = False  # a prerequisite's slice is drawing: its bursts wait for the timer's next tick
        self._held = False  # such a burst waits: the next tick places its first slice, as a posted pass would

    def scene_changed(self) -> None:
        """Something on the scene changed that the index of the timer's slices does not know."""
        self._index, self._index_for = None, set()

    def add_prerequisite(self, work: "Deferred") -> None:
        """Drawing that changes labels and waits: the pass's timer does it a slice at a time
        before placing labels, all of it before the pass places everything, and the part a
        scroll or zoom brings into sight at once."""
        self._prerequisites.append(work)

    def wake(self) -> None:
        """Something waits: its slices follow the next repaint."""
        self._later()

    def _later(self) -> None:
        """Start the timer for the next slice: after the repaint a shown view is about to do
        (AFTER_PAINT ms), else after SLICE_PAUSE."""
        if not self._timer.isActive():
            self._timer.start(AFTER_PAINT if visible_area(self.scene) is not None else SLICE_PAUSE)

    def _tick(self) -> None:
        """One slice of whatever waits (drawing first, then labels); the next SLICE_PAUSE ms on."""
        quiet = quiet_views(self.scene)
        try:
            work = next((work for work in self._prerequisites if work.pending()), None)
            if self._held and (self._edges or self._areas):
                self.run_slice()
            elif work is not None:
                self.scene_changed()
                self._drawing = True
                try:
                    work.draw_slice()
                finally:
                    self._drawing = False
            elif not self._prepare_index():
                self._batching = True
                try:
                    self._place_slice()
                finally:
                    self._batching = False
        finally:
            pause = REPAINT_EVERY if self.pending() else 0
            for view in quiet:
                QTimer.singleShot(pause, view, lambda view=view: repaint_later(view))
        if self.pending():
            self._timer.start(SLICE_PAUSE)

    def _finish_prerequisites(self, area: QRectF | None) -> None:
        self.scene_changed()
        for work in self._prerequisites:
            if work.pending():
                work.finish(area)

    def edge_changed(self, edge: "EdgeItem") -> None:
        self.scene_changed()
        self._edges.add(edge.key)
        self._post()

    def area_changed(self, rect: QRectF) -> None:
        """A node now covers ``rect``: labels there look for another place."""
        self.scene_changed()
        self._areas.append(rect)
        self._post()

    def view_changed(self) -> None:
        """A view scrolled, zoomed or resized: labels now in sight are placed first."""
        area = visible_area(self.scene)
        if area is not None:
            self._finish_prerequisites(area)
        if self.pending():
            self._later()

    def pending(self) -> bool:
        return bool(self._edges or self._areas or self._queued) or any(work.pending() for work in self._prerequisites)

    def _post(self) -> None:
        if self._drawing:
            self._held = True
        elif not self._posted:
            self._posted = True
            QCoreApplication.postEvent(self, QEvent(PASS_EVENT))

    def event(self, event: QEvent) -> bool:
        if event.type() == PASS_EVENT:
            self.run_posted()
            return True
        return super().event(event)

    def run_posted(self) -> None:
        """Run the pass a burst of changes posted, now (a repaint came first)."""
        if self._posted:
            self._posted = False
            self.run_slice()

    def run(self) -> None:
        """Lay out now everything that waits (nothing when nothing changed)."""
        self._timer.stop()
        self._finish_prerequisites(None)
        self._place(self._waiting())
        self.scene_changed()

    def run_slice(self) -> None:
        """Lay out up to SLICE waiting edges, the visible ones first and of those the latest
        burst's before the backlog; a timer takes the rest after the repaint."""
        self._held = False
        self.scene_changed()  # the timer's index does not see these places
        self._place_slice()
        if self.pending():
            self._later()

    def _place_slice(self) -> None:
        """Place the next SLICE waiting edges. The waiting edges are put in order once per burst
        (and again only when the visible area changed): later slices take the next ones. In the
        timer's slices, the index made for the first of the next BATCH edges serves the others."""
        visible = visible_area(self.scene)
        if self._edges or self._areas:
            backlog = self._queued - self._edges
            self._enqueue(self._waiting(), visible, backlog)
        elif self._queue and not _same(visible, self._ranked_for):
            keys = set(self._queue)
            edges = [edge for edge in (self.scene.edge_item(*key) for key in sorted(keys)) if edge is not None]
            self._enqueue(edges, visible, keys)
        self._place(self._take(SLICE))

    def _prepare_index(self) -> bool:
        """Make the index the next slice needs, when it needs a new one and its edges are known
        (nothing waits to be put in order): the slice then follows in the next tick, so neither
        makes the event loop wait for both. True when it made one."""
        if self._edges or self._areas or not _same(visible_area(self.scene), self._ranked_for):
            return False
        keys = self._queue[::-1][:SLICE]
        edges = [edge for edge in (self.scene.edge_item(*key) for key in keys) if edge is not None]
        if not edges or self._index_serves(edges):
            return False
        return self._batch_index(edges) is not None

    def _index_serves(self, edges: list["EdgeItem"]) -> bool:
        """Whether the shared index was made for every one of ``edges``."""
        return self._index is not None and all(edge.key in self._index_for for edge in edges)

    def _batch_index(self, edges: list["EdgeItem"]) -> label_layout.SceneIndex:
        """The index for ``edges`` and the next waiting ones near them (the one made for an
        earlier slice, while it serves them)."""
        if self._index is not None and self._index_serves(edges):
            return self._index
        batch, area = list(edges), QRectF()
        for edge in edges:
            area = area.united(edge.sceneBoundingRect())
        limit = BATCH_GROWTH * _size(area)
        for key in reversed(self._queue[-(BATCH - len(batch)):] if len(batch) < BATCH else []):
            queued = self.scene.edge_item(*key)
            if queued is None:
                continue
            grown = area.united(queued.sceneBoundingRect())
            if _size(grown) > limit:
                break
            batch.append(queued)
            area = grown
        reach = label_layout.reach_of([label for edge in batch for label in edge.label_items()])
        waiting = [label for edge in edges for label in edge.label_items()]
        self._index = label_layout.index_around(self.scene, [area], waiting, reach)
        self._index_for = {edge.key for edge in batch}
        self._index_area = area.adjusted(-reach, -reach, reach, reach)
        self.indexes_made += 1
        return self._index

    def _enqueue(self, edges: list["EdgeItem"], visible: QRectF | None, backlog: set[Key]) -> None:
        """Queue ``edges`` (in the order of their keys) in the order they are placed: with a shown
        view, those in (or near) its visible area first, of those the latest burst's before the
        ``backlog`` for the next slice (after it every edge left is backlog), the nearest the
        middle first, equal ones in the order of their keys."""
        order = list(range(len(edges)))
        if visible is not None:
            self.ranked += len(edges)
            centre = visible.center()
            ranks = []
            for edge in edges:
                rect = edge.sceneBoundingRect()
                away = rect.center() - centre
                ranks.append((not rect.intersects(visible), edge.key in backlog, abs(away.x()) + abs(away.y())))
            order.sort(key=lambda k: ranks[k])  # stable: equal ranks keep the order of their keys
            order[SLICE:] = sorted(order[SLICE:], key=lambda k: (ranks[k][0], ranks[k][2], k))
        self._queue = [edges[k].key for k in reversed(order)]
        self._queued = set(self._queue)
        self._ranked_for = visible

    def _take(self, count: int) -> list["EdgeItem"]:
        """The next ``count`` waiting edges that are still on the scene, out of the queue."""
        taken: list["EdgeItem"] = []
        while self._queue and len(taken) < count:
            key = self._queue.pop()
            self._queued.discard(key)
            edge = self.scene.edge_item(*key)
            if edge is not None:
                taken.append(edge)
        return taken

    def _waiting(self) -> list["EdgeItem"]:
        """The edges waiting to be placed, in the order of their keys (the waiting lists are emptied)."""
        scene = self.scene
        keys = self._edges | self._queued
        for area in self._areas:
            for found in scene.items(area, Qt.ItemSelectionMode.IntersectsItemBoundingRect):
                if isinstance(found, EdgeLabelItem) and found.owner is not None:
                    keys.add(found.owner.key)
        self._edges, self._areas, self._queue, self._queued = set(), [], [], set()
        return [edge for edge in (scene.edge_item(*key) for key in sorted(keys)) if edge is not None]

    def _place(self, edges: list["EdgeItem"]) -> None:
        """Place ``edges``' labels (in a timer's slice, read from the index shared with the next
        slices, which learns where they went); then labels placed earlier where a later one could
        only overlap them find another place around it."""
        self.placed_last = len(edges)
        shared = self._batch_index(edges) if self._batching and edges else None
        for round_ in range(2):
            if not edges:
                return
            waiting = [label for edge in edges for label in edge.label_items()]
            if shared is not None:
                shared.forget(waiting)
            if shared is not None and (round_ == 0 or self._serves(shared, edges, waiting)):
                index = shared
            else:
                self.indexes_made += 1
                index = label_layout.index_around(self.scene, [edge.sceneBoundingRect() for edge in edges], waiting)
            for edge in edges:
                label_layout.place(edge, self.scene, index)
            if index is not shared and shared is not None and waiting:
                shared.add_labels(np.array([_corners(label.sceneBoundingRect()) for label in waiting]), waiting)
            edges = self._overlapped(edges) if round_ == 0 else []

    def _serves(self, index: label_layout.SceneIndex, edges: list["EdgeItem"], labels: list[EdgeLabelItem]) -> bool:
        """Whether ``index`` holds everything placing ``labels`` of ``edges`` reads."""
        r = label_layout.reach_of(labels)
        return index is self._index and all(
            self._index_area.contains(edge.sceneBoundingRect().adjusted(-r, -r, r, r)) for edge in edges)

    def _overlapped(self, edges: list["EdgeItem"]) -> list["EdgeItem"]:
        """The edges placed before one of ``edges`` (in an earlier pass, or earlier in this one)
        with a label that a label of it overlaps (those still waiting for their place will avoid
        it when they get there)."""
        order = {edge.key: k for k, edge in enumerate(edges)}
        found: dict[tuple[str, str], "EdgeItem"] = {}
        for k, edge in enumerate(edges):
            for label in edge.label_items():
                rect = label.sceneBoundingRect()
                for item in self.scene.items(rect, Qt.ItemSelectionMode.IntersectsItemBoundingRect):
                    owner = item.owner if isinstance(item, EdgeLabelItem) else None
                    if (owner is not None and order.get(owner.key, -1) < k and owner.key not in self._queued
                            and owner.key not in self._edges
                            and item.isVisible()
                            and item.sceneBoundingRect().intersects(rect)):
                        found[owner.key] = owner  # type: ignore[assignment]
        return [found[key] for key in sorted(found)]


def _size(rect: QRectF) -> float:
    return rect.width() * rect.height()


def _corners(rect: QRectF) -> tuple[float, float, float, float]:
    return rect.left(), rect.top(), rect.right(), rect.bottom()


def _same(a: QRectF | None, b: QRectF | None) -> bool:
    return a == b if a is not None and b is not None else a is b


def visible_area(scene: SceneHost) -> QRectF | None:
    """What the shown views of ``scene`` show, with a margin of NEAR (None when no view is shown)."""
    area: QRectF | None = None
    for view in scene.views():
        if view.isVisible():
            shown = view.mapToScene(view.viewport().rect()).boundingRect()
            area = shown if area is None else area.united(shown)
    return None if area is None else area.adjusted(-NEAR, -NEAR, NEAR, NEAR)
