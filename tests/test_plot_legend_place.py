"""The plots' legend goes to the corner of the data area where it covers the fewest plotted points."""
from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtWidgets import QApplication

from app.training.legend_place import points_under
from app.training.plot_style import add_legend, make_plot


def _shown(qtbot, x, y, log_y=False):
    widget = make_plot(bottom="x", left="y")
    qtbot.addWidget(widget)
    widget.resize(520, 240)
    plot = widget.getPlotItem()
    legend = add_legend(plot)
    plot.setLogMode(x=False, y=log_y)
    plot.plot(x, y, name="prediction")
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(lambda: legend.isVisible() and legend.width() > 0)
    for _ in range(5):
        QApplication.processEvents()
    return widget, plot, legend


@pytest.mark.parametrize("shape", ["rising", "falling", "sine", "log falling"])
def test_the_legend_covers_no_point_of_a_curve_leaving_a_corner_free(qtbot, shape):
    x = np.linspace(0.0, 10.0, 400)
    y = {"rising": x, "falling": 10.0 - x, "sine": np.sin(x), "log falling": np.exp(-x)}[shape]
    _widget, plot, legend = _shown(qtbot, x, y, log_y=shape.startswith("log"))
    box = plot.getViewBox().sceneBoundingRect()
    placed = legend.sceneBoundingRect()
    assert box.contains(placed)
    assert points_under(plot, placed) == 0, shape


def test_a_falling_curve_keeps_the_legend_top_right(qtbot):
    x = np.linspace(0.0, 10.0, 400)
    _widget, plot, legend = _shown(qtbot, x, 10.0 - x)
    box, placed = plot.getViewBox().sceneBoundingRect(), legend.sceneBoundingRect()
    assert placed.left() > box.center().x() and placed.top() - box.top() < 30


def test_with_every_corner_covered_the_legend_goes_above_the_data(qtbot):
    x = np.linspace(0.0, 10.0, 2000)
    y = np.sin(7.0 * x)  # fills the whole area: no free corner
    _widget, plot, legend = _shown(qtbot, x, y)
    qtbot.waitUntil(lambda: legend.sceneBoundingRect().bottom() <= plot.getViewBox().sceneBoundingRect().top())
    box, placed = plot.getViewBox().sceneBoundingRect(), legend.sceneBoundingRect()
    assert points_under(plot, placed) == 0 and placed.top() >= 0
    assert placed.right() <= box.right() + 1


def test_a_plot_too_low_and_narrow_for_a_legend_beside_keeps_its_area(qtbot):
    x = np.linspace(0.0, 10.0, 2000)
    widget, plot, legend = _shown(qtbot, x, np.sin(7.0 * x))
    widget.resize(200, 110)
    qtbot.waitUntil(lambda: plot.getViewBox().sceneBoundingRect().contains(legend.sceneBoundingRect()))
    assert plot.layout.rowMinimumHeight(1) == 0 and plot.layout.columnMinimumWidth(2) == 0


def test_a_plot_too_low_for_a_legend_above_puts_it_right_of_the_data(qtbot):
    x = np.linspace(0.0, 10.0, 2000)
    widget, plot, legend = _shown(qtbot, x, np.sin(7.0 * x))
    widget.resize(620, 110)

    def beside() -> bool:  # once the placement after the resize has settled
        placed = legend.sceneBoundingRect()
        return (placed.left() >= plot.getViewBox().sceneBoundingRect().right() and placed.right() <= widget.width() + 1
                and points_under(plot, placed) == 0 and plot.layout.rowMinimumHeight(1) == 0)

    qtbot.waitUntil(beside)
    assert plot.layout.columnMinimumWidth(2) >= legend.width()
