"""Colours, fonts and sizes of the canvas, in one place."""
from __future__ import annotations

from functools import lru_cache

from PySide6.QtGui import QColor, QFont, QFontMetricsF

FAMILY_COLOURS = {
    "data": "#3f7fbf",
    "parameters": "#c0841a",
    "arithmetic": "#5d6d80",
    "linear": "#7b55b3",
    "activations": "#2f8f5b",
    "losses": "#c0433a",
}
DEFAULT_FAMILY_COLOUR = "#6b7280"

BACKGROUND = QColor("#f7f8fa")
GRID_MINOR = QColor("#eceef2")
GRID_MAJOR = QColor("#dde1e7")
GRID_STEP = 20.0
GRID_MAJOR_EVERY = 5

NODE_BODY = QColor("#ffffff")
NODE_BORDER = QColor("#a7b0bb")
NODE_BORDER_HOVER = QColor("#5f6b78")
SELECTION = QColor("#1e88e5")
PROBLEM = QColor("#e53935")
CURRENT = QColor("#ffb300")
FORWARD_TINT = QColor("#e6f0fb")
BACKWARD_TINT = QColor("#fdebe3")
TEXT = QColor("#1f2933")
TEXT_MUTED = QColor("#6b7785")
HEADER_TEXT = QColor("#ffffff")

PORT_FILL = QColor("#ffffff")
PORT_BORDER = QColor("#5f6b78")
PORT_CONNECTED = QColor("#5f6b78")
PORT_TARGET = QColor("#43a047")

EDGE = QColor("#7f8a97")
EDGE_HOVER = QColor("#1e88e5")
EDGE_RUBBER = QColor("#1e88e5")
VALUE_TEXT = QColor("#1f2933")
GRAD_TEXT = QColor("#c62828")

NODE_MIN_WIDTH = 150.0
HEADER_HEIGHT = 24.0
ROW_HEIGHT = 20.0
VALUE_HEIGHT = 18.0
BOTTOM_PAD = 6.0
CORNER = 6.0
PORT_RADIUS = 5.0
PORT_HIT_RADIUS = 10.0
PAD = 9.0


def family_colour(family: str) -> QColor:
    return QColor(FAMILY_COLOURS.get(family, DEFAULT_FAMILY_COLOUR))


@lru_cache(maxsize=None)
def font(kind: str) -> QFont:
    """The canvas fonts: 'title' (bold), 'body', 'small' (italic), 'symbol' (bold), 'label'."""
    f = QFont()
    sizes = {"title": 9.5, "body": 8.5, "small": 8.0, "symbol": 8.5, "label": 8.0}
    f.setPointSizeF(sizes[kind])
    if kind in ("title", "symbol"):
        f.setBold(True)
    if kind == "small":
        f.setItalic(True)
    return f


@lru_cache(maxsize=None)
def metrics(kind: str) -> QFontMetricsF:
    return QFontMetricsF(font(kind))


def text_width(kind: str, text: str) -> float:
    return metrics(kind).horizontalAdvance(text)

# A custom layer's check badge on its node, by state (a failed check: PROBLEM)
UNCHECKABLE = "#9e6a00"  # a gradient check that measured nothing: neither the green nor the red
CODE_BADGES = {"passed": QColor("#2e7d32"), "unchecked": QColor("#757575"), "checking": QColor("#1565c0"),
               "untrusted": QColor("#6d4c41"), "not checkable": QColor(UNCHECKABLE)}
