"""What the loss plot keeps per run (its curves, the bounds and running sums of what it drew), and a
legend that is edited in place rather than rebuilt (a rebuild costs milliseconds per entry)."""
from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg

from app.training.plot_style import colour
from app.training.runs import Run


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
    """A run's curve, its smoothed curve (made when first needed), and what was drawn."""

    def __init__(self, run: Run) -> None:
        self.run = run
        self.curve = pg.PlotDataItem(pen=pg.mkPen(colour(run.colour), width=1), skipFiniteCheck=True)
        self.smooth: pg.PlotDataItem | None = None
        self.faint: object = None  # how the curve is drawn: faint under its smoothed line, dimmed
        self.drawn = -1  # run.count at the last draw
        self.shown = 0  # points given to the curve
        self.lo = self.lo_positive = math.inf  # bounds of the finite losses shown
        self.hi = -math.inf
        self._cumsum = np.zeros(1)
        self._summed = 0

    def smooth_item(self, plot: pg.PlotItem) -> pg.PlotDataItem:
        if self.smooth is None:
            self.smooth = pg.PlotDataItem(pen=pg.mkPen(colour(self.run.colour), width=2))
            plot.addItem(self.smooth)
        return self.smooth

    def remove_from(self, plot: pg.PlotItem) -> None:
        plot.removeItem(self.curve)
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


class LegendEntries:
    """Keeps a LegendItem equal to a list of (item, label), appending and relabelling in place."""

    def __init__(self, legend: pg.LegendItem) -> None:
        self.legend = legend
        self._shown: list[tuple[object, str]] = []

    def show(self, wanted: list[tuple[object, str]]) -> None:
        items = [item for item, _ in wanted]
        shown_items = [item for item, _ in self._shown]
        if shown_items != items[: len(shown_items)]:
            self.legend.clear()
            self._shown = []
            shown_items = []
        for (item, text), (_, old) in zip(wanted, self._shown):
            if text != old:
                self.legend.getLabel(item).setText(text)
        for item, text in wanted[len(shown_items) :]:
            self.legend.addItem(item, text)
        self._shown = list(wanted)
        self.legend.setVisible(bool(wanted))  # an empty legend is an empty box

    def labels(self) -> list[str]:
        return [label.text for _, label in self.legend.items]
