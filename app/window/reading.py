"""Reading a file off the GUI thread: a big dataset's generation or a long file never freezes the
window. The GUI thread waits in an event loop (it keeps painting); past a moment a progress
dialog shows with Cancel, which drops the result (the reading thread ends on its own).

The reading thread touches no Qt object: the GUI thread polls for its end (:mod:`app.window.background`).
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, TypeVar

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtWidgets import QProgressDialog, QWidget

from app.window.background import Job, wait

T = TypeVar("T")
SHOW_AFTER_MS = 400  # a quick read shows no dialog at all
QUICK = 0.05  # seconds: most files are read by then (no event loop, no dialog)


def read_in_background(parent: QWidget, path: Path, read: Callable[[Path], T]) -> T | None:
    """``read(path)`` on a worker thread; its result, or None when the user cancelled. An
    exception of ``read`` is raised here, on the GUI thread."""
    job = Job(lambda: read(path), name=f"read {path.name}")
    if job.join(QUICK):
        return job.result()
    loop = QEventLoop()
    dialog = QProgressDialog(f"Opening {path.name}…", "Cancel", 0, 0, parent)
    dialog.setWindowTitle("Opening")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(SHOW_AFTER_MS)
    dialog.canceled.connect(loop.quit)
    dialog.setValue(0)  # starts the dialog's clock
    ended = wait(job, loop)
    dialog.reset()
    dialog.deleteLater()
    return job.result() if ended else None
