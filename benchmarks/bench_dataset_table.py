"""Scrolling the dataset editor's table over 1,000,000 rows × 10 columns: each repaint of the
table's viewport after a scroll (a wheel step of 3 rows, a page, a jump to a random place), in
wall time and in the GUI thread's own CPU time (what the repaint costs, without the waits of a
loaded machine), against the same view over a QStandardItemModel holding one screen of cells
in C++ (the floor: Qt drawing the cells with no Python in the way). Goal: every repaint under
16 ms (one frame at 60 Hz).

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_dataset_table.py
"""
from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
from PySide6.QtGui import QStandardItem, QStandardItemModel  # noqa: E402
from PySide6.QtWidgets import QApplication, QTableView  # noqa: E402

from app.dataset.panel import DatasetPanel  # noqa: E402
from app.model.bridge import GraphBridge  # noqa: E402
from core.data.dataset import Dataset  # noqa: E402
from core.graph import Graph  # noqa: E402

ROWS, COLS = 1_000_000, 10
SCROLLS = 300
GOAL = 0.016


class _Doc:
    """The least a DatasetPanel follows: a graph and its bridge."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.bridge = GraphBridge(graph)


def big_panel() -> DatasetPanel:
    g = Graph()
    rng = np.random.default_rng(0)
    g.set_dataset(Dataset({"x": rng.normal(size=(ROWS, COLS - 1)), "t": rng.integers(0, 3, (ROWS, 1))},
                          test_fraction=0.2))
    panel = DatasetPanel()
    panel.resize(900, 1000)
    panel.set_document(_Doc(g))
    panel.show()
    QApplication.processEvents()
    return panel


def floor_view(like: QTableView, rows: int) -> QTableView:
    model = QStandardItemModel(rows, COLS)
    rng = np.random.default_rng(2)
    for r in range(rows):
        for c in range(COLS):
            model.setItem(r, c, QStandardItem(f"{rng.normal():.6g}"))
    view = QTableView()
    view.setModel(model)
    view.verticalHeader().setDefaultSectionSize(like.verticalHeader().defaultSectionSize())
    view.resize(like.size())
    view._model = model  # type: ignore[attr-defined]  # kept alive with the view
    view.show()
    QApplication.processEvents()
    return view


def repaints(view: QTableView) -> tuple[list[float], list[float]]:
    bar = view.verticalScrollBar()
    viewport = view.viewport()
    rng = np.random.default_rng(1)
    wall, cpu = [], []
    for k in range(SCROLLS):
        kind = k % 3
        if kind == 0:
            bar.setValue(min(bar.maximum(), bar.value() + 3))
        elif kind == 1:
            bar.setValue(min(bar.maximum(), bar.value() + bar.pageStep()))
        else:
            bar.setValue(int(rng.integers(0, max(1, bar.maximum()))))
        began, began_cpu = time.perf_counter(), time.thread_time()
        viewport.repaint()
        cpu.append(time.thread_time() - began_cpu)
        wall.append(time.perf_counter() - began)
    return wall, cpu


def ms(times: list[float]) -> str:
    return f"median {1e3 * statistics.median(times):.2f} ms, worst {1e3 * max(times):.2f} ms"


def main() -> None:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    print(f"load average {os.getloadavg()[0]:.2f} (2 cores shared: wall times wait for a core, CPU times do not)")
    panel = big_panel()
    table = panel.table
    visible = table.rowAt(table.viewport().height() - 1) - table.rowAt(0) + 1
    floor = floor_view(table, visible + 10)
    ours_wall, ours_cpu = repaints(table)
    floor_wall, floor_cpu = repaints(floor)
    print(f"{ROWS:,} rows × {COLS} columns, {visible} rows on screen, {SCROLLS} scrolls")
    print(f"dataset table, wall: {ms(ours_wall)}; CPU: {ms(ours_cpu)}")
    print(f"QStandardItemModel floor ({visible + 10} rows), wall: {ms(floor_wall)}; CPU: {ms(floor_cpu)}")
    print(f"worst repaint: CPU {1e3 * max(ours_cpu):.2f} ms = {max(ours_cpu) / GOAL:.2f} of the 16 ms goal, "
          f"wall {1e3 * max(ours_wall):.2f} ms = {max(ours_wall) / GOAL:.2f} of it; "
          f"median CPU ratio to the floor {statistics.median(ours_cpu) / statistics.median(floor_cpu):.2f}")
    panel.close()
    floor.close()
    del app


if __name__ == "__main__":
    main()
