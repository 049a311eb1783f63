"""How a node's texts are measured and laid out in lines.

Text is measured at the zoom where it is widest, in scene units: the font at another zoom has a
rounded pixel size, so a text can measure wider, relative to the scene, than at 100% (DejaVu
Sans 8.5 pt at 75%: ~9% wider). A node sized by :func:`drawn_width` holds its texts whole at
every readable zoom. A small matrix on a node takes one line per row, as on an edge. Also what
those texts say: the shape, the op's symbol before its title, a leaf's value.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
from PySide6.QtGui import QFont, QFontMetricsF

from app.editor import style
from app.editor.edge_label import matrix_rows
from core.format import ELEMENT_DIGITS, format_nested, format_number, format_shape
from core.graph import Node

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


@lru_cache(maxsize=1024)  # a large graph repeats a few shapes on thousands of nodes
def shape_label(shape: tuple[int, ...] | None) -> str:
    return "" if shape is None else format_shape(shape)


def caption_symbol(op_title: str, symbol: str, family: str) -> str:
    """The op's symbol as written before its title ("σ Sigmoid"); empty for leaves (their letter
    says nothing) and where the title already is the symbol ("tanh Tanh")."""
    if family in ("data", "parameters") or symbol.lower() in op_title.lower():
        return ""
    return symbol


def default_value_text(node: Node) -> str | None:
    """What a node shows under its title by default: a leaf's value or its dataset field."""
    if node.op_type == "Input":
        return f"field '{node.attrs.get('field', '')}'"
    if node.value is None:
        return None
    value = np.asarray(node.value)
    if value.size == 1:
        return "= " + format_number(value.reshape(-1)[0], 4)
    if value.size <= 4:  # as many digits as the edges' labels: a trained 0.1498 never reads 0.15
        return format_nested(value, ELEMENT_DIGITS)
    return f"{format_shape(value.shape)} array"
