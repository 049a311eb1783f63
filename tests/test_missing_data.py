"""A graph whose CSV data file moved still opens: its nodes, weights and layers are there, the
dataset has no rows and is a problem named by that file ("the data file iris.csv is missing
(looked for …)") in the status bar, the problems and the Dataset tab, whose Locate… reads the
file where it is now (one undoable step). Saving without locating keeps the reference as it was.
The command line keeps refusing such a graph with its one-line message (tests/test_dataset_split.py)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtWidgets import QApplication, QDockWidget, QMessageBox

from app import commands
from app import dataset as dataset_ui
from app.inspector.graph_panel import dataset_summary
from app.model.document import Document
from app.window import launch
from core import io
from core.data import edit
from core.validation import validate

ROOT = Path(__file__).resolve().parent.parent
IRIS_JSON = ROOT / "resources" / "examples" / "iris.json"
IRIS_CSV = ROOT / "resources" / "data" / "iris.csv"
WAIT_MS = 60_000


@pytest.fixture
def moved(tmp_path: Path) -> Path:
    """iris.json in a folder of its own: the ../data/iris.csv it names is not there."""
    folder = tmp_path / "graphs"
    folder.mkdir()
    shutil.copy(IRIS_JSON, folder / "iris.json")
    return folder / "iris.json"


def _dataset_part(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))["dataset"]


def test_the_engine_reads_the_whole_graph_and_keeps_the_reference(moved: Path) -> None:
    with pytest.raises(io.DataFileMissing) as err:  # strict callers (the command line) still refuse
        io.load(moved)
    looked_for = moved.parent.parent / "data" / "iris.csv"
    assert str(err.value) == f"iris.json: dataset.csv: the data file iris.csv is missing (looked for {looked_for})"
    graph, shipped = err.value.graph, io.load(IRIS_JSON)
    assert list(graph.nodes) == list(shipped.nodes)  # every node, weight and setting read
    for node_id, node in shipped.nodes.items():
        assert np.array_equal(graph.nodes[node_id].value, node.value) if node.value is not None else True
    assert graph.settings == shipped.settings
    dataset = graph.dataset
    assert dataset is not None and dataset.missing and dataset.rows == 0 and dataset.fields == {}
    assert dataset.source is not None and dataset.source.path == looked_for
    assert dataset.test_fraction == shipped.dataset.test_fraction
    assert dataset_summary(dataset) == "iris.csv is missing: no rows (Locate… in the Dataset tab)"  # the inspector
    problems = [str(p) for p in validate(graph)]
    assert f"dataset: the data file iris.csv is missing (looked for {looked_for})" in problems
    assert "x (Input): reads 'x' from iris.csv, which is missing" in problems
    io.save(graph, moved.with_name("again.json"))
    assert _dataset_part(moved.with_name("again.json")) == _dataset_part(moved)  # nothing lost


def _show_every_dock(window) -> None:
    for dock in window.findChildren(QDockWidget):
        dock.show()
        dock.raise_()
    QApplication.processEvents()


def test_the_window_opens_it_marks_the_dataset_and_locates_the_file(workbench, moved, tmp_path, qtbot):
    elsewhere = tmp_path / "elsewhere.csv"
    shutil.copy(IRIS_CSV, elsewhere)
    window = workbench(Document())  # every room: the plots, the debugger and the panels follow the dataset
    assert window.files.open_file(moved)  # no question, no error: the graph opens
    document = window.document
    assert document.path == moved and "affine1" in document.graph.nodes and not document.is_modified()
    status = window.statusBar().currentMessage()
    assert status == (f"Opened iris.json, but the data file iris.csv is missing (looked for "
                      f"{moved.parent.parent / 'data' / 'iris.csv'}): Locate… it in the Dataset tab, "
                      "or go on without its rows")
    dock = window.findChild(QDockWidget, "datasetDock")
    assert dock is not None and dock.isVisible()  # brought forward, over the Inspector
    _show_every_dock(window)
    panel = window.dataset_panel
    assert panel.summary.text().startswith("No rows: the data file iris.csv is missing")
    assert panel.locate_button.isVisible() and not panel.export_button.isEnabled()

    asked: list[Path] = []
    panel.ask_locate_path = lambda missing: asked.append(missing) or str(elsewhere)
    with qtbot.waitSignal(document.bridge.datasetChanged, timeout=WAIT_MS):
        panel.locate_button.click()
    assert asked == [moved.parent.parent / "data" / "iris.csv"]
    dataset = document.graph.dataset
    assert not dataset.missing and dataset.rows == 150 and dataset.source.path == elsewhere
    assert dataset.test_fraction == io.load(IRIS_JSON).dataset.test_fraction  # the split as the file had it
    assert not panel.locate_button.isVisible() and panel.export_button.isEnabled()
    _show_every_dock(window)
    assert validate(document.graph) == [] and document.is_modified()
    assert document.undo_stack.undoText() == "Locate elsewhere.csv"
    document.undo_stack.undo()
    assert document.graph.dataset.missing and panel.locate_button.isVisible()
    document.undo_stack.redo()
    document.save()
    assert _dataset_part(moved)["csv"] == "../elsewhere.csv"


def test_going_on_without_the_rows_saves_the_reference_unchanged(make_main_window, moved) -> None:
    before = _dataset_part(moved)
    window = make_main_window(Document(), install=[dataset_ui.install])
    assert window.files.open_file(moved)
    window.document.undo_stack.push(commands.SetValue(window.document, "W1", 0.25, index=(0, 0)))
    window.document.undo_stack.push(commands.AddNode(window.document, "Input", (0.0, 400.0), "x2"))
    assert window.document.graph.dataset.missing  # a new Input reads from the file once it is located
    assert window.files.save() and window.files.finish_saving()
    assert _dataset_part(moved) == before
    assert io.load(IRIS_JSON, data_path=IRIS_CSV).nodes["W1"].value[0, 0] != 0.25
    with pytest.raises(io.DataFileMissing) as err:
        io.load(moved)
    assert err.value.graph.nodes["W1"].value[0, 0] == 0.25  # the edits saved, the reference kept
    assert "x2" in err.value.graph.nodes


def test_a_new_split_of_rows_not_read_yet_keeps_them_missing(moved) -> None:
    with pytest.raises(io.DataFileMissing) as err:
        io.load(moved)
    split = edit.with_split(err.value.graph.dataset, 0.5, 3)
    assert split.missing and (split.test_fraction, split.split_seed) == (0.5, 3)


def test_the_command_line_window_opens_the_graph_instead_of_the_default_example(
        moved, qtbot, tmp_path, isolated_settings) -> None:
    window = launch.open_window(str(moved), (1280, 800), None, tmp_path / "recovery")
    qtbot.addWidget(window)
    window._ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    errors: list[str] = []
    window._show_error = lambda title, text: errors.append(text)
    qtbot.waitUntil(lambda: window.built, timeout=30_000)
    assert errors == []
    assert window.document.path == moved and window.document.graph.dataset.missing
    assert "the data file iris.csv is missing" in window.statusBar().currentMessage()
