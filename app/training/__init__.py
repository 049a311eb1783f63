"""Training in the window: ``install(window)`` adds the Training dock, the plots dock, a menu and a toolbar.

:class:`~app.training.session.TrainingSession` owns the runs and the worker thread; the panel
(:mod:`.dock`) and the plots (:mod:`.plots`) follow it. The plots dock stays hidden until the
first run starts, so a file opens with the room given to the canvas; View ▸ Docks and the
Training menu show it at any time. The plots themselves (and pyqtgraph) are made when first
needed: when a run is set up or the dock is shown, so the window's start does not load them.
"""
from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QWidget

from app.training.dock import TrainingPanel, make_dock
from app.training.runs import PAUSED, RUNNING, Run, progress_text, summary_text
from app.training.session import TrainingSession
from app.window.after_paint import after_next_paint
from app.window.first_layout import HIDDEN_AT_START, narrow_dock_content
from app.window.frame import WindowFrame

__all__ = ["Training", "TrainingPanel", "TrainingSession", "install"]

PLOTS_SHARE = 0.32  # of the window's height, for the plots dock when the first run shows it
COMPACT_PLOTS = 110  # px: the plots dock opened before any run holds one line of text
STATUS_SECONDS = 0.25  # between two progress messages in the status bar
MESSAGE_MS = 8000


class Training(QObject):
    """Everything training adds to one window, following the window's document."""

    def __init__(self, window: WindowFrame) -> None:
        super().__init__(window)
        self.window = window
        self.session = TrainingSession(window.document, self)
        self.dock, self.panel = make_dock(self.session)
        self._plots: Any = None  # the TrainingPlots, made when first needed (see plots)
        self.plots_dock = QDockWidget("Training plots")
        self.plots_dock.setObjectName("trainingPlotsDock")
        self.plots_dock.setWidget(QWidget())
        self.session.runsChanged.connect(self._plots_for_runs)
        window.add_dock(self.dock, Qt.DockWidgetArea.LeftDockWidgetArea)
        window.add_dock(self.plots_dock, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.plots_dock.hide()
        self.plots_dock.setProperty(HIDDEN_AT_START, True)  # until this window's first run
        self.plots_dock.visibilityChanged.connect(self._on_plots_visibility)
        self._plots_shown = False  # once the first run showed them, they are the person's to hide
        self._status_at = 0.0
        self._summary = ""
        self._summary_timer = QTimer(self)  # a zero timer: it fires after those the write-back started
        self._summary_timer.setSingleShot(True)
        self._summary_timer.setInterval(0)
        self._summary_timer.timeout.connect(lambda: window.show_status(self._summary, MESSAGE_MS))
        self._add_menus()
        window.documentChanged.connect(self.session.set_document)
        self.session.documentChanged.connect(self._import_plots_for_data)
        window.destroyed.connect(self.session.abandon)
        self.session.message.connect(lambda text: window.show_status(text, MESSAGE_MS))
        self.session.runStarted.connect(self._on_run_started)
        self.session.ticked.connect(self._show_progress)
        self.session.stateChanged.connect(self._on_state)
        self.session.runFinished.connect(self._on_run_finished)
        self.session.runMeasured.connect(self._on_run_measured)
        self.session.runsChanged.connect(self._update_actions)
        self._update_actions()

    def _add_menus(self) -> None:
        menu = self.window.menu("&Training")
        toolbar = self.window.toolbar("Training")
        for action in self.panel.actions_list():
            menu.addAction(action)
            toolbar.addAction(action)
        menu.addSeparator()
        self.export_png_action = QAction("Export Loss Plot as &PNG…", self)
        self.export_png_action.triggered.connect(lambda: self.plots.loss.ask_export_png())
        self.export_csv_action = QAction("Export Runs as &CSV…", self)
        self.export_csv_action.triggered.connect(lambda: self.plots.loss.ask_export_csv())
        self.clear_action = QAction("&Clear Runs", self)
        self.clear_action.triggered.connect(self.session.clear_runs)
        for action in (self.export_png_action, self.export_csv_action, self.clear_action):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.dock.toggleViewAction())
        menu.addAction(self.plots_dock.toggleViewAction())

    @property
    def plots(self) -> Any:
        """The TrainingPlots (loss, parameters, model), made on first use: pyqtgraph loads then."""
        if self._plots is None:
            from app.training.plots import TrainingPlots

            self._plots = TrainingPlots(self.session)
            # scrolled rather than widening the window: the plots share the width left by the side docks
            self.plots_dock.setWidget(narrow_dock_content(self._plots))
        return self._plots

    def _plots_for_runs(self) -> None:
        """Once there is a run, its curves exist before its thread starts; opening a file (which
        says the runs' labels changed) does not make the plots."""
        if self.session.runs:
            self.plots  # noqa: B018 - made now

    def _import_plots_for_data(self) -> None:
        """A document with a dataset will likely train: load the plots' modules (pyqtgraph, the
        accuracy plot) once it is painted, so that Train does not wait for the import."""
        document = self.session.document
        if self._plots is None and document is not None and document.graph.dataset is not None:
            after_next_paint(self.window.view.viewport(), _import_plots)  # the canvas shows the document

    def _update_actions(self) -> None:
        has_runs = bool(self.session.runs)
        self.export_png_action.setEnabled(has_runs)
        self.export_csv_action.setEnabled(has_runs)
        self.clear_action.setEnabled(any(r is not self.session.current for r in self.session.runs))

    def show_plots(self) -> None:
        """Show the plots dock with room for the plots (the first run does it once)."""
        self._plots_shown = True
        self.plots_dock.show()
        self._size_plots(max(200, int(self.window.height() * PLOTS_SHARE)))

    def _on_plots_visibility(self, visible: bool) -> None:
        if visible:
            self.plots  # noqa: B018 - shown: the plots are made now
        if visible and not self.session.runs:  # opened from a menu before any run: one line high
            self._size_plots(COMPACT_PLOTS)

    def _size_plots(self, height: int) -> None:
        if not self.plots_dock.isFloating():
            self.window.resizeDocks([self.plots_dock], [height], Qt.Orientation.Vertical)

    def _on_run_started(self, run: Run) -> None:
        if not self._plots_shown:
            self.show_plots()
        self._status_at = time.perf_counter()
        self.window.status.show_progress(progress_text(run, 0.0))

    def _show_progress(self) -> None:
        run = self.session.current
        now = time.perf_counter()
        if run is None or now - self._status_at < STATUS_SECONDS:
            return
        self._status_at = now
        if run.status == RUNNING:
            self.window.status.show_progress(progress_text(run, self.session.rate()))

    def _on_state(self, _state: str) -> None:
        run = self.session.current
        if run is not None and run.status == PAUSED:
            self.window.status.end_progress()
            self.window.show_status(summary_text(run), MESSAGE_MS)  # paused
        self._update_actions()

    def _on_run_finished(self, run: Run) -> None:
        """The run's summary, after the weights went back and after what that set off: the views
        that follow the graph react in zero timers started by the write-back, before this one."""
        self._summary = summary_text(run)
        self.window.status.end_progress()
        self.window.show_status(self._summary, MESSAGE_MS)
        self._summary_timer.start()

    def _on_run_measured(self, run: Run) -> None:
        """The final weights of the last run were measured after it ended: its summary again, with them."""
        if self.session.current is None and run is self.session.last_run():
            self._summary = summary_text(run)
            self.window.show_status(self._summary, MESSAGE_MS)


def _import_plots() -> None:
    import app.training.plots  # noqa: F401 - loaded ahead of the first run, once the document painted


def install(window: WindowFrame) -> Training:
    """Add training to ``window`` (a MainWindow): the Training dock, the plots dock, a menu and a
    toolbar; the caller keeps the result (``create_window`` keeps it as ``window.training``)."""
    return Training(window)
