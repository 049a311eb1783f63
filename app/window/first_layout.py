"""The window's first size and the docks' first widths: the canvas gets most of the width.

On a screen of at least :data:`SMALLEST` the window takes the available area (up to
:data:`LARGEST`); the docks start narrow, and the canvas gets the rest. Without a real screen
(the offscreen platform reports 800×600) the window is :data:`FALLBACK`. A dock whose content
is wide by nature scrolls it (:func:`narrow_dock_content`) rather than widen its column.
"""
from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget

SMALLEST = QSize(1024, 700)
LARGEST = QSize(1920, 1200)
FALLBACK = QSize(1400, 900)
PALETTE_WIDTH, INSPECTOR_WIDTH = 200, 290  # the docks' first widths (later, as the person left them)


def default_size() -> QSize:
    screen = QGuiApplication.primaryScreen()
    if screen is None:
        return FALLBACK
    area = screen.availableGeometry().size()
    if area.width() < SMALLEST.width() or area.height() < SMALLEST.height():
        return FALLBACK
    return area.boundedTo(LARGEST)


def narrow_dock_content(widget: QWidget) -> QScrollArea:
    """``widget`` in a scroll area: a dock holding it can be as narrow as the docks beside it
    (its content scrolls sideways rather than widening the whole column of docks)."""
    scroll = QScrollArea()
    scroll.setWidget(widget)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    return scroll
