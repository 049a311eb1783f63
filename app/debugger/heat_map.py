"""A matrix as colours (pyqtgraph): imported when the first matrix is shown, not at start."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QWidget


class HeatMap(pg.GraphicsLayoutWidget):
    """A matrix as colours: a diverging map centred on 0 for signed data."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFixedHeight(90)
        self.setBackground("w")
        self.view = self.addViewBox(lockAspect=False, enableMouse=False)
        self.view.invertY(True)
        self.image = pg.ImageItem()
        self.view.addItem(self.image)
        self._diverging = pg.colormap.get("CET-D1")
        self._sequential = pg.colormap.get("viridis")

    def set_array(self, grid: np.ndarray) -> None:
        data = np.nan_to_num(np.asarray(grid, dtype=float), nan=0.0, posinf=0.0, neginf=0.0)
        lo, hi = float(data.min()), float(data.max())
        if lo < 0 < hi:
            m = max(-lo, hi)
            cmap, levels = self._diverging, (-m, m)
        else:
            cmap, levels = self._sequential, (lo, hi if hi > lo else lo + 1.0)
        self.image.setLookupTable(cmap.getLookupTable(nPts=256))
        self.image.setImage(data.T, levels=levels, autoLevels=False)
        self.view.autoRange(padding=0.0)
