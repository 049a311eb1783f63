"""Exercise mode in the window: Exercise ▸ Start Exercise, Stop Exercise, Choose Questions….

While an exercise runs, the debugger's stepper is held before every asked step
(``core.exercise``) until the learner has typed the answer in the Exercise dock; a right
answer (or a second wrong one) runs the step, which reveals the value on the canvas.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget

from app.exercise.dialog import choose_questions
from app.exercise.panel import ExercisePanel
from core.exercise import Exercise, ExerciseSpec

__all__ = ["ExerciseMode", "install"]


class ExerciseMode(QObject):
    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.controller = window.debugger.controller
        self.exercise: Exercise | None = None
        self._cursor = (0, 0)
        self.panel = ExercisePanel()
        self.dock = QDockWidget("Exercise", window)
        self.dock.setObjectName("exerciseDock")
        self.dock.setWidget(self.panel)
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
        self.start_action.setEnabled(False)
        self.stop_action.setEnabled(True)
        self.window.show_status(f"Exercise started: it {exercise.spec.describe()}. Step (F10) to begin")

    def stop(self) -> None:
        if self.exercise is not None:
            self.window.show_status(f"Exercise stopped. {self.exercise.score_text()}")
            self.exercise.detach()
        self.exercise = None
        self.panel.set_exercise(None)
        self.start_action.setEnabled(True)
        self.stop_action.setEnabled(False)

    def _attach(self) -> Exercise:
        if self.exercise is not None:
            self.exercise.detach()
        stepper = self.controller.stepper
        self.exercise = exercise = Exercise(stepper, ExerciseSpec.of(self.window.document.graph))
        self._cursor = (stepper.iteration, stepper.cursor)
        self.panel.set_exercise(exercise)
        return exercise

    def _on_program(self) -> None:
        if self.exercise is not None and self.controller.stepper is not None:
            self._attach()  # a new program: the exercise starts over on it
        elif self.exercise is not None:
            self.stop()

    def _on_state(self, *_args: object) -> None:
        ex = self.exercise
        if ex is None:
            return
        where = (ex.stepper.iteration, ex.stepper.cursor)
        if where < self._cursor:  # Step Back: the learner may answer again
            ex.retry()
        self._cursor = where
        self.panel.refresh()


def install(window: Any) -> ExerciseMode:
    """Add the Exercise menu and dock to a window that has the debugger."""
    mode = ExerciseMode(window)
    window.exercise_mode = mode
    return mode
