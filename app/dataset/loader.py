"""Reading a data file off the GUI thread: the window stays alive while a million rows are read,
shows that it is reading, and can cancel (the result is then dropped)."""
from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from core.data.dataset import Dataset


class DataLoader(QObject):
    """Runs one reading job at a time on a worker thread; ``finished`` (dataset, text) or
    ``failed`` (message) arrive on the GUI thread; a cancelled job reports nothing."""

    started = Signal(str)
    finished = Signal(object, str)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._job = 0
        self.busy = False

    def start(self, what: str, read: Callable[[], Dataset]) -> None:
        self._job += 1
        job = self._job
        self.busy = True
        self.started.emit(what)

        def work() -> None:
            try:
                dataset = read()
            except ValueError as exc:  # DataError and the dataset's own checks: one line each
                self._report(job, None, str(exc))
                return
            except MemoryError:
                self._report(job, None, f"{what}: not enough memory to read it")
                return
            self._report(job, dataset, what)

        threading.Thread(target=work, name="data-loader", daemon=True).start()

    def _report(self, job: int, dataset: Dataset | None, text: str) -> None:
        if job != self._job:
            return
        self.busy = False
        if dataset is None:
            self.failed.emit(text)
        else:
            self.finished.emit(dataset, text)

    def cancel(self) -> None:
        self._job += 1
        self.busy = False
