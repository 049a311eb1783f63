"""The dataset editor's small preview: a scatter of two chosen columns coloured by class (the
label field's class of each row), or a histogram of one column; at most PREVIEW_ROWS rows drawn."""
from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QTimer
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.dataset.model import column_titles
from core.data.dataset import Dataset

PREVIEW_ROWS = 5000
COLOURS = [(31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189),
           (140, 86, 75), (227, 119, 194), (127, 127, 127), (188, 189, 34), (23, 190, 207)]
HISTOGRAM = "(histogram)"


def row_classes(dataset: Dataset) -> np.ndarray | None:
    """The class of each row from a one-hot field or a field of class indices named ``t``, if any."""
    t = dataset.fields.get("t")
    if t is None:
        return None
    flat = t.reshape(t.shape[0], -1)
    if flat.shape[1] > 1 and np.all((flat == 0) | (flat == 1)):
        return np.asarray(np.argmax(flat, axis=1))
    if flat.shape[1] == 1 and np.all(flat == np.round(flat)) and len(np.unique(flat)) <= len(COLOURS):
        return flat[:, 0].astype(int) - int(flat.min())
    return None


class PreviewPlot(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dataset: Dataset | None = None
        self._columns: list[tuple[str, int, str]] = []
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        pick = QHBoxLayout()
        self.x_combo, self.y_combo = QComboBox(), QComboBox()
        for label, combo in (("Preview", self.x_combo), ("against", self.y_combo)):
            pick.addWidget(QLabel(label))
            pick.addWidget(combo, 1)
            combo.currentIndexChanged.connect(self.redraw)
        box.addLayout(pick)
        self._box = box
        self.plot: Any = None  # a pyqtgraph PlotWidget, made when first in view: pyqtgraph loads then, not at start
        self.setMinimumHeight(170)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.plot is None:
            QTimer.singleShot(0, self._make_plot)  # not while painting

    def _make_plot(self) -> None:
        if self.plot is not None:
            return
        import pyqtgraph as pg

        self.plot = pg.PlotWidget()
        self.plot.setMinimumHeight(140)
        self.plot.setBackground("w")
        self._box.addWidget(self.plot, 1)
        self.redraw()

    def set_dataset(self, dataset: Dataset | None) -> None:
        self.dataset = dataset
        self._columns = column_titles(dataset) if dataset is not None else []
        titles = [c[2] for c in self._columns]
        features = [i for i, c in enumerate(self._columns) if c[0] != "t"] or list(range(len(titles)))
        for combo in (self.x_combo, self.y_combo):
            combo.blockSignals(True)
            combo.clear()
        self.x_combo.addItems(titles)
        self.y_combo.addItems([HISTOGRAM, *titles])
        if features:
            self.x_combo.setCurrentIndex(features[0])
            self.y_combo.setCurrentIndex(features[1] + 1 if len(features) > 1 else 0)
        for combo in (self.x_combo, self.y_combo):
            combo.blockSignals(False)
        self.redraw()

    def _values(self, index: int) -> np.ndarray:
        assert self.dataset is not None
        name, c, _ = self._columns[index]
        arr = self.dataset.fields[name]
        return arr.reshape(arr.shape[0], -1)[: PREVIEW_ROWS, c]

    def redraw(self) -> None:
        if self.plot is None:
            return
        import pyqtgraph as pg

        self.plot.clear()
        if self.dataset is None or not self._columns or self.x_combo.currentIndex() < 0:
            return
        x = self._values(self.x_combo.currentIndex())
        y_index = self.y_combo.currentIndex() - 1
        if y_index < 0:
            counts, edges = np.histogram(x, bins=min(30, max(1, len(np.unique(x)))))
            self.plot.addItem(pg.BarGraphItem(x0=edges[:-1], x1=edges[1:], height=counts, brush=COLOURS[0]))
            return
        y = self._values(y_index)
        classes = row_classes(self.dataset)
        brushes = None
        if classes is not None:
            classes = classes[: PREVIEW_ROWS]
            brushes = [pg.mkBrush(*COLOURS[int(k) % len(COLOURS)], 170) for k in classes]
        self.plot.addItem(pg.ScatterPlotItem(x=x, y=y, size=6, pen=None,
                                             brush=brushes if brushes is not None else pg.mkBrush(*COLOURS[0], 170)))
