"""Training in the window: ``install(window)`` adds the Training dock, the plots dock, a menu and a toolbar.

:class:`~app.training.session.TrainingSession` owns the runs and the worker thread; the panel
(:mod:`.dock`) and the plots (:mod:`.plots`) follow it.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget

from .dock import TrainingPanel, make_dock
from .plots import TrainingPlots
from .session import TrainingSession

__all__ = ["Training", "TrainingPanel", "TrainingPlots", "TrainingSession", "install"]


class Training(QObject):
    """Everything training adds to one window, following the window's document."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.session = TrainingSession(window.document, self)
        self.dock, self.panel = make_dock(self.session)
        self.plots = TrainingPlots(self.session)
        self.plots_dock = QDockWidget("Training plots")
        self.plots_dock.setObjectName("trainingPlotsDock")
        self.plots_dock.setWidget(self.plots)
        window.add_dock(self.dock, Qt.DockWidgetArea.LeftDockWidgetArea)
        window.add_dock(self.plots_dock, Qt.DockWidgetArea.BottomDockWidgetArea)
        window.resizeDocks([self.plots_dock], [300], Qt.Orientation.Vertical)
        self._add_menus()
        window.documentChanged.connect(self.session.set_document)
        window.destroyed.connect(self.session.abandon)
        self.session.message.connect(lambda text: window.show_status(text, 8000))
        self.session.runFinished.connect(self._on_run_finished)

    def _add_menus(self) -> None:
        menu = self.window.menu("&Training")
        toolbar = self.window.toolbar("Training")
        for action in self.panel.actions_list():
            menu.addAction(action)
            toolbar.addAction(action)
        menu.addSeparator()
        loss = self.plots.loss
        self.export_png_action = QAction("Export Loss Plot as &PNG…", self)
        self.export_png_action.triggered.connect(loss.ask_export_png)
        self.export_csv_action = QAction("Export Runs as &CSV…", self)
        self.export_csv_action.triggered.connect(loss.ask_export_csv)
        self.clear_action = QAction("&Clear Runs", self)
        self.clear_action.triggered.connect(self.session.clear_runs)
        for action in (self.export_png_action, self.export_csv_action, self.clear_action):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.dock.toggleViewAction())
        menu.addAction(self.plots_dock.toggleViewAction())

    def _on_run_finished(self, run: Any) -> None:
        if run.count:
            self.window.show_status(
                f"Run {run.number} {run.status}: {run.count:,} updates, loss {run.losses[run.count - 1]:.6g}", 8000
            )


def install(window: Any) -> Training:
    """Add training to ``window`` (a MainWindow); the result is kept as ``window.training``."""
    training = Training(window)
    window.training = training
    return training
