"""Decision regions of a 2-D classifier: the predicted class on a grid, tinted by confidence,
under the dataset's points coloured by their class (a bounded sample of a big dataset's rows)."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QVBoxLayout, QWidget

from app.training.plot_style import make_plot
from app.training.probe import Probe
from app.training.sample import plotted_rows, sample_note

CLASS_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf")
GRID = 96
TINT = 0.55  # how strongly a fully confident region is coloured (the rest is white)


def _rgb(hex_text: str) -> np.ndarray:
    c = QColor(hex_text)
    return np.array([c.red(), c.green(), c.blue()], dtype=float)


def region_image(probs: np.ndarray, n: int) -> np.ndarray:
    """An n × n × 3 RGB image (uint8): each cell the colour of its likeliest class, paler when unsure."""
    k = probs.shape[1]
    palette = np.stack([_rgb(CLASS_COLOURS[i % len(CLASS_COLOURS)]) for i in range(k)])
    best = np.argmax(probs, axis=1)
    top = probs[np.arange(len(best)), best]
    sure = np.clip((top - 1.0 / k) / (1.0 - 1.0 / k), 0.0, 1.0)[:, None] * TINT
    rgb = (1.0 - sure) * 255.0 + sure * palette[best]
    rgb = np.nan_to_num(rgb, nan=255.0)
    return rgb.reshape(n, n, 3).astype(np.uint8)


def class_scores(probe: Probe, weights: dict[str, np.ndarray], x: np.ndarray) -> np.ndarray:
    """Per-row class probabilities (outputs that are not probabilities are clipped and normalised)."""
    p = probe.probabilities(weights, x)
    assert probe.task is not None
    if probe.task.probabilities == "none":
        p = np.clip(p, 0.0, None)
        total = p.sum(axis=1, keepdims=True)
        p = np.where(total > 0, p / np.where(total > 0, total, 1.0), 1.0 / p.shape[1])
    return p


class DecisionView(QWidget):
    """The regions as an ImageItem under a ScatterPlotItem of the data."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot_widget = make_plot(bottom="x₁ (feature 1)", left="x₂ (feature 2)")
        self.plot_widget.setObjectName("decisionPlot")
        self.plot = self.plot_widget.getPlotItem()
        self.image = pg.ImageItem(axisOrder="col-major")
        self.points = pg.ScatterPlotItem(size=7, pen=pg.mkPen("#ffffff", width=1))
        self.plot.addItem(self.image)
        self.plot.addItem(self.points)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot_widget)
        self._grid: np.ndarray | None = None
        self._rect = QRectF(0.0, 0.0, 1.0, 1.0)

    def set_probe(self, probe: Probe) -> None:
        """Show ``probe``'s dataset points and prepare the grid over them."""
        task = probe.task
        assert task is not None
        data = probe.graph.dataset
        assert data is not None
        rows = plotted_rows(data.rows)
        x = data.fields[task.feature_field][rows]
        t = data.fields[task.target_field][rows]
        labels = t.astype(int) if t.ndim == 1 else np.argmax(t, axis=1)
        palette = [pg.mkBrush(colour) for colour in CLASS_COLOURS]  # shared: one drawn symbol per class
        brushes = [palette[c % len(palette)] for c in labels]
        self.points.setData(x=x[:, 0], y=x[:, 1], brush=brushes)
        self.plot.setTitle(sample_note(data.rows) or None)
        self._grid, rect = probe.grid_inputs(GRID)
        self._rect = QRectF(*rect)
        self.plot.setRange(self._rect, padding=0.02)  # the data fills the pane

    def draw(self, probe: Probe, weights: dict[str, np.ndarray]) -> np.ndarray:
        """Evaluate the classifier on the grid with ``weights`` and show it; returns the image."""
        if self._grid is None:
            self.set_probe(probe)
        assert self._grid is not None
        image = region_image(class_scores(probe, weights, self._grid), GRID)
        self.image.setImage(image, levels=(0, 255), autoLevels=False, rect=self._rect)
        return image
