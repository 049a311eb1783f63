"""What the model does, for the examples where that can be drawn: decision regions of a 2-D
classifier, or the prediction of a 1-D regression. Redrawn a few times a second while training."""
from __future__ import annotations

import time

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget

from app.training.decision_plot import DecisionView
from app.training.prediction_plot import PredictionView
from app.training.probe import CLASSIFICATION, REGRESSION, Probe
from app.training.session import IDLE, TrainingSession
from core.program import ProgramError

REFRESH_SECONDS = 0.25  # at most four redraws a second while training

NO_PLOT = (
    "Decision regions are drawn for a classifier with two input features and class targets "
    "(xor.json, spirals.json); the prediction curve for a regression with one input and one "
    "output (sine.json). This graph is neither."
)


class ModelPlot(QWidget):
    """Picks the view that fits the graph; ``refreshed`` after each redraw."""

    refreshed = Signal()

    def __init__(self, session: TrainingSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.decision = DecisionView()
        self.prediction = PredictionView()
        self.note = QLabel(NO_PLOT)
        self.note.setWordWrap(True)
        self.note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        for w in (self.note, self.decision, self.prediction):
            self.stack.addWidget(w)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.stack)
        self.probe: Probe | None = None
        self.refreshes = 0
        self._stale_graph = True
        self._last = 0.0
        session.graphEdited.connect(self._on_graph_edited)
        session.weightsChanged.connect(self.refresh)
        session.runStarted.connect(lambda _run: self.refresh())
        session.ticked.connect(self._on_tick)

    @property
    def kind(self) -> str | None:
        """CLASSIFICATION, REGRESSION or None for the graph shown."""
        self._ensure_probe()
        return self.probe.task.kind if self.probe is not None and self.probe.task is not None else None

    def refresh(self) -> None:
        """Redraw with the current weights (when shown; otherwise when next shown)."""
        self._last = time.perf_counter()
        if not self.isVisible():
            return
        self._ensure_probe()
        probe = self.probe
        if probe is None or probe.task is None:
            return
        view = self.decision if probe.task.kind == CLASSIFICATION else self.prediction
        try:
            view.draw(probe, self.session.weights())
        except (KeyError, ValueError) as exc:  # the graph changed under a run: say so, keep going
            self.note.setText(f"Cannot draw the model: {exc}")
            self.stack.setCurrentWidget(self.note)
            return
        self.refreshes += 1
        self.refreshed.emit()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.refresh()

    def _on_tick(self) -> None:
        if time.perf_counter() - self._last >= REFRESH_SECONDS:
            self.refresh()

    def _on_graph_edited(self) -> None:
        self._stale_graph = True
        if self.session.state == IDLE:
            self.refresh()

    def _ensure_probe(self) -> None:
        if not self._stale_graph or self.session.document is None:
            return
        self._stale_graph = False
        try:
            self.probe = Probe(self.session.document.graph)
        except (ProgramError, ValueError) as exc:
            self.probe = None
            self.note.setText(f"The graph cannot run yet: {exc}")
            self.stack.setCurrentWidget(self.note)
            return
        task = self.probe.task
        if task is None:
            self.note.setText(NO_PLOT)
            self.stack.setCurrentWidget(self.note)
        elif task.kind == CLASSIFICATION:
            self.decision.set_probe(self.probe)
            self.stack.setCurrentWidget(self.decision)
        elif task.kind == REGRESSION:
            self.prediction.set_probe(self.probe)
            self.stack.setCurrentWidget(self.prediction)
