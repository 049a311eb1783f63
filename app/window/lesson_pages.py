"""File ▸ Export ▸ Lesson (PDF)…: which pages the lesson holds, asked before where to write it.

A Pages field takes step numbers and ranges (``1-5, 8``; empty: every step), read by the same
function as the command line's ``--range`` (:func:`app.lesson.steps.parse_steps`). While the text
is wrong, a one-line message under the field names what is wrong and OK is disabled.
"""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.lesson.steps import EXAMPLE, parse_steps


class LessonPagesDialog(QDialog):
    """Asks which steps get a page; :meth:`steps` is the answer (every step when the field is empty)."""

    def __init__(self, count: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.count = count
        self.setWindowTitle("Export a Lesson (PDF)")
        box = QVBoxLayout(self)
        self.setMinimumWidth(460)
        intro = QLabel(f"A title page, then one page for each chosen step (the program has {count} steps).")
        intro.setWordWrap(True)
        box.addWidget(intro)
        form = QFormLayout()
        self.field = QLineEdit()
        self.field.setPlaceholderText(f"every step (or steps and ranges, like {EXAMPLE})")
        self.field.setToolTip(f"Step numbers from 1 to {count} and ranges, separated by commas: {EXAMPLE}")
        form.addRow("&Pages:", self.field)
        box.addLayout(form)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setObjectName("pagesMessage")
        self.message.setStyleSheet("color: #b00020;")
        box.addWidget(self.message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        box.addWidget(self.buttons)
        self.field.textChanged.connect(self._check)
        self._check()

    def problem(self) -> str:
        """What is wrong with the field's text ("" when nothing is)."""
        try:
            self.steps()
        except ValueError as exc:
            return str(exc)
        return ""

    def steps(self) -> list[int]:
        """The chosen step numbers; raises ``ValueError`` (one line naming the entry) when the text is wrong."""
        text = self.field.text()
        return list(range(1, self.count + 1)) if not text.strip() else parse_steps(text, self.count)

    def _check(self) -> None:
        problem = self.problem()
        self.message.setText(problem)
        self.message.setVisible(bool(problem))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problem)
        self.adjustSize()  # room for the message, or none

    def accept(self) -> None:
        if not self.problem():
            super().accept()
