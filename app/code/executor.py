"""User code off the GUI thread: a call made on the GUI thread runs on a worker thread while the
GUI thread waits in a local event loop, so the window keeps painting, resizing and running its timers
while a layer's ``forward`` runs, until it returns or its time limit stops it. Clicks and keys wait
for that moment (a debugger step in the middle of another would see half a step). Calls made on other threads run
where they are. Installed with :func:`install` (``core.custom.runner.set_executor``).
"""
from __future__ import annotations

import threading
from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, QEventLoop, QThread, QTimer

from core.custom.runner import set_executor

QUICK = 0.05  # seconds the GUI thread simply waits before it runs its events while waiting
POLL_MS = 10  # how often the waiting GUI thread looks whether the call has ended (the worker touches no Qt object)


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
        outcome: dict[str, Any] = {}
        loop = QEventLoop()

        def body() -> None:
            try:
                outcome["value"] = work()
            except BaseException as exc:  # noqa: BLE001 - handed back to the caller's thread as it is
                outcome["error"] = exc
            outcome["ended"] = True

        self.running = True
        try:
            worker = threading.Thread(target=body, name="custom layer", daemon=True)
            worker.start()
            worker.join(QUICK)  # most calls end here, without a local event loop
            if worker.is_alive():
                for hook in list(self.started):
                    try:
                        hook()
                    except RuntimeError:  # its window is gone
                        self.started.remove(hook)
                poll = QTimer()
                poll.setInterval(POLL_MS)
                poll.timeout.connect(lambda: loop.quit() if "ended" in outcome else None)
                poll.start()
                loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
                poll.stop()
            worker.join()
        finally:
            self.running = False
        error, value = outcome.pop("error", None), outcome.pop("value", None)
        outcome.clear()  # no cycle through the error's traceback keeps this call's objects for the collector
        if error is not None:
            try:
                raise error
            finally:
                error = None
        return value


EXECUTOR = GuiExecutor()


def install() -> GuiExecutor:
    """Route every call into user code through :data:`EXECUTOR` (idempotent)."""
    set_executor(EXECUTOR)
    return EXECUTOR
