"""The processor time of one undo of a 50-node deletion (``time.process_time``: what this process
itself spent, which another program sharing the machine changes far less than the clock), on the
generated 300-node and 3,000-node graphs of ``bench_editor``: the editor alone (document, canvas,
view) and the whole window (``create_window``), each undo with the events it queues and a repaint.
The baseline of each ratio is the same undo on the 300-node graph in the same process (goal: the
3,000-node undo within 2× of it). The clock's median is printed beside it.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_undo_cpu.py
"""
from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtWidgets import QApplication  # noqa: E402

from app.commands import Delete  # noqa: E402
from app.model.document import Document  # noqa: E402
from benchmarks.bench_editor import (  # noqa: E402
    BIG_EDGES,
    BIG_NODES,
    DELETED,
    EDGES,
    GOALS,
    NODES,
    layered_graph,
    show_editor,
)
from benchmarks.bench_undo_window import shown_window  # noqa: E402

REPEATS = 11


def undo_times(document: Document, repaint: Callable[[], object]) -> tuple[float, float]:
    """The medians of processor time and clock time of undoing one 50-node deletion (redone between)."""
    ids = list(document.graph.nodes)[::6][:DELETED]
    document.undo_stack.push(Delete(document, ids))
    QApplication.processEvents()
    cpu, clock = [], []
    for i in range(REPEATS):
        if i:
            document.undo_stack.redo()
            QApplication.processEvents()
        t_cpu, t_clock = time.process_time(), time.perf_counter()
        document.undo_stack.undo()
        QApplication.processEvents()
        repaint()
        cpu.append(time.process_time() - t_cpu)
        clock.append(time.perf_counter() - t_clock)
    return statistics.median(cpu), statistics.median(clock)


def main() -> None:
    app = QApplication.instance() or QApplication(sys.argv)
    print(f"load average {os.getloadavg()[0]:.1f} (1 min) on {os.cpu_count()} cores")
    results: dict[tuple[str, int], tuple[float, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for nodes, edges in ((NODES, EDGES), (BIG_NODES, BIG_EDGES)):
            document, _scene, view = show_editor(layered_graph(nodes, edges))
            results[("editor alone", nodes)] = undo_times(document, view.viewport().repaint)
            view.close()
            window, document = shown_window(nodes, edges, Path(tmp) / f"recovery{nodes}")
            results[("whole window", nodes)] = undo_times(document, window.repaint)
            window.close()
            app.processEvents()
    for kind in ("editor alone", "whole window"):
        (small, small_clock), (big, big_clock) = results[(kind, NODES)], results[(kind, BIG_NODES)]
        ok = "meets" if big <= GOALS["undo_ratio"] * small else "MISSES"
        print(f"{kind:<13} processor {small * 1000:6.1f} ms at {NODES}, {big * 1000:6.1f} ms at {BIG_NODES:,}: "
              f"{big / small:.2f}× (goal ≤ {GOALS['undo_ratio']:.0f}×, {ok})   clock {small_clock * 1000:.1f} / "
              f"{big_clock * 1000:.1f} ms")
    print(f"load average {os.getloadavg()[0]:.1f} (1 min) after")


if __name__ == "__main__":
    main()
