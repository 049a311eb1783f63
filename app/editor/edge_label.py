"""Edge labels: the debugger's value (above the curve) and gradient (below it), with an optional
heat strip; placed near the middle of the curve, sliding along it to stay clear of nodes."""
from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QStyleOptionGraphicsItem, QWidget

from . import style

HEAT_MAX_CELLS = 64
NODE_TYPE = QGraphicsItem.UserType + 1
CANDIDATES = (0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74, 0.18, 0.82)
GAP = 3.0


def curve_point(p0: QPointF, p1: QPointF, bend: float, t: float) -> tuple[QPointF, tuple[float, float]]:
    """The point at ``t`` of the edge cubic and the unit normal there that points up the screen."""
    c1x, c2x = p0.x() + bend, p1.x() - bend
    mt = 1.0 - t
    a, b, c, d = mt * mt * mt, 3 * mt * mt * t, 3 * mt * t * t, t * t * t
    x = a * p0.x() + b * c1x + c * c2x + d * p1.x()
    y = (a + b) * p0.y() + (c + d) * p1.y()
    tx = 3 * mt * mt * bend + 6 * mt * t * (c2x - c1x) + 3 * t * t * bend
    ty = 6 * mt * t * (p1.y() - p0.y())
    length = math.hypot(tx, ty) or 1.0
    nx, ny = -ty / length, tx / length
    if ny > 0 or (ny == 0 and nx > 0):
        nx, ny = -nx, -ny
    return QPointF(x, y), (nx, ny)


def place_labels(
    p0: QPointF, p1: QPointF, bend: float, labels: list[tuple["EdgeLabelItem", float]], scene: QGraphicsScene | None
) -> None:
    """Put each label beside the curve (sign +1: above, -1: below) near its middle: the first
    spot, going outwards from the middle, where no label covers a node or another edge's label
    (off the curve along its normal, or straight above/below it); when every spot covers
    something, the one covering the least."""
    own = {id(label) for label, _ in labels}
    best = _spots(p0, p1, bend, 0.5, labels, vertical=True)
    if scene is not None:
        best_cost = float("inf")
        for t in CANDIDATES:
            for vertical in (False, True):
                spots = _spots(p0, p1, bend, t, labels, vertical)
                cost = sum(_overlap(scene, label.boundingRect().translated(pos), own) for label, pos in spots)
                if cost < best_cost:
                    best, best_cost = spots, cost
                if cost == 0:
                    break
            if best_cost == 0:
                break
    for label, pos in best:
        label.setPos(pos)


def _spots(p0: QPointF, p1: QPointF, bend: float, t: float, labels: list[tuple["EdgeLabelItem", float]],
           vertical: bool) -> list[tuple["EdgeLabelItem", QPointF]]:
    point, (nx, ny) = curve_point(p0, p1, bend, t)
    if vertical:
        nx, ny = 0.0, -1.0
    spots = []
    for label, sign in labels:
        rect = label.boundingRect()
        reach = abs(nx) * rect.width() / 2 + abs(ny) * rect.height() / 2 + GAP
        spots.append((label, QPointF(point.x() + sign * nx * reach, point.y() + sign * ny * reach)))
    return spots


def _overlap(scene: QGraphicsScene, rect: QRectF, own: set[int]) -> float:
    """How much of ``rect`` covers node bodies (headers, which name the node, count three
    times; other edges' labels twice)."""
    total = 0.0
    for item in scene.items(rect, Qt.ItemSelectionMode.IntersectsItemBoundingRect):
        if item.type() == NODE_TYPE:
            body = item.mapRectToScene(item.body_rect())
            area = rect.intersected(body)
            header = rect.intersected(QRectF(body.left(), body.top(), body.width(), style.HEADER_HEIGHT))
            total += area.width() * area.height() + 2.0 * header.width() * header.height()
        elif isinstance(item, EdgeLabelItem) and id(item) not in own and item.isVisible():
            area = rect.intersected(item.sceneBoundingRect())
            total += 2.0 * area.width() * area.height()
    return total


class EdgeLabelItem(QGraphicsItem):
    """A short text on a small rounded background, centred on its position; optional heat strip."""

    def __init__(self, colour: QColor) -> None:
        super().__init__()
        self.text = ""
        self.heat: QImage | None = None
        self._colour = QColor(colour)
        self._rect = QRectF()
        self.setZValue(3)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self._layout()

    def set_content(self, text: str, heat: QImage | None) -> None:
        if text != self.text or heat is not self.heat:
            self.text, self.heat = text, heat
            self._layout()

    def _layout(self) -> None:
        self.prepareGeometryChange()
        fm = style.metrics("label")
        w = fm.horizontalAdvance(self.text) + 8 if self.text else 0.0
        h = fm.height() + 2 if self.text else 0.0
        if self.heat is not None:
            w = max(w, 48.0)
            h += 8.0 if self.text else 10.0
        self._rect = QRectF(-w / 2, -h / 2, w, h)
        self.update()

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-1, -1, 1, 1)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        if self._rect.isEmpty():
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        border = QColor(self._colour)
        border.setAlpha(90)
        painter.setPen(QPen(border, 0.8))
        painter.setBrush(QColor(255, 255, 255, 235))
        painter.drawRoundedRect(self._rect, 4.0, 4.0)
        text_rect = QRectF(self._rect)
        if self.heat is not None:
            strip = QRectF(self._rect.left() + 4, self._rect.bottom() - (9.0 if self.text else 8.0), self._rect.width() - 8, 5.0)
            if not self.text:
                strip = self._rect.adjusted(4, 2.5, -4, -2.5)
            painter.drawImage(strip, self.heat)
            text_rect.setBottom(strip.top())
        if self.text:
            painter.setFont(style.font("label"))
            painter.setPen(self._colour)
            painter.drawText(text_rect, Qt.AlignmentFlag.AlignCenter, self.text)


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
