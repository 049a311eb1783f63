"""User code off the GUI thread: a call made on the GUI thread runs on a worker thread while the
GUI thread waits in a local event loop, so the window keeps painting, resizing and running its timers
while a layer's ``forward`` runs, until it returns or its time limit stops it. Clicks and keys wait
for that moment (a debugger step in the middle of another would see half a step). Calls made on other threads run
where they are. The worker touches no Qt object (:mod:`app.background`). Installed with
:func:`install` (``core.custom.runner.set_executor``).
"""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, QEventLoop, QThread

from app.background import Job, wait
from core.custom.runner import set_executor

QUICK = 0.05  # seconds the GUI thread simply waits before it runs its events while waiting


class GuiExecutor:
    """Runs ``work`` on a worker thread when called on the GUI thread; ``running`` says whether
    user code is under way (the debugger takes no other action meanwhile)."""

    def __init__(self) -> None:
        self.running = False
        self.started: list[Callable[[], None]] = []  # called when a call outlasts QUICK (views may say so)

    def __call__(self, work: Callable[[], Any]) -> Any:
        app = QCoreApplication.instance()
        if app is None or QThread.currentThread() is not app.thread():
            return work()
        self.running = True
        try:
            job = Job(work, name="custom layer")
            if not job.join(QUICK):  # most calls end here, without a local event loop
                for hook in list(self.started):
                    try:
                        hook()
                    except RuntimeError:  # its window is gone
                        self.started.remove(hook)
                wait(job, flags=QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
        finally:
            self.running = False
        return job.result()


EXECUTOR = GuiExecutor()


def install() -> GuiExecutor:
    """Route every call into user code through :data:`EXECUTOR` (idempotent)."""
    set_executor(EXECUTOR)
    return EXECUTOR
