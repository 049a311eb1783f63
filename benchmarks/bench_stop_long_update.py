"""Stop while one update is long: the 1,000,000-row spirals file at batch size 0 (the whole set per
update) trained in the window (a one-update run, then a run stopped after three updates),
against the same trainer headless in the same process:

  update      one whole-set update: headless (Trainer.run(1), one BLAS thread, as the window's
              worker) against the window's (from the run's count, a 5 ms timer); ratio window/headless
  stop        Stop pressed a quarter of an update after an update ended (mid-update) → the run's
              ``runFinished``, and → the end of the training thread; ratio against one headless
              update (what Stop cost when the run ended only after the update in progress)
                                                                        goal: stop < 100 ms
  gui wait    the longest wait of the GUI thread's event loop (a QTimer every 5 ms) from Train to
              the end of the run, and while updates ran (the start and the end excluded)
  end         a finished one-update run: from its update's end to ``runFinished`` (the loss at the
              trained weights, the write-back and the views' reactions); ratio against one update
  rss         peak resident memory of the process
Gaps of the GUI thread over 100 ms are named with the stacks sampled in them (training_ui_busy.GapWatch).

Rows: 1,000,000 by default; name another number to change it. Figures only, no assertions. Run:
QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_stop_long_update.py [ROWS]
"""
from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from bench_big_dataset import write_spirals  # noqa: E402
from bench_debugger_worker import Gaps  # noqa: E402
from PySide6.QtCore import QEventLoop, QSettings, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402
from training_ui_busy import GapWatch  # noqa: E402

GOAL_STOP = 0.100
UPDATES = 3  # whole-set updates timed in the window before Stop


def headless_update(path: Path) -> tuple[float, float]:
    """(the first update, which binds the plan and touches its buffers; the median of three more)."""
    from core import io
    from core.trainer import Trainer

    with threadpool_limits(limits=1, user_api="blas"):
        trainer = Trainer(io.load(path))
        began = time.perf_counter()
        trainer.run(1)
        first = time.perf_counter() - began
        times = []
        for _ in range(3):
            began = time.perf_counter()
            trainer.run(1)
            times.append(time.perf_counter() - began)
    return first, sorted(times)[1]


def pump_until(done, step_ms: int = 5) -> None:
    while not done():
        loop = QEventLoop()
        QTimer.singleShot(step_ms, loop.quit)
        loop.exec()


def in_window(path: Path) -> dict[str, float]:
    from training_ui_window import close, make_window

    from app.model.document import Document
    from app.training.worker import TrainingWorker

    thread_ended: list[float] = []
    body = TrainingWorker._body

    def timed_body(self, steps: int) -> None:
        body(self, steps)
        thread_ended.append(time.perf_counter())

    TrainingWorker._body = timed_body  # type: ignore[method-assign]
    window, training = make_window(Document.open(path))
    session = training.session
    ended: list[float] = []
    session.runFinished.connect(lambda _run: ended.append(time.perf_counter()))
    training.panel.steps.setValue(1)  # a run that finishes: from its update's end to runFinished
    short = session.train()
    assert short is not None
    pump_until(lambda: short.count >= 1)
    last_update = time.perf_counter()
    pump_until(lambda: bool(ended))
    run_end = ended.pop() - last_update
    training.panel.steps.setValue(1000)
    counts: list[tuple[float, int]] = []
    state = {"updating": False}
    gaps = Gaps()
    running_gaps = Gaps(only=lambda: state["updating"])
    watch = GapWatch(late=0.100).__enter__()
    began = time.perf_counter()
    run = session.train()
    assert run is not None
    last = [0]

    def note() -> bool:
        if run.count != last[0]:
            last[0] = run.count
            counts.append((time.perf_counter(), run.count))
            state["updating"] = run.count >= 1
        return run.count >= UPDATES

    pump_until(note)
    stamps = [t for t, _ in counts]
    per_update = (stamps[-1] - stamps[0]) / max(1, counts[-1][1] - counts[0][1])
    first = stamps[0] - began
    pump_until(lambda: time.perf_counter() - stamps[-1] >= per_update / 4)
    state["updating"] = False
    pressed = time.perf_counter()
    session.stop()
    pump_until(lambda: bool(ended))
    stop = ended[0] - pressed
    thread = thread_ended[-1] - pressed
    longest, longest_running = gaps.longest(), running_gaps.longest()
    watch.__exit__()
    watch.report("from Train to the end of the run")
    close(window)
    return {"first": first, "update": per_update, "stop": stop, "thread": thread, "gap": longest, "end": run_end,
            "gap_running": longest_running, "count": float(run.count)}


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
    app = QApplication.instance() or QApplication([])  # noqa: F841 - kept alive while the window runs
    path = write_spirals(Path(tempfile.mkdtemp(prefix="bench-stop-")), rows, batch_size=0)
    print(f"load average {os.getloadavg()[0]:.2f}; spirals {rows:,} rows, batch size 0; one BLAS thread; "
          f"PYTHONDONTWRITEBYTECODE={os.environ.get('PYTHONDONTWRITEBYTECODE', '(unset)')}")
    first, headless = headless_update(path)
    w = in_window(path)
    print(f"one update headless {headless * 1e3:8.0f} ms (the first, binding its buffers: {first * 1e3:.0f} ms)")
    print(f"one update in the window {w['update'] * 1e3:8.0f} ms (Train to the first update's end "
          f"{w['first'] * 1e3:.0f} ms); ratio window / headless {w['update'] / headless:.2f}")
    print(f"Stop mid-update → stopped {w['stop'] * 1e3:8.1f} ms after {w['count']:.0f} updates; ratio to one "
          f"headless update {w['stop'] / headless:.3f}; goal < {GOAL_STOP * 1e3:.0f} ms "
          f"{'met' if w['stop'] < GOAL_STOP else 'MISSED'} (the training thread ended {w['thread'] * 1e3:.1f} ms "
          f"after Stop; the rest is the end of the run on the GUI thread)")
    print(f"a finished run's end (its last update → runFinished: the loss after it, the write-back) "
          f"{w['end'] * 1e3:8.0f} ms; ratio to one headless update {w['end'] / headless:.2f}")
    print(f"longest GUI wait {w['gap'] * 1e3:8.1f} ms from Train to the end; {w['gap_running'] * 1e3:.1f} ms "
          f"while updates ran")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {rss:,.0f} MB; load average {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()
