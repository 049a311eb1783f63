"""User code off the GUI thread: a call made on the GUI thread runs on a worker thread while the
GUI thread waits in a local event loop, so the window keeps painting, resizing and running its timers
while a layer's ``forward`` runs, until it returns or its time limit stops it. Clicks and keys wait
for that moment (a debugger step in the middle of another would see half a step). Calls made on other threads run
where they are. Installed with :func:`install` (``core.custom.runner.set_executor``).
"""
from __future__ import annotations

import threading
from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, QThread, Signal

from core.custom.runner import set_executor

QUICK = 0.05  # seconds the GUI thread simply waits before it runs its events while waiting


class _Done(QObject):
    done = Signal()


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
        relay = _Done()
        loop = QEventLoop()
        relay.done.connect(loop.quit)

        def body() -> None:
            try:
                outcome["value"] = work()
            except BaseException as exc:  # noqa: BLE001 - handed back to the caller's thread as it is
                outcome["error"] = exc
            relay.done.emit()

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
                loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
            worker.join()
        finally:
            self.running = False
        if "error" in outcome:
            raise outcome["error"]
        return outcome.get("value")


EXECUTOR = GuiExecutor()


def install() -> GuiExecutor:
    """Route every call into user code through :data:`EXECUTOR` (idempotent)."""
    set_executor(EXECUTOR)
    return EXECUTOR
