"""How a step's name is fitted into a row of the program view: wrapped into at most MAX_LINES
lines at the room a row has (elided in its middle past them), drawn, and counted to measure the
row's height, with the caches that keep a row from being measured twice as the list scrolls.
"""
from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QTextLayout, QTextOption

MAX_LINES = 3  # a step's name takes at most this many lines; a longer one is elided in its middle


def _fitted_text(font: QFont, mark: str, name: str, room: int) -> tuple[str, int, int]:
    """:func:`app.debugger.program_view._fitted` of a mark and a name."""
    lines = fitted_lines(font, name, room)
    width = max(QFontMetrics(font).horizontalAdvance(line.rstrip()) for line in lines)
    return mark + "".join(lines), width, room


def fitted_lines(font: QFont, name: str, room: int) -> list[str]:
    """The lines a step's name is drawn on at ``room`` pixels (what a row draws and what its
    height is measured from): wrapped at spaces; when a word is longer than a line, every line
    is filled and broken where it ends ("forward hidden_layer_activ" / "ation_after_the_first_
    affine"); past MAX_LINES lines the last one is elided in its middle, its end kept (the
    tooltip has the whole name). Joined, the lines are the name (less the elided middle)."""
    room = max(1, room)
    lines = _wrapped(font, name, room, QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    if any(line and not line.endswith(" ") for line in lines[:-1]):  # a word broken anyway: fill each line
        lines = _wrapped(font, name, room, QTextOption.WrapMode.WrapAnywhere)
    if len(lines) > MAX_LINES:
        rest = "".join(lines[MAX_LINES - 1:])
        last = QFontMetrics(font).elidedText(rest, Qt.TextElideMode.ElideMiddle, room)
        lines = [*lines[:MAX_LINES - 1], last]
    return lines


def _wrapped(font: QFont, name: str, room: int, mode: QTextOption.WrapMode) -> list[str]:
    """``name`` in lines at most ``room`` pixels wide, wrapped as ``mode`` says."""
    option = QTextOption()
    option.setWrapMode(mode)
    layout = QTextLayout(name, font)
    layout.setTextOption(option)
    layout.beginLayout()
    starts: list[int] = []
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(room)
        starts.append(line.textStart())
    layout.endLayout()
    ends = [*starts[1:], len(name)]
    return [name[s:e] for s, e in zip(starts, ends, strict=True)] or [""]


def _draw_name(painter: QPainter, font: QFont, rect: QRect, name: str, colour: QColor) -> int:
    """The name's lines, each from ``rect``'s left edge, centred in its height; the first
    line's top."""
    painter.setPen(colour)
    lines = fitted_lines(font, name, rect.width())
    spacing = QFontMetrics(font).lineSpacing()
    top = rect.top() + (rect.height() - len(lines) * spacing) // 2
    flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    for k, line in enumerate(lines):
        painter.drawText(QRect(rect.left(), top + k * spacing, rect.width(), spacing), flags, line.rstrip())
    return top


_line_heights: dict[str, int] = {}  # a one-line row's height, by font
_line_counts: dict[tuple[str, str, str, int], int] = {}  # a row's lines, asked again as the list scrolls


def _lines(font: QFont, text: tuple[str, str], room: int) -> int:
    """How many lines a row's mark and name take at ``room`` pixels."""
    key = (font.key(), *text, room)
    count = _line_counts.get(key)
    if count is None:
        if len(_line_counts) > 20_000:
            _line_counts.clear()
        count = _line_counts[key] = len(fitted_lines(font, text[1], room))
    return count
