"""Why a debugger step on a big full batch can still freeze the window though it runs on a worker
thread: a kernel that holds the GIL. The GUI thread's short wait for the worker (runner.QUICK) and
every Python slot of the window need the GIL back; a NumPy call that keeps it (``np.dot`` writing
into fresh pages) holds the window for as long as it runs, seconds on a loaded machine.

  kernels   each product of a spirals step (rows × 2 · 2 × 32, rows × 32 · 32 × 32) by ``np.dot``
            and by ``np.matmul`` (which releases the GIL), into a fresh output: its time and how
            long a ticking thread (every 2 ms) was kept from running; ratio matmul / dot
  window    F10 through one training step of spirals (full batch) in the window: the longest gap
            of a 5 ms timer of the GUI thread, the longest time in OffThread.start (goal: about
            QUICK) and in ending the action on the GUI thread (the views after the step)

Rows: 1,000,000 by default (about 3 GB in the window). ``busy`` as a second argument adds a
program spinning on every core (training_ui_busy.BusyCores). Figures only, no assertions. Run:
QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_debugger_gil.py [ROWS] [busy]
"""
from __future__ import annotations

import os
import sys
import tempfile
import threading
import time
from contextlib import nullcontext
from pathlib import Path
from typing import Any, Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

import numpy as np  # noqa: E402
from bench_big_dataset import write_spirals  # noqa: E402
from bench_debugger_worker import Gaps  # noqa: E402
from PySide6.QtCore import QEventLoop, QSettings, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402
from training_ui_busy import BusyCores  # noqa: E402


class Ticker:
    """A thread that wakes every 2 ms: :meth:`starved` is its longest wait for the GIL in a call."""

    def __init__(self) -> None:
        self.beat = time.perf_counter()
        self.gaps: list[float] = []
        self.running = True
        threading.Thread(target=self._tick, daemon=True).start()

    def _tick(self) -> None:
        while self.running:
            now = time.perf_counter()
            self.gaps.append(now - self.beat)
            self.beat = now
            time.sleep(0.002)

    def starved(self, call: Callable[[], Any]) -> tuple[float, float]:
        """(seconds ``call`` took, longest gap of the ticker meanwhile)."""
        first = len(self.gaps)
        start = time.perf_counter()
        call()
        took = time.perf_counter() - start
        time.sleep(0.01)
        return took, max(self.gaps[first:], default=0.0)


def kernels(rows: int) -> None:
    ticker = Ticker()
    rng = np.random.default_rng(0)
    for width in (2, 32):
        x, w = rng.random((rows, width)), rng.random((width, 32))
        figures = {}
        for name, product in (("np.dot", np.dot), ("np.matmul", np.matmul)):
            took, starved = ticker.starved(lambda product=product, x=x, w=w: product(x, w, out=np.empty((rows, 32))))
            figures[name] = starved
            print(f"  {rows:,}×{width} · {width}×32 by {name:9s}: {took * 1e3:8.1f} ms, "
                  f"another thread kept waiting {starved * 1e3:8.1f} ms")
        print(f"    longest wait ratio matmul / dot: {figures['np.matmul'] / figures['np.dot']:.3f}")
    ticker.running = False


def window_steps(rows: int) -> None:
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
    qt_app = QApplication.instance() or QApplication([])  # noqa: F841 - kept alive while the window runs
    from app.debugger import runner
    from app.model.document import Document
    from app.window.launch import create_window

    path = write_spirals(Path(tempfile.mkdtemp(prefix="bench-gil-")), rows, batch_size=0)
    window = create_window(Document.open(path), recovery_dir=Path(tempfile.mkdtemp()))
    window._ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    window.resize(1400, 900)
    window.show()
    controller = window.debugger.controller
    controller.rebuild()
    starts: list[float] = []
    ends: list[float] = []
    real_start, real_end = runner.OffThread.start, controller.end_run

    def timed_start(self: Any, run: Any) -> None:
        begin = time.perf_counter()
        real_start(self, run)
        starts.append(time.perf_counter() - begin)

    def timed_end(run: Any) -> None:
        begin = time.perf_counter()
        real_end(run)
        ends.append(time.perf_counter() - begin)

    runner.OffThread.start = timed_start  # type: ignore[method-assign]
    controller.end_run = timed_end

    def pump(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    pump(300)
    gaps = Gaps()
    begin = time.perf_counter()
    for _ in range(len(controller.stepper.program.steps)):
        controller.step()
        while controller.running:
            pump(5)
        pump(30)
    took = time.perf_counter() - begin
    print(f"  F10 × {len(starts)} (one training step) in {took:.1f} s: longest GUI timer gap "
          f"{gaps.longest() * 1e3:.0f} ms; longest OffThread.start {max(starts) * 1e3:.0f} ms "
          f"(QUICK {runner.QUICK * 1e3:.0f} ms); longest end of an action {max(ends) * 1e3:.0f} ms")
    window.close()


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 1_000_000
    busy = "busy" in sys.argv[1:]
    load = BusyCores(own_session=True) if busy else nullcontext()
    with load, threadpool_limits(1):
        print(f"load average {os.getloadavg()[0]:.2f}; {rows:,} rows; one BLAS thread"
              + (f"; {load.label}" if busy else ""))  # type: ignore[union-attr]
        kernels(rows)
        window_steps(rows)
        print(f"load average {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()
