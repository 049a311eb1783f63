"""Start-up imports what the first paint needs and nothing else: the cold-start benchmark's script
(``python -m app`` with the default example) runs in a fresh process until the graph is shown, and
none of the modules the first paint does without may be loaded when the window first painted: not
NumPy, not the engine, not pyqtgraph (the launcher builds the window after that paint), nor what
only later actions need.
The code editor's colouring (Pygments) starts once the editor is first painted; the Dataset dock's
panel is built when the dock is first shown."""
from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

from app.code.editor import CodeEditor
from app.model.document import Document

ROOT = Path(__file__).resolve().parent.parent


def _benchmark():
    spec = importlib.util.spec_from_file_location("bench_cold_start", ROOT / "benchmarks" / "bench_cold_start.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_first_paint_imports_nothing_it_does_not_need():
    bench = _benchmark()
    assert {"numpy", "core", "app.model.document", "pyqtgraph", "pygments", "nbformat", "core.export",
            "core.gradcheck"} <= set(bench.LAZY)
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen", LAZY=" ".join(bench.LAZY))
    out = subprocess.run([sys.executable, "-c", bench.WORKBENCH], capture_output=True, text=True,
                         timeout=120, cwd=ROOT, env=env)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.split("\n")
    assert lines[0].split()[0] == "painted" and lines[2].split()[0] == "graph", out.stdout
    assert lines[1] == "-", f"imported before the first paint: {lines[1]}"


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


def test_dataset_panel_is_built_when_its_dock_is_first_shown(workbench, qtbot):
    window = workbench(Document.open(ROOT / "resources" / "examples" / "xor.json"))
    assert window._dataset_panel is None and window.dataset_dock.widget() is None
    window.dataset_dock.raise_()
    qtbot.waitUntil(lambda: window._dataset_panel is not None)
    panel = window.dataset_panel
    assert panel is window._dataset_panel and panel.isVisibleTo(window.dataset_dock)
    assert panel.model.rowCount() == 4  # XOR's four rows, from the window's document
    window.set_document(Document.open(ROOT / "resources" / "examples" / "mazur.json"))
    assert panel.model.rowCount() == 1  # it follows the window's next document


def test_the_command_lines_names_match_its_commands():
    from app.cli import main

    assert tuple(main._subcommands()) == main.COMMANDS  # the names known without importing the commands
