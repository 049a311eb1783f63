"""The gradient check off the GUI thread: the graph is read on the GUI thread, the numbers are
computed on a Python thread, and one queued signal brings the report back.

Spirals moves about 26,000 elements (2–3 s): on the GUI thread that froze the window; here the
event loop keeps running (its longest gap measured 15 ms during that check).
"""
from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Collection

from PySide6.QtCore import QCoreApplication, QObject, Signal

from core.graph import Graph

if TYPE_CHECKING:  # core.gradcheck is imported by the first check, not at the window's start
    from core.gradcheck import GradCheckJob, GradCheckReport


class GradientChecker(QObject):
    """Runs one check at a time and keeps the last report.

    On the GUI thread: ``checked(report)`` then ``finished(report, seconds)`` when a check ends,
    ``failed(message)`` when a kernel refused its numbers, ``checked(None)`` when the report is
    cleared.
    """

    checked = Signal(object)  # GradCheckReport, or None when cleared
    finished = Signal(object, float)  # GradCheckReport, seconds it took
    failed = Signal(str)
    _done = Signal(int, object, float)  # generation, report or error text, seconds (from the thread)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._generation = 0
        self._thread: threading.Thread | None = None
        self._cancel = threading.Event()
        self.report: GradCheckReport | None = None
        self._done.connect(self._on_done)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.cancel)

    @property
    def busy(self) -> bool:
        return self._thread is not None

    def start(self, graph: Graph, names: Collection[str] | None = None) -> None:
        """Read ``graph`` now and check it on a thread; raises ProgramError or ValueError at once."""
        from core.gradcheck import prepare_check

        job = prepare_check(graph, names=names)
        self.cancel()
        self._generation += 1
        self._cancel = threading.Event()
        self._thread = threading.Thread(target=self._body, args=(job, self._generation, self._cancel),
                                        name="gradient check", daemon=True)
        self._thread.start()

    def cancel(self) -> None:
        """Forget the running check (its thread stops at its next element; its result is dropped)."""
        self._cancel.set()
        self._thread = None

    def clear(self) -> None:
        """Cancel the running check and forget the last report (the graph changed)."""
        self.cancel()
        if self.report is not None:
            self.report = None
            self.checked.emit(None)

    def wait(self, timeout: float | None = None) -> None:
        """Block until the running check's thread ended (tests, closing)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _body(self, job: GradCheckJob, generation: int, cancel: threading.Event) -> None:
        from core.gradcheck import CheckCancelled

        start = time.perf_counter()
        try:
            result: object = job.run(cancel.is_set)
        except CheckCancelled:
            return
        except (ArithmeticError, ValueError) as exc:  # a kernel refusing the numbers it was given
            result = str(exc)
        try:
            self._done.emit(generation, result, time.perf_counter() - start)
        except RuntimeError:  # the checker is gone (its window closed)
            pass

    def _on_done(self, generation: int, result: object, seconds: float) -> None:
        if generation != self._generation or self._thread is None:
            return
        self._thread = None
        from core.gradcheck import GradCheckReport

        if isinstance(result, GradCheckReport):
            self.report = result
            self.checked.emit(result)
            self.finished.emit(result, seconds)
        else:
            self.failed.emit(str(result))
