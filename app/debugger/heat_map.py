"""A matrix as colours (pyqtgraph): imported when the first matrix is shown, not at start."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QWidget

MAX_CELLS = 1024  # rows (and columns) drawn at most: every k-th one of a bigger matrix (the map is 90 px high)


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
        """Draw ``grid`` (2-D); of a million-row matrix a bounded sample of evenly spaced rows."""
        grid = np.asarray(grid)
        strides = tuple(-(-n // MAX_CELLS) for n in grid.shape[:2])
        data = np.nan_to_num(np.asarray(grid[:: strides[0], :: strides[1]], dtype=float),
                             nan=0.0, posinf=0.0, neginf=0.0)
        lo, hi = float(data.min()), float(data.max())
        if lo < 0 < hi:
            m = max(-lo, hi)
            cmap, levels = self._diverging, (-m, m)
        else:
            cmap, levels = self._sequential, (lo, hi if hi > lo else lo + 1.0)
        self.image.setLookupTable(cmap.getLookupTable(nPts=256))
        self.image.setImage(data.T, levels=levels, autoLevels=False)
        self.view.autoRange(padding=0.0)
