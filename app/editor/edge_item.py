"""An edge on the canvas: a smooth cubic curve from an output port to an input port.

The debugger's labels (forward value above the curve, gradient below it in a second colour)
and an optional heat strip are separate small items placed near the middle of the curve, so
they stay readable above nodes and the grid.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPainterPathStroker, QPen
from PySide6.QtWidgets import (QGraphicsItem, QGraphicsPathItem, QGraphicsScene, QGraphicsSceneHoverEvent,
                               QStyleOptionGraphicsItem, QWidget)

from . import style
from .edge_label import EdgeLabelItem, heat_image, place_labels

WIDTH, HOT_WIDTH = 1.8, 2.8


def _bend(p0: QPointF, p1: QPointF) -> float:
    """How far the control points reach out horizontally (further when the edge runs backwards)."""
    dx = p1.x() - p0.x()
    return max(40.0, abs(dx) * 0.5, min(abs(p1.y() - p0.y()) * 0.3, 120.0) if dx < 0 else 0.0)


def curve_path(p0: QPointF, p1: QPointF) -> QPainterPath:
    """The cubic from an output at ``p0`` to an input at ``p1``: leaves to the right, arrives from the left."""
    bend = _bend(p0, p1)
    path = QPainterPath(p0)
    path.cubicTo(QPointF(p0.x() + bend, p0.y()), QPointF(p1.x() - bend, p1.y()), p1)
    return path


class EdgeItem(QGraphicsItem):
    """The edge ``src → dst.port``; ``set_ends`` places it, the scene calls it when nodes move.

    The item itself has no contents (it is what selection, hover and hit tests see); a child
    QGraphicsPathItem draws the curve in C++, which keeps repainting hundreds of edges cheap.
    """

    Type = QGraphicsItem.UserType + 2

    def __init__(self, src: str, dst: str, port: str) -> None:
        super().__init__()
        self.src, self.dst, self.port = src, dst, port
        self._p0 = QPointF()
        self._p1 = QPointF()
        self._path = QPainterPath()
        self._shape: QPainterPath | None = None
        self._rect = QRectF()
        self._hover = False
        self._thickness = 1.0
        self._curve = QGraphicsPathItem(self)
        self._curve.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self._value_text: str | None = None
        self._grad_text: str | None = None
        self._heat: QImage | None = None
        self._value_label: EdgeLabelItem | None = None
        self._grad_label: EdgeLabelItem | None = None
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents)
        self.setAcceptHoverEvents(True)
        self.setZValue(-1)
        self._apply_pen()

    def type(self) -> int:
        return self.Type

    @property
    def key(self) -> tuple[str, str]:
        return (self.dst, self.port)

    def ends(self) -> tuple[QPointF, QPointF]:
        return QPointF(self._p0), QPointF(self._p1)

    def path(self) -> QPainterPath:
        return self._path

    def set_ends(self, p0: QPointF, p1: QPointF) -> None:
        if p0 == self._p0 and p1 == self._p1 and not self._path.isEmpty():
            return
        self.prepareGeometryChange()
        self._p0, self._p1 = QPointF(p0), QPointF(p1)
        self._path = curve_path(p0, p1)
        self._shape = None
        self._rect = self._path.controlPointRect().adjusted(-6, -6, 6, 6)
        self._curve.setPath(self._path)
        self._place_labels()

    def set_view_scale(self, scale: float) -> None:
        """Thicken the curve when zoomed out, so it stays visible at fit-to-view."""
        thickness = max(1.0, 0.8 / scale) if scale > 0 else 1.0
        if abs(thickness - self._thickness) > 1e-3:
            self._thickness = thickness
            self._apply_pen()

    def _apply_pen(self) -> None:
        hot = self._hover or self.isSelected()
        pen = QPen(style.EDGE_HOVER if hot else style.EDGE, (HOT_WIDTH if hot else WIDTH) * self._thickness)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        self._curve.setPen(pen)

    def midpoint(self) -> QPointF:
        """The curve's middle (the cubic is symmetric, so t = 0.5 is the chord's middle)."""
        return (self._p0 + self._p1) / 2.0

    # ------------------------------------------------------ debugger hooks
    def set_labels(self, value: str | None, grad: str | None) -> None:
        """The forward value above the curve, the gradient below it; ``None`` hides that label."""
        self._value_text, self._grad_text = value, grad
        self._sync_labels()

    def set_heat(self, values: np.ndarray | None) -> None:
        """A tiny heat strip of ``values`` (blue negative, red positive) with the value label."""
        self._heat = None if values is None else heat_image(np.asarray(values, dtype=float))
        self._sync_labels()

    def labels(self) -> tuple[str | None, str | None]:
        return self._value_text, self._grad_text

    def label_items(self) -> list["EdgeLabelItem"]:
        return [label for label in (self._value_label, self._grad_label) if label is not None]

    def _sync_labels(self) -> None:
        show_value = self._value_text is not None or self._heat is not None
        self._value_label = self._label(self._value_label, show_value, style.VALUE_TEXT)
        if self._value_label is not None:
            self._value_label.set_content(self._value_text or "", self._heat)
        self._grad_label = self._label(self._grad_label, self._grad_text is not None, style.GRAD_TEXT)
        if self._grad_label is not None:
            self._grad_label.set_content(self._grad_text or "", None)
        self._place_labels()

    def _label(self, label: "EdgeLabelItem | None", wanted: bool, colour: QColor) -> "EdgeLabelItem | None":
        if not wanted:
            if label is not None and label.scene() is not None:
                label.scene().removeItem(label)
            return None
        if label is None:
            label = EdgeLabelItem(colour)
            label.setVisible(self.isVisible())
            if self.scene() is not None:
                self.scene().addItem(label)
        return label

    def _place_labels(self) -> None:
        labels = [(label, sign) for label, sign in ((self._value_label, 1.0), (self._grad_label, -1.0)) if label is not None]
        if labels:
            place_labels(self._p0, self._p1, _bend(self._p0, self._p1), labels, self.scene())

    # ------------------------------------------------------------ Qt items
    def boundingRect(self) -> QRectF:
        return self._rect

    def shape(self) -> QPainterPath:
        if self._shape is None:
            stroker = QPainterPathStroker()
            stroker.setWidth(12.0)
            self._shape = stroker.createStroke(self._path)
        return self._shape

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: object) -> object:
        if change == QGraphicsItem.GraphicsItemChange.ItemSceneChange:
            for label in self.label_items():
                if label.scene() is not None:
                    label.scene().removeItem(label)
        elif change == QGraphicsItem.GraphicsItemChange.ItemSceneHasChanged and isinstance(value, QGraphicsScene):
            for label in self.label_items():
                value.addItem(label)
        elif change == QGraphicsItem.GraphicsItemChange.ItemVisibleHasChanged:
            for label in self.label_items():
                label.setVisible(self.isVisible())
        elif change == QGraphicsItem.GraphicsItemChange.ItemSelectedHasChanged:
            self._apply_pen()
        return super().itemChange(change, value)

    def hoverEnterEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        self._hover = True
        self._apply_pen()

    def hoverLeaveEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        self._hover = False
        self._apply_pen()

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        """Never called (ItemHasNoContents): the child path item draws the curve."""
