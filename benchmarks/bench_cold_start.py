"""Cold start: from starting a Python process to the first painted window, the workbench
(``python -m app`` itself: ``app.cli.main.main([])``, the default example) against a bare PySide6
QMainWindow, each in fresh processes taken in turns, in the same run.

Two figures for the workbench: its first painted window (the goal: ≤ 1.3× the bare window), which
the launcher shows before the engine loads (``app.window.opening``), and its first paint with the
graph shown (the whole start: the engine imported, the file read, the window built; measured with
an event filter on the application once the window first painted, which costs the build a few ms).
The script also prints each process's CPU time by its first painted window (which other processes'
load moves far less than the wall-clock time), whether PYTHONDONTWRITEBYTECODE is set and whether
this tree's modules are compiled (``make`` compiles them; without bytecode every process compiles
every module it imports anew). It also lists what the first paint must not import (NumPy, the
engine, pyqtgraph, Pygments, nbformat, the exporters, the gradient checker, ...) and was imported
anyway; ``tests/test_cold_start_imports.py`` runs the same script and requires none.

Both kinds of process get empty settings and data folders (XDG_CONFIG_HOME, XDG_DATA_HOME): no saved
layout, no recovery file from a real session.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_cold_start.py
"""
from __future__ import annotations

import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 5
GOAL = 1.3
LAZY = ("numpy", "core", "app.model.document", "app.editor.scene", "pyqtgraph", "pygments", "nbformat", "core.export",
        "core.gradcheck", "core.custom.check", "app.training.plots", "app.dataset.panel", "app.cli.commands",
        "importlib.metadata", "threadpoolctl", "app.training", "app.debugger", "socket")

# Each process says "painted" on the event loop's turn after its main window's first paint event (the
# first frame drawn: menu bar, placeholder and all), noticed by the window's own paintEvent. (An
# event filter on the application would cost each process tens of milliseconds: PySide makes the
# Python class of every new kind of event it hands to Python.)
BARE = """
import os, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
class Window(QMainWindow):
    painted = False
    def paintEvent(self, event):
        super().paintEvent(event)
        if not self.painted:
            self.painted = True
            QTimer.singleShot(0, lambda: (print(f"painted {time.process_time() * 1e3:.1f}", flush=True), os._exit(0)))
window = Window()
window.resize(1400, 900)
window.show()
app.exec()
"""

# The command line's own path (``python -m app``), its main window's paintEvent watched; after the
# first frame, an event filter waits for the canvas's first paint (the graph shown).
WORKBENCH = """
import os, sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QGraphicsView
from app.window.main_window import MainWindow
class Graph(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and isinstance(obj.parent(), QGraphicsView):
            print(f"graph {time.process_time() * 1e3:.1f}", flush=True)
            os._exit(0)
        return False
graph = Graph()
def first_frame(window):
    print(f"painted {time.process_time() * 1e3:.1f}", flush=True)
    print(" ".join(m for m in os.environ["LAZY"].split() if m in sys.modules) or "-", flush=True)
    if getattr(window, "built", True):  # a window built before it was shown: the graph painted with it
        print(f"graph {time.process_time() * 1e3:.1f}", flush=True)
        os._exit(0)
    QApplication.instance().installEventFilter(graph)
def paintEvent(self, event):
    super(MainWindow, self).paintEvent(event)
    if not getattr(self, "painted", False):
        self.painted = True
        QTimer.singleShot(0, lambda: first_frame(self))
MainWindow.paintEvent = paintEvent
from app.cli.main import main
sys.exit(main([]))
"""


def environment(home: str) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), LAZY=" ".join(LAZY), XDG_CONFIG_HOME=f"{home}/config",
               XDG_DATA_HOME=f"{home}/data")
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return env


def to_first_paint(code: str, env: dict[str, str]) -> tuple[float, float, tuple[float, float] | None, str]:
    """Seconds to the first paint, the process's CPU seconds by then, seconds and CPU seconds to the
    graph's first paint (None: the bare window), the modules of LAZY imported by the first paint."""
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, env=env, cwd=ROOT)
    assert child.stdout is not None and child.stderr is not None
    line, _, cpu = child.stdout.readline().partition(" ")
    painted = time.perf_counter() - start
    loaded, graph = "", None
    if line.strip() == "painted" and code is WORKBENCH:
        loaded = child.stdout.readline().strip()
        word, _, graph_cpu = child.stdout.readline().partition(" ")
        if word == "graph":
            graph = (time.perf_counter() - start, float(graph_cpu) / 1e3)
    child.stdout.read()
    errors = child.stderr.read().strip()
    child.wait()
    if line.strip() != "painted" or (code is WORKBENCH and graph is None):
        raise RuntimeError(f"the window did not paint{' the graph' if line.strip() else ''}: {errors[-2000:]}")
    return painted, float(cpu or "nan") / 1e3, graph, loaded


def compiled() -> str:
    """Whether this tree's modules have bytecode as new as their source."""
    sources = [p for d in ("app", "core") for p in (ROOT / d).rglob("*.py")]
    fresh = sum(1 for p in sources if _fresh(p))
    return "all" if fresh == len(sources) else "none" if fresh == 0 else f"{fresh} of {len(sources)}"


def _fresh(source: Path) -> bool:
    cached = Path(importlib.util.cache_from_source(str(source)))
    return cached.is_file() and cached.stat().st_mtime >= source.stat().st_mtime


def main() -> None:
    bare: list[float] = []
    first: list[float] = []
    whole: list[float] = []
    whole_cpu: list[float] = []
    bare_cpu: list[float] = []
    first_cpu: list[float] = []
    loaded = ""
    with tempfile.TemporaryDirectory(prefix="bench-cold-start-") as home:
        env = environment(home)
        for _ in range(ROUNDS):
            painted, cpu, _, _ = to_first_paint(BARE, env)
            bare.append(painted)
            bare_cpu.append(cpu)
            painted, cpu, graph, loaded = to_first_paint(WORKBENCH, env)
            first.append(painted)
            first_cpu.append(cpu)
            whole.append(graph[0] if graph else 0.0)
            whole_cpu.append(graph[1] if graph else 0.0)
    b, w, g = statistics.median(bare), statistics.median(first), statistics.median(whole)
    bc, wc = statistics.median(bare_cpu), statistics.median(first_cpu)
    print(f"PYTHONDONTWRITEBYTECODE={os.environ.get('PYTHONDONTWRITEBYTECODE', '(unset)')}; this tree compiled: "
          f"{compiled()}; load average {os.getloadavg()[0]:.1f}; median of {ROUNDS} processes each, in turns")
    print(f"cold start to the first painted window: workbench {w * 1e3:.0f} ms, bare QMainWindow {b * 1e3:.0f} ms; "
          f"ratio {w / b:.2f}; goal ≤ {GOAL} {'met' if w / b <= GOAL else 'MISSED'}")
    print(f"CPU time of the process by its first painted window (less moved by other processes' load): "
          f"workbench {wc * 1e3:.0f} ms, bare {bc * 1e3:.0f} ms; ratio {wc / bc:.2f}")
    gc = statistics.median(whole_cpu)
    print(f"cold start to the graph shown (the whole start): {g * 1e3:.0f} ms, CPU {gc * 1e3:.0f} ms; "
          f"ratio {g / b:.2f} to the bare window")
    print(f"imported before the first paint, of {', '.join(LAZY)}: {loaded}")


if __name__ == "__main__":
    main()
