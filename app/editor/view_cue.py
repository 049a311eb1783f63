"""A quiet note in the canvas's lower left corner while the first view of a graph shows only part
of it (a graph too wide to fit at the readable zoom opens around its objective): "Part of the
graph is out of view: View ▸ Fit to Graph (F)". It goes once the person zooms, pans or fits, or
a step moves the view; it takes no clicks and covers no node's controls."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

TEXT = "Part of the graph is out of view: View ▸ Fit to Graph (F)"
MARGIN = 8  # pixels from the canvas's lower left corner


class OutOfViewCue(QLabel):
    """The note, a child of the canvas's viewport; :meth:`set_shown` shows or hides it."""

    def __init__(self, viewport: QWidget) -> None:
        super().__init__(TEXT, viewport)
        self.setObjectName("outOfViewCue")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setStyleSheet("QLabel#outOfViewCue { color: #555; background: rgba(255, 255, 255, 225);"
                           " border: 1px solid #c8c8c8; border-radius: 4px; padding: 3px 7px; }")
        self.hide()

    def set_shown(self, shown: bool) -> None:
        if shown:
            self.adjustSize()
            parent = self.parentWidget()
            assert parent is not None
            self.move(MARGIN, parent.height() - self.height() - MARGIN)
        self.setVisible(shown)
