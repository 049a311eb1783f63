"""A plot drawn again at a slide's size, for Export PNG…: the on-screen plot is as small as its
dock (900×200 px, say), too small and too flat for a slide.

The copy holds the same curves (their whole data, their pens), the legend's entries (as many as
the slide has room for), the axis labels, the log mode and the view's ranges, laid out at
``LAYOUT`` and drawn at ``SCALE`` times that resolution: a PNG of 1920×1080 px whose text and
lines read as on a screen of that size.
"""
from __future__ import annotations

import os

import pyqtgraph as pg
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QWidget

from app.training.legend_rows import LegendRows, Row
from app.training.plot_style import BACKGROUND, add_legend, make_plot
from app.window.screenshot import save_png

LAYOUT = QSize(960, 540)  # the copy's layout size: 16:9
SCALE = 2  # pixels of the image per layout pixel: 1920×1080
COPIED = ("pen", "shadowPen", "symbol", "symbolPen", "symbolBrush", "symbolSize", "fillLevel", "fillBrush",
          "connect", "skipFiniteCheck")


def slide_plot(source: pg.PlotItem, rows: list[Row]) -> pg.PlotWidget:
    """A new plot widget (not on screen, laid out at LAYOUT) showing what ``source`` shows, its
    legend listing ``rows`` (the rows of the curves it copies, and lines of text)."""
    left, bottom = source.getAxis("left"), source.getAxis("bottom")
    widget = make_plot(bottom=bottom.labelText, left=left.labelText)
    widget.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    item = widget.getPlotItem()
    item.setLogMode(x=bottom.logMode, y=left.logMode)
    item.setDownsampling(auto=True, mode="peak")
    item.setClipToView(True)
    item.hideButtons()
    copies = {}
    for data in source.listDataItems():
        x, y = data.getOriginalDataset()
        if not data.isVisible() or x is None or len(x) == 0:
            continue
        copy = pg.PlotDataItem(x, y, **{k: data.opts[k] for k in COPIED if k in data.opts})
        pen = pg.mkPen(data.opts["pen"])
        pen.setWidthF(max(1.0, pen.widthF()) * SCALE)  # a 1-pixel screen line would be a hairline on a slide
        copy.setPen(pen)
        copy.setZValue(data.zValue())
        item.addItem(copy)
        copies[data] = copy
    shown = add_legend(item)
    LegendRows(shown).show([Row(copies.get(r.item), r.text, r.own) for r in rows if r.item is None or r.item in copies])
    (x0, x1), (y0, y1) = source.getViewBox().viewRange()
    item.getViewBox().setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0)
    widget.resize(LAYOUT)
    widget.show()  # not on screen: it gets its size and layout
    QApplication.sendPostedEvents(widget)
    item.layout.activate()
    shown.placer.place()  # now, not on the next turn of the event loop
    item.layout.activate()
    return widget


def slide_image(widget: pg.PlotWidget) -> QImage:
    """``widget`` drawn at SCALE times its size."""
    image = QImage(widget.size() * SCALE, QImage.Format.Format_ARGB32)
    image.setDevicePixelRatio(SCALE)
    image.fill(QColor(BACKGROUND))
    QWidget.render(widget, image)  # the widget as painted (GraphicsView.render is the scene's)
    return image


def export_slide(source: pg.PlotItem, rows: list[Row], path: str | os.PathLike[str]) -> None:
    """Write ``source`` at a slide's size to ``path`` as a PNG, atomically."""
    widget = slide_plot(source, rows)
    try:
        save_png(slide_image(widget), path)
    finally:
        widget.close()
        widget.deleteLater()
