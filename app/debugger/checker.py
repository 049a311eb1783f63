"""The gradient check off the GUI thread: the graph is read on the GUI thread, the numbers are
computed on a Python thread, and the GUI thread takes the report when the thread has ended (the
worker touches no Qt object: :mod:`app.window.background`).

Spirals moves about 26,000 elements (2–3 s): on the GUI thread that froze the window; here the
event loop keeps running (its longest gap measured 15 ms during that check). The worker writes
how many elements it has checked into a :class:`Tally` after each one (plain assignments); the
GUI thread reads it on the watch's ticks and says so (``progressed``). Cancel stops the worker
before its next element and drops the check: no partial report is ever shown. BLAS uses one
thread beside the GUI, as training and the debugger's runs do.
"""
from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Collection

from PySide6.QtCore import QCoreApplication, QObject, Signal

from app.training.threads import limited
from app.window.background import Job, JobWatch
from core.graph import Graph

if TYPE_CHECKING:  # core.gradcheck is imported by the first check, not at the window's start
    from core.gradcheck import GradCheckJob
    from core.gradcheck_report import GradCheckReport


class GradientChecker(QObject):
    """Runs one check at a time and keeps the last report.

    On the GUI thread: ``checked(report)`` then ``finished(report, seconds)`` when a check ends,
    ``failed(message)`` when a kernel refused its numbers, ``checked(None)`` when the report is
    cleared; ``progressed(tally)`` while it runs, at most every :data:`PROGRESS_S` seconds.
    """

    checked = Signal(object)  # GradCheckReport, or None when cleared
    finished = Signal(object, float)  # GradCheckReport, seconds it took
    failed = Signal(str)
    progressed = Signal(object)  # Tally: how far the running check is

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._job: Job[tuple[object, float]] | None = None
        self._cancel = threading.Event()
        self._watch = JobWatch(self)
        self.tally = Tally()  # the running check's (or the last one's) progress
        self._shown = 0.0  # when progress was last told
        self.report: GradCheckReport | None = None
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.cancel)

    @property
    def busy(self) -> bool:
        return self._job is not None

    def start(self, graph: Graph, names: Collection[str] | None = None) -> None:
        """Read ``graph`` now and check it on a thread; raises ProgramError or ValueError at once."""
        from core.gradcheck import prepare_check

        job = prepare_check(graph, names=names)
        self.cancel()
        self._cancel = cancel = threading.Event()
        self.tally = tally = Tally()
        self._shown = time.perf_counter()
        self._job = Job(lambda: _check(job, cancel, tally), name="gradient check")
        self._watch.watch(self._job, self._on_done, self._tick)

    def cancel(self) -> bool:
        """Forget the running check (its thread stops at its next element; its result is dropped).
        True when a check was running."""
        self._cancel.set()
        if self._job is None:
            return False
        self._watch.forget(self._job)  # type: ignore[arg-type]
        self._job = None
        return True

    def _tick(self) -> None:
        now = time.perf_counter()
        if now - self._shown >= PROGRESS_S:
            self._shown = now
            self.progressed.emit(self.tally)

    def clear(self) -> None:
        """Cancel the running check and forget the last report (the graph changed)."""
        self.cancel()
        if self.report is not None:
            self.report = None
            self.checked.emit(None)

    def wait(self, timeout: float | None = None) -> None:
        """Block until the running check's thread ended (tests, closing)."""
        job = self._job
        if job is not None:
            job.join(timeout)

    def _on_done(self, job: Job[tuple[object, float]]) -> None:
        if job is not self._job:
            return
        self._job = None
        result, seconds = job.result()
        from core.gradcheck_report import GradCheckReport

        if isinstance(result, GradCheckReport):
            self.report = result
            self.checked.emit(result)
            self.finished.emit(result, seconds)
        elif result is not None:
            self.failed.emit(str(result))


PROGRESS_S = 0.1  # the status line's progress is redrawn at most this often


class Tally:
    """How far a check is: elements checked, elements to check, the entry being checked. Written
    by the worker thread, read by the GUI thread (each field is one assignment)."""

    def __init__(self) -> None:
        self.done, self.total, self.entry = 0, 0, ""

    def __call__(self, done: int, total: int, entry: str) -> None:
        self.total, self.entry, self.done = total, entry or self.entry, done


def _check(job: GradCheckJob, cancel: threading.Event, tally: Tally) -> tuple[object, float]:
    """On the worker thread: the report (None when cancelled, the message when a kernel refused
    the numbers it was given) and the seconds it took."""
    from core.gradcheck import CheckCancelled

    start = time.perf_counter()
    try:
        with limited(1):
            result: object = job.run(cancel.is_set, tally)
    except CheckCancelled:
        result = None
    except (ArithmeticError, ValueError) as exc:
        result = str(exc)
    return result, time.perf_counter() - start
