"""A small legend of the canvas while debugging: node states, breakpoints, gradient check badges
and the two edge label colours."""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.editor import style

SWATCH = 22.0
BREAKPOINT = QColor("#d32f2f")  # as NodeItem draws it
PASSED = QColor("#2e7d32")
ROW = 18.0
TWO_COLUMNS = 340  # narrower than this: one column
WRAP = int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap)


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

    def sizeHint(self) -> QSize:
        return QSize(TWO_COLUMNS, self.heightForWidth(TWO_COLUMNS))

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        places = self._places(width)
        return int(max(y + h for _x, y, h in places) + 3) if places else 6

    def _font(self) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() - 1))
        return font

    def _text_width(self, width: int) -> float:
        """The room of an entry's words in a list ``width`` pixels wide."""
        return max(20.0, width / (2 if width >= TWO_COLUMNS else 1) - SWATCH - 12)

    def _places(self, width: int) -> list[tuple[float, float, float]]:
        """Each entry's left, top and height at ``width`` pixels: its words wrap (at a narrow
        width "not computed yet (dimmed)" takes two lines); a row is as high as its highest entry."""
        entries = _entries()
        columns = 2 if width >= TWO_COLUMNS else 1
        half = (len(entries) + columns - 1) // columns
        metrics = QFontMetricsF(self._font())
        room = self._text_width(width)
        spacing = metrics.lineSpacing()
        lines = [max(1, round(metrics.boundingRect(QRectF(0, 0, room, 10_000), WRAP, e[1]).height() / spacing))
                 for e in entries]
        heights = [ROW + (n - 1) * spacing for n in lines]  # one line: a row as ever
        col_w = width / columns
        places = [(0.0, 0.0, 0.0)] * len(entries)
        y = 3.0
        for row in range(half):
            members = range(row, len(entries), half)
            high = max(heights[i] for i in members)
            for i in members:
                places[i] = ((i // half) * col_w + 4, y, high)
            y += high
        return places

    def resizeEvent(self, event) -> None:  # noqa: ANN001
        super().resizeEvent(event)
        self.setFixedHeight(self.heightForWidth(self.width()))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        entries = _entries()
        places = self._places(self.width())
        room = self._text_width(self.width())
        painter.setFont(self._font())
        for i, (kind, text, fill, border, opacity) in enumerate(entries):
            x, y, high = places[i]
            y += (high - ROW) / 2  # the swatch beside the middle of its words
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
            painter.drawText(QRectF(x + SWATCH + 6, places[i][1], room, high), WRAP, text)
        painter.end()
