"""Training in the window against the headless fast path, in the same process:

  mazur     10,000 updates of mazur.json from the window (Train → runFinished, live loss plot shown)
            against Trainer(graph).run(10000)                                    goal ≤ 1.2×
  latency   the longest wait of the GUI thread's event loop (a QTimer every 5 ms) while training a
            784-256-10 ReLU MLP (batch 128 of 1,280 random rows), against the same timer idle
                                                                                 goal < 50 ms
  stop      from Stop to the end of the worker thread, on that MLP               goal < 100 ms
  repaint   one repaint of the loss plot holding 1,000,000 points (downsampling + clip-to-view),
            against the same plot with 1,000 points                              goal < 30 ms
  busy      the MLP trained in the window while another process keeps both cores busy, against the
            same run with nothing else started: longest GUI wait (goal < 50 ms), Stop to stopped
            (goal < 100 ms), updates/s (goal: within 1.5× of the run without the other process);
            the run's BLAS threads are the window's default (one), printed
  profile   where a window run of mazur spends its time: Train's set-up, the worker thread, the end,
            and cProfile of the GUI thread around one run (not part of the default set)
  gui       the GUI thread's CPU time in a window run of mazur, part by part: set-up, each part of a
            tick, the paints, the legend, the end (training_ui_gui.py; not part of the default set)

Figures only, no assertions. Run: QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_training_ui.py
(or name the parts: ... bench_training_ui.py mazur profile)
"""
from __future__ import annotations

import cProfile
import gc
import io as text_io
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np
from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication
from training_ui_busy import BusyCores, GapWatch, autogroup, mlp_run_figures
from training_ui_gui import bench_gui
from training_ui_window import MAZUR, MLP_UPDATES, close, make_window, mlp_graph, settle, timer_gaps, train_and_wait

from app.model.document import Document
from core import io
from core.settings import TrainingSettings
from core.trainer import Trainer

REPEATS = 11
GOALS = {"mazur": 1.2, "latency": 0.050, "stop": 0.100, "repaint": 0.030}


# ------------------------------------------------------------------ figures
def bench_mazur(updates: int = 10_000, repeats: int = REPEATS) -> None:
    """Headless and window runs alternate, so a change in the machine's load touches both alike.
    CPU times (the headless run's, the worker thread's, the GUI thread's over a window run) move far
    less with other processes' load than the wall-clock times: the GIL lets one thread run Python at
    a time, so the GUI thread's CPU time is roughly what it takes from the worker."""
    from app.training.worker import TrainingWorker

    graph = io.load(MAZUR)
    document = Document.open(MAZUR)
    document.graph.set_settings(document.graph.settings.with_changes(steps=updates))
    window, training = make_window(document)
    headless, windowed, redraws, threads = [], [], [], []
    cpu: dict[str, list[float]] = {"headless": [], "worker": [], "gui": []}
    counter = [0]
    training.plots.loss.redrawn.connect(lambda: counter.__setitem__(0, counter[0] + 1))
    body = TrainingWorker._body

    def timed_body(worker, steps):
        began = time.thread_time()
        body(worker, steps)
        cpu["worker"].append(time.thread_time() - began)

    TrainingWorker._body = timed_body
    load = os.getloadavg()[0]
    for _ in range(repeats):
        gc.collect()
        start, began = time.perf_counter(), time.thread_time()
        Trainer(graph).run(updates)
        headless.append(time.perf_counter() - start)
        cpu["headless"].append(time.thread_time() - began)
        training.session.clear_runs()
        settle(100)
        gc.collect()
        counter[0] = 0
        began = time.thread_time()
        took, run = train_and_wait(training)
        cpu["gui"].append(time.thread_time() - began)
        assert run.count == updates
        windowed.append(took)
        redraws.append(counter[0])
        threads.append(run.elapsed)
    TrainingWorker._body = body
    h, w, t = statistics.median(headless), statistics.median(windowed), statistics.median(threads)
    c = {k: statistics.median(v) * 1e3 for k, v in cpu.items()}
    print(f"mazur {updates:,} updates: headless {h * 1e3:7.1f} ms, window {w * 1e3:7.1f} ms "
          f"(medians of {repeats}, alternating; the worker thread {t * 1e3:.1f} ms of it, the rest is "
          f"Train's set-up and the write-back; {statistics.median(redraws):.0f} plot redraws a run), "
          f"ratio {w / h:.2f}, goal ≤ {GOALS['mazur']} {'met' if w / h <= GOALS['mazur'] else 'MISSED'}; "
          f"load average {load:.1f} before, {os.getloadavg()[0]:.1f} after")
    print(f"  CPU time: headless {c['headless']:.1f} ms; window run: worker thread {c['worker']:.1f} ms, "
          f"GUI thread {c['gui']:.1f} ms; (worker + GUI) / headless {(c['worker'] + c['gui']) / c['headless']:.2f}")
    close(window)


def bench_long() -> None:
    """The same at 100,000 updates: the cost per update once the fixed cost of a run is spread."""
    bench_mazur(100_000, 5)


def bench_profile(updates: int = 10_000, runs: int = 10) -> None:
    """Train's set-up, the worker thread and the end of a run (medians), then cProfile of the GUI
    thread around ``runs`` runs: what the window does while the worker trains."""
    from app.training.worker import TrainingWorker

    document = Document.open(MAZUR)
    document.graph.set_settings(document.graph.settings.with_changes(steps=updates))
    window, training = make_window(document)
    session = training.session
    marks: dict[str, float] = {}
    body, done, begin = TrainingWorker._body, TrainingWorker._on_thread_done, session._resume

    def timed_body(worker, steps):
        marks["thread"] = time.perf_counter()
        body(worker, steps)
        marks["thread end"] = time.perf_counter()

    def timed_done(worker, job):
        marks["end"] = time.perf_counter()
        done(worker, job)

    def timed_resume():
        marks["resume"] = time.perf_counter()
        begin()

    TrainingWorker._body, TrainingWorker._on_thread_done, session._resume = timed_body, timed_done, timed_resume
    rows = []
    for i in range(runs + 3):
        session.clear_runs()
        settle(100)
        gc.collect()
        start = time.perf_counter()
        took, _run = train_and_wait(training)
        if i >= 3:  # after a warm-up
            rows.append((marks["resume"] - start, marks["thread end"] - marks["thread"], start + took - marks["end"]))
    setup, thread, end = (statistics.median(r[k] for r in rows) * 1e3 for k in range(3))
    print(f"profile of a window run ({updates:,} updates, medians of {runs}): Train's set-up {setup:.1f} ms, "
          f"worker thread {thread:.1f} ms, from the thread's end to runFinished {end:.1f} ms")
    profiler = cProfile.Profile()
    for _ in range(runs):
        session.clear_runs()
        settle(100)
        gc.collect()
        profiler.enable()
        train_and_wait(training)
        profiler.disable()
    TrainingWorker._body, TrainingWorker._on_thread_done = body, done
    out = text_io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(r"app|core", 25)
    print(f"cProfile of the GUI thread over {runs} runs (cumulative; the event loop's own time is the wait):")
    print("\n".join(line for line in out.getvalue().splitlines() if line.strip())[:6000])
    close(window)


def bench_latency() -> None:
    window, training = make_window(Document(mlp_graph()))
    idle = timer_gaps(1.0)
    session = training.session
    session.train()
    busy = timer_gaps(None, until=session.runFinished)
    run = session.runs[-1]
    per_update = run.elapsed / max(1, run.count)
    longest = busy.max()
    print(f"GUI event loop while training the 784-256-10 MLP ({run.count} updates, {per_update * 1e3:.1f} ms each): "
          f"longest wait {longest * 1e3:.1f} ms, 99th percentile {np.percentile(busy, 99) * 1e3:.1f} ms, "
          f"median {np.median(busy) * 1e3:.1f} ms; idle: longest {idle.max() * 1e3:.1f} ms; "
          f"ratio to idle {longest / idle.max():.1f}; goal < {GOALS['latency'] * 1e3:.0f} ms "
          f"{'met' if longest < GOALS['latency'] else 'MISSED'}")

    stops = []
    for _ in range(5):
        session.clear_runs()
        loop = QEventLoop()
        session.runFinished.connect(loop.quit)
        run = session.train()
        asked = [0.0]
        worker = session.worker

        def stop_and_time(worker=worker, asked=asked) -> None:
            asked[0] = time.perf_counter()
            worker.stop()
            worker.wait()
            stops.append(time.perf_counter() - asked[0])

        QTimer.singleShot(120, stop_and_time)
        loop.exec()
        session.runFinished.disconnect(loop.quit)
        assert run.ended
    print(f"Stop on the MLP: the worker thread ended {max(stops) * 1e3:.1f} ms after Stop at worst "
          f"(median {statistics.median(stops) * 1e3:.1f} ms, {len(stops)} tries: "
          f"{', '.join(f'{t * 1e3:.0f}' for t in stops)} ms; one update takes "
          f"{per_update * 1e3:.1f} ms); goal < {GOALS['stop'] * 1e3:.0f} ms "
          f"{'met' if max(stops) < GOALS['stop'] else 'MISSED'}")

    window2, training2 = make_window(Document.open(MAZUR))
    training2.panel.steps.setValue(300_000)
    training2.session.train()
    gaps = timer_gaps(None, until=training2.session.runFinished)
    print(f"GUI event loop while training Mazur (300,000 updates, handed over in blocks of "
          f"{training2.session.worker.block} updates): longest wait {gaps.max() * 1e3:.1f} ms, "
          f"99th percentile {np.percentile(gaps, 99) * 1e3:.1f} ms")
    for w in (window, window2):
        close(w)


def bench_busy() -> None:
    """The goal's case first (another program in its own session), then the same spinners as this
    process's children (the fair-share floor: 1.5×), each against the same runs without them."""
    from app.training.threads import blas_threads

    window, training = make_window(Document(mlp_graph()))
    print(f"784-256-10 MLP in the window, {MLP_UPDATES} updates of batch 128, BLAS threads {blas_threads()} "
          f"(the window's setting); kernel autogroup {autogroup()}; load average before "
          f"{os.getloadavg()[0]:.1f}")
    quiet_watch = GapWatch()
    quiet = mlp_run_figures(training, quiet_watch)
    quiet_watch.report("with nothing else started")
    for own_session in (True, False):
        busy_watch = GapWatch()
        with BusyCores(own_session) as load:
            settle(500)
            loaded = mlp_run_figures(training, busy_watch)
        goal = "the goal's case" if own_session else "not the goal's case: 1.5× is the floor"
        print(f"  beside {load.label} ({goal}); load average after {os.getloadavg()[0]:.1f}")
        names = ("longest GUI wait", "Stop to stopped")
        for name, q, b, limit in zip(names, quiet, loaded, (GOALS["latency"], GOALS["stop"]), strict=False):
            print(f"    {name}: {b * 1e3:6.1f} ms beside it, {q * 1e3:6.1f} ms without; ratio {b / q:4.1f}; "
                  f"goal < {limit * 1e3:.0f} ms {'met' if b < limit else 'MISSED'}")
        ratio = quiet[2] / loaded[2]
        print(f"    updates/s: {loaded[2]:7.1f} beside it, {quiet[2]:7.1f} without; slower by {ratio:4.2f}×; "
              f"goal ≤ 1.5× {'met' if ratio <= 1.5 else 'MISSED'}")
        busy_watch.report("beside it")
    close(window)


def repaint_time(points: int) -> tuple[float, float, float]:
    """(repaint as is, repaint after a pan, setData + repaint) in seconds, medians."""
    from app.training.loss_plot import LossPlot
    from app.training.runs import Run
    from app.training.session import TrainingSession

    session = TrainingSession(Document(io.load(MAZUR)))
    plot = LossPlot(session)
    plot.resize(1000, 500)
    plot.show()
    run = Run(1, TrainingSettings(), points)
    rng = np.random.default_rng(0)
    run.losses[:] = np.exp(-np.linspace(0, 8, points)) + 0.01 * rng.random(points)
    run.count = points
    run.status = "finished"
    session.runs.append(run)
    session.runsChanged.emit()
    settle(200)
    view = plot.plot_widget.viewport()

    def timed(action) -> float:
        times = []
        for i in range(15):
            action(i)
            start = time.perf_counter()
            view.repaint()
            times.append(time.perf_counter() - start)
        return statistics.median(times[3:])

    box = plot.plot.getViewBox()
    plain = timed(lambda i: None)
    panned = timed(lambda i: box.translateBy(x=points * (0.01 if i % 2 else -0.01)))
    box.enableAutoRange()
    trace = plot._traces[run.number]

    def renew(i: int) -> None:
        trace.drawn = -1
        plot.redraw()

    fed = timed(renew)
    plot.close()
    return plain, panned, fed


def bench_repaint() -> None:
    small = repaint_time(1_000)
    big = repaint_time(1_000_000)
    names = ("repaint", "repaint after a pan", "new data + repaint")
    for name, b, s in zip(names, big, small):
        print(f"loss plot {name}: 1,000,000 points {b * 1e3:6.2f} ms, 1,000 points {s * 1e3:6.2f} ms, "
              f"ratio {b / s:5.1f}; goal < {GOALS['repaint'] * 1e3:.0f} ms "
              f"{'met' if b < GOALS['repaint'] else 'MISSED'}")


def main() -> None:
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
    os.environ.setdefault("XDG_DATA_HOME", tempfile.mkdtemp())
    app = QApplication.instance() or QApplication([])
    app.setApplicationName("bench-training-ui")
    chosen = sys.argv[1:] or ["mazur", "long", "latency", "busy", "repaint"]  # e.g. `... bench_training_ui.py mazur`
    for name in chosen:
        parts = {"mazur": bench_mazur, "latency": bench_latency, "repaint": bench_repaint, "long": bench_long,
                 "profile": bench_profile, "busy": bench_busy, "gui": bench_gui}
        parts[name]()


if __name__ == "__main__":
    main()
