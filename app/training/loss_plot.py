"""The loss against the update number: one curve per run, redrawn on the session's tick.

Log-y toggle, an optional smoothed line (a centred mean), a crosshair with a read-out of
(update, loss), mouse zoom and pan, a view that follows the runs (:mod:`.view_follow`) until the
person zooms, and downsampling with clip-to-view for long runs. Until the first run it shows one
line saying what will appear, not empty axes.
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.training.auto_log import AutoLog
from app.training.export import write_runs_csv
from app.training.heldout_plot import HeldOutCurves
from app.training.legend_rows import LegendRows, Row, legend_area
from app.training.loss_traces import Trace
from app.training.plot_style import FOREGROUND, add_legend, colour, make_plot
from app.training.run_list import RunList
from app.training.runs import Run
from app.training.session import TrainingSession
from app.training.slide_export import LAYOUT, export_slide
from app.training.view_follow import RangeFollower, axis_end
from app.window import file_dialogs

DEFAULT_WINDOW = 51  # updates: odd, so the window is centred on an update
SLIDE_LEGEND = LAYOUT * 0.75  # the room a slide's legend has (its axes take the rest)
PLACEHOLDER = "Train (Ctrl+T) to see the loss fall here."


class LossPlot(QWidget):
    """Draws the session's runs; ``redrawn`` after each draw (for tests and benchmarks)."""

    redrawn = Signal()
    window: QSpinBox  # type: ignore[assignment]  # the smoothing window; hides QWidget.window()

    def __init__(self, session: TrainingSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.plot_widget = make_plot(bottom="update", left="loss")
        self.plot_widget.setObjectName("lossPlot")
        self.plot = self.plot_widget.getPlotItem()
        self.plot.setDownsampling(auto=True, mode="peak")
        self.plot.setClipToView(True)
        self.legend = add_legend(self.plot)
        self._legend = LegendRows(self.legend)
        self.follower = RangeFollower(self.plot)
        self.follower.refit = self._fit
        self._x = np.arange(1, 2, dtype=float)
        self._traces: dict[int, Trace] = {}
        self.held_out = HeldOutCurves(self.plot)  # dashed: the loss on the held-out rows
        self._crosshair()

        self.log_y = QCheckBox("Log scale")
        self.log_y.setToolTip("Logarithmic loss axis (on by itself when the loss spans more than two decades)")
        self.auto_log = AutoLog(self.log_y)
        self.smoothing = QCheckBox("Smoothed (centred)")
        self.smoothing.setToolTip(
            "Draw over each curve the mean of the losses in a window centred on each update; "
            "the window narrows near both ends, so the line is not shifted to later updates"
        )
        self.window = QSpinBox()
        self.window.setRange(3, 100_001)
        self.window.setSingleStep(2)
        self.window.setValue(DEFAULT_WINDOW)
        self.window.setSuffix(" updates")
        self.window.setToolTip("Width of the centred window (an odd number of updates)")
        self.window.setKeyboardTracking(False)
        self.window.setEnabled(False)
        self.readout = QLabel(" ")
        self.readout.setObjectName("lossReadout")
        self.readout.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.png_button = QPushButton("Export PNG…")
        self.png_button.setToolTip("Save the plot as a 1920×1080 PNG image (for a slide)")
        self.csv_button = QPushButton("Export CSV…")
        self.csv_button.setToolTip("Save every update of every run as CSV")
        self.runs = RunList(session)
        self.placeholder = QLabel(PLACEHOLDER)
        self.placeholder.setObjectName("lossPlaceholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.placeholder.setEnabled(False)  # drawn in the style's quiet colour

        controls = QHBoxLayout()
        for w in (self.log_y, self.smoothing, self.window):
            controls.addWidget(w)
        controls.addStretch(1)
        below = QHBoxLayout()  # the exports share the readout's line: the row above stays narrow
        below.addWidget(self.readout, 1)
        below.addWidget(self.png_button)
        below.addWidget(self.csv_button)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(controls)
        left_layout.addWidget(self.plot_widget, 1)
        left_layout.addLayout(below)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.runs)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(splitter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.stack)

        self.log_y.toggled.connect(self._on_log_toggled)
        self.smoothing.toggled.connect(self._on_smoothing_toggled)
        self.window.valueChanged.connect(self._on_window_changed)
        self.png_button.clicked.connect(self.ask_export_png)
        self.csv_button.clicked.connect(self.ask_export_csv)
        session.runsChanged.connect(self.sync)
        self.plot.getViewBox().sigResized.connect(lambda *_: self._relabel())  # as many rows as the height holds
        session.ticked.connect(self.redraw)
        session.runMeasured.connect(lambda *_: self.redraw())  # its held-out curve's last point
        self.sync()

    # ------------------------------------------------------------------ queries
    def curve(self, run: Run) -> pg.PlotDataItem:
        """The run's curve (its first piece, the one the legend shows)."""
        return self._traces[run.number].curve

    def curve_data(self, run: Run) -> tuple[np.ndarray, np.ndarray]:
        """The (update, loss) arrays the run's curve holds (all its pieces)."""
        return self._traces[run.number].data()

    def legend_labels(self) -> list[str]:
        return self._legend.labels()

    # ------------------------------------------------------------------ drawing
    def sync(self) -> None:
        """Curves for the session's runs: added, removed, shown or hidden; the legend relabelled."""
        runs = {r.number: r for r in self.session.runs}
        for number in [n for n in self._traces if n not in runs]:
            self._traces.pop(number).remove_from(self.plot)
        for run in self.session.runs:
            if run.number not in self._traces:
                trace = self._traces[run.number] = Trace(run)
                self.plot.addItem(trace.curve)
            self._style(self._traces[run.number])
        self.held_out.sync(self.session.runs)
        self._relabel()
        self.follower.forget()
        has_runs = bool(self.session.runs)
        if has_runs:
            self.stack.setCurrentIndex(1)  # for good: after Clear the axes stay, ready for the next run
        self.png_button.setEnabled(has_runs)
        self.csv_button.setEnabled(has_runs)
        self.redraw()

    def redraw(self) -> None:
        """Give every curve whose run has grown its new data."""
        for trace in self._traces.values():
            if trace.run.count != trace.drawn:
                self._draw(trace)
        self.held_out.redraw()
        self._fit()
        self.redrawn.emit()

    def _draw(self, trace: Trace) -> None:
        run = trace.run
        n = run.count
        if n == 0 and trace.shown == 0:  # a run that has not begun: its curve is empty already
            trace.drawn = 0
            return
        y = run.losses[:n]
        shown = n if n == 0 or np.isfinite(y[-1]) else n - 1  # the trainer ends on the first NaN or Inf
        x = self._xs(shown)
        trace.take_bounds(y[trace.shown : shown])
        trace.show_points(self.plot, x, y[:shown])
        if self.smoothing.isChecked():
            trace.smooth_item(self.plot).setData(x, trace.smoothed(shown, self.window.value()))
        trace.drawn, trace.shown = n, shown

    def _fit(self) -> None:
        """Keep the visible runs in view: the updates done (by the run in progress: up to the next
        step of :func:`axis_end`)."""
        current = self.session.current
        shown = [t for t in self._traces.values() if t.run.visible and t.shown > 0]
        if not shown:
            return
        x_end = max(axis_end(t.run.count, t.run.capacity) if t.run is current else t.run.count for t in shown)
        hi = max(t.hi for t in shown)
        self.auto_log.check(min(t.lo_positive for t in shown), hi)
        lo = min(t.lo_positive if self.log_y.isChecked() else t.lo for t in shown)
        held = self.held_out.bounds()
        if held is not None:
            hi = max(hi, held[1])
            if held[0] > 0 or not self.log_y.isChecked():
                lo = min(lo, held[0])
        self.follower.fit(x_end, lo, hi)

    def _xs(self, n: int) -> np.ndarray:
        if len(self._x) < n:
            self._x = np.arange(1, max(n, 2 * len(self._x)) + 1, dtype=float)
        return self._x[:n]

    def _style(self, trace: Trace) -> None:
        """Pen and visibility for the run's state; a new pen only when it changes (each one re-renders)."""
        visible = trace.run.visible
        smoothing = self.smoothing.isChecked()
        look = (smoothing, not self.session.owns(trace.run))  # another document's run: dimmed
        if trace.faint != look:
            trace.faint = look
            faint = colour(trace.run.colour, (80 if smoothing else 255) // (3 if look[1] else 1))
            trace.set_pen(pg.mkPen(faint, width=1))  # a cosmetic 1-pixel pen draws fastest
        trace.set_visible(visible)
        if smoothing or trace.smooth is not None:
            trace.smooth_item(self.plot).setVisible(visible and smoothing)

    def _relabel(self) -> None:
        """The legend's rows (:mod:`.legend_rows`) for the room the plot has now."""
        self._legend.show(self.legend_rows(*legend_area(self.plot)))

    def legend_rows(self, width: float, height: float) -> list[Row]:
        """What the legend lists in a legend area of ``width`` × ``height`` px: the visible runs of
        this document newest first, then the other documents' runs, each with its held-out curve."""
        labels = self.session.labels()
        smoothing = self.smoothing.isChecked()

        def entries(run: Run) -> list[tuple[object, str, str]]:
            trace, n = self._traces[run.number], run.number
            curve = trace.smooth_item(self.plot) if smoothing else trace.curve
            held = [(item, text, f"Run {n} (held out)") for item, text in self.held_out.legend_entries(labels, n)]
            return [(curve, labels[n], f"Run {n}"), *held]

        return self._legend.rows_for(self.session.runs, self.session.owns, entries, width, height)

    # ---------------------------------------------------------------- controls
    def _on_log_toggled(self, on: bool) -> None:
        for trace in self._traces.values():
            trace.set_skip_finite_check(not on)  # log10 of a zero loss is −inf
        self.plot.setLogMode(x=False, y=on)
        self.plot.setLabel("left", "loss (log scale)" if on else "loss", color=FOREGROUND)
        self.follower.log_y = on
        self.follower.forget()
        self._fit()

    def _on_smoothing_toggled(self, on: bool) -> None:
        self.window.setEnabled(on)
        for trace in self._traces.values():
            self._style(trace)
            if on:
                self._smooth(trace)
            elif trace.smooth is not None:
                trace.smooth.setData([], [])
        self._relabel()

    def _on_window_changed(self, value: int) -> None:
        if value % 2 == 0:  # typed: the centred window takes the odd width above
            self.window.setValue(value + 1)
            return
        if self.smoothing.isChecked():
            for trace in self._traces.values():
                self._smooth(trace)

    def _smooth(self, trace: Trace) -> None:
        n = trace.shown
        trace.smooth_item(self.plot).setData(self._xs(n), trace.smoothed(n, self.window.value()))

    # --------------------------------------------------------------- crosshair
    def _crosshair(self) -> None:
        pen = pg.mkPen("#909090", width=1, style=Qt.PenStyle.DashLine)
        self._vline = pg.InfiniteLine(angle=90, movable=False, pen=pen)
        self._hline = pg.InfiniteLine(angle=0, movable=False, pen=pen)
        for line in (self._vline, self._hline):
            line.setVisible(False)
            self.plot.addItem(line, ignoreBounds=True)
        self.plot_widget.scene().sigMouseMoved.connect(self._on_mouse_moved)

    def _on_mouse_moved(self, pos: QPointF) -> None:
        box = self.plot.getViewBox()
        if not box.sceneBoundingRect().contains(pos):
            for line in (self._vline, self._hline):
                line.setVisible(False)
            return
        point = box.mapSceneToView(pos)
        self.show_readout(round(point.x()), point.y())

    def show_readout(self, update: int, y: float) -> str:
        """Put the crosshair at (update, y in view coordinates) and read each visible run's loss there."""
        self._vline.setPos(update)
        self._hline.setPos(y)
        for line in (self._vline, self._hline):
            line.setVisible(True)
        parts = [
            f"Run {r.number}: {r.losses[update - 1]:.6g}"
            for r in self.session.runs
            if r.visible and 1 <= update <= r.count
        ]
        text = f"update {update}" + (" · " + " · ".join(parts) if parts else "")
        self.readout.setText(text)
        return text

    # ------------------------------------------------------------------ export
    def export_png(self, path: str) -> None:
        """The plot drawn again at a slide's size (:mod:`.slide_export`), its legend as long as the slide holds."""
        export_slide(self.plot, self.legend_rows(SLIDE_LEGEND.width(), SLIDE_LEGEND.height()), path)

    def export_csv(self, path: str) -> None:
        labels = self.session.labels()
        write_runs_csv(path, self.session.runs, [labels[r.number] for r in self.session.runs])

    def save_png(self, path: str) -> bool:
        """Export as PNG; a failure becomes a message naming the file (False)."""
        return self._export(self.export_png, path)

    def save_csv(self, path: str) -> bool:
        """Export as CSV; a failure becomes a message naming the file (False)."""
        return self._export(self.export_csv, path)

    def ask_export_png(self) -> None:
        path = file_dialogs.save_path(self, "Export the loss plot", "loss.png", "PNG image, 1920×1080 (*.png)")
        if path:
            self.save_png(path)

    def ask_export_csv(self) -> None:
        path = file_dialogs.save_path(self, "Export the runs", "runs.csv", "CSV (*.csv)")
        if path:
            self.save_csv(path)

    def _export(self, write: Callable[[str], None], path: str) -> bool:
        try:
            write(path)
        except OSError as exc:
            self.session.message.emit(f"Could not write {path}: {exc.strerror or exc}")
            return False
        self.session.message.emit(f"Wrote {path}")
        return True
