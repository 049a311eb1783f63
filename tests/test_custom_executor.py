"""The window's executor for user code: a call made on the GUI thread runs on a worker thread (the
window keeps painting); a call made on another thread, as the training worker makes once an
update, runs right there."""
from __future__ import annotations

import threading

from app.code.executor import install
from core.custom.runner import set_executor


def test_calls_run_off_the_gui_thread_and_in_place_elsewhere(qapp) -> None:
    executor = install()
    try:
        gui = threading.get_ident()
        assert executor.gui_thread == gui
        assert executor(threading.get_ident) != gui  # the GUI thread's call ran on a worker

        seen: dict[str, int] = {}

        def trainer() -> None:
            seen["caller"] = threading.get_ident()
            seen["ran on"] = executor(threading.get_ident)

        worker = threading.Thread(target=trainer)
        worker.start()
        worker.join(10)
        assert seen["ran on"] == seen["caller"] != gui
        assert not executor.running
    finally:
        set_executor(None)
