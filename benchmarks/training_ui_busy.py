"""Training beside busy cores (bench_training_ui.py busy): processes spinning on every core, a
watchdog that samples the GUI thread's stack while its timer is overdue, and the figures of MLP
runs in the window (longest GUI wait, Stop to stopped, updates/s)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import traceback
from collections import Counter
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from training_ui_window import timer_gaps

SPIN = """import os, sys
for _ in range(int(sys.argv[1]) - 1):
    if os.fork() == 0:
        break
while True:
    pass
"""


class BusyCores:
    """Another program keeping every core busy: one spinning Python process per core, started as one
    process group that forks its spinners. ``own_session`` (the goal's case) starts it in a session of
    its own, as a program started from another terminal or the desktop is; with kernel autogroup
    (``/proc/sys/kernel/sched_autogroup_enabled``) the scheduler then shares the cores between that
    program and this one. Without it the spinners are this process's children in its own scheduling
    group: three CPU-bound threads on two cores, each given 2/3 of a core, so 1.5× is the floor."""

    def __init__(self, own_session: bool) -> None:
        self.own_session = own_session
        self.cores = os.cpu_count() or 1
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> BusyCores:
        self.process = subprocess.Popen([sys.executable, "-c", SPIN, str(self.cores)],
                                        start_new_session=True if self.own_session else False,
                                        process_group=None if self.own_session else 0)
        return self

    def __exit__(self, *exc) -> None:
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)  # the spinners forked into its group go with it
        self.process.wait()

    @property
    def label(self) -> str:
        return (f"another program spinning on {self.cores} cores in its own session"
                if self.own_session else f"{self.cores} spinning processes in this benchmark's own group")


def autogroup() -> str:
    try:
        return "on" if Path("/proc/sys/kernel/sched_autogroup_enabled").read_text().strip() == "1" else "off"
    except OSError:
        return "unknown"


def _stack_text(frame, limit: int = 12) -> str:
    stack = traceback.extract_stack(frame, limit=limit)
    return " < ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(stack))


class GapWatch:
    """A watchdog thread: while the GUI thread's 5 ms timer is more than ``late`` s overdue it samples
    the GUI thread's stack (``sys._current_frames``) every 10 ms; :meth:`report` names the longest
    gaps with the stack seen most in each (what the GUI thread was doing instead of its events)."""

    def __init__(self, late: float = 0.050) -> None:
        self.late, self.gui = late, threading.get_ident()
        self.task = Path(f"/proc/self/task/{threading.get_native_id()}/stat")  # Linux: the GUI thread's state
        self.beat = time.perf_counter()
        self.gaps: dict[float, list[str]] = {}  # the last beat before a gap -> the stacks sampled in it
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(self._beat)
        self._running = True
        self.thread = threading.Thread(target=self._watch, name="gap watch", daemon=True)

    def _beat(self) -> None:
        self.beat = time.perf_counter()

    def __enter__(self) -> GapWatch:
        self.beat = time.perf_counter()
        self.timer.start()
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._running = False
        self.timer.stop()
        self.thread.join()

    def _watch(self) -> None:
        while self._running:
            time.sleep(0.010)
            beat = self.beat
            if time.perf_counter() - beat > self.late:
                frames = sys._current_frames()
                frame = frames.get(self.gui)
                if frame is not None:
                    text = self._state() + _stack_text(frame)
                    worker = [t.ident for t in threading.enumerate() if t.name == "training"]
                    if worker and worker[0] in frames:  # what the training thread did meanwhile
                        text += "  ||| training thread: " + _stack_text(frames[worker[0]], 6)
                    self.gaps.setdefault(beat, []).append(text)

    def _state(self) -> str:
        """R (running or waiting for a core) or S (asleep: in the event loop's wait, or on the GIL)."""
        try:
            return f"[{self.task.read_text().rsplit(')', 1)[1].split()[0]}] "
        except (OSError, IndexError):
            return ""

    def report(self, label: str, most: int = 3) -> None:
        longest = sorted(self.gaps.values(), key=len, reverse=True)[:most]
        print(f"  gaps of the GUI thread > {self.late * 1e3:.0f} ms {label}: {len(self.gaps)}"
              + ("" if longest else " (none)"))
        for stacks in longest:
            print(f"    ~{self.late * 1e3 + len(stacks) * 10:.0f} ms; the GUI thread's stacks sampled in it:")
            for text, seen in Counter(stacks).most_common(3):
                print(f"      {seen} × {text[:700]}")


def mlp_run_figures(training, watch: GapWatch, budget: float = 60.0) -> tuple[float, float, float]:
    """(longest GUI wait s, Stop to stopped s, updates/s) of MLP runs in the window; ``watch`` looks at
    the first run, which is stopped after ``budget`` seconds if it has not ended (its updates/s are
    of the updates done). The Stop runs block the GUI thread on purpose (Stop, then join)."""
    session = training.session
    session.clear_runs()
    cap = QTimer()
    cap.setSingleShot(True)
    cap.timeout.connect(session.stop)
    with watch:
        session.train()
        cap.start(int(budget * 1000))
        gaps = timer_gaps(None, until=session.runFinished)
    cap.stop()
    run = session.runs[-1]
    rate = run.count / max(run.elapsed, 1e-9)
    stops = []
    for _ in range(3):
        session.clear_runs()
        loop = QEventLoop()
        session.runFinished.connect(loop.quit)
        session.train()
        worker = session.worker

        def stop_and_time(worker=worker) -> None:
            asked = time.perf_counter()
            worker.stop()
            worker.wait()
            stops.append(time.perf_counter() - asked)

        QTimer.singleShot(120, stop_and_time)
        loop.exec()
        session.runFinished.disconnect(loop.quit)
    return float(gaps.max()), max(stops), rate
