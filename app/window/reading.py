"""Reading a file off the GUI thread: a big dataset's generation or a long file never freezes the
window. The GUI thread waits in an event loop (it keeps painting); past a moment a progress
dialog shows with Cancel, which drops the result (the reading thread ends on its own).

The reading thread touches no Qt object: the GUI thread polls for its end. A Qt object reached
from a worker thread (a signal emitted there, or one freed there by Python's garbage collector)
crashed the process now and then.
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Callable, TypeVar

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QProgressDialog, QWidget

T = TypeVar("T")
SHOW_AFTER_MS = 400  # a quick read shows no dialog at all
POLL_MS = 15  # how often the waiting GUI thread looks whether the read has ended


def read_in_background(parent: QWidget, path: Path, read: Callable[[Path], T]) -> T | None:
    """``read(path)`` on a worker thread; its result, or None when the user cancelled. An
    exception of ``read`` is raised here, on the GUI thread."""
    outcome: dict[str, object] = {}
    loop = QEventLoop()

    def work() -> None:
        try:
            outcome["value"] = read(path)
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread as it is
            outcome["error"] = exc
        finally:
            outcome["ended"] = True

    dialog = QProgressDialog(f"Opening {path.name}…", "Cancel", 0, 0, parent)
    dialog.setWindowTitle("Opening")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(SHOW_AFTER_MS)
    dialog.canceled.connect(lambda: outcome.setdefault("cancelled", True))
    dialog.canceled.connect(loop.quit)
    thread = threading.Thread(target=work, name=f"read {path.name}", daemon=True)
    thread.start()
    thread.join(0.05)  # most files are read by now: no event loop, no dialog
    if "ended" not in outcome:
        dialog.setValue(0)  # starts the dialog's clock
        poll = QTimer()
        poll.setInterval(POLL_MS)
        poll.timeout.connect(lambda: loop.quit() if "ended" in outcome else None)
        poll.start()
        loop.exec()
        poll.stop()
    cancelled = "cancelled" in outcome and "ended" not in outcome
    dialog.reset()
    dialog.deleteLater()
    if cancelled:
        return None
    thread.join()
    error, value = outcome.pop("error", None), outcome.pop("value", None)
    outcome.clear()  # no cycle through the error's traceback keeps this call's objects for the collector
    if isinstance(error, BaseException):
        try:
            raise error
        finally:
            error = None
    return value  # type: ignore[return-value]
