"""Debugger speed: time from Step (and Step Back) to a repainted canvas, in the full window.

The window has the debugger installed (program view, inspector section, canvas labels), the
canvas shows the whole graph (fit to view), and a step counts as done when the canvas's
viewport has finished painting afterwards. Graphs: Mazur's network and a generated 300-node
graph. The baseline, measured in the same process, is a bare repaint of the same canvas with
no step (the whole viewport, as after a scroll); the ratio says what a step costs next to
drawing the canvas once.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_debugger.py
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
ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import numpy as np  # noqa: E402
import PySide6  # noqa: E402
from PySide6.QtCore import QEvent, QObject, QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402
from wide_graphs import add_tree  # noqa: E402

from app import debugger  # noqa: E402
from app.model.document import Document  # noqa: E402
from app.window.main_window import MainWindow  # noqa: E402
from core import io  # noqa: E402
from core.graph import Graph  # noqa: E402

WINDOW_SIZE = (1400, 900)
GOALS = {"mazur": 0.016, "300 nodes": 0.050}
BASELINE_REPAINTS = 30


class PaintClock(QObject):
    """Counts paint events of the viewport (the view paints inside the event loop's call)."""

    def __init__(self, widget) -> None:  # noqa: ANN001
        super().__init__()
        self.paints = 0
        widget.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            self.paints += 1
        return False


def generated_graph(width: int = 10, depth: int = 28, seed: int = 3) -> Graph:
    """About 300 nodes: ``width`` parameters, ``depth`` layers of ``width`` element-wise ops on
    4-vectors (every node feeds the next layer), an Add tree and a Sum as the objective."""
    rng = np.random.default_rng(seed)
    g = Graph()
    prev = []
    for i in range(width):
        g.add_node("Parameter", f"p{i}", value=rng.normal(0, 0.5, 4), pos=(0.0, i * 130.0))
        prev.append(f"p{i}")
    for layer in range(1, depth + 1):
        ops = ("Tanh",) if layer % 2 == 0 else ("Add", "Multiply")
        current = []
        for i in range(width):
            op = ops[i % len(ops)]
            node_id = f"l{layer}_{i}"
            g.add_node(op, node_id, pos=(layer * 260.0, i * 130.0))
            ports = g.node(node_id).inputs
            for k, port in enumerate(ports):
                g.connect(prev[(i + k) % width], node_id, port)
            current.append(node_id)
        prev = current
    root = add_tree(g, prev, "sum", lambda level, j: ((depth + level) * 260.0, j * 130.0))
    g.add_node("Sum", "total", pos=(g.nodes[root].pos[0] + 260.0, 0.0))
    g.connect(root, "total", "x")
    return g


def make_window(graph: Graph | Document) -> tuple[MainWindow, debugger.Debugger, PaintClock]:
    document = graph if isinstance(graph, Document) else Document(graph)
    window = MainWindow(document, recovery_dir=Path(tempfile.mkdtemp()) / "recovery")
    window._ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    dbg = window.debugger = debugger.install(window)
    window.resize(*WINDOW_SIZE)
    window.show()
    settle()
    window.view.fit_to_graph()
    settle()
    return window, dbg, PaintClock(window.view.viewport())


def settle() -> None:
    for _ in range(5):
        QApplication.processEvents()


def until_painted(clock: PaintClock, start: float, before: int, limit: float = 5.0) -> float:
    """Process events until the viewport has painted (the paint runs inside processEvents)."""
    deadline = start + limit
    while clock.paints == before:
        QApplication.processEvents()
        if time.perf_counter() > deadline:
            raise RuntimeError("the canvas did not repaint")
    return time.perf_counter() - start


def timed_action(clock: PaintClock, action: Callable[[], object], limit: float = 5.0) -> float:
    before = clock.paints
    start = time.perf_counter()
    action()
    return until_painted(clock, start, before, limit)


def bare_repaints(window: MainWindow, clock: PaintClock) -> list[float]:
    return [timed_action(clock, window.view.viewport().update) for _ in range(BASELINE_REPAINTS)]


def figures(times: list[float]) -> str:
    ordered = sorted(times)
    p90 = ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]
    return f"median {statistics.median(times) * 1e3:6.2f} ms, p90 {p90 * 1e3:6.2f} ms, max {max(times) * 1e3:6.2f} ms"


def bench(name: str, graph: Graph) -> None:
    window, dbg, clock = make_window(graph)
    c = dbg.controller
    n = len(c.stepper.steps)
    timed_action(clock, c.step)  # the first step repaints everything (values appear); not counted
    timed_action(clock, c.step_back)
    base = bare_repaints(window, clock)
    steps = [timed_action(clock, c.step) for _ in range(n)]
    backs = [timed_action(clock, c.step_back) for _ in range(n)]
    goal = GOALS[name]
    base_median = statistics.median(base)
    print(f"{name}: {len(graph.nodes)} nodes, {len(graph.edges)} edges, {n} steps; "
          f"window {WINDOW_SIZE[0]}×{WINDOW_SIZE[1]}, fit to view")
    print(f"  bare repaint (baseline) {figures(base)}")
    for label, times in (("Step", steps), ("Step Back", backs)):
        median = statistics.median(times)
        verdict = "meets" if median <= goal else "misses"
        print(f"  {label:<9} → repainted {figures(times)}; ratio {median / base_median:4.1f}× the bare repaint;"
              f" {verdict} the {goal * 1e3:.0f} ms goal")
    window.close()
    window.deleteLater()
    settle()


def main() -> None:
    scratch = tempfile.mkdtemp(prefix="bench-debugger-")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, scratch)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    print(f"PySide6 {PySide6.__version__}, Qt platform '{app.platformName()}'")
    bench("mazur", io.load(ROOT / "resources" / "examples" / "mazur.json"))
    bench("300 nodes", generated_graph())


if __name__ == "__main__":
    main()
