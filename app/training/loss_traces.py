"""What the loss plot keeps per run: its curves, the bounds and running sums of what it drew.

A run's loss curve is drawn in pieces of ``PIECE`` updates, each its own item, each piece sharing
its last point with the next so the line is unbroken. A tick gives new data to the last piece
only (and to any piece completed since): the work of a tick is bounded by the piece's size, not
by the run's length (one curve given all the data again made a tick cost 4.6 ms at 750,000
updates against 0.4 ms at 10,000), and only the last piece's area of the plot is repainted."""
from __future__ import annotations

import math
from typing import Any

import numpy as np
import pyqtgraph as pg

from app.training.plot_style import colour
from app.training.runs import Run

PIECE = 32_768  # updates in each piece of a run's curve


def centred_mean(cumsum: np.ndarray, n: int, half: int) -> np.ndarray:
    """At each index i of the first ``n`` values, the mean of values i − h … i + h with
    h = min(``half``, i, n − 1 − i), from ``cumsum`` (with a leading 0).

    The window shrinks alike on both sides near the ends, so the smoothed curve is not shifted:
    a trailing mean would draw every change ``half`` updates late.
    """
    i = np.arange(n)
    h = np.minimum(half, np.minimum(i, n - 1 - i))
    return (cumsum[i + h + 1] - cumsum[i - h]) / (2 * h + 1)


class Trace:
    """A run's curve (its pieces; ``curve`` is the first, the legend's), its smoothed curve (made
    when first needed), and what was drawn."""

    def __init__(self, run: Run) -> None:
        self.run = run
        self._pen: Any = pg.mkPen(colour(run.colour), width=1)
        self._visible = True
        self._skip_finite = True  # no finite check of the points: a log axis needs one (log10 of 0)
        self.curve = self._new_piece()
        self.pieces = [self.curve]
        self._complete = 0  # pieces holding all their points (never given data again)
        self.smooth: pg.PlotDataItem | None = None
        self.faint: object = None  # how the curve is drawn: faint under its smoothed line, dimmed
        self.drawn = -1  # run.count at the last draw
        self.shown = 0  # points given to the curve
        self.lo = self.lo_positive = math.inf  # bounds of the finite losses shown
        self.hi = -math.inf
        self._cumsum = np.zeros(1)
        self._summed = 0

    def _new_piece(self) -> pg.PlotDataItem:
        piece = pg.PlotDataItem(pen=self._pen, skipFiniteCheck=self._skip_finite)
        piece.setVisible(self._visible)
        return piece

    def show_points(self, plot: pg.PlotItem, x: np.ndarray, y: np.ndarray) -> None:
        """Give the curve the points ``x``, ``y`` (the first ``len(y)`` losses; the points already
        given are the same): the pieces not complete get theirs, new pieces are added to ``plot``."""
        n = len(y)
        wanted = max(1, -(-(n - 1) // PIECE))  # pieces for n points, each sharing its last one with the next
        while len(self.pieces) < wanted:
            piece = self._new_piece()
            plot.addItem(piece)
            self.pieces.append(piece)
        for k in range(self._complete, wanted):
            end = min((k + 1) * PIECE + 1, n)
            self.pieces[k].setData(x[k * PIECE : end], y[k * PIECE : end])
            if end == (k + 1) * PIECE + 1:
                self._complete = k + 1

    def data(self) -> tuple[np.ndarray, np.ndarray]:
        """The (update, loss) points the pieces hold, as one curve."""
        xs, ys = [], []
        for k, piece in enumerate(self.pieces):
            x, y = piece.getOriginalDataset()
            if x is None:
                continue
            skip = 1 if k else 0  # the point it shares with the piece before
            xs.append(np.asarray(x)[skip:])
            ys.append(np.asarray(y)[skip:])
        return (np.concatenate(xs), np.concatenate(ys)) if xs else (np.array([]), np.array([]))

    def set_pen(self, pen: Any) -> None:
        self._pen = pen
        for piece in self.pieces:
            piece.setPen(pen)

    def set_visible(self, visible: bool) -> None:
        self._visible = visible
        for piece in self.pieces:
            piece.setVisible(visible)

    def set_skip_finite_check(self, skip: bool) -> None:
        self._skip_finite = skip
        for piece in self.pieces:
            piece.setSkipFiniteCheck(skip)

    def smooth_item(self, plot: pg.PlotItem) -> pg.PlotDataItem:
        if self.smooth is None:
            self.smooth = pg.PlotDataItem(pen=pg.mkPen(colour(self.run.colour), width=2))
            plot.addItem(self.smooth)
        return self.smooth

    def remove_from(self, plot: pg.PlotItem) -> None:
        for piece in self.pieces:
            plot.removeItem(piece)
        if self.smooth is not None:
            plot.removeItem(self.smooth)

    def take_bounds(self, new: np.ndarray) -> None:
        """Widen the bounds by newly drawn losses."""
        new = new[np.isfinite(new)]
        if new.size:
            self.lo, self.hi = min(self.lo, float(new.min())), max(self.hi, float(new.max()))
            positive = new[new > 0]
            if positive.size:
                self.lo_positive = min(self.lo_positive, float(positive.min()))

    def smoothed(self, n: int, window: int) -> np.ndarray:
        """The centred mean over ``window`` updates (odd) of the first ``n`` losses; the running sum
        grows only by what is new."""
        if len(self._cumsum) < n + 1:
            grown = np.zeros(max(n + 1, 2 * len(self._cumsum)))
            grown[: self._summed + 1] = self._cumsum[: self._summed + 1]
            self._cumsum = grown
        if n > self._summed:
            new = self.run.losses[self._summed : n]
            self._cumsum[self._summed + 1 : n + 1] = self._cumsum[self._summed] + np.cumsum(new)
            self._summed = n
        return centred_mean(self._cumsum, n, window // 2)
