"""Number boxes of the dataset editor that say truthfully what they hold.

:class:`PercentBox`, the held-out share, never turns what was typed into another number. A plain
``QDoubleSpinBox`` refuses the keystroke that goes past its maximum, so typing 100 into a 0–90 box
leaves 10 and typing 99 leaves 9, silently. Here a number past the maximum can be typed; when the
edit ends it becomes the maximum, and ``note`` (a label the caller places under the box) says so
until the next keystroke or arrow: "At most 90 % can be held out: 100 % became 90 %".
:func:`count_words` writes a count box's word in the right number ("1 row", "2 rows")."""
from __future__ import annotations

from typing import Callable

from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QAbstractSpinBox, QDoubleSpinBox, QLabel, QSpinBox, QWidget

from core.format import format_number

MAX_HELD_OUT = 90.0  # percent: at least a tenth of the rows trains


class PercentBox(QDoubleSpinBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRange(0.0, MAX_HELD_OUT)
        self.setDecimals(1)
        self.setSuffix(" %")
        self.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToNearestValue)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #9a6a00")
        self.note.hide()
        self._unread = False  # a note just written, not yet seen by a dialog's Return
        self.lineEdit().textEdited.connect(lambda _t: self._say(""))  # typing again: the note has been read

    def stepBy(self, steps: int) -> None:  # noqa: N802 - Qt's name
        self._say("")
        super().stepBy(steps)

    def take_new_note(self) -> bool:
        """Whether a note was just written and not asked about yet (a dialog's Return that ended
        the edit with a clamp shows the note instead of accepting: a second Return accepts)."""
        unread, self._unread = self._unread, False
        return unread

    def _typed(self, text: str) -> float | None:
        body = text.removeprefix(self.prefix()).removesuffix(self.suffix()).strip()
        try:
            return float(body.replace(",", "."))
        except ValueError:
            return None

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        typed = self._typed(text)
        if typed is not None and typed > self.maximum():
            return QValidator.State.Intermediate, text, pos  # kept while typing; fixup() says what it became
        return super().validate(text, pos)

    def fixup(self, text: str) -> str:
        typed = self._typed(text)
        if typed is None or typed <= self.maximum():
            return super().fixup(text)
        top = format_number(self.maximum())
        self._say(f"At most {top} % can be held out: {format_number(typed)} % became {top} %.")
        return self.prefix() + self.textFromValue(self.maximum()) + self.suffix()

    def _say(self, text: str) -> None:
        self._unread = bool(text)
        self.note.setText(text)
        self.note.setToolTip(text)
        self.note.setVisible(bool(text))


def count_words(box: QSpinBox, word: str, many: str | None = None) -> Callable[[], None]:
    """Let ``box``'s suffix name its count in the right number: "1 row", "2 rows". Returns the
    call that sets the word now (for a value set while the box's signals were blocked)."""
    def follow(_value: int = 0) -> None:
        box.setSuffix(f" {word if box.value() == 1 else (many or word + 's')}")

    box.valueChanged.connect(follow)
    follow()
    return follow
