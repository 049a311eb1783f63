"""The labels of a log axis (app.training.log_ticks.DecadeAxis) never overlap: for narrow and wide
ranges on small and tall plots, each label drawn reads the value of the tick it sits at, and the
rects its text takes (font metrics of the axis's painter) keep apart. pyqtgraph's own axis piles
them up on some of these ranges (the review's "0.9 0.8 0.7" stack), which the same check finds."""
from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QFontMetricsF, QImage, QPainter
from PySide6.QtWidgets import QApplication

from app.training.log_ticks import DecadeAxis, tick_text
from app.training.param_plots import ParamPlots
from app.training.session import TrainingSession

FROM_SUPERSCRIPT = str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")
RANGES = [(0.6, 0.95), (0.93, 0.99), (0.9991, 0.9995), (0.0008, 0.0012), (2.0, 9.0), (0.05, 3.0),
          (0.3, 30.0), (0.0007, 1.0), (1e-9, 1e3), (1.0, 1e6)]


def value_of(text: str) -> float:
    """The number a label writes: "0.94", "10⁻³", "2×10⁻⁴", "1.2×10⁻³"."""
    if not any(c in FROM_SUPERSCRIPT for c in map(ord, text)):
        return float(text)
    mantissa, _, power = text.rpartition("×")
    assert power.startswith("10"), text
    return float(mantissa or 1) * 10.0 ** int(power[2:].translate(FROM_SUPERSCRIPT))


def drawn_labels(qtbot, axis: pg.AxisItem, low: float, high: float, height: int):
    """(text, rect of its text) of each label ``axis`` draws on a log plot from ``low`` to ``high``."""
    widget = pg.PlotWidget(axisItems={"left": axis})
    qtbot.addWidget(widget)
    widget.resize(320, height)
    plot = widget.getPlotItem()
    plot.setLogMode(x=False, y=True)
    plot.plot(np.arange(50.0), np.geomspace(low, high, 50))
    plot.setYRange(math.log10(low), math.log10(high), padding=0.02)
    widget.show()
    qtbot.waitExposed(widget)
    for _ in range(3):  # a paint widens the axis to its labels; the next lays them out in that width
        widget.grab()
        QApplication.processEvents()
    image = QImage(400, 1000, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        _axis, _ticks, texts = axis.generateDrawSpecs(painter)
        metrics = QFontMetricsF(painter.font())
    finally:
        painter.end()
    r0, r1 = axis.range
    length = axis.mapRectFromParent(axis.geometry()).height()
    labels = []
    for rect, _flags, text in texts:
        y = length * (r1 - math.log10(value_of(text))) / (r1 - r0)  # where the value is on the axis
        assert abs(rect.center().y() - y) < 1.0, (text, rect.center().y(), y)
        width, text_height = metrics.horizontalAdvance(text), metrics.height()
        labels.append((text, QRectF(rect.right() - width, y - text_height / 2, width, text_height)))
    return labels


def overlapping(labels) -> list[tuple[str, str]]:
    return [(a, b) for i, (a, ra) in enumerate(labels) for b, rb in labels[i + 1:] if ra.intersects(rb)]


@pytest.mark.parametrize("height", [120, 170, 420])
@pytest.mark.parametrize(("low", "high"), RANGES)
def test_no_two_labels_of_a_log_axis_overlap(qtbot, low, high, height):
    labels = drawn_labels(qtbot, DecadeAxis("left"), low, high, height)
    assert overlapping(labels) == []
    assert len(labels) >= 2, labels  # thinned, not emptied: the axis still reads


def test_pyqtgraphs_own_axis_piles_minor_labels_up(qtbot):
    """The check above finds the fault reported: a plain log axis of a 150 px plot stacks labels."""
    assert overlapping(drawn_labels(qtbot, pg.AxisItem("left"), 0.05, 3.0, 150))


def test_an_axis_narrower_than_a_decade_reads_its_values_to_the_digits_its_ticks_need(qtbot):
    texts = [text for text, _ in drawn_labels(qtbot, DecadeAxis("left"), 0.93, 0.99, 420)]
    assert sorted(texts, key=float) == ["0.93", "0.94", "0.95", "0.96", "0.97", "0.98", "0.99"]
    texts = [text for text, _ in drawn_labels(qtbot, DecadeAxis("left"), 0.0008, 0.0012, 420)]
    assert {"8×10⁻⁴", "9×10⁻⁴", "10⁻³", "1.1×10⁻³", "1.2×10⁻³"} <= set(texts)
    assert "8.5×10⁻⁴" in texts and all(abs(value_of(t) / 5e-5 - round(value_of(t) / 5e-5)) < 1e-6 for t in texts)


def test_a_tall_axis_of_three_decades_labels_its_decades_first(qtbot):
    texts = [text for text, _ in drawn_labels(qtbot, DecadeAxis("left"), 0.009, 1.1, 420)]
    assert texts[:3] == ["0.01", "0.1", "1"] and len(texts) > 3  # then 2 and 5 times a decade
    texts = [text for text, _ in drawn_labels(qtbot, DecadeAxis("left"), 0.0009, 1.1, 420)]
    assert texts[:4] == ["10⁻³", "10⁻²", "10⁻¹", "10⁰"]  # below 0.001: powers of ten, all of them


def test_tick_texts_carry_the_digits_asked_for():
    assert [tick_text(x, False, 2) for x in (0.94, 0.0011, 12.0)] == ["0.94", "0.0011", "12"]
    assert [tick_text(x, True, 2) for x in (8e-4, 1e-3, 1.2e-3)] == ["8.0×10⁻⁴", "10⁻³", "1.2×10⁻³"]


def test_the_parameter_plots_use_the_axis_that_thins_its_labels(qtbot):
    from training_helpers import open_example

    plots = ParamPlots(TrainingSession(open_example("xor")))
    qtbot.addWidget(plots)
    plots.show()  # the small plots are made when shown
    plots.show_run(None)
    assert plots.curves
    for i in range(len(plots.curves)):
        assert isinstance(plots.layout_widget.getItem(i // 3, i % 3).getAxis("left"), DecadeAxis)
