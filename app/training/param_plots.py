"""For each trainable parameter of the latest run: its norm and its gradient's norm over the updates.

The worker samples both every few updates (an extra forward and backward pass on the current
weights, see :func:`app.training.worker._sample`); the plots redraw on the session's tick.
"""
from __future__ import annotations

import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from app.training.log_ticks import DecadeAxis
from app.training.plot_style import BACKGROUND, FOREGROUND, style_plot
from app.training.runs import RUNNING, Run
from app.training.session import TrainingSession

REFRESH_SECONDS = 0.25
COLUMNS = 3
ROW_HEIGHT = 170  # px: a small plot (with its "update" label) lower than this flattens its curves
WEIGHT_PEN = "#1f77b4"
GRAD_PEN = "#d62728"
NOTE = "Train to see each parameter's norm ‖w‖ and its gradient's norm ‖∂L/∂w‖."
MAX_PLOTS = 24  # a plot costs tens of milliseconds to make: a graph of 1,250 parameters froze the window 52 s


class ParamPlots(QWidget):
    """A grid of small log-scale plots, one per parameter (the first :data:`MAX_PLOTS`); ``refreshed``
    after each redraw."""

    refreshed = Signal()

    def __init__(self, session: TrainingSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.layout_widget = pg.GraphicsLayoutWidget()
        self.layout_widget.setBackground(BACKGROUND)
        self.layout_widget.setObjectName("parameterPlots")
        self.note = QLabel(NOTE)
        self.note.setWordWrap(True)
        self.note.setMinimumWidth(0)
        scroll = self.plots_area = QScrollArea()  # a low dock scrolls the rows of plots rather than squashing them
        scroll.setWidget(self.layout_widget)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.note)
        layout.addWidget(scroll, 1)
        self.run: Run | None = None
        self.curves: dict[str, tuple[pg.PlotDataItem, pg.PlotDataItem]] = {}
        self.names: list[str] = []  # the parameters whose plots are to be shown
        self._last = 0.0
        self._drawn = -1
        session.runStarted.connect(self.show_run)
        session.runsChanged.connect(self._on_runs_changed)
        session.documentChanged.connect(lambda: self.show_run(session.last_run()))
        session.ticked.connect(self._on_tick)

    def show_run(self, run: Run | None) -> None:
        """Show ``run``'s parameters (None: the document's, empty, until it trains); the small
        plots are kept when the names repeat."""
        self.run = run
        self._drawn = -1
        if run is not None and run.params is not None:
            names = run.params.names
        else:
            document = self.session.document
            names = [p.id for p in document.graph.parameters() if p.trainable] if document is not None else []
        self.names = names[:MAX_PLOTS]  # the small plots are made when the tab is shown (not at Train)
        more = f" (the first {MAX_PLOTS} of {len(names):,} parameters)" if len(names) > MAX_PLOTS else ""
        if run is None:
            self.note.setText(NOTE + more)
        else:
            self.note.setText(
                f"Run {run.number}: the norm of each parameter <b style='color:{WEIGHT_PEN}'>‖w‖</b> and of its "
                f"gradient <b style='color:{GRAD_PEN}'>‖∂L/∂w‖</b> at the weights after each update (log scale){more}"
            )
        self.redraw()

    def _build(self, names: list[str]) -> None:
        self.layout_widget.clear()
        self.curves = {}
        for i, name in enumerate(names):
            item = self.layout_widget.addPlot(row=i // COLUMNS, col=i % COLUMNS,
                                              axisItems={"left": DecadeAxis("left")})  # labels that never overlap
            item.setTitle(name, color=FOREGROUND, size="10pt")
            style_plot(item, bottom="update")  # every plot says what its x axis is
            item.setLogMode(x=False, y=True)
            weight = item.plot(pen=pg.mkPen(WEIGHT_PEN, width=1.5))
            grad = item.plot(pen=pg.mkPen(GRAD_PEN, width=1.5))
            self.curves[name] = (weight, grad)
        rows = (len(names) + COLUMNS - 1) // COLUMNS
        self.layout_widget.setMinimumHeight(rows * ROW_HEIGHT)

    def redraw(self) -> None:
        """Give the curves the samples of the run shown (when this tab is shown; else when it is next)."""
        self._last = time.perf_counter()
        if not self.isVisible():
            return
        if self.names != list(self.curves):
            self._build(self.names)
        trace = self.run.params if self.run is not None else None
        n = len(trace.updates) if trace is not None else 0
        self.plots_area.setVisible(n > 0)  # no samples: the note alone, no empty axes with made-up ticks
        if n == self._drawn:
            return
        for name, (weight, grad) in self.curves.items():
            if trace is None:
                weight.setData([], [])
                grad.setData([], [])
            else:
                x, w, g = trace.arrays(name)
                weight.setData(x, _positive(w))
                grad.setData(x, _positive(g))
        self._drawn = n
        self.refreshed.emit()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.redraw()

    def _on_tick(self) -> None:
        if time.perf_counter() - self._last >= REFRESH_SECONDS or self.session.state != RUNNING:
            self.redraw()

    def _on_runs_changed(self) -> None:
        if self.run is not None and self.run not in self.session.runs:
            self.show_run(self.session.last_run())



def _positive(values: np.ndarray) -> np.ndarray:
    """Zeros, negatives and overflows become gaps: a log axis cannot show them."""
    return np.where(np.isfinite(values) & (values > 0), values, np.nan)
