"""The look shared by the training plots: a light background and dark axes.

No grid: pyqtgraph draws grid lines through its axis items, and on a raster surface that made
a repaint of the loss plot about eight times slower (17 ms against 2 ms for 10,000 points).
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, QTimer
from PySide6.QtGui import QColor

from app.training.log_ticks import DecadeAxis

BACKGROUND = "#ffffff"
FOREGROUND = "#303030"
LEGEND_MARGIN = 10  # px between the legend and the data area's edges
ABOVE_FACTOR = 2.5  # the legend goes above the data only when the plot is this many legends high
TOP_ROW = 1  # the row of a PlotItem's layout above its data area (its hidden top axis)
RIGHT_COLUMN = 2  # the column of a PlotItem's layout right of its data area (its hidden right axis)
RIGHT_FACTOR = 2.5  # a plot too low for the legend above puts it right of the data when this many legends wide
CORNERS = ((1, 0), (0, 0), (1, 1), (0, 1))  # top right first (a falling loss is low there), then the others


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
    """The plot's legend, kept in the corner of the data area where it hides the fewest points:
    it moves when the curves, the ranges or the plot's size change."""
    legend = item.addLegend(offset=(-LEGEND_MARGIN, LEGEND_MARGIN), labelTextColor=FOREGROUND)
    legend.setBrush(pg.mkBrush(255, 255, 255, 150))  # translucent: a curve under it still shows
    legend.setPen(pg.mkPen("#c0c0c0"))
    timer = QTimer(legend)  # one placement after a burst of changes (a run's ticks)
    timer.setSingleShot(True)
    timer.setInterval(0)
    timer.timeout.connect(lambda: place_legend(item, legend))
    view = item.getViewBox()
    view.sigRangeChanged.connect(timer.start)
    view.sigResized.connect(timer.start)
    legend.visibleChanged.connect(timer.start)
    legend.geometryChanged.connect(timer.start)  # an entry added or relabelled: it may no longer fit where it is
    return legend


def place_legend(item: pg.PlotItem, legend: pg.LegendItem) -> None:
    """Anchor ``legend`` in a corner of the data area where it hides no plotted point; when every
    corner hides some, above the data area (the plot gives up that much height), or, when the plot
    is too low for that, right of it (giving up that much width), unless the plot is too narrow as
    well: then in the corner that hides the fewest points."""
    view = item.getViewBox()
    if view is None or not legend.isVisible() or legend.width() <= 0:
        return
    box = view.sceneBoundingRect()
    if box.width() <= 0 or box.height() <= 0:
        return
    above = item.layout.rowMinimumHeight(TOP_ROW)  # taken from the data area when the legend is above it
    full = QRectF(box.left(), box.top() - above, box.width(), box.height() + above)
    w, h = legend.width() + LEGEND_MARGIN, legend.height() + LEGEND_MARGIN
    scale = box.height() / full.height()  # the whole area's heights as the data area draws them now
    counts: dict[tuple[int, int], int] = {}
    for ax, ay in CORNERS:  # judged on the whole area, whether or not the legend is above it now
        left = full.left() if ax == 0 else full.right() - w
        top = 0.0 if ay == 0 else full.height() - h
        counts[ax, ay] = points_under(item, QRectF(left, box.top() + top * scale, w, h * scale))
    fewest = min(CORNERS, key=lambda corner: counts[corner])
    beside = item.layout.columnMinimumWidth(RIGHT_COLUMN)  # taken from the data area when the legend is right of it
    if counts[fewest] == 0 or (full.height() < ABOVE_FACTOR * h and box.width() + beside < RIGHT_FACTOR * w):
        ax, ay = fewest  # a small plot keeps its area: the translucent box in the least covered corner
        item.layout.setRowMinimumHeight(TOP_ROW, 0)
        item.layout.setColumnMinimumWidth(RIGHT_COLUMN, 0)
        if legend.parentItem() is not view:
            legend.setParentItem(view)
        offset = (LEGEND_MARGIN if ax == 0 else -LEGEND_MARGIN, LEGEND_MARGIN if ay == 0 else -LEGEND_MARGIN)
        legend.anchor(itemPos=(ax, ay), parentPos=(ax, ay), offset=offset)
        return
    if legend.parentItem() is not item:  # the data area clips what it holds: the plot holds it now
        legend.setParentItem(item)
    area = view.geometry()  # in the plot's coordinates; placed again when the reserved room moves it
    if full.height() >= ABOVE_FACTOR * h:
        item.layout.setColumnMinimumWidth(RIGHT_COLUMN, 0)
        item.layout.setRowMinimumHeight(TOP_ROW, legend.height() + 4)
        legend.anchor(itemPos=(1, 0), parentPos=(1, 0),
                      offset=(area.right() - item.width() - LEGEND_MARGIN, area.top() - legend.height() - 2))
        return
    item.layout.setRowMinimumHeight(TOP_ROW, 0)  # too low for it above: right of the data area
    item.layout.setColumnMinimumWidth(RIGHT_COLUMN, legend.width() + LEGEND_MARGIN)
    legend.anchor(itemPos=(1, 0), parentPos=(1, 0), offset=(-2, area.top()))


def points_under(item: pg.PlotItem, rect: QRectF) -> int:
    """How many of the plot's shown points (as drawn: log axes, downsampling) fall in ``rect`` (scene px)."""
    to_scene = item.getViewBox().childGroup.sceneTransform()
    count = 0
    for data in item.listDataItems():
        if not data.isVisible():
            continue
        x, y = data.getData()
        if x is None or len(x) == 0:
            continue
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        sx = to_scene.m11() * x + to_scene.m21() * y + to_scene.dx()
        sy = to_scene.m12() * x + to_scene.m22() * y + to_scene.dy()
        inside = (sx >= rect.left()) & (sx <= rect.right()) & (sy >= rect.top()) & (sy <= rect.bottom())
        count += int(np.count_nonzero(inside))
    return count


def colour(hex_text: str, alpha: int = 255) -> QColor:
    c = QColor(hex_text)
    c.setAlpha(alpha)
    return c


def pen_colour(hex_text: str, own: bool) -> QColor:
    """A run's colour: full for a run of the document shown, a third as opaque for another document's."""
    return colour(hex_text, 255 if own else 255 // 3)
