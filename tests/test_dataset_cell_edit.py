"""A cell edit in the dataset table (pytest-qt): the CSV file's column names stay and the summary
says the rows were edited, also after saving and opening the file again; typing into a cell and
pressing Enter leaves no Qt warning behind."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QLineEdit

from app import dataset as dataset_ui
from app.dataset.model import column_titles
from app.dataset.panel import summary_text
from app.model.document import Document
from core import io

EXAMPLES = Path(__file__).resolve().parent.parent / "resources" / "examples"
IRIS_CSV = EXAMPLES.parent / "data" / "iris.csv"


@pytest.fixture
def window(make_main_window):
    return make_main_window(Document.open(EXAMPLES / "iris.json"), install=[dataset_ui.install])


def _headers(model) -> list[str]:
    return [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]


def test_a_cell_edit_keeps_the_csv_column_names_and_says_the_rows_were_edited(window) -> None:
    panel, doc = window.dataset_panel, window.document
    before = _headers(panel.model)
    assert before[:2] == ["x: sepal_length", "x: sepal_width"]
    assert panel.model.setData(panel.model.index(2, 1), "7.25")
    assert doc.graph.dataset.source is None  # the rows are the graph's own now
    assert _headers(panel.model) == before
    assert panel.summary.text().startswith("from iris.csv, edited: 150 rows")
    panel.rename_field("x", "features")
    assert _headers(panel.model)[0] == "features: sepal_length"
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    assert panel.summary.text().startswith("iris.csv: 150 rows") and _headers(panel.model) == before


def test_typing_into_a_cell_leaves_no_qt_warning(window, qtbot) -> None:
    panel, doc = window.dataset_panel, window.document
    window.dataset_dock.show()
    window.dataset_dock.raise_()
    table = panel.table
    messages: list[str] = []

    def handler(kind: QtMsgType, context: object, text: str) -> None:
        messages.append(text)

    previous = qInstallMessageHandler(handler)
    try:
        index = panel.model.index(2, 1)
        table.setCurrentIndex(index)
        table.edit(index)
        editor = table.findChild(QLineEdit)
        assert editor is not None
        editor.setText("7.25")
        qtbot.keyClick(editor, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: doc.undo_stack.count() == 1)
        QApplication.processEvents()
        table.setFocus()
        QApplication.processEvents()
    finally:
        qInstallMessageHandler(previous)
    assert doc.graph.dataset.fields["x"][2, 1] == 7.25
    assert [m for m in messages if "commitData" in m or "editor" in m] == []


def test_edited_rows_keep_their_column_names_through_save_and_open(window, tmp_path) -> None:
    panel, doc = window.dataset_panel, window.document
    before = _headers(panel.model)
    assert panel.model.setData(panel.model.index(2, 1), "7.25")
    doc.save(tmp_path / "iris_edited.json")
    saved = json.loads((tmp_path / "iris_edited.json").read_text(encoding="utf-8"))["dataset"]
    assert "fields" in saved and saved["edited_from"]["columns"]["x"][0] == "sepal_length"
    again = io.load(tmp_path / "iris_edited.json")
    assert again.dataset.source is None and again.dataset.edited_from.path == IRIS_CSV
    assert again.dataset.fields["x"][2, 1] == 7.25
    assert [t for _, _, t in column_titles(again.dataset)] == before
    assert summary_text(again.dataset).startswith("from iris.csv, edited: 150 rows")


def test_a_bad_edited_from_names_its_place(tmp_path) -> None:
    dataset = {"fields": {"x": [[1.0]]}, "edited_from": {"csv": "a.csv", "columns": {"x": []}}}
    text = json.dumps({"format": "backprop-workbench", "version": 1, "nodes": [], "edges": [], "dataset": dataset})
    with pytest.raises(io.FormatError, match=r"dataset\.edited_from\.columns\.x: a field needs at least one column"):
        io.loads(text)
