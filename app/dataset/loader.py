"""Reading or writing a data file off the GUI thread: the window stays alive while a million rows
are read or written, shows that it is working, and can cancel (the result is then dropped). The
worker touches no Qt object: the GUI thread looks for its end (:mod:`app.window.background`)."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from app.window.background import Job, JobWatch


class DataLoader(QObject):
    """Runs one job at a time on a worker thread; ``finished`` (result, what) or ``failed``
    (message) arrive on the GUI thread; a cancelled job reports nothing. A job's mistakes are
    ``ValueError`` (a DataError: one line naming file, line and column) or ``OSError``."""

    started = Signal(str)
    finished = Signal(object, str)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._job: Job[object] | None = None
        self._watch = JobWatch(self)

    @property
    def busy(self) -> bool:
        return self._job is not None

    def start(self, what: str, work: Callable[[], object]) -> None:
        self.cancel()
        self._job = job = Job(work, name="data-loader")
        self.started.emit(what)
        self._watch.watch(job, lambda _job: self._report(job, what))

    def _report(self, job: Job[object], what: str) -> None:
        if job is not self._job:
            return
        self._job = None
        try:
            result = job.result()
        except ValueError as exc:
            self.failed.emit(str(exc))
        except OSError as exc:
            self.failed.emit(f"{what}: {exc.strerror or exc}")
        except MemoryError:
            self.failed.emit(f"{what}: not enough memory")
        else:
            if result is None:
                self.failed.emit(what)
            else:
                self.finished.emit(result, what)

    def cancel(self) -> None:
        if self._job is not None:
            self._watch.forget(self._job)
            self._job = None
