"""The look shared by the training plots: a light background and dark axes.

No grid: pyqtgraph draws grid lines through its axis items, and on a raster surface that made
a repaint of the loss plot about eight times slower (17 ms against 2 ms for 10,000 points).
"""
from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QColor

from app.training.legend_place import LEGEND_MARGIN, LegendPlacer
from app.training.log_ticks import DecadeAxis

BACKGROUND = "#ffffff"
FOREGROUND = "#303030"


def style_plot(item: pg.PlotItem, bottom: str = "", left: str = "") -> pg.PlotItem:
    for name in ("left", "bottom"):
        axis = item.getAxis(name)
        axis.setPen(pg.mkPen(FOREGROUND))
        axis.setTextPen(pg.mkPen(FOREGROUND))
        axis.enableAutoSIPrefix(False)  # "loss (x0.001)" reads worse than plain tick numbers
    if bottom:
        item.setLabel("bottom", bottom, color=FOREGROUND)
    if left:
        item.setLabel("left", left, color=FOREGROUND)
    return item


def make_plot(bottom: str = "", left: str = "") -> pg.PlotWidget:
    """A PlotWidget in the training style, with axis labels."""
    widget = pg.PlotWidget(background=BACKGROUND, axisItems={"left": DecadeAxis("left")})
    style_plot(widget.getPlotItem(), bottom, left)
    return widget


def add_legend(item: pg.PlotItem) -> pg.LegendItem:
    """The plot's legend, kept in the corner of the data area where it hides the fewest points
    (:mod:`.legend_place`): it moves when the curves, the ranges or the plot's size change."""
    legend = item.addLegend(offset=(-LEGEND_MARGIN, LEGEND_MARGIN), labelTextColor=FOREGROUND)
    legend.setBrush(pg.mkBrush(255, 255, 255, 150))  # translucent: a curve under it still shows
    legend.setPen(pg.mkPen("#c0c0c0"))
    legend.placer = LegendPlacer(item, legend)  # kept with the legend
    return legend


def colour(hex_text: str, alpha: int = 255) -> QColor:
    c = QColor(hex_text)
    c.setAlpha(alpha)
    return c


def pen_colour(hex_text: str, own: bool) -> QColor:
    """A run's colour: full for a run of the document shown, a third as opaque for another document's."""
    return colour(hex_text, 255 if own else 255 // 3)
