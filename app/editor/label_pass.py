"""The canvas's label pass: after a burst of changes, every edge whose labels changed or moved
(and every label a grown or moved node now covers) finds its place.

The pass is a posted event of normal priority: it runs once the current event is done and
before the view's repaint (a low-priority event), so labels are drawn where they belong. It
places at most SLICE edges at a time (so a step on a wide graph costs about the same as on a
small one): those inside (or near) a view's visible area first, of those the latest burst's
before older ones, the nearest the view's middle first (a slice then reads a small
neighbourhood of the scene). The rest wait, beside the middle of their curves, for a timer
that places them slice by slice while the window stays responsive (in sight first again after
every scroll or zoom). Whatever renders the whole scene (an export, step images, a lesson
page, a screenshot) first calls :meth:`LabelPass.run`, which places everything that waits in
the order of the edges' keys; without a shown view the same steps give the same picture.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QRectF, Qt, QTimer

from app.editor import label_layout
from app.editor.edge_label import EdgeLabelItem
from app.editor.host import SceneHost

if TYPE_CHECKING:
    from app.editor.edge_item import EdgeItem

PASS_EVENT = QEvent.Type(QEvent.registerEventType())
SLICE = 4  # edges placed at once before the event loop gets control back (5–10 ms each)
SLICE_PAUSE = 10  # ms between slices: repaints and input come in between
NEAR = 200.0  # scene units around a view's visible area that count as visible


class LabelPass(QObject):
    """Collects what changed and lays the labels out when the event loop gets to it."""

    def __init__(self, scene: SceneHost) -> None:
        super().__init__(scene)
        self.scene = scene
        self._edges: set[tuple[str, str]] = set()
        self._areas: list[QRectF] = []
        self._backlog: set[tuple[str, str]] = set()  # left over from earlier slices
        self._posted = False
        self.placed_last = 0  # how many edges the last pass or slice placed
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SLICE_PAUSE)
        self._timer.timeout.connect(self.run_slice)

    def edge_changed(self, edge: "EdgeItem") -> None:
        self._edges.add(edge.key)
        self._post()

    def area_changed(self, rect: QRectF) -> None:
        """A node now covers ``rect``: labels there look for another place."""
        self._areas.append(rect)
        self._post()

    def view_changed(self) -> None:
        """A view scrolled, zoomed or resized: labels now in sight are placed first."""
        if self.pending():
            self._timer.start()

    def pending(self) -> bool:
        return bool(self._edges or self._areas or self._backlog)

    def _post(self) -> None:
        if not self._posted:
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
        self._place(self._waiting()[0])

    def run_slice(self) -> None:
        """Lay out up to SLICE waiting edges, the visible ones first and of those the latest
        burst's before the backlog; a timer takes the rest."""
        waiting, backlog = self._waiting()
        visible = self._visible_area()
        if visible is not None:
            centre = visible.center()

            def priority(edge: "EdgeItem") -> tuple[bool, bool, float]:
                rect = edge.sceneBoundingRect()
                away = rect.center() - centre
                return not rect.intersects(visible), edge.key in backlog, abs(away.x()) + abs(away.y())

            waiting.sort(key=priority)  # stable: equal priorities keep the order of their keys
        self._place(waiting[:SLICE])
        self._backlog = {edge.key for edge in waiting[SLICE:]}
        if self._backlog:
            self._timer.start()

    def _waiting(self) -> tuple[list["EdgeItem"], set[tuple[str, str]]]:
        """The edges waiting to be placed, in the order of their keys, and the keys of those left
        from earlier slices (the waiting lists are emptied)."""
        scene = self.scene
        backlog = self._backlog - self._edges
        keys = self._edges | self._backlog
        for area in self._areas:
            for found in scene.items(area, Qt.ItemSelectionMode.IntersectsItemBoundingRect):
                if isinstance(found, EdgeLabelItem) and found.owner is not None:
                    keys.add(found.owner.key)
        self._edges, self._areas, self._backlog = set(), [], set()
        return [edge for edge in (scene.edge_item(*key) for key in sorted(keys)) if edge is not None], backlog

    def _visible_area(self) -> QRectF | None:
        """What the shown views of the scene show, with a margin (None when no view is shown)."""
        area: QRectF | None = None
        for view in self.scene.views():
            if view.isVisible():
                shown = view.mapToScene(view.viewport().rect()).boundingRect()
                area = shown if area is None else area.united(shown)
        return None if area is None else area.adjusted(-NEAR, -NEAR, NEAR, NEAR)

    def _place(self, edges: list["EdgeItem"]) -> None:
        self.placed_last = len(edges)
        if not edges:
            return
        waiting = {id(label) for edge in edges for label in edge.label_items()}
        index = label_layout.index_around(self.scene, [edge.sceneBoundingRect() for edge in edges], waiting)
        for edge in edges:
            label_layout.place(edge, self.scene, index)
