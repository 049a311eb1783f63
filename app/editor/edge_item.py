"""An edge on the canvas: a smooth cubic curve from an output port to an input port.

The debugger's labels (forward value above the curve, gradient below it in a second colour),
each with an optional heat strip, are separate small items placed beside the curve by
``label_layout``, so they stay readable above nodes and the grid. Hovering the edge or one of
its labels highlights both.
"""
from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPainterPathStroker, QPen
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsScene,
    QGraphicsSceneHoverEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

from app.editor import label_layout, style
from app.editor.edge_label import EdgeLabelItem, heat_image
from app.editor.extent import touched

WIDTH, HOT_WIDTH = 1.8, 2.8
Change = QGraphicsItem.GraphicsItemChange  # read once: an edge answers about 14 changes as it is made
SCENE_CHANGE, SCENE_CHANGED = Change.ItemSceneChange, Change.ItemSceneHasChanged
VISIBLE_CHANGED, SELECTED_CHANGED = Change.ItemVisibleHasChanged, Change.ItemSelectedHasChanged
SAMPLE_SPACING = 6.0  # scene units between the points that stand for the curve in distance tests


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


def curve_points(p0: QPointF, p1: QPointF, t: np.ndarray) -> np.ndarray:
    """Points (n × 2) of the edge cubic at the parameters ``t``."""
    bend = _bend(p0, p1)
    c1x, c2x = p0.x() + bend, p1.x() - bend
    mt = 1.0 - t
    a, b, c, d = mt ** 3, 3 * mt * mt * t, 3 * mt * t * t, t ** 3
    points = np.empty(t.shape + (2,))  # filled in place: np.stack cost more than the arithmetic
    points[..., 0] = a * p0.x() + b * c1x + c * c2x + d * p1.x()
    points[..., 1] = (a + b) * p0.y() + (c + d) * p1.y()
    return points


@lru_cache(maxsize=256)
def _spaced(count: int) -> np.ndarray:
    """``count`` parameters evenly from 0 to 1 (shared: read only)."""
    t = np.linspace(0.0, 1.0, count)
    t.flags.writeable = False
    return t


def curve_normals(p0: QPointF, p1: QPointF, t: np.ndarray) -> np.ndarray:
    """Unit normals (n × 2) of the edge cubic at the parameters ``t``, pointing up the screen."""
    bend = _bend(p0, p1)
    c1x, c2x = p0.x() + bend, p1.x() - bend
    mt = 1.0 - t
    tx = 3 * mt * mt * bend + 6 * mt * t * (c2x - c1x) + 3 * t * t * bend
    ty = 6 * mt * t * (p1.y() - p0.y())
    length = np.hypot(tx, ty)
    length[length == 0] = 1.0
    normals = np.stack([-ty / length, tx / length], axis=-1)
    down = (normals[:, 1] > 0) | ((normals[:, 1] == 0) & (normals[:, 0] > 0))
    normals[down] *= -1.0
    return normals


def middle_frame(p0: QPointF, p1: QPointF) -> tuple[float, float, float, float]:
    """The edge cubic's middle (x, y) and its unit normal there (pointing up the screen), in plain
    floats: :func:`curve_points` and :func:`curve_normals` at t = 0.5 without NumPy's per-call cost."""
    bend = _bend(p0, p1)
    # at t = 0.5 the Bernstein weights are 1/8, 3/8, 3/8, 1/8 and the derivative's 3/4, 3/2, 3/4
    tx = 1.5 * bend + 1.5 * ((p1.x() - bend) - (p0.x() + bend))
    ty = 1.5 * (p1.y() - p0.y())
    length = math.hypot(tx, ty) or 1.0
    nx, ny = -ty / length, tx / length
    if ny > 0 or (ny == 0 and nx > 0):
        nx, ny = -nx, -ny
    return (p0.x() + p1.x()) / 2.0, (p0.y() + p1.y()) / 2.0, nx, ny


class EdgeItem(QGraphicsItem):
    """The edge ``src → dst.port``; ``set_ends`` places it, the scene calls it when nodes move.

    The item itself has no contents (it is what selection, hover and hit tests see); a child
    QGraphicsPathItem draws the curve in C++, which keeps repainting hundreds of edges cheap.
    """

    Type = QGraphicsItem.UserType + 2  # type: ignore[attr-defined]  # missing from the stubs

    def __init__(self, src: str, dst: str, port: str) -> None:
        super().__init__()
        self.src, self.dst, self.port = src, dst, port
        self._p0 = QPointF()
        self._p1 = QPointF()
        self._path = QPainterPath()
        self._samples = np.zeros((2, 2))
        self._shape: QPainterPath | None = None
        self._rect = QRectF()
        self._hover = False
        self._thickness = 1.0
        self._curve = QGraphicsPathItem(self)
        self._curve.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self._value_text: str | None = None
        self._grad_text: str | None = None
        self._heat: QImage | None = None
        self._grad_heat: QImage | None = None
        self._value_label: EdgeLabelItem | None = None
        self._grad_label: EdgeLabelItem | None = None
        flag = QGraphicsItem.GraphicsItemFlag
        self.setFlags(flag.ItemIsSelectable | flag.ItemHasNoContents)
        self.setAcceptHoverEvents(True)
        self._apply_pen()  # and the stacking order: below the nodes

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
        length = math.hypot(p1.x() - p0.x(), p1.y() - p0.y()) + 2 * _bend(p0, p1)
        count = int(min(200, max(16, length / SAMPLE_SPACING)))
        self._samples = curve_points(p0, p1, _spaced(count))
        self._shape = None
        self._rect = self._path.controlPointRect().adjusted(-6, -6, 6, 6)
        self._curve.setPath(self._path)
        self._place_labels()

    # ------------------------------------------------------------ geometry
    def midpoint(self) -> QPointF:
        """The curve's middle (the cubic is symmetric, so t = 0.5 is the chord's middle)."""
        return (self._p0 + self._p1) / 2.0

    def middle(self) -> tuple[float, float, float, float]:
        """The curve's middle (x, y) and its unit normal there (pointing up)."""
        return middle_frame(self._p0, self._p1)

    def points_at(self, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The curve's points (n × 2) at the parameters ``t`` and its unit normals there (pointing up)."""
        return curve_points(self._p0, self._p1, t), curve_normals(self._p0, self._p1, t)

    def samples(self) -> np.ndarray:
        """The points (n × 2) that stand for the curve in distance tests, from start to end."""
        return self._samples

    def distances_to(self, points: np.ndarray) -> np.ndarray:
        """The distance from each scene point (n × 2) to the curve."""
        a, ab = self._samples[:-1], np.diff(self._samples, axis=0)
        lengths = np.maximum((ab * ab).sum(axis=1), 1e-12)
        rel = points[:, None, :] - a[None, :, :]
        t = np.clip((rel * ab[None, :, :]).sum(axis=2) / lengths[None, :], 0.0, 1.0)
        gap = rel - ab[None, :, :] * t[:, :, None]
        return np.sqrt((gap * gap).sum(axis=2).min(axis=1))

    def samples_inside(self, rects: np.ndarray) -> np.ndarray:
        """How many of the curve's sample points lie inside each rectangle (n × 4: left, top, right, bottom)."""
        x, y = self._samples[None, :, 0], self._samples[None, :, 1]
        inside = (x > rects[:, 0:1]) & (x < rects[:, 2:3]) & (y > rects[:, 1:2]) & (y < rects[:, 3:4])
        return inside.sum(axis=1)

    def set_view_scale(self, scale: float) -> None:
        """Thicken the curve when zoomed out, so it stays visible at fit-to-view."""
        thickness = max(1.0, 0.8 / scale) if scale > 0 else 1.0
        if abs(thickness - self._thickness) > 1e-3:
            self._thickness = thickness
            self._apply_pen()

    # ----------------------------------------------------------- highlight
    def is_hot(self) -> bool:
        return self._hover or self.isSelected()

    def set_hover(self, hover: bool) -> None:
        """The pointer is over the edge or one of its labels: highlight the curve and the labels."""
        if hover != self._hover:
            self._hover = hover
            self._apply_pen()

    def _apply_pen(self) -> None:
        hot = self.is_hot()
        pen = QPen(style.EDGE_HOVER if hot else style.EDGE, (HOT_WIDTH if hot else WIDTH) * self._thickness)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        self._curve.setPen(pen)
        self.setZValue(-0.5 if hot else -1.0)  # a highlighted edge above the others
        for label in self.label_items():
            label.set_hot(hot)

    # ------------------------------------------------------ debugger hooks
    def set_labels(self, value: str | None, grad: str | None) -> None:
        """The forward value above the curve, the gradient below it; ``None`` hides that label."""
        self._value_text, self._grad_text = value, grad
        self._sync_labels()

    def set_heat(self, values: np.ndarray | None) -> None:
        """A tiny heat strip of ``values`` (blue negative, red positive) with the value label."""
        self._heat = None if values is None else heat_image(np.asarray(values, dtype=float))
        self._sync_labels()

    def set_grad_heat(self, values: np.ndarray | None) -> None:
        """A tiny heat strip of the gradient ``values`` with the gradient label."""
        self._grad_heat = None if values is None else heat_image(np.asarray(values, dtype=float))
        self._sync_labels()

    def set_content(self, value: str | None, grad: str | None,
                    heat: np.ndarray | None | bool = False, grad_heat: np.ndarray | None | bool = False) -> None:
        """Both labels and, unless given as ``False`` (kept as they are), their heat strips, with
        one placement of the labels (as :meth:`set_labels`, :meth:`set_heat` and
        :meth:`set_grad_heat` would give)."""
        self._value_text, self._grad_text = value, grad
        if heat is not False:
            self._heat = None if heat is None or heat is True else heat_image(np.asarray(heat, dtype=float))
        if grad_heat is not False:
            self._grad_heat = (None if grad_heat is None or grad_heat is True
                               else heat_image(np.asarray(grad_heat, dtype=float)))
        self._sync_labels()

    def labels(self) -> tuple[str | None, str | None]:
        return self._value_text, self._grad_text

    def label_items(self) -> list[EdgeLabelItem]:
        return [label for label in (self._value_label, self._grad_label) if label is not None]

    def labels_with_side(self) -> list[tuple[EdgeLabelItem, float]]:
        """Each label with its side of the curve: +1 above (the value), -1 below (the gradient)."""
        pairs = ((self._value_label, 1.0), (self._grad_label, -1.0))
        return [(label, side) for label, side in pairs if label is not None]

    def _sync_labels(self) -> None:
        self._value_label = self._label(self._value_label, self._value_text, self._heat, style.VALUE_TEXT)
        self._grad_label = self._label(self._grad_label, self._grad_text, self._grad_heat, style.GRAD_TEXT)
        self._place_labels()

    def _label(self, label: EdgeLabelItem | None, text: str | None, heat: QImage | None,
               colour: QColor) -> EdgeLabelItem | None:
        """The label showing ``text`` and ``heat`` (made with its content; None when neither is shown)."""
        if text is None and heat is None:
            if label is not None and label.scene() is not None:
                label.scene().removeItem(label)
            return None
        if label is not None:
            label.set_content(text or "", heat)
            return label
        label = EdgeLabelItem(colour, self, text or "", heat)
        if not self.isVisible():
            label.setVisible(False)
        label.set_hot(self.is_hot())
        scene = self.scene()
        if scene is not None:
            scene.addItem(label)
        return label

    def _place_labels(self) -> None:
        """Labels go beside the middle of the curve at once; a GraphScene then finds them their
        place among the other items (once per burst of changes), a plain scene does it now."""
        touched(self)  # the labels changed, moved, or went
        if not self.label_items():
            return
        scene = self.scene()
        label_layout.place_plainly(self)
        if scene is not None and hasattr(scene, "labels_moved"):
            scene.labels_moved(self)
        elif scene is not None:
            label_layout.place(self, scene)

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
        if change is SCENE_CHANGE:
            touched(self)
            for label in self.label_items():
                if label.scene() is not None:
                    label.scene().removeItem(label)
        elif change is SCENE_CHANGED and isinstance(value, QGraphicsScene):
            for label in self.label_items():
                value.addItem(label)
            self._place_labels()
        elif change is VISIBLE_CHANGED:
            for label in self.label_items():
                label.setVisible(self.isVisible())
        elif change is SELECTED_CHANGED:
            self._apply_pen()
        return value  # what QGraphicsItem.itemChange returns, without a call into it

    def hoverEnterEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        self.set_hover(True)

    def hoverLeaveEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        self.set_hover(False)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        """Never called (ItemHasNoContents): the child path item draws the curve."""
