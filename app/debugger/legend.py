"""A small legend of the canvas while debugging: node states, breakpoints, gradient check badges
and the two edge label colours."""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.editor import style

SWATCH = 22.0
BREAKPOINT = QColor("#d32f2f")  # as NodeItem draws it
PASSED = QColor("#2e7d32")
ROW = 18.0
TWO_COLUMNS = 340  # narrower than this: one column


def _entries() -> list[tuple[str, str, QColor, QColor, float]]:
    """(kind, text, fill, border, opacity) in the order they are drawn."""
    border = style.NODE_BORDER
    return [
        ("node", "not computed yet (dimmed)", style.NODE_BODY, border, 0.45),
        ("node", "forward done", style.FORWARD_TINT, border, 1.0),
        ("node", "backward done", style.BACKWARD_TINT, border, 1.0),
        ("node", "current step", style.NODE_BODY, style.CURRENT, 1.0),
        ("breakpoint", "breakpoint (F9)", BREAKPOINT, border, 1.0),
        ("badge", "gradient check passed / failed", PASSED, style.PROBLEM, 1.0),
        ("text", "value, above an edge", style.VALUE_TEXT, style.VALUE_TEXT, 1.0),
        ("text", "gradient, below an edge", style.GRAD_TEXT, style.GRAD_TEXT, 1.0),
    ]


class Legend(QWidget):
    """Swatches in two columns, drawn with the canvas's own colours."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setToolTip("How the canvas shows the state of the program")

    def texts(self) -> list[str]:
        return [e[1] for e in _entries()]

    def _columns(self) -> int:
        return 2 if self.width() >= TWO_COLUMNS else 1

    def sizeHint(self) -> QSize:
        return QSize(TWO_COLUMNS, self.heightForWidth(TWO_COLUMNS))

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        n = len(_entries())
        rows = (n + 1) // 2 if width >= TWO_COLUMNS else n
        return int(rows * ROW + 6)

    def resizeEvent(self, event) -> None:  # noqa: ANN001
        super().resizeEvent(event)
        self.setFixedHeight(self.heightForWidth(self.width()))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        entries = _entries()
        columns = self._columns()
        half = (len(entries) + columns - 1) // columns
        col_w = self.width() / columns
        font = self.font()
        font.setPointSizeF(max(7.0, font.pointSizeF() - 1))
        painter.setFont(font)
        for i, (kind, text, fill, border, opacity) in enumerate(entries):
            x = (i // half) * col_w + 4
            y = (i % half) * ROW + 3
            box = QRectF(x, y + 2, SWATCH, SWATCH - 4)
            painter.setOpacity(opacity)
            if kind in ("node", "breakpoint"):
                painter.setBrush(style.NODE_BODY if kind == "breakpoint" else fill)
                painter.setPen(QPen(border, 2.0 if border == style.CURRENT else 1.0))
                painter.drawRoundedRect(box, 3, 3)
                if kind == "breakpoint":
                    painter.setPen(QPen(QColor("#ffffff"), 1.2))
                    painter.setBrush(fill)
                    painter.drawEllipse(QPointF(box.left() + 4.0, box.top() + 3.5), 4.0, 4.0)
            elif kind == "badge":
                painter.setPen(Qt.PenStyle.NoPen)
                for j, (colour, mark) in enumerate(((fill, "✓"), (border, "✗"))):
                    pill = QRectF(box.left() + j * SWATCH / 2, box.top() + 1, SWATCH / 2 - 1, box.height() - 2)
                    painter.setBrush(colour)
                    painter.drawRoundedRect(pill, 4, 4)
                    painter.setPen(QColor("#ffffff"))
                    painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, mark)
                    painter.setPen(Qt.PenStyle.NoPen)
            else:
                painter.setPen(fill)
                painter.drawText(box, Qt.AlignmentFlag.AlignCenter, "1.1")
            painter.setOpacity(1.0)
            painter.setPen(style.TEXT)
            painter.drawText(QRectF(x + SWATCH + 6, y, col_w - SWATCH - 12, ROW),
                             Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)
        painter.end()
