"""Held-out curves: a dashed held-out loss curve per run on the loss plot, and the Accuracy tab
(training and held-out accuracy of a classification objective, in percent, per run)."""
from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.training.legend_rows import LegendRows, legend_area
from app.training.plot_style import add_legend, colour, make_plot, pen_colour
from app.training.runs import Run
from app.training.session import TrainingSession

DASH = Qt.PenStyle.DashLine


class HeldOutCurves:
    """One dashed curve per run that measures held-out rows, drawn on ``plot``."""

    def __init__(self, plot: pg.PlotItem) -> None:
        self.plot = plot
        self._curves: dict[int, tuple[Run, pg.PlotDataItem]] = {}
        self._drawn: dict[int, int] = {}
        self._bounds: dict[int, tuple[float, float]] = {}  # (lowest, highest) finite held-out loss drawn

    def sync(self, runs: list[Run]) -> None:
        wanted = {r.number: r for r in runs if r.evals is not None and r.evals.held_out}
        for number in [n for n in self._curves if n not in wanted]:
            self.plot.removeItem(self._curves.pop(number)[1])
            self._drawn.pop(number, None)
            self._bounds.pop(number, None)
        for number, run in wanted.items():
            if number not in self._curves:
                curve = pg.PlotDataItem(pen=pg.mkPen(colour(run.colour), width=2, style=DASH))
                self.plot.addItem(curve)
                self._curves[number] = (run, curve)
            self._curves[number][1].setVisible(run.visible)

    def redraw(self) -> None:
        for number, (run, curve) in self._curves.items():
            assert run.evals is not None
            n = len(run.evals.updates)
            if self._drawn.get(number) != n:
                data = run.evals.arrays()
                keep = np.isfinite(data["test_loss"])
                curve.setData(data["updates"][keep], data["test_loss"][keep])
                self._drawn[number] = n
                finite = data["test_loss"][keep]
                if finite.size:
                    self._bounds[number] = (float(finite.min()), float(finite.max()))

    def curve(self, run: Run) -> pg.PlotDataItem | None:
        entry = self._curves.get(run.number)
        return entry[1] if entry is not None else None

    def bounds(self) -> tuple[float, float] | None:
        """(lowest, highest) held-out loss drawn for the visible runs, for fitting the view (kept
        per curve when it is drawn: a tick reads one pair per run, never the points)."""
        pairs = [self._bounds[n] for n, (run, _) in self._curves.items() if run.visible and n in self._bounds]
        return (min(lo for lo, _ in pairs), max(hi for _, hi in pairs)) if pairs else None

    def legend_entries(self, labels: dict[int, str], number: int) -> list[tuple[object, str]]:
        """Run ``number``'s held-out curve and its label (none when it has none or is hidden)."""
        found = self._curves.get(number)
        if found is None or not found[0].visible or number not in labels:
            return []
        return [(found[1], f"{labels[number]} (held out)")]


class AccuracyPlot(QWidget):
    """Training (solid) and held-out (dashed) accuracy of each run with a classification objective;
    another document's runs are dimmed and named by their file, and the readout is this document's."""

    def __init__(self, session: TrainingSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.plot_widget = make_plot(bottom="update", left="accuracy (%)")
        self.plot_widget.setObjectName("accuracyPlot")
        self.plot = self.plot_widget.getPlotItem()
        self.plot.setYRange(0, 100)
        self.legend = add_legend(self.plot)
        self._legend = LegendRows(self.legend)
        self.readout = QLabel(" ")
        self.readout.setObjectName("accuracyReadout")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.plot_widget, 1)
        layout.addWidget(self.readout)
        self._items: dict[tuple[int, str], pg.PlotDataItem] = {}
        self._drawn: dict[int, int] = {}
        session.runsChanged.connect(self.sync)
        session.ticked.connect(self.redraw)
        session.runFinished.connect(lambda *_: self.redraw())
        session.runMeasured.connect(lambda *_: self.redraw())
        self.plot.getViewBox().sigResized.connect(lambda *_: self._relabel())  # as many rows as the height holds
        self.sync()

    def runs(self) -> list[Run]:
        return [r for r in self.session.runs if r.evals is not None and r.evals.classifier]

    def has_runs(self) -> bool:
        return bool(self.runs())

    def sync(self) -> None:
        for item in self._items.values():
            self.plot.removeItem(item)
        self._items.clear()
        self._drawn.clear()
        for run in self.runs():
            assert run.evals is not None
            kinds = [("train_accuracy", Qt.PenStyle.SolidLine)]
            if run.evals.held_out:
                kinds.append(("test_accuracy", DASH))
            for key, style in kinds:
                own = self.session.owns(run)
                item = pg.PlotDataItem(pen=pg.mkPen(pen_colour(run.colour, own), width=2, style=style))
                item.setVisible(run.visible)
                self.plot.addItem(item)
                self._items[(run.number, key)] = item
        self._relabel()
        self.redraw()

    def _relabel(self) -> None:
        """The legend lists this document's runs newest first, then the others, as the room allows
        (:mod:`.legend_rows`)."""
        labels = self.session.labels()

        def entries(run: Run) -> list[tuple[object, str, str]]:
            n = run.number
            return [(self._items[(n, key)], f"{labels[n]} ({word})", f"Run {n} ({word})")
                    for key, word in (("train_accuracy", "training"), ("test_accuracy", "held out"))
                    if (n, key) in self._items]

        self._legend.show(self._legend.rows_for(self.runs(), self.session.owns, entries, *legend_area(self.plot)))

    def curve_data(self, run: Run, key: str) -> tuple[np.ndarray, np.ndarray]:
        x, y = self._items[(run.number, key)].getOriginalDataset()
        return (np.array([]), np.array([])) if x is None else (x, y)

    def redraw(self) -> None:
        for run in self.runs():
            assert run.evals is not None
            n = len(run.evals.updates)
            if self._drawn.get(run.number) == n:
                continue
            data = run.evals.arrays()
            for (number, key), item in self._items.items():
                if number == run.number:
                    keep = np.isfinite(data[key])
                    item.setData(data["updates"][keep], 100.0 * data[key][keep])
            self._drawn[run.number] = n
        runs = [r for r in self.runs() if self.session.owns(r)]
        last = runs[-1].evals.last() if runs and runs[-1].evals is not None else {}
        if last:  # the latest measurement, and the update it was taken after
            parts = [f"Run {runs[-1].number} at update {int(last['update']):,}: "
                     f"training {100 * last['train_accuracy']:.1f}%"]
            if math.isfinite(last["test_accuracy"]):
                parts.append(f"held out {100 * last['test_accuracy']:.1f}%")
            self.readout.setText(", ".join(parts))
        else:
            self.readout.setText(" ")
