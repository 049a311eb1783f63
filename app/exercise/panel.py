"""The exercise panel: the question of the next step, where the answer is typed, the verdict,
the score and, at the end of a training step, a summary per step."""
from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from app.inspector.wrap_label import WrapLabel
from core.exercise import Exercise, Question


class ExercisePanel(QWidget):
    """Shows one open question at a time; ``answered`` fires when the step may run (revealed)."""

    answered = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.exercise: Exercise | None = None
        self.question: Question | None = None
        self.about = WrapLabel("", self)
        self.prompt = WrapLabel("", self)
        self.answer = QLineEdit(self)
        self.answer.setPlaceholderText("0.25 or [[0.1, 0.2]]")
        self.answer.setToolTip("Type a number, or a small matrix such as [[0.1, 0.2]], then Return")
        self.answer.returnPressed.connect(self.check)
        self.check_button = QPushButton("Check", self)
        self.check_button.clicked.connect(self.check)
        self.verdict = WrapLabel("", self)
        self.verdict.setTextFormat(Qt.TextFormat.RichText)
        self.score = WrapLabel("", self)  # "…, 2 after a hint" must wrap, never widen the panel past its dock
        self.summary = WrapLabel("", self)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for label in (self.about, self.prompt, self.verdict, self.score, self.summary):  # wrap at the dock's
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)  # width, never widen it
            label.setMinimumWidth(60)
        row = QHBoxLayout()
        row.addWidget(self.answer, 1)
        row.addWidget(self.check_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.about)
        layout.addWidget(self.prompt)
        layout.addLayout(row)
        for label in (self.verdict, self.score, self.summary):
            layout.addWidget(label)
        layout.addStretch(1)
        self.refresh()

    def set_exercise(self, exercise: Exercise | None, note: str = "") -> None:
        """Show ``exercise`` (None: none runs); ``note`` says why it started over or stopped."""
        self.exercise = exercise
        self.verdict.setText(f"<span style='color:#9a6a00'>{html.escape(note)}</span>" if note else "")
        self.refresh()

    def refresh(self) -> None:
        ex = self.exercise
        open_ = ex.open_questions() if ex is not None else []
        self.question = open_[0] if open_ else None
        asking = self.question is not None
        self.answer.setReadOnly(not asking)  # read-only, not disabled: the box keeps the keyboard focus
        self.check_button.setEnabled(asking)
        if ex is None:
            self.about.setText("Exercise ▸ Start Exercise turns the debugger into a quiz.")
            self.prompt.setText("")
            self.score.setText("")
            self.summary.setText("")
            return
        self.about.setText(f"This exercise {ex.spec.describe()}.")
        if self.question is not None:
            q = self.question
            self.prompt.setText(f"<b>{html.escape(q.step.label)}</b>: what is {html.escape(q.text)}?")
        elif ex.stepper.at_end:
            self.prompt.setText("The training step is done. Step (F10) goes on with the next one.")
        else:
            self.prompt.setText("Nothing to answer before this step: Step (F10).")
        self.score.setText(ex.score_text())
        lines = ex.summary() if ex.stepper.at_end else []
        self.summary.setText("\n".join(lines))

    def check(self) -> None:
        ex, q = self.exercise, self.question
        if ex is None or q is None:
            return
        grade = ex.answer(q, self.answer.text())
        colour = "#2f8f5b" if grade.correct else ("#c0392b" if grade.done else "#9a6a00")
        self.verdict.setText(f"<span style='color:{colour}'>{html.escape(grade.message)}</span>")
        if grade.done:
            self.answer.clear()
        self.refresh()
        if grade.done and not ex.open_questions():
            self.answered.emit()

    def type_answer(self, text: str) -> None:
        """Type ``text`` and check it (as Return in the answer box does)."""
        self.answer.setText(text)
        self.check()
