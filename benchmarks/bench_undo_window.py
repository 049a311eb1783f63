"""Undo of a 50-node deletion in the whole window (``app.window.launch.create_window``: every room
installed, shown) on the generated 300-node and 3,000-node graphs of ``bench_editor``: the median
time of one undo with the events it queues and a repaint, and the ratio 3,000 against 300 nodes
(goals: < 100 ms at 3,000 nodes, within 2×). The baseline is the same undo on the bare document
(the graph alone, no window) in the same process. At each size it also times alone each rebuild an
undo makes (the best of three).

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_undo_window.py [--profile FILE]
(--profile: a cProfile of one undo at 3,000 nodes, written to FILE, its top 25 printed).
"""
from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

from app.model.document import Document  # noqa: E402
from app.window.launch import create_window  # noqa: E402
from app.window.main_window import MainWindow  # noqa: E402
from benchmarks.bench_editor import (  # noqa: E402
    BIG_EDGES,
    BIG_NODES,
    DELETED,
    EDGES,
    GOALS,
    NODES,
    layered_graph,
    timed,
    undo_deletion,
)
from core.program import Program  # noqa: E402
from core.validation import check  # noqa: E402


def shown_window(nodes: int, edges: int, recovery: Path) -> tuple[MainWindow, Document]:
    document = Document(layered_graph(nodes, edges))
    window = create_window(document, recovery_dir=recovery)
    window._ask_save_changes = lambda: QMessageBox.StandardButton.Discard  # type: ignore[method-assign]
    window.resize(1280, 800)
    window.show()
    for _ in range(5):
        QApplication.processEvents()
    return window, window.document


class WholeWindow:
    """What ``undo_deletion`` repaints: the whole window (the editor, the Program, every dock)."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window

    def viewport(self) -> MainWindow:
        return self.window


def profile_one_undo(document: Document, window: MainWindow, path: str) -> None:
    document.undo_stack.redo()
    QApplication.processEvents()
    profiler = cProfile.Profile()
    profiler.enable()
    document.undo_stack.undo()
    QApplication.processEvents()
    window.repaint()
    profiler.disable()
    profiler.dump_stats(path)
    pstats.Stats(path).sort_stats("cumulative").print_stats(25)


def heavy_pieces(window: MainWindow, document: Document) -> None:
    """What one undo still rebuilds once at this size, each timed alone (the best of three); the
    debugger's rebuild finds its program again (``Document.derived``): what it times is the
    debugger's own share, its controller and views."""
    graph = document.graph
    program_list = window.debugger.program_view.list
    pieces = {
        "validation (core.validation.check)": lambda: check(graph),
        "program (core.program.Program)": lambda: Program(graph),
        "both found again (Document.derived)": lambda: (document.derived.forget(), document.derived.program()),
        "Program list layout": program_list.doItemsLayout,
        "debugger's views (controller.rebuild)": window.debugger.controller.rebuild,
        "canvas problem marks (validate_now)": window.scene.validate_now,
    }
    for name, piece in pieces.items():
        best = min(timed(piece) for _ in range(3))
        print(f"  {name:<40} {best * 1000:8.1f} ms at {len(graph.nodes):,} nodes")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", metavar="FILE", help="write a cProfile of one undo at 3,000 nodes")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv)
    print(f"load average {os.getloadavg()[0]:.1f} (1 min) on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        bare = undo_deletion(Document(layered_graph()), None)
        results = {}
        for nodes, edges in ((NODES, EDGES), (BIG_NODES, BIG_EDGES)):
            window, document = shown_window(nodes, edges, Path(tmp) / f"recovery{nodes}")
            results[nodes] = undo_deletion(document, WholeWindow(window))  # type: ignore[arg-type]
            heavy_pieces(window, document)
            if args.profile and nodes == BIG_NODES:
                profile_one_undo(document, window, args.profile)
            window.close()
            app.processEvents()
        small, big = results[NODES], results[BIG_NODES]
        for nodes, seconds in results.items():
            ok = "meets" if seconds <= GOALS["undo"] else "MISSES"
            print(f"window undo of {DELETED} nodes at {nodes:>5,} nodes {seconds * 1000:8.1f} ms   "
                  f"goal {GOALS['undo'] * 1000:.0f} ms ({ok})   {seconds / bare:6.1f}× graph alone "
                  f"({bare * 1000:.1f} ms at {NODES})")
        ok = "meets" if big <= GOALS["undo_ratio"] * small else "MISSES"
        print(f"ratio {BIG_NODES:,} / {NODES} nodes: {big / small:.2f}×   goal ≤ {GOALS['undo_ratio']:.0f}× ({ok})")
        print(f"load average {os.getloadavg()[0]:.1f} (1 min) after")


if __name__ == "__main__":
    main()
