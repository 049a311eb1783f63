"""The canvas's paper: a light grid whose lines thin out as the view zooms out (never closer than
8 pixels), a major line every GRID_MAJOR_EVERY minor ones."""
from __future__ import annotations

import math

from PySide6.QtCore import QLineF, QRectF
from PySide6.QtGui import QPainter, QPen

from app.editor import style


def draw_grid(painter: QPainter, rect: QRectF, scale: float) -> None:
    """Fill ``rect`` (scene units) with the background and its grid, as seen at ``scale``."""
    painter.fillRect(rect, style.BACKGROUND)
    step = style.GRID_STEP
    while step * scale < 8.0:
        step *= style.GRID_MAJOR_EVERY
    major = step * style.GRID_MAJOR_EVERY
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    for spacing, colour in ((step, style.GRID_MINOR), (major, style.GRID_MAJOR)):
        left = math.floor(rect.left() / spacing) * spacing
        top = math.floor(rect.top() / spacing) * spacing
        lines = [QLineF(x, rect.top(), x, rect.bottom()) for x in _range(left, rect.right(), spacing)]
        lines += [QLineF(rect.left(), y, rect.right(), y) for y in _range(top, rect.bottom(), spacing)]
        painter.setPen(QPen(colour, 0))
        painter.drawLines(lines)


def _range(start: float, stop: float, step: float) -> list[float]:
    count = int((stop - start) / step) + 1
    return [start + i * step for i in range(max(0, count))]
