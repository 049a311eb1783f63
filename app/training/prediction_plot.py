"""A 1-D regression: the model's prediction against the target, over the input's range (the
targets of a bounded sample of a big dataset's rows)."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QVBoxLayout, QWidget

from app.training.plot_style import add_legend, make_plot
from app.training.probe import Probe
from app.training.sample import plotted_rows, sample_note

POINTS = 200


class PredictionView(QWidget):
    """The dataset's targets as points and line, the prediction on a dense grid as a second line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot_widget = make_plot(bottom="x (input)", left="y")
        self.plot_widget.setObjectName("predictionPlot")
        self.plot = self.plot_widget.getPlotItem()
        add_legend(self.plot)
        self.target = self.plot.plot(
            pen=pg.mkPen("#7f7f7f", width=1.5), symbol="o", symbolSize=5,
            symbolBrush="#7f7f7f", symbolPen=None, name="target",
        )
        self.prediction = self.plot.plot(pen=pg.mkPen("#d62728", width=2.5), name="prediction")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot_widget)
        self._grid: np.ndarray | None = None

    def set_probe(self, probe: Probe) -> None:
        task = probe.task
        assert task is not None and probe.graph.dataset is not None
        data = probe.graph.dataset
        rows = plotted_rows(data.rows)
        field = data.fields[task.feature_field]
        x = field[rows].reshape(-1)
        t = data.fields[task.target_field][rows].reshape(-1)
        order = np.argsort(x, kind="stable")
        self.target.setData(x[order], t[order])
        self.plot.setTitle(sample_note(data.rows) or None)
        self._grid = np.linspace(field.min(), field.max(), POINTS).reshape((-1,) + field.shape[1:])

    def draw(self, probe: Probe, weights: dict[str, np.ndarray]) -> np.ndarray:
        if self._grid is None:
            self.set_probe(probe)
        assert self._grid is not None
        y = np.asarray(probe.predict(weights, self._grid), dtype=float).reshape(-1)
        self.prediction.setData(self._grid.reshape(-1), y)
        return y
