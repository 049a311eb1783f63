"""Start-up imports what the first paint needs and nothing else: the cold-start benchmark's script
(the command line's imports, the default example, the whole window, shown) runs in a fresh process
until the first paint, and none of the modules that only later actions need may be loaded by then.
The code editor's colouring (Pygments) starts once the editor is first painted."""
from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

from app.code.editor import CodeEditor

ROOT = Path(__file__).resolve().parent.parent


def _benchmark():
    spec = importlib.util.spec_from_file_location("bench_cold_start", ROOT / "benchmarks" / "bench_cold_start.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_first_paint_imports_nothing_it_does_not_need():
    bench = _benchmark()
    assert {"pyqtgraph", "pygments", "nbformat", "core.export", "core.gradcheck"} <= set(bench.LAZY)
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen", LAZY=" ".join(bench.LAZY))
    out = subprocess.run([sys.executable, "-c", bench.WORKBENCH], capture_output=True, text=True,
                         timeout=120, cwd=ROOT, env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split("\n")[:2] == ["painted", "-"], f"imported before the first paint: {out.stdout!r}"


def test_code_editor_colours_once_painted(qtbot):
    editor = CodeEditor()
    qtbot.addWidget(editor)
    editor.setPlainText("def f(x):\n    return x  # done\n")
    assert editor.highlighter is None
    editor.show()
    qtbot.waitUntil(lambda: editor.highlighter is not None)
    qtbot.waitUntil(lambda: len(editor.document().firstBlock().layout().formats()) > 0)
    keyword = editor.document().firstBlock().layout().formats()[0]
    assert (keyword.start, keyword.length) == (0, 3)  # "def"
    assert keyword.format.foreground().color().name() == "#0033b3"
