"""Edge labels: the debugger's value (above the curve) or gradient (below it), with an optional
heat strip. A small matrix is written one row per line, so a label stays narrow enough for the
space between two columns of nodes. Where a label goes is decided by ``label_layout``."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Protocol

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsSceneHoverEvent, QStyleOptionGraphicsItem, QWidget

from app.editor import style
from app.editor.extent import HANGING

HEAT_MAX_CELLS = 64
MAX_LINES = 4  # a matrix with more rows stays on one line
SPLIT_WIDTH = 90.0  # a matrix narrower than this stays on one line
Z_LABEL, Z_HOT = 3.0, 4.0
_ROW_BREAK = re.compile(r"(?<=\],) (?=\[)|(?<=;) ")


class LabelOwner(Protocol):
    """What a label knows of its edge: which edge it is (``key``: destination and port), and how
    to light it up while the pointer is over the label."""

    @property
    def key(self) -> tuple[str, str]: ...

    def set_hover(self, hover: bool) -> None: ...


def matrix_rows(text: str, max_rows: int = MAX_LINES) -> list[str]:
    """The rows of a small matrix written as ``[[a, b], [c, d]]`` or ``[a b; c d]`` (each keeps
    its punctuation); ``[text]`` for anything else, or for a matrix of more than ``max_rows`` rows."""
    parts = _ROW_BREAK.split(text)
    return parts if 2 <= len(parts) <= max_rows else [text]


def label_lines(text: str) -> list[str]:
    """``text`` as the lines a label shows: one per row of a small matrix (``[[a, b], [c, d]]``
    or ``[a b; c d]``), otherwise one line."""
    parts = matrix_rows(text)
    if len(parts) < 2 or style.text_width("label", text) <= SPLIT_WIDTH:
        return [text] if text else []
    return [parts[0]] + [" " + part for part in parts[1:]]


class EdgeLabelItem(QGraphicsItem):
    """A short text on a small rounded background, centred on its position; optional heat strip.

    ``owner`` is the edge it belongs to (None for a label of the debugger's output arrow):
    hovering the label highlights that edge, and a highlighted edge highlights its labels.
    """

    def __init__(self, colour: QColor, owner: LabelOwner | None = None, text: str = "",
                 heat: QImage | None = None) -> None:
        super().__init__()
        self.text = text
        self.heat = heat
        self.owner = owner
        self.hot = False
        self._lines: list[str] = []
        self._colour = QColor(colour)
        self._rect = QRectF()
        self.setZValue(Z_LABEL)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setAcceptHoverEvents(owner is not None)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        if owner is None:  # it hangs under a node: the canvas's extent measures that node at every question
            HANGING.add(self)
        self._layout()

    def set_content(self, text: str, heat: QImage | None) -> None:
        if text != self.text or heat is not self.heat:
            self.text, self.heat = text, heat
            self._layout()

    def lines(self) -> list[str]:
        return list(self._lines)

    def set_hot(self, hot: bool) -> None:
        """Highlighted with its edge: a stronger border in the edge's hover colour, on top."""
        if hot != self.hot:
            self.hot = hot
            self.setZValue(Z_HOT if hot else Z_LABEL)
            self.update()

    def _layout(self) -> None:
        self.prepareGeometryChange()
        lines, w, h = _text_box(self.text)
        self._lines = list(lines)
        if self.heat is not None:
            w = max(w, 48.0)
            h += 8.0 if self._lines else 10.0
        self._rect = QRectF(-w / 2, -h / 2, w, h)
        self.update()

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-1, -1, 1, 1)

    def hoverEnterEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        if self.owner is not None:
            self.owner.set_hover(True)

    def hoverLeaveEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        if self.owner is not None:
            self.owner.set_hover(False)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        if self._rect.isEmpty():
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self.hot:
            painter.setPen(QPen(style.EDGE_HOVER, 1.6))
        else:
            border = QColor(self._colour)
            border.setAlpha(90)
            painter.setPen(QPen(border, 0.8))
        painter.setBrush(QColor(255, 255, 255, 240))
        painter.drawRoundedRect(self._rect, 4.0, 4.0)
        text_rect = self._rect.adjusted(4, 1, -4, -1)
        if self.heat is not None:
            strip = QRectF(self._rect.left() + 4, self._rect.bottom() - (9.0 if self._lines else 8.0),
                           self._rect.width() - 8, 5.0)
            if not self._lines:
                strip = self._rect.adjusted(4, 2.5, -4, -2.5)
            painter.drawImage(strip, self.heat)
            text_rect.setBottom(strip.top())
        if self._lines:
            painter.setFont(style.font("label"))
            painter.setPen(self._colour)
            align = Qt.AlignmentFlag.AlignVCenter | (
                Qt.AlignmentFlag.AlignLeft if len(self._lines) > 1 else Qt.AlignmentFlag.AlignHCenter)
            painter.drawText(text_rect, align, "\n".join(self._lines))


@lru_cache(maxsize=4096)  # a fanned-out value writes the same text on many edges
def _text_box(text: str) -> tuple[tuple[str, ...], float, float]:
    """The lines of a label's ``text`` and the width and height of its box (0 × 0 without text)."""
    lines = tuple(label_lines(text))
    if not lines:
        return lines, 0.0, 0.0
    fm = style.metrics("label")
    return lines, max(fm.horizontalAdvance(line) for line in lines) + 8, fm.height() * len(lines) + 2


def heat_image(values: np.ndarray) -> QImage | None:
    """A 1-row image of up to HEAT_MAX_CELLS cells: white at 0, red positive, blue negative."""
    flat = values.reshape(-1)
    if flat.size == 0:
        return None
    if flat.size > HEAT_MAX_CELLS:
        flat = flat[np.linspace(0, flat.size - 1, HEAT_MAX_CELLS).astype(int)]
    finite = np.where(np.isfinite(flat), flat, 0.0)
    scale = float(np.max(np.abs(finite))) or 1.0
    image = QImage(flat.size, 1, QImage.Format.Format_RGB32)
    for i, v in enumerate(finite / scale):
        a = min(1.0, abs(float(v)))
        fade = int(255 * (1 - a))
        colour = QColor(255, fade, fade) if v >= 0 else QColor(fade, fade, 255)
        image.setPixelColor(i, 0, colour)
    return image
