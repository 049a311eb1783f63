"""A full-batch debugger run on a big spirals file in the window: on the GUI thread against the worker
thread (app/debugger/runner.py), in the same process:

  gui wait   the longest wait of the GUI thread's event loop (a QTimer every 5 ms) during Run Forward
             Pass, the run on the GUI thread (runner.HEAVY raised past the program) against the same
             run on the worker; and the same figure while the worker runs, before the views draw
             its result                                                  goal: the worker's < 50 ms
  took       the run's wall time, worker against GUI thread (the price of the hand-over)
  cancel     from Cancel (during the first step) to the end of the run on the GUI thread

Rows: 200,000 by default (a 1,000,000-row run needs about 3 GB); name another number to change it.
BLAS threads: one (threadpoolctl), as the worker sets them. Figures only, no assertions. Run:
QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_debugger_worker.py [ROWS]
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from bench_big_dataset import write_spirals  # noqa: E402
from PySide6.QtCore import QEventLoop, QSettings, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

GOAL_WAIT = 0.050


class Gaps:
    """The GUI thread's event loop waits, from a timer every 5 ms; ``only`` picks the ticks that count."""

    def __init__(self, only=lambda: True) -> None:
        self.only = only
        self.waits: list[float] = []
        self._last = time.perf_counter()
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        if self.only():
            self.waits.append(now - self._last)
        self._last = now

    def longest(self) -> float:
        self.timer.stop()
        return max(self.waits, default=0.0)


def run_forward(window, on_worker: bool) -> tuple[float, float, float]:
    """Reset, then Run Forward Pass: the run's seconds, the longest GUI wait during the whole action,
    and the longest while the worker ran (0 on the GUI thread)."""
    from app.debugger import runner

    controller = window.debugger.controller
    runner.HEAVY = 1 if on_worker else 10**15
    controller.rebuild()
    loop = QEventLoop()
    QTimer.singleShot(50, loop.quit)
    loop.exec()
    whole, running = Gaps(), Gaps(lambda: controller.running)
    ended = QEventLoop()
    controller.stateChanged.connect(ended.quit)
    start = time.perf_counter()
    controller.run_forward()
    if controller.running:
        ended.exec()
    took = time.perf_counter() - start
    QTimer.singleShot(20, ended.quit)  # one more tick after the action
    ended.exec()
    controller.stateChanged.disconnect(ended.quit)
    return took, whole.longest(), running.longest() if on_worker else 0.0


def cancel_latency(window) -> float:
    from app.debugger import runner

    controller = window.debugger.controller
    runner.HEAVY = 1
    controller.rebuild()
    loop = QEventLoop()
    controller.runningChanged.connect(lambda running: None if running else loop.quit())
    controller.run_forward()
    asked = [0.0]

    def cancel() -> None:
        asked[0] = time.perf_counter()
        controller.cancel_run()

    QTimer.singleShot(10, cancel)
    loop.exec()
    return time.perf_counter() - asked[0]


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
    app = QApplication.instance() or QApplication([])
    from app.model.document import Document
    from app.window.launch import create_window

    path = write_spirals(Path(tempfile.mkdtemp(prefix="bench-stepper-")), rows, batch_size=0)
    window = create_window(Document.open(path), recovery_dir=Path(tempfile.mkdtemp()))
    window._ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    window.resize(1400, 900)
    window.show()
    app.processEvents()
    print(f"load average {os.getloadavg()[0]:.1f}; spirals {rows:,} rows, full batch; Run Forward Pass")
    run_forward(window, True)  # warm-up: imports, first allocations
    gui_took, gui_wait, _ = run_forward(window, False)
    took, wait, wait_running = run_forward(window, True)
    print(f"on the GUI thread: {gui_took * 1e3:8.1f} ms, longest GUI wait {gui_wait * 1e3:8.1f} ms")
    print(f"on the worker:     {took * 1e3:8.1f} ms, longest GUI wait {wait * 1e3:8.1f} ms "
          f"({wait_running * 1e3:.1f} ms while it ran; the rest is the views drawing the result); "
          f"wait ratio {wait / gui_wait:.3f}, time ratio {took / gui_took:.2f}; "
          f"goal < {GOAL_WAIT * 1e3:.0f} ms while it runs {'met' if wait_running < GOAL_WAIT else 'MISSED'}")
    print(f"Cancel during the first step: the run ended {cancel_latency(window) * 1e3:.1f} ms later "
          f"(the step under way finishes first)")
    window.close()


if __name__ == "__main__":
    main()
