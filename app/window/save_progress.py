"""A save's progress on screen, with its Cancel: a bar and a button at the right of the status
bar while the window goes on working (:class:`SaveProgress`), and a dialog when the window waits
for the save before it closes or opens another file (:class:`SaveWaitDialog`). Both only show and
ask; :class:`app.window.saving.Saver` does the rest."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QProgressDialog, QSizePolicy, QToolButton, QWidget

CANCEL_TEXT = "Cancel Save"
CANCEL_TIP = "Stop writing the file: it stays as it was before this save, and your changes stay unsaved"
BAR_WIDTH = 120


class SaveProgress(QWidget):
    """A bar (``42%``: the status line beside it names the file) and Cancel Save;
    ``cancelRequested`` when the button is pressed."""

    cancelRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("saveProgress")
        self.bar = QProgressBar()
        self.bar.setObjectName("saveProgressBar")
        self.bar.setRange(0, 100)
        self.bar.setFixedWidth(BAR_WIDTH)
        self.cancel_button = QToolButton()
        self.cancel_button.setObjectName("saveCancel")
        self.cancel_button.setText(CANCEL_TEXT)
        self.cancel_button.setToolTip(CANCEL_TIP)
        self.cancel_button.clicked.connect(self.cancelRequested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)  # bar and button side by side
        self.hide()

    def begin(self, name: str) -> None:
        """A save of the file ``name`` started (shown by :meth:`show_percent`)."""
        self.bar.setFormat("%p%")
        self.bar.setToolTip(f"Saving {name}")
        self.bar.setValue(0)
        self.cancel_button.setEnabled(True)

    def show_percent(self, percent: int) -> None:
        self.bar.setValue(percent)
        self.show()

    def cancelling(self) -> None:
        """Cancel was asked: the writer stops at its next chunk."""
        self.cancel_button.setEnabled(False)
        self.bar.setFormat("Cancelling…")

    def end(self) -> None:
        self.hide()


class SaveWaitDialog(QProgressDialog):
    """The window waits for a save before it goes on (closing, opening, another save): the save's
    progress, and Cancel Save (``canceled``)."""

    def __init__(self, note: str, percent: int, parent: QWidget | None = None) -> None:
        super().__init__(note, CANCEL_TEXT, 0, 100, parent)
        self.setObjectName("saveWaitDialog")
        self.setWindowTitle("Saving")
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.setMinimumDuration(0)
        self.setValue(percent)
