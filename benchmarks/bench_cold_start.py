"""Cold start: from starting a Python process to the first painted window, the workbench (what
``python -m app`` does: the command line's imports, the default example, the whole window)
against a bare PySide6 QMainWindow, each in fresh processes taken in turns, in the same run.

Goal: workbench ≤ 1.3× the bare window. Both processes import from this tree with the same
environment; the script prints whether PYTHONDONTWRITEBYTECODE is set (it costs every process
the compiling of every module it imports: about 0.5 s for the workbench). It also lists what the
first paint does not need and did not import (pyqtgraph, Pygments, nbformat, the exporters, the
gradient checker, the headless commands); tests/test_cold_start_imports.py runs the same script.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_cold_start.py
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 5
GOAL = 1.3
LAZY = ("pyqtgraph", "pygments", "nbformat", "core.export", "core.gradcheck", "core.custom.check",
        "app.training.plots", "app.dataset.panel", "app.cli.commands", "importlib.metadata")

BARE = """
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
class First(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            print("painted", flush=True)
            raise SystemExit(0)
        return False
first = First()
app.installEventFilter(first)
window = QMainWindow()
window.resize(1400, 900)
window.show()
app.exec()
"""

WORKBENCH = """
import os, sys, tempfile
import app.cli.main  # the entry point's own imports
from PySide6.QtCore import QEvent, QObject, QSettings
from PySide6.QtWidgets import QApplication
app = QApplication([])
QSettings.setDefaultFormat(QSettings.Format.IniFormat)
QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
from app.window.launch import _open, create_window
class First(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            print("painted", flush=True)
            print(" ".join(m for m in os.environ["LAZY"].split() if m in sys.modules) or "-", flush=True)
            os._exit(0)
        return False
first = First()
app.installEventFilter(first)
document, _ = _open(None)
window = create_window(document)
window.resize(1400, 900)
window.show()
app.exec()
"""


def to_first_paint(code: str) -> tuple[float, str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), LAZY=" ".join(LAZY))
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                             text=True, env=env, cwd=ROOT)
    assert child.stdout is not None
    line = child.stdout.readline()
    took = time.perf_counter() - start
    rest = child.stdout.read().strip()
    child.wait()
    if line.strip() != "painted":
        raise RuntimeError("the window did not paint")
    return took, rest


def main() -> None:
    bare, bench, loaded = [], [], ""
    for _ in range(ROUNDS):
        bare.append(to_first_paint(BARE)[0])
        took, loaded = to_first_paint(WORKBENCH)
        bench.append(took)
    b, w = statistics.median(bare), statistics.median(bench)
    print(f"PYTHONDONTWRITEBYTECODE={os.environ.get('PYTHONDONTWRITEBYTECODE', '(unset)')}; "
          f"load average {os.getloadavg()[0]:.1f}; median of {ROUNDS} processes each, in turns")
    print(f"cold start to the first painted window: workbench {w * 1e3:.0f} ms, bare QMainWindow {b * 1e3:.0f} ms; "
          f"ratio {w / b:.2f}; goal ≤ {GOAL} {'met' if w / b <= GOAL else 'MISSED'}")
    print(f"imported before the first paint, of {', '.join(LAZY)}: {loaded}")


if __name__ == "__main__":
    main()
