"""The Training dock: the graph's training settings, Train / Pause / Stop / Reset, and progress.

The settings start from the graph's and are saved with it: a change pushes a SetSettings
command (undoable, marks the file modified). Undo and redo come back through ``graphEdited``.
"""
from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDockWidget,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.commands import SetSettings
from app.training.runs import PAUSED, RUNNING, Run, pace_text, summary_text
from app.training.session import IDLE, TrainingSession, trainability
from app.training.threads import blas_threads, max_threads, set_blas_threads
from core.graph import GraphError
from core.settings import MAX_BATCH_SIZE, MAX_SEED, MAX_STEPS, OPTIMIZERS

OPTIMIZER_NAMES = {"sgd": "SGD", "momentum": "Momentum", "adam": "Adam"}  # short: the dock is narrow
OPTIMIZER_TIPS = {
    "sgd": "Plain stochastic gradient descent: w ← w − η·∂L/∂w",
    "momentum": "SGD with momentum: a velocity accumulates the gradients",
    "adam": "Adam: steps scaled by running averages of the gradient and its square",
}
PROGRESS_SECONDS = 0.1  # the progress bar repaints itself at once on every new value: ten a second
FIELD_MIN_WIDTH = 64  # px: a spin box's own minimum fits its largest value, wider than the dock
BUTTON_TEXTS = {"&Reset weights": "Reset"}  # the menu says what is reset; the dock's button is short


class NumberBox(QDoubleSpinBox):
    """A spin box that shows numbers briefly (0.5, 1e-05) and accepts scientific notation."""

    def __init__(self, low: float, high: float) -> None:
        super().__init__()
        self.setDecimals(12)
        self.setRange(low, high)
        self.setStepType(QDoubleSpinBox.StepType.AdaptiveDecimalStepType)
        self.setKeyboardTracking(False)

    def textFromValue(self, value: float) -> str:
        return format(value, ".6g")

    def valueFromText(self, text: str) -> float:
        try:
            return float(text)
        except ValueError:
            return self.value()

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        stripped = text.strip()
        try:
            value = float(stripped)
        except ValueError:
            partial = stripped == "" or stripped[-1] in "eE+-." or stripped.lower().endswith(("e-", "e+"))
            state = QValidator.State.Intermediate if partial else QValidator.State.Invalid
            return (state, text, pos)
        ok = self.minimum() <= value <= self.maximum()
        return (QValidator.State.Acceptable if ok else QValidator.State.Intermediate, text, pos)


class TrainingPanel(QWidget):
    """Settings form, run buttons and the progress of the current run; fits a dock 220 px wide."""

    def __init__(self, session: TrainingSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.optimizer = QComboBox()
        for key in OPTIMIZERS:
            self.optimizer.addItem(OPTIMIZER_NAMES.get(key, key), key)
            tip = OPTIMIZER_TIPS.get(key, key)
            self.optimizer.setItemData(self.optimizer.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
        self.optimizer.setToolTip("How the gradients change the weights")
        self.learning_rate = NumberBox(1e-9, 1e3)
        self.learning_rate.setToolTip("Learning rate η (accepts 1e-3 style)")
        self.steps = QSpinBox()
        self.steps.setRange(1, MAX_STEPS)
        self.steps.setGroupSeparatorShown(True)
        self.steps.setToolTip("How many updates one run does (saved in the file as \"steps\")")
        self.batch_size = QSpinBox()
        self.batch_size.setRange(0, MAX_BATCH_SIZE)
        self.batch_size.setSpecialValueText("full batch")
        self.batch_size.setToolTip("Rows per update; 0 means the whole dataset (full batch) every update")
        self.seed = QSpinBox()
        self.seed.setRange(0, MAX_SEED)
        self.seed.setToolTip("Seed of the mini-batch shuffling")
        self.threads = QSpinBox()
        self.threads.setRange(1, max_threads())
        self.threads.setValue(blas_threads())
        self.threads.setToolTip("BLAS threads a run may use (a setting of this computer, not of the file); "
                                "one keeps the window responsive, more may speed up large matrices on an idle machine")
        for box in (self.steps, self.batch_size, self.seed, self.threads):
            box.setKeyboardTracking(False)
        for field in (self.optimizer, self.learning_rate, self.steps, self.batch_size, self.seed):
            field.setMinimumWidth(FIELD_MIN_WIDTH)
        self.from_initial = QCheckBox("Start from initial weights")
        self.from_initial.setToolTip(
            "Each run starts from the weights as loaded (or as last edited), so runs compare; "
            "untick to continue from the current weights"
        )
        self.from_initial.setChecked(session.start_from_initial)

        self.train_action = QAction("&Train", self)
        self.train_action.setShortcut(QKeySequence("Ctrl+T"))
        self.train_action.setToolTip("Train for the number of updates set (Ctrl+T)")
        self.pause_action = QAction("&Pause", self)
        self.pause_action.setToolTip("Pause the run, or resume it")
        self.stop_action = QAction("&Stop", self)
        self.stop_action.setToolTip("End the run (a long update in progress is given up: the weights stay "
                                    "those of the last finished update)")
        self.reset_action = QAction("&Reset weights", self)
        self.reset_action.setToolTip("Reset weights: put back the weights as loaded (or as last edited)")
        self.train_button = QPushButton("Train")
        self.pause_button = QPushButton("Pause")
        self.stop_button = QPushButton("Stop")
        self.reset_button = QPushButton("Reset")
        for action, button in self._pairs():
            button.setToolTip(action.toolTip())
            button.setMinimumWidth(0)
            button.clicked.connect(action.trigger)
        self.progress = QProgressBar()
        self.progress.setObjectName("trainingProgress")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat("no run yet")
        keep_room = self.progress.sizePolicy()
        keep_room.setRetainSizeWhenHidden(True)  # the form does not jump when a run starts or ends
        self.progress.setSizePolicy(keep_room)
        self.status = QLabel(" ")
        self.status.setObjectName("trainingStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Optimizer", self.optimizer)
        form.addRow("Learning rate", self.learning_rate)
        form.addRow("Updates", self.steps)
        form.addRow("Batch size", self.batch_size)
        form.addRow("Seed", self.seed)
        form.addRow("Threads", self.threads)
        form.addRow(self.from_initial)
        buttons = QGridLayout()
        buttons.addWidget(self.train_button, 0, 0)
        buttons.addWidget(self.pause_button, 0, 1)
        buttons.addWidget(self.stop_button, 1, 0)
        buttons.addWidget(self.reset_button, 1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addStretch(1)

        self.optimizer.currentIndexChanged.connect(self._push_settings)
        for number in (self.learning_rate, self.steps, self.batch_size, self.seed):
            number.valueChanged.connect(self._push_settings)
        self.from_initial.toggled.connect(self._on_from_initial)
        self.threads.valueChanged.connect(set_blas_threads)
        self.train_action.triggered.connect(session.train)
        self.pause_action.triggered.connect(session.toggle_pause)
        self.stop_action.triggered.connect(session.stop)
        self.reset_action.triggered.connect(session.reset_weights)
        session.documentChanged.connect(self._show_last_run)
        session.graphEdited.connect(self.show_settings)
        session.graphEdited.connect(lambda: self._on_state(self.session.state))
        session.stateChanged.connect(self._on_state)
        session.ticked.connect(self.show_progress)
        session.runStarted.connect(self._on_run_started)
        session.runFinished.connect(self._on_run_finished)
        session.runMeasured.connect(self._on_run_measured)
        session.message.connect(self.status.setText)
        self._progress_at = 0.0
        self.show_settings()
        self._on_state(session.state)

    def actions_list(self) -> list[QAction]:
        return [self.train_action, self.pause_action, self.stop_action, self.reset_action]

    def _pairs(self) -> list[tuple[QAction, QPushButton]]:
        buttons = [self.train_button, self.pause_button, self.stop_button, self.reset_button]
        return list(zip(self.actions_list(), buttons))

    # ---------------------------------------------------------------- settings
    def show_settings(self) -> None:
        """Show the graph's settings (after loading, undo or redo) without pushing a command."""
        document = self.session.document
        if document is None:
            return
        s = document.graph.settings
        widgets: list[Any] = [self.optimizer, self.learning_rate, self.steps, self.batch_size, self.seed]
        for w in widgets:
            w.blockSignals(True)
        try:
            self.optimizer.setCurrentIndex(max(0, self.optimizer.findData(s.optimizer)))
            self.learning_rate.setValue(s.learning_rate)
            self.steps.setValue(max(1, s.steps))
            self.batch_size.setValue(s.batch_size)
            self.seed.setValue(s.seed)
        finally:
            for w in widgets:
                w.blockSignals(False)

    def _push_settings(self, *_args: object) -> None:
        document = self.session.document
        if document is None:
            return
        current = document.graph.settings
        rate = float(self.learning_rate.value())
        if rate == round(current.learning_rate, self.learning_rate.decimals()):
            rate = current.learning_rate  # the box rounds; keep the file's exact value
        try:
            new = current.with_changes(
                optimizer=self.optimizer.currentData(),
                learning_rate=rate,
                steps=int(self.steps.value()),
                batch_size=int(self.batch_size.value()),
                seed=int(self.seed.value()),
            )
        except ValueError as exc:
            self.status.setText(f"Training settings: {exc}")
            self.show_settings()
            return
        if new == current:
            return
        try:
            document.undo_stack.push(SetSettings(document, new))
        except GraphError as exc:
            self.status.setText(str(exc))

    def _on_from_initial(self, on: bool) -> None:
        self.session.start_from_initial = on

    # ---------------------------------------------------------------- running
    def _on_state(self, state: str) -> None:
        document = self.session.document
        # a graph with problems cannot train (one program built: it validates the graph)
        runnable, why = trainability(document.graph, document.derived.program) if document is not None \
            else (False, "")
        if why and state == IDLE:
            self.status.setText(f"Cannot train: {why}")
        elif self.status.text().startswith("Cannot train:"):
            self.status.setText(" ")
        self.train_action.setEnabled(runnable and not why and state == IDLE)
        tip = f"Cannot train: {why}" if why else "Train for the number of updates set (Ctrl+T)"
        self.train_action.setToolTip(tip)
        self.train_button.setToolTip(tip)
        self.pause_action.setEnabled(state in (RUNNING, PAUSED))
        self.pause_action.setText("&Resume" if state == PAUSED else "&Pause")
        self.stop_action.setEnabled(state in (RUNNING, PAUSED))
        self.progress.setVisible(state in (RUNNING, PAUSED))  # only while its run is under way
        self.reset_action.setEnabled(runnable and state != RUNNING)
        for action, button in self._pairs():
            button.setEnabled(action.isEnabled())
            button.setText(BUTTON_TEXTS.get(action.text(), action.text()).replace("&", ""))
        if state == PAUSED and self.session.current is not None:
            self.status.setText(summary_text(self.session.current))

    def _show_last_run(self) -> None:
        """Another document: the progress and summary of its own last run, or none."""
        if self.session.current is not None:
            return
        run = self.session.last_run()
        if run is None:
            self.progress.setRange(0, 1)
            self.progress.setValue(0)
            self.progress.setFormat("no run yet")
            self.status.setText(" ")
            return
        self.progress.setRange(0, max(1, run.capacity))
        self._show_count(run)
        self.status.setText(summary_text(run))

    def _on_run_started(self, run: Run) -> None:
        self.progress.setRange(0, run.capacity)
        self.status.setText(f"Run {run.number} started")
        self.show_progress()

    def show_progress(self) -> None:
        run = self.session.current
        now = time.perf_counter()
        if run is None or (run.status == RUNNING and now - self._progress_at < PROGRESS_SECONDS):
            return
        self._progress_at = now
        self._show_count(run)
        if run.status == RUNNING:
            rate = self.session.rate()
            if rate > 0:
                self.status.setText(f"Run {run.number}: {pace_text(run, rate)}")

    def _show_count(self, run: Run) -> None:
        self.progress.setValue(run.count)
        self.progress.setFormat(f"{run.count:,} / {run.capacity:,}")

    def _on_run_finished(self, run: Run) -> None:
        self._show_count(run)
        self.status.setText(summary_text(run))

    def _on_run_measured(self, run: Run) -> None:
        """The final weights of the run shown were measured after it ended: its summary says so."""
        if self.session.current is None and run is self.session.last_run():
            self.status.setText(summary_text(run))


def make_dock(session: TrainingSession, title: str = "Training") -> tuple[QDockWidget, TrainingPanel]:
    """The Training dock around a new panel."""
    dock = QDockWidget(title)
    dock.setObjectName("trainingDock")
    panel = TrainingPanel(session)
    scroll = QScrollArea()  # the form scrolls rather than forcing a tall window
    scroll.setWidget(panel)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    dock.setWidget(scroll)
    dock.setAllowedAreas(Qt.DockWidgetArea.AllDockWidgetAreas)
    return dock, panel
