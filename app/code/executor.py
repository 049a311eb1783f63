"""User code off the GUI thread: a call made on the GUI thread runs on a worker thread while the
GUI thread waits in a local event loop, so the window keeps painting, resizing and running its timers
while a layer's ``forward`` runs, until it returns or its time limit stops it. Clicks and keys wait
for that moment (a debugger step in the middle of another would see half a step). Calls made on other threads run
where they are. The worker touches no Qt object (:mod:`app.window.background`). Installed with
:func:`install` (``core.custom.runner.set_executor``).
"""
from __future__ import annotations

import threading
from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, QEventLoop, QThread

from app.window.background import Job, wait
from core.custom.runner import set_executor

QUICK = 0.05  # seconds the GUI thread simply waits before it runs its events while waiting


class GuiExecutor:
    """Runs ``work`` on a worker thread when called on the GUI thread; ``running`` says whether
    user code is under way (the debugger takes no other action meanwhile)."""

    def __init__(self) -> None:
        self.running = False
        self.started: list[Callable[[], None]] = []  # called when a call outlasts QUICK (views may say so)
        self.gui_thread: int | None = None  # the GUI thread's id, once seen (a training worker's call then
        # costs one comparison, not three calls into Qt: the trainer calls once an update)

    def __call__(self, work: Callable[[], Any]) -> Any:
        if threading.get_ident() != self.gui_thread and (self.gui_thread is not None or not self.on_gui_thread()):
            return work()
        if QCoreApplication.instance() is None:  # the application is gone
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


    def on_gui_thread(self) -> bool:
        """Whether this is the GUI thread (remembered when it is)."""
        app = QCoreApplication.instance()
        if app is None or QThread.currentThread() is not app.thread():
            return False
        self.gui_thread = threading.get_ident()
        return True


EXECUTOR = GuiExecutor()


def install() -> GuiExecutor:
    """Route every call into user code through :data:`EXECUTOR` (idempotent)."""
    set_executor(EXECUTOR)
    EXECUTOR.on_gui_thread()
    return EXECUTOR
