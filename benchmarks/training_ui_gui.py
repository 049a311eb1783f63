"""The ``gui`` part of bench_training_ui.py: where the GUI thread's time goes while Mazur trains
from the window, in CPU time of the GUI thread (medians per run): Train's set-up, each part of a
tick, the loss plot's paints (and within them the curves', axes' and legend's own paint), the
legend's placement, and the end of the run.

The worker runs Python under the GIL, so GUI work written in Python, and the C++ painting that
pyqtgraph's Python ``paintEvent`` calls, is time the worker waits. CPU time moves less with other
processes' load than wall-clock time; the load average is printed.
"""
from __future__ import annotations

import gc
import os
import statistics
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from training_ui_window import MAZUR, close, make_window, settle, train_and_wait

WARM_UP = 3


def _timed(owner: Any, name: str, key: str, spent: dict[str, float], calls: dict[str, int]) -> Callable[[], None]:
    """Make ``owner.name`` add its GUI-thread CPU time to ``spent[key]``; returns the undo."""
    original = getattr(owner, name)

    def timed(*args: Any, **kwargs: Any) -> Any:
        if threading.current_thread() is not threading.main_thread():
            return original(*args, **kwargs)
        began = time.thread_time()
        try:
            return original(*args, **kwargs)
        finally:
            spent[key] += time.thread_time() - began
            calls[key] += 1

    setattr(owner, name, timed)
    return lambda: setattr(owner, name, original)


def bench_gui(runs: int = 12) -> None:
    import pyqtgraph as pg

    import app.training as training_package
    from app.model.document import Document
    from app.training import dock, heldout_plot, legend_place, loss_plot, model_plot, param_plots
    from app.training.session import TrainingSession

    spent: dict[str, float] = defaultdict(float)
    calls: dict[str, int] = defaultdict(int)
    parts = [
        (TrainingSession, "train", "Train's set-up (train())"),
        (TrainingSession, "_on_finished", "the end (write-back, last draw, signals)"),
        (loss_plot.LossPlot, "redraw", "tick: loss plot redraw"),
        (loss_plot.LossPlot, "_fit", "  of it: fitting the view"),
        (dock.TrainingPanel, "show_progress", "tick: dock progress"),
        (training_package.Training, "_show_progress", "tick: status bar progress"),
        (heldout_plot.AccuracyPlot, "redraw", "tick: accuracy plot"),
        (param_plots.ParamPlots, "_on_tick", "tick: parameter plots"),
        (model_plot.ModelPlot, "_on_tick", "tick: model plot"),
        (legend_place.LegendPlacer, "place", "legend placement"),
        (pg.GraphicsView, "paintEvent", "paint (pyqtgraph views)"),
        (pg.PlotCurveItem, "paint", "  of it: curves"),
        (pg.AxisItem, "paint", "  of it: axes"),
        (pg.LegendItem, "paint", "  of it: legend box"),
    ]
    undo = [_timed(owner, name, key, spent, calls) for owner, name, key in parts]
    window, training = make_window(Document.open(MAZUR))
    session = training.session
    ticks = [0]
    session.ticked.connect(lambda: ticks.__setitem__(0, ticks[0] + 1))
    rows: list[tuple[dict[str, float], dict[str, int], float, float, int]] = []
    try:
        for i in range(runs + WARM_UP):
            session.clear_runs()
            settle(100)
            gc.collect()
            spent.clear()
            calls.clear()
            ticks[0] = 0
            began = time.thread_time()
            took, _run = train_and_wait(training)
            if i >= WARM_UP:
                rows.append((dict(spent), dict(calls), time.thread_time() - began, took, ticks[0]))
    finally:
        for put_back in undo:
            put_back()
    total, wall = (statistics.median(r[k] for r in rows) * 1e3 for k in (2, 3))
    print(f"GUI thread while Mazur trains 10,000 updates from the window (CPU ms a run, medians of {runs}; "
          f"load average {os.getloadavg()[0]:.1f}): {total:.1f} ms in all, window run {wall:.0f} ms wall, "
          f"{statistics.median(r[4] for r in rows):.0f} ticks")
    for _owner, _name, key in parts:
        ms = statistics.median(r[0].get(key, 0.0) for r in rows) * 1e3
        n = statistics.median(r[1].get(key, 0) for r in rows)
        print(f"  {key:44s} {ms:6.2f} ms  ({n:g} calls)")
    close(window)
