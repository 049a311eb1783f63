"""Reading or writing a data file off the GUI thread: the window stays alive while a million rows
are read or written, shows that it is working, and can cancel (the result is then dropped)."""
from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal


class DataLoader(QObject):
    """Runs one job at a time on a worker thread; ``finished`` (result, what) or ``failed``
    (message) arrive on the GUI thread; a cancelled job reports nothing. A job's mistakes are
    ``ValueError`` (a DataError: one line naming file, line and column) or ``OSError``."""

    started = Signal(str)
    finished = Signal(object, str)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._job = 0
        self.busy = False

    def start(self, what: str, work: Callable[[], object]) -> None:
        self._job += 1
        job = self._job
        self.busy = True
        self.started.emit(what)

        def run() -> None:
            try:
                result = work()
            except ValueError as exc:
                self._report(job, None, str(exc))
                return
            except OSError as exc:
                self._report(job, None, f"{what}: {exc.strerror or exc}")
                return
            except MemoryError:
                self._report(job, None, f"{what}: not enough memory")
                return
            self._report(job, result, what)

        threading.Thread(target=run, name="data-loader", daemon=True).start()

    def _report(self, job: int, result: object, text: str) -> None:
        if job != self._job:
            return
        self.busy = False
        if result is None:
            self.failed.emit(text)
        else:
            self.finished.emit(result, text)

    def cancel(self) -> None:
        self._job += 1
        self.busy = False
