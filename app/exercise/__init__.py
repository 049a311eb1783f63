"""Exercise mode in the window: Exercise ▸ Start Exercise, Stop Exercise, Choose Questions….

While an exercise runs, the debugger's stepper is held before every asked step
(``core.exercise``) until the learner has typed the answer in the Exercise dock; a right
answer (or a second wrong one) runs the step, which reveals the value on the canvas.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QDockWidget, QFrame, QScrollArea

from app.exercise.dialog import choose_questions
from app.exercise.panel import ExercisePanel
from app.window.frame import WindowFrame
from app.window.status import NOTE_MS
from core.exercise import Exercise, ExerciseSpec

__all__ = ["ExerciseMode", "install"]


class ExerciseMode(QObject):
    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.controller = window.debugger.controller
        self.exercise: Exercise | None = None
        self._cursor = (0, 0)
        self._stopped_on: Any = None  # the document whose graph stopped the exercise (the dock says why)
        self.panel = ExercisePanel()
        self.dock = QDockWidget("Exercise", window)
        self.dock.setObjectName("exerciseDock")
        scroll = QScrollArea()  # a short dock scrolls its text rather than squeezing it
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.panel)
        self.dock.setWidget(scroll)
        window.add_dock(self.dock, Qt.DockWidgetArea.RightDockWidgetArea)
        self.dock.hide()
        self.panel.answered.connect(self.controller.step)
        self.controller.stateChanged.connect(self._on_state)
        self.controller.programChanged.connect(self._on_program)
        menu = window.menu("Exercise")
        self.start_action = self._action(menu, "exercise_start", "&Start Exercise", self.start,
                                         "Type each step's value or gradient before the debugger shows it")
        self.stop_action = self._action(menu, "exercise_stop", "S&top Exercise", self.stop, "Back to plain stepping")
        menu.addSeparator()
        self._action(menu, "exercise_choose", "&Choose Questions…", lambda: choose_questions(window),
                     "Which steps the exercise asks, and how close an answer must be (saved with the file)")
        self.stop_action.setEnabled(False)

    def _action(self, menu: Any, name: str, text: str, slot: Any, tip: str) -> QAction:
        action = QAction(text, self.window)
        action.setStatusTip(tip)
        action.triggered.connect(lambda _c=False: slot())
        self.window.actions[name] = action
        menu.addAction(action)
        return action

    def start(self) -> None:
        """Start from the beginning of the program, with the file's choice of questions."""
        c = self.controller
        if c.stepper is None:
            self.window.show_status(f"The graph cannot run: {c.problem}")
            return
        if c.active and not c.reset():
            return
        exercise = self._attach()
        self.dock.show()
        self.dock.raise_()
        self._give_room()
        self.start_action.setEnabled(False)
        self.stop_action.setEnabled(True)
        self.window.show_status(f"Exercise started: it {exercise.spec.describe()}. Step (F10) to begin")

    def _give_room(self) -> None:
        """Make the dock as tall as its text needs (up to half the window), taking it from its neighbours."""
        QApplication.processEvents()  # the labels measure their text at the dock's width
        wanted = min(self.panel.sizeHint().height() + 8, self.window.height() // 2)
        if self.dock.height() < wanted and not self.dock.isFloating():
            self.window.resizeDocks([self.dock], [wanted], Qt.Orientation.Vertical)

    def stop(self, why: str = "") -> None:
        """End the exercise; ``why`` (when the graph ended it) goes to the dock and the status bar."""
        if self.exercise is not None:
            if why:
                self._note(f"{why}: the exercise stopped. {self.exercise.score_text()}")
            else:
                self.window.show_status(f"Exercise stopped. {self.exercise.score_text()}")
            self.exercise.detach()
        self.exercise = None
        self._stopped_on = self.controller.document if why else None
        self.panel.set_exercise(None, f"{why}: the exercise stopped. Start it again once the graph runs." if why
                                else "")
        self.start_action.setEnabled(True)
        self.stop_action.setEnabled(False)

    def _attach(self, note: str = "") -> Exercise:
        if self.exercise is not None:
            self.exercise.detach()
        stepper = self.controller.stepper
        self.exercise = exercise = Exercise(stepper, ExerciseSpec.of(self.window.document.graph))
        self._cursor = (stepper.iteration, stepper.cursor)
        self.panel.set_exercise(exercise, note)
        return exercise

    def _on_program(self) -> None:
        if self.exercise is None:
            self._forget_stop()
            return
        if self.controller.stepper is not None:  # a new program: the exercise starts over on it
            note = f"The graph changed, so the exercise started over ({self.exercise.score_text().lower()} before)"
            self._attach(note)
            self._note(note)
        else:
            self.stop(f"The graph cannot run ({self.controller.problem})")

    def _forget_stop(self) -> None:
        """No exercise runs and the program changed: the dock's word on why the exercise stopped
        goes once that graph runs again or another document came (it said the same while the
        graph still cannot run)."""
        c = self.controller
        if self._stopped_on is None or (c.stepper is None and c.document is self._stopped_on):
            return
        self._stopped_on = None
        self.panel.set_exercise(None)

    def _note(self, text: str) -> None:
        """A status note shown after the debugger has said what it says about the new program."""
        QTimer.singleShot(0, lambda: self.window.show_status(text, NOTE_MS))

    def _on_state(self, *_args: object) -> None:
        ex = self.exercise
        if ex is None:
            return
        where = (ex.stepper.iteration, ex.stepper.cursor)
        if where < self._cursor:  # Step Back: the learner may answer again
            ex.retry()
        self._cursor = where
        self.panel.refresh()


def install(window: WindowFrame) -> ExerciseMode:
    """Add the Exercise menu and dock to a window that has the debugger; the window keeps the handle."""
    return ExerciseMode(window)
