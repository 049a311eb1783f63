"""The arrow leaving the objective's output on the canvas, with its value above and its gradient
below (the starting gradient 1 of the backward pass), as in the figures of "Deep Learning from
Scratch"."""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from app.editor import style
from app.editor.edge_item import EdgeLabelItem

STUB_LENGTH = 56.0


class OutputStub(QGraphicsItem):
    """An arrow leaving the objective's output, with its value above and its gradient below.

    The two labels are the editor's own edge labels, so they look like every other edge's.
    """

    def __init__(self, parent: QGraphicsItem) -> None:
        super().__init__(parent)
        self.value_text: str | None = None
        self.grad_text: str | None = None
        self._value = EdgeLabelItem(style.VALUE_TEXT)
        self._grad = EdgeLabelItem(style.GRAD_TEXT)
        for label in (self._value, self._grad):
            label.setParentItem(self)
            label.setVisible(False)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setAcceptHoverEvents(False)
        self.setVisible(False)

    def set_labels(self, value: str | None, grad: str | None) -> None:
        if (value, grad) == (self.value_text, self.grad_text):
            return
        self.value_text, self.grad_text = value, grad
        self.setVisible(value is not None or grad is not None)
        for label, text, sign in ((self._value, value, -1.0), (self._grad, grad, 1.0)):
            label.setVisible(text is not None)
            if text is not None:
                label.set_content(text, None)
                rect = label.boundingRect()
                label.setPos(STUB_LENGTH / 2 + 4.0, sign * (rect.height() / 2 + 3.0))

    def labels(self) -> tuple[str | None, str | None]:
        return self.value_text, self.grad_text

    def boundingRect(self) -> QRectF:
        return QRectF(0.0, -6.0, STUB_LENGTH + 4.0, 12.0)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        end = STUB_LENGTH
        painter.setPen(QPen(style.EDGE, 1.8))
        painter.drawLine(QPointF(8.0, 0.0), QPointF(end - 4.0, 0.0))
        head = QPainterPath(QPointF(end + 2, 0.0))
        head.lineTo(end - 7, -4.5)
        head.lineTo(end - 7, 4.5)
        head.closeSubpath()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(style.EDGE)
        painter.drawPath(head)
