"""Export PNG… of the loss plot writes a slide-sized image (1920×1080, whatever the dock's size),
and a log axis writes all its ticks one way (powers of ten across 10⁻⁵ … 1, not 0.0001 beside 10⁻⁵)."""
from __future__ import annotations

import numpy as np
from PySide6.QtGui import QColor, QImage
from training_helpers import MAZUR, WAIT_MS, make_ui

from app.model.document import Document
from app.training.log_ticks import reads_as_powers, tick_text


def test_tick_texts_follow_the_axis_not_the_tick():
    assert [tick_text(x, True) for x in (1e-5, 2e-5, 1e-4, 1.0, 30.0)] == ["10⁻⁵", "2×10⁻⁵", "10⁻⁴", "10⁰", "3×10¹"]
    assert [tick_text(x, False) for x in (0.001, 0.002, 0.1, 1.0, 1000.0)] == ["0.001", "0.002", "0.1", "1", "1000"]
    assert reads_as_powers(-5.2, 0.1) and reads_as_powers(0.0, 5.0)
    assert not reads_as_powers(-2.9, 0.0) and not reads_as_powers(-3.0, 3.5)


def _mazur_plot(qtbot, size=(1200, 420)):
    ui = make_ui(qtbot, Document.open(MAZUR))
    ui.container.resize(*size)
    ui.session.document.graph.set_settings(ui.session.document.graph.settings.with_changes(steps=10_000))
    with qtbot.waitSignal(ui.session.runFinished, timeout=WAIT_MS):
        ui.session.train()
    loss = ui.plots.loss
    loss.redraw()
    qtbot.waitUntil(loss.log_y.isChecked)  # the loss spans four decades: log scale by itself
    return ui, loss


def test_log_axis_of_mazur_reads_as_powers_of_ten(qtbot):
    _, loss = _mazur_plot(qtbot)
    axis = loss.plot.getAxis("left")
    lo, hi = axis.range
    texts = []
    for spacing, values in axis.tickValues(lo, hi, axis.height()):
        texts += axis.tickStrings(values, axis.scale, spacing)
    shown = [t for t in texts if t]
    assert "10⁻⁵" in shown and "10⁻¹" in shown
    assert all(t.startswith("10") or "×10" in t for t in shown), shown  # no "0.0001" among them


def test_export_png_is_slide_sized_and_shows_the_curve(qtbot, tmp_path):
    ui, loss = _mazur_plot(qtbot)
    assert loss.plot_widget.width() < 1600  # the dock's plot is smaller than a slide
    path = tmp_path / "loss.png"
    assert loss.save_png(str(path))
    image = QImage(str(path))
    assert (image.width(), image.height()) == (1920, 1080)
    pixels = np.frombuffer(image.convertToFormat(QImage.Format.Format_RGB32).constBits(), np.uint32)
    run_colour = QColor(ui.session.runs[0].colour).rgb() & 0xFFFFFF
    assert np.count_nonzero((pixels & 0xFFFFFF) == run_colour) > 1000  # the run's curve, 2 px wide, across it
    assert loss.legend_labels() == ["Run 1: SGD, lr 0.5, batch 1"]  # the plot on screen is left as it was
    assert loss.plot_widget.width() < 1600
