"""What a node item paints on its edges: its ports' circles and its marks (the breakpoint dot,
the custom layer's code badge, and the check or published value's badge above its top right).

The node item (node_item.py) calls these last in its ``paint``, after its body and texts.
"""
from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen

from app.editor import style
from app.editor.port_item import PortItem


def paint_ports(painter: QPainter, ports: Iterable[PortItem]) -> None:
    base = painter.opacity()
    for port in ports:
        radius = style.PORT_RADIUS
        fill = style.PORT_CONNECTED if port.connected else style.PORT_FILL
        border = style.PORT_BORDER
        if port.state in ("target", "hot"):
            fill, border = style.PORT_TARGET, style.PORT_TARGET.darker(130)
            radius += 2.0 if port.state == "target" else 3.5
        elif port.hover:
            border = style.SELECTION
            radius += 1.5
        painter.setOpacity(base * (0.3 if port.state == "dim" else 1.0))
        painter.setPen(QPen(border, 1.5))
        painter.setBrush(fill)
        painter.drawEllipse(port.pos(), radius, radius)
    painter.setOpacity(base)


def paint_marks(painter: QPainter, body: QRectF, breakpoint: bool, code_badge: str | None,
                badge: tuple[str, bool] | None, badge_colour: str) -> None:
    """The marks of a node whose body is ``body`` (see NodeItem.set_breakpoint, set_code_badge, set_badge)."""
    if breakpoint:
        painter.setPen(QPen(QColor("#ffffff"), 1.5))
        painter.setBrush(QColor("#d32f2f"))
        painter.drawEllipse(QPointF(0.0, 0.0), 6.0, 6.0)
    if code_badge is not None:
        label = f"code {code_badge}"
        rect = QRectF(4.0, body.height() - 8.0, style.metrics("label").horizontalAdvance(label) + 12, 15.0)
        _pill(painter, rect, style.CODE_BADGES.get(code_badge, style.PROBLEM), label)
    if badge is not None:
        text, ok = badge
        fm = style.metrics("label")
        width = min(body.width() - 16, fm.horizontalAdvance(text) + 10)
        colour = QColor(badge_colour) if badge_colour else (QColor("#2e7d32") if ok else style.PROBLEM)
        _pill(painter, QRectF(body.width() - width - 4, -9.0, width, 15.0), colour,
              fm.elidedText(text, Qt.TextElideMode.ElideRight, width - 8))


def _pill(painter: QPainter, rect: QRectF, colour: QColor, text: str) -> None:
    """A mark on the node's edge: white text on a rounded ``colour`` (a check badge, a published value's)."""
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawRoundedRect(rect, 7.0, 7.0)
    painter.setPen(QColor("#ffffff"))
    painter.setFont(style.font("label"))
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
