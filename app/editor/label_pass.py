"""The canvas's label pass: after a burst of changes, every edge whose labels changed or moved
(and every label a grown or moved node now covers) finds its place, in the order of the edges'
keys, so the same steps always give the same picture.

The pass is a posted event of normal priority: it runs once the current event is done and
before the view's repaint (a low-priority event), so labels are drawn where they belong.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QRectF, Qt

from app.editor import label_layout
from app.editor.edge_label import EdgeLabelItem
from app.editor.host import SceneHost

if TYPE_CHECKING:
    from app.editor.edge_item import EdgeItem

PASS_EVENT = QEvent.Type(QEvent.registerEventType())


class LabelPass(QObject):
    """Collects what changed and lays the labels out once, when the event loop gets to it."""

    def __init__(self, scene: SceneHost) -> None:
        super().__init__(scene)
        self.scene = scene
        self._edges: set[tuple[str, str]] = set()
        self._areas: list[QRectF] = []
        self._posted = False

    def edge_changed(self, edge: "EdgeItem") -> None:
        self._edges.add(edge.key)
        self._post()

    def area_changed(self, rect: QRectF) -> None:
        """A node now covers ``rect``: labels there look for another place."""
        self._areas.append(rect)
        self._post()

    def pending(self) -> bool:
        return bool(self._edges or self._areas)

    def _post(self) -> None:
        if not self._posted:
            self._posted = True
            QCoreApplication.postEvent(self, QEvent(PASS_EVENT))

    def event(self, event: QEvent) -> bool:
        if event.type() == PASS_EVENT:
            self.run()
            return True
        return super().event(event)

    def run(self) -> None:
        """Lay out now what is pending (nothing when nothing changed)."""
        self._posted = False
        if not self.pending():
            return
        scene = self.scene
        keys = set(self._edges)
        for area in self._areas:
            for found in scene.items(area, Qt.ItemSelectionMode.IntersectsItemBoundingRect):
                if isinstance(found, EdgeLabelItem) and found.owner is not None:
                    keys.add(found.owner.key)
        self._edges.clear()
        self._areas.clear()
        edges = [edge for edge in (scene.edge_item(*key) for key in sorted(keys)) if edge is not None]
        waiting = {id(label) for edge in edges for label in edge.label_items()}
        index = label_layout.index_around(scene, [edge.sceneBoundingRect() for edge in edges], waiting)
        for edge in edges:
            label_layout.place(edge, scene, index)
