"""Keeping the loss plot's view on the runs while they grow, with as few range changes as possible.

pyqtgraph's own auto-range moves both axes on every redraw of a growing curve, and each move
regenerates the axes' ticks: about 3 ms per axis, taken from the training thread's share of the
GIL. Here the x axis follows the updates done in steps (:func:`axis_end`: 10, 20, 50, 100, …, never
past the planned run), so a run of ten million updates stopped after five thousand is drawn across
the plot, and the y range changes only when the data leaves it (or fills less than half of it; on a
log axis, when it crosses a decade).
A zoom or pan with the mouse stops the following; the plot's "A" button brings it back.
"""
from __future__ import annotations

import math

import pyqtgraph as pg

PADDING = 0.03
STEPS = (1, 2, 5)  # the x axis's ends within a decade, times a power of ten
LEAST_END = 10  # updates: the x axis's shortest span


def axis_end(done: int, planned: int) -> int:
    """The x axis's end while a run of ``planned`` updates has done ``done``: the first of 10, 20,
    50, 100, 200, … at or past ``done``, or ``planned`` when that comes first; the curve fills at
    least two fifths of the width, and the range changes about three times a decade."""
    scale = 1
    while True:
        for step in STEPS:
            end = step * scale
            if end >= max(done, LEAST_END):
                return max(1, min(end, planned))
        scale *= 10


class RangeFollower:
    def __init__(self, plot: pg.PlotItem) -> None:
        self.plot = plot
        self.box = plot.getViewBox()
        self.following = True
        self.log_y = False
        self.refit = lambda: None  # set by the owner: recompute the data bounds and call fit()
        self._x: float | None = None
        self._y: tuple[float, float] | None = None
        self.box.disableAutoRange()
        self.box.sigRangeChangedManually.connect(self._on_manual)
        plot.autoBtn.clicked.disconnect()
        plot.autoBtn.clicked.connect(self.follow)

    def follow(self) -> None:
        """Follow the data again (the "A" button)."""
        self.following = True
        self._x = self._y = None
        self.refit()

    def forget(self) -> None:
        """Drop the remembered range: the next fit sets it afresh (runs removed, log toggled)."""
        self._x = self._y = None

    def fit(self, x_end: float, lo: float, hi: float) -> bool:
        """Show updates 1 … ``x_end`` and losses ``lo`` … ``hi``; True when the range changed."""
        if not self.following or not (math.isfinite(lo) and math.isfinite(hi)):
            return False
        y = self._y_range(lo, hi)
        if x_end == self._x and y == self._y:
            return False
        self._x, self._y = x_end, y
        self.box.setRange(xRange=(1.0, max(2.0, x_end)), yRange=y, padding=PADDING)
        return True

    def _y_range(self, lo: float, hi: float) -> tuple[float, float]:
        if self.log_y:
            bottom = math.floor(math.log10(lo))
            top = math.ceil(math.log10(hi))
            return (float(bottom), float(max(top, bottom + 1)))
        if self._y is not None:
            b, t = self._y
            if b <= min(lo, 0.0) and hi <= t and hi - b >= 0.5 * (t - b):
                return self._y
        low = 0.0 if lo >= 0 else lo
        return (low, hi if hi > low else low + 1.0)

    def _on_manual(self, *_args: object) -> None:
        self.following = False
