"""How a node's texts are measured and laid out in lines.

Text is measured at the zoom where it is widest, in scene units: the font at another zoom has a
rounded pixel size, so a text can measure wider, relative to the scene, than at 100% (DejaVu
Sans 8.5 pt at 75%: ~9% wider). A node sized by :func:`drawn_width` holds its texts whole at
every readable zoom. A small matrix on a node takes one line per row, as on an edge.
"""
from __future__ import annotations

from functools import lru_cache

from PySide6.QtGui import QFont, QFontMetricsF

from app.editor import style
from app.editor.edge_label import matrix_rows

MAX_VALUE_LINES = 2  # a taller matrix stays on one line: a node grows by at most a line (rows sit 30 apart)
ZOOMS = (0.5, 0.6, 0.7, 0.75, 0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 2.0, 3.0, 4.0)  # smaller text is hard to read
DRAW_MARGIN = 1.0  # scene units beyond the widest measure (antialiased glyph edges)


@lru_cache(maxsize=None)
def _zoomed_metrics(kind: str, zoom: float) -> QFontMetricsF:
    font = QFont(style.font(kind))
    font.setPointSizeF(font.pointSizeF() * zoom)
    return QFontMetricsF(font)


@lru_cache(maxsize=4096)
def drawn_width(kind: str, text: str) -> float:
    """The width ``text`` takes in the canvas font ``kind`` at the zoom (of ZOOMS) where it is
    widest, in scene units."""
    if not text:
        return 0.0
    widest = max(_zoomed_metrics(kind, zoom).horizontalAdvance(text) / zoom for zoom in ZOOMS)
    return max(widest, style.text_width(kind, text)) + DRAW_MARGIN


def value_lines(text: str | None) -> list[tuple[float, str]]:
    """The lines of a node's value text, each with its indent: one per row of a matrix of up to
    MAX_VALUE_LINES rows that is wider than a node of the least width (the rows aligned under
    the first), else one."""
    if not text:
        return []
    rows = matrix_rows(text, MAX_VALUE_LINES)
    if len(rows) < 2 or drawn_width("body", text) <= style.NODE_MIN_WIDTH - 2 * style.PAD:
        return [(0.0, text)]
    first = rows[0]
    indent = style.text_width("body", first[:first.index("[") + 1]) if "[" in first else 0.0
    return [(0.0, first)] + [(indent, row) for row in rows[1:]]


def value_width(text: str | None) -> float:
    """The width a node needs to show the value text ``text`` whole at any zoom (padding included)."""
    lines = value_lines(text)
    return max(indent + drawn_width("body", line) for indent, line in lines) + 2 * style.PAD if lines else 0.0


def value_height(lines: int) -> float:
    """The height of a value text of ``lines`` lines."""
    return style.VALUE_HEIGHT + max(0, lines - 1) * style.metrics("body").lineSpacing() if lines else 0.0
