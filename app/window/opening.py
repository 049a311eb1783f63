"""The window before it is built: what the launcher paints first, before NumPy and the engine load.

:meth:`MainWindow.opening <app.window.main_window.MainWindow.opening>` makes the window the user
keeps, with its title, saved size and place, the menu bar's names (greyed) and a
:class:`Placeholder` in the middle; once the placeholder has painted, the launcher builds the rest
into the same window (:mod:`app.window.launch`). Only Qt is imported here.

The first paint is noticed by the placeholder's own ``paintEvent``, not by an event filter: a
Python event filter sees every event of the window, and each new kind of event it is handed costs
PySide the making of its Python class, tens of milliseconds before the first paint in all.
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QTimer
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QLabel

PLACEHOLDER = "openingPlaceholder"  # its object name, for the style sheet


class Placeholder(QLabel):
    """The centre of the window while it is built: ``text`` ("Opening mazur.json…"), centred by the
    style sheet (``QLabel#openingPlaceholder``: Qt's namespace of flags is not loaded yet). After
    its first paint, on the event loop's next turn (the painted window is on the screen by then),
    it calls ``then`` (set by the launcher; the window it builds drops the placeholder)."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.setObjectName(PLACEHOLDER)
        self.then: Callable[[], object] | None = None
        self._painted = False

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted and self.then is not None:
            self._painted = True
            QTimer.singleShot(0, self.then)
