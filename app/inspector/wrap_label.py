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
    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt's name)
        super().setText(text)
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
