"""File ▸ Export in the window: the script, the notebook and the lesson are written where the
person says, a file that exists is replaced only after asking, and a graph that cannot run
is refused with its reason."""
from __future__ import annotations

from pathlib import Path

import nbformat
from export_helpers import assert_same_step, run_script, workbench_eval
from helpers import EXAMPLES
from pdf_text import page_texts

from app.model.document import Document
from core.program import Program


def _window(make_main_window, name: str = "mazur"):
    return make_main_window(Document.open_example(EXAMPLES / f"{name}.json"))


def test_export_menu_has_the_three_exports(make_main_window) -> None:
    window = _window(make_main_window)
    texts = [a.text() for a in window.findChild(type(window.recent_menu), "exportMenu").actions()]
    assert texts == ["&Python Script…", "&Notebook…", "&Lesson (PDF)…"]


def test_python_script_from_the_window_runs(make_main_window, tmp_path: Path, capsys) -> None:
    window = _window(make_main_window)
    asked = []
    window._ask_export_path = lambda caption, suggested, file_filter: asked.append(suggested) or str(tmp_path / "m")
    window.actions["export_py"].trigger()
    assert asked and asked[0].endswith("mazur.py")
    assert_same_step(run_script(tmp_path / "m.py"), workbench_eval(capsys, "mazur"))


def test_existing_file_is_replaced_only_after_asking(make_main_window, tmp_path: Path) -> None:
    window = _window(make_main_window)
    target = tmp_path / "lesson.ipynb"
    target.write_text("mine", encoding="utf-8")
    window._ask_export_path = lambda caption, suggested, file_filter: str(target)
    questions = []
    window._ask_overwrite = lambda path: questions.append(path) or False
    assert window.exports.export("ipynb") is False
    assert questions == [target] and target.read_text(encoding="utf-8") == "mine"
    window._ask_overwrite = lambda path: True
    assert window.exports.export("ipynb") is True
    assert len(nbformat.read(target, as_version=4).cells) > 11


def test_lesson_pdf_from_the_window(make_main_window, tmp_path: Path) -> None:
    window = _window(make_main_window)
    window._ask_export_path = lambda caption, suggested, file_filter: str(tmp_path / "lesson.pdf")
    window.exports.ask_lesson_steps = lambda count: list(range(1, count + 1))  # the Pages field left empty
    assert window.exports.export("pdf") is True
    steps = len(Program(window.document.graph).steps)
    assert len(page_texts((tmp_path / "lesson.pdf").read_bytes())) == steps + 1
    assert "Exported" in window.statusBar().currentMessage()


def test_a_graph_that_cannot_run_is_refused_with_its_reason(make_main_window, tmp_path: Path) -> None:
    window = make_main_window()
    window.document.graph.add_node("Add", "lonely")
    errors = []
    window._show_error = lambda title, text: errors.append(text)
    window._ask_export_path = lambda caption, suggested, file_filter: str(tmp_path / "x.py")
    assert window.exports.export("py") is False
    assert errors and "lonely" in errors[0]
    assert not (tmp_path / "x.py").exists()
