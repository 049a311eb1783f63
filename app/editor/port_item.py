"""A port of a node: an input on the left edge or the output on the right edge.

Passive: it holds its state (connected, drag highlight, hover) and names itself (node id,
port name); the node item paints it inside its own cached picture, so a port costs no paint
call of its own. The scene's connection drag reads ports and decides.
"""
from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter, QPainterPath
from PySide6.QtWidgets import QGraphicsItem, QGraphicsSceneHoverEvent, QStyleOptionGraphicsItem, QWidget

from app.editor import style

OUTPUT = "out"
PORT_STATES = ("normal", "target", "dim", "hot")


class PortItem(QGraphicsItem):
    """``name`` is the input port's name, or ``"out"`` for the output (``is_output``)."""

    Type = QGraphicsItem.UserType + 3  # type: ignore[attr-defined]  # missing from the stubs

    def __init__(self, name: str, is_output: bool, parent: QGraphicsItem) -> None:
        super().__init__(parent)
        self.name = name
        self.is_output = is_output
        self.connected = False
        self.state = "normal"
        self.hover = False
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents)
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setZValue(1)

    def type(self) -> int:
        return self.Type

    @property
    def node_id(self) -> str:
        return self.parentItem().node_id  # type: ignore[union-attr,attr-defined]  # its NodeItem

    def set_connected(self, connected: bool) -> None:
        if connected != self.connected:
            self.connected = connected
            self.parentItem().update()

    def set_state(self, state: str) -> None:
        if state not in PORT_STATES:
            raise ValueError(f"unknown port state {state!r}")
        if state != self.state:
            self.state = state
            self.parentItem().update()

    def boundingRect(self) -> QRectF:
        r = style.PORT_HIT_RADIUS
        return QRectF(-r, -r, 2 * r, 2 * r)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addEllipse(self.boundingRect())
        return path

    def hoverEnterEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        self.hover = True
        self.parentItem().update()

    def hoverLeaveEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        self.hover = False
        self.parentItem().update()

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        """Never called (ItemHasNoContents): NodeItem paints its ports."""
