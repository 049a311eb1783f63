"""A word-wrapped label that is never cut: it asks its layout for the height its text needs at its width.

A form or box layout sizes a wrapped QLabel from a height computed at another width (its size
hint's), so at the width it finally gets, the last lines fall outside it. This label sets its
minimum height to ``heightForWidth(width())`` whenever its width or text changes; the layout then
gives it that room (and the inspector scrolls if the room is not there).
"""
from __future__ import annotations

from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QWidget


class WrapLabel(QLabel):
    def __init__(self, text: str = "", parent: QWidget | None = None, shrinks: bool = True) -> None:
        """``shrinks``: new text is measured afresh, so a label whose text got shorter gives its
        room back (False: the height only grows, the old behaviour)."""
        self.shrinks = False
        super().__init__(text, parent)
        self.shrinks = shrinks
        self.setWordWrap(True)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt's name)
        super().setText(text)
        if self.shrinks and self.width() > 0 and self.minimumHeight():
            self.setMinimumHeight(0)  # Qt's height for a width is never below the minimum: measure afresh
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        if self.width() <= 0:
            return
        needed = self.heightForWidth(self.width())
        if needed > 0 and needed != self.minimumHeight():
            self.setMinimumHeight(needed)
