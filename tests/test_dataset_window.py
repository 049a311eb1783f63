"""The dataset editor in the window (pytest-qt): the table over the arrays, undoable edits,
import with its dialog, bad data (one dialog, the document unchanged), export,
and the issue's walk-through: build a net, import Iris, hold out 20%, train, save, move, reopen."""
from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt

from app import commands as cmd
from app import dataset as dataset_ui
from app import debugger, training
from app.dataset.import_dialog import IGNORE, LABEL_INDEX
from app.model.document import Document
from core import io
from core.data.dataset import Dataset
from core.settings import TrainingSettings
from core.validation import validate

ROOT = Path(__file__).resolve().parent.parent
IRIS = ROOT / "resources" / "data" / "iris.csv"
EXAMPLES = ROOT / "resources" / "examples"
WAIT_MS = 60_000


@pytest.fixture
def window(make_main_window):
    return make_main_window(Document.open(EXAMPLES / "iris.json"), install=[dataset_ui.install])


def _answer_import(panel, monkeypatch, path: Path, fraction: float = 0.0, roles: dict[str, str] | None = None):
    monkeypatch.setattr(panel, "ask_open_path", lambda: str(path))

    def confirm(dialog) -> bool:
        dialog.fraction.setValue(100 * fraction)
        for column, role in (roles or {}).items():
            dialog.set_role(column, role)
        return not dialog.problem_text()

    monkeypatch.setattr(panel, "confirm_import", confirm)


def test_the_dataset_dock_is_a_tab_beside_the_inspector(window) -> None:
    assert window.dataset_dock in window.tabifiedDockWidgets(window.inspector_dock)
    panel = window.dataset_panel
    assert panel.model.rowCount() == 150 and panel.model.columnCount() == 4 + 3
    assert panel.model.headerData(0, Qt.Orientation.Horizontal) == "x: sepal_length"
    assert panel.model.headerData(6, Qt.Orientation.Horizontal) == "t: virginica"
    assert panel.model.index(0, 0).data() == "5.1"
    assert panel.summary.text() == "iris.csv: 150 rows (120 training, 30 held out); x 150×4, t 150×3"
    held = [r for r in range(150) if panel.model.is_held_out(r)]
    assert len(held) == 30
    assert panel.model.index(held[0], 0).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert panel.readers.text() == "read by x"


def test_a_cell_edit_is_one_undo_entry_and_detaches_the_csv(window) -> None:
    panel, doc = window.dataset_panel, window.document
    assert panel.model.setData(panel.model.index(2, 1), "7.25")
    assert doc.graph.dataset.fields["x"][2, 1] == 7.25 and doc.graph.dataset.source is None
    assert panel.model.index(2, 1).data() == "7.25" and doc.is_modified()
    assert not panel.model.setData(panel.model.index(2, 1), "abc")  # refused, nothing pushed
    assert not panel.model.setData(panel.model.index(2, 1), "nan")
    assert doc.undo_stack.count() == 1
    doc.undo_stack.undo()
    assert doc.graph.dataset.fields["x"][2, 1] == 3.2 and doc.graph.dataset.source is not None
    assert panel.model.index(2, 1).data() == "3.2"


def test_rows_width_split_and_generator_are_undoable(window) -> None:
    panel, doc = window.dataset_panel, window.document
    before = doc.graph.dataset
    panel.table.selectRow(4)
    panel.add_row()
    assert doc.graph.dataset.rows == 151 and doc.graph.dataset.fields["x"][5].tolist() == [5.0, 3.6, 1.4, 0.2]
    panel.table.selectRow(0)
    panel.remove_selected_rows()
    assert doc.graph.dataset.rows == 150 and doc.graph.dataset.fields["x"][0].tolist() == [4.9, 3.0, 1.4, 0.2]
    panel.field_combo.setCurrentText("x")
    panel.width_spin.setValue(6)
    assert doc.graph.dataset.fields["x"].shape == (150, 6) and panel.model.columnCount() == 6 + 3
    panel.fraction_spin.setValue(10.0)
    assert doc.graph.dataset.test_rows == 15
    assert panel.summary.text().endswith("(135 training, 15 held out); x 150×6, t 150×3")
    panel.generator_combo.setCurrentText("spirals")
    panel.size_spin.setValue(300)
    panel.seed_spin.setValue(5)
    panel.generate_button.click()
    assert doc.graph.dataset.generator == "spirals" and doc.graph.dataset.rows == 300
    assert np.array_equal(doc.graph.dataset.fields["x"], Dataset.generate("spirals", 300, 5).fields["x"])
    assert doc.undo_stack.count() == 5
    while doc.undo_stack.canUndo():
        doc.undo_stack.undo()
    assert doc.graph.dataset is before and panel.model.rowCount() == 150


def test_import_a_csv_through_the_dialog_off_the_gui_thread(window, qtbot, monkeypatch, tmp_path) -> None:
    panel, doc = window.dataset_panel, window.document
    data = tmp_path / "flowers.csv"
    data.write_text("a;b;kind\n1,5;2;rose\n2,5;3;tulip\n3,5;4;rose\n")
    _answer_import(panel, monkeypatch, data, roles={"kind": LABEL_INDEX, "b": IGNORE})
    with qtbot.waitSignal(panel.imported, timeout=WAIT_MS):
        panel.import_button.click()
    ds = doc.graph.dataset
    assert ds.fields["x"].tolist() == [[1.5], [2.5], [3.5]] and ds.fields["t"].tolist() == [0, 1, 0]
    assert ds.source is not None and ds.source.path == data
    assert panel.model.rowCount() == 3 and doc.undo_stack.undoText() == "Import flowers.csv"
    doc.undo_stack.undo()
    assert doc.graph.dataset.rows == 150


@pytest.mark.parametrize("text,message", [
    ("a,b\n1,2\n3,abc\n", "bad.csv: line 3, column 2: 'abc' is not a number"),
    ("a,b\n1,2\n3\n", "bad.csv: line 3: 1 cells, but the header has 2 columns"),
    ("a,b\n", "bad.csv: line 1: a header but no rows of data"),
    ("", "bad.csv: the file is empty"),
    ("a,a\n1,2\n", "bad.csv: line 1, column 2: the column name 'a' appears twice (first in column 1)"),
    ("a,b\n1,inf\n", "bad.csv: line 2, column 2: the cell is an infinity; every cell must be a finite number"),
    ("a,kind\n1,x\n2,x\n", "bad.csv: column 2: every row has the class 'x'; a label column needs at least two classes"),
])
def test_bad_data_gives_one_dialog_and_changes_nothing(window, qtbot, monkeypatch, tmp_path, text, message) -> None:
    panel, doc = window.dataset_panel, window.document
    bad = tmp_path / "bad.csv"
    bad.write_text(text)
    errors: list[tuple[str, str]] = []
    monkeypatch.setattr(panel, "show_error", lambda title, body: errors.append((title, body)))
    _answer_import(panel, monkeypatch, bad, roles={"b": "feature"} if text.startswith("a,b\n1,2\n3,abc") else None)
    before = doc.graph.dataset
    panel.import_button.click()
    qtbot.waitUntil(lambda: bool(errors), timeout=WAIT_MS)
    assert errors == [("Cannot import the data", message)]
    assert doc.graph.dataset is before and doc.undo_stack.count() == 0 and not doc.is_modified()


def test_import_npz_and_export_csv(window, qtbot, monkeypatch, tmp_path) -> None:
    panel, doc = window.dataset_panel, window.document
    np.savez(tmp_path / "arrays.npz", x=np.arange(8.0).reshape(4, 2), t=np.array([0.5, 1.5, 2.5, 3.5]))
    monkeypatch.setattr(panel, "ask_open_path", lambda: str(tmp_path / "arrays.npz"))
    with qtbot.waitSignal(panel.imported, timeout=WAIT_MS):
        panel.ask_import()
    assert doc.graph.dataset.fields["x"].shape == (4, 2) and doc.graph.dataset.fields["t"].shape == (4, 1)
    monkeypatch.setattr(panel, "ask_save_path", lambda: str(tmp_path / "out.csv"))
    with qtbot.waitSignal(panel.exported, timeout=WAIT_MS):  # written off the GUI thread
        panel.export_button.click()
    assert (tmp_path / "out.csv").read_text() == "x1,x2,t\n0,1,0.5\n2,3,1.5\n4,5,2.5\n6,7,3.5\n"
    errors: list[tuple[str, str]] = []
    monkeypatch.setattr(panel, "show_error", lambda title, body: errors.append((title, body)))
    monkeypatch.setattr(panel, "ask_save_path", lambda: str(tmp_path / "no such folder" / "out.csv"))
    panel.export_button.click()
    qtbot.waitUntil(lambda: bool(errors), timeout=WAIT_MS)
    assert errors == [("Cannot export the dataset", "out.csv: No such file or directory")]


def _project(tmp_path: Path) -> Path:
    proj = tmp_path / "proj"
    (proj / "data").mkdir(parents=True)
    shutil.copy(IRIS, proj / "data" / "iris.csv")
    return proj


def test_getting_started_says_how_data_gets_in(make_main_window) -> None:
    from app.window.help import GettingStartedDialog

    window = make_main_window(Document(), install=[dataset_ui.install])
    window.actions["getting_started"].trigger()
    text = window.help_dialogs[GettingStartedDialog].text.toPlainText()
    for phrase in ("Data", "A new Input gets a field of its own", "Dataset tab", "Import", "CSV", "Held out"):
        assert phrase in text
    window.help_dialogs[GettingStartedDialog].close()


def test_done_when_walk_through(make_main_window, qtbot, monkeypatch, tmp_path) -> None:
    """Input → Affine → ReLU → Affine → SoftmaxWithLoss built in the editor, Iris imported with
    20% held out, trained (both curves and the accuracy), saved, the folder moved, reopened."""
    proj = _project(tmp_path)
    window = make_main_window(Document(), install=[dataset_ui.install, debugger.install, training.install])
    doc, panel = window.document, window.dataset_panel
    for op in ("Input", "Affine", "ReLU", "Affine", "SoftmaxWithLoss", "Input",
               "Parameter", "Parameter", "Parameter", "Parameter"):
        window.add_node_at_centre(op)
    assert doc.graph.nodes["input1"].attrs["field"] == "x" and doc.graph.nodes["input2"].attrs["field"] == "t"
    rng = np.random.default_rng(0)
    push = doc.undo_stack.push
    for p, value in (("parameter1", rng.normal(0, 0.5, (4, 8))), ("parameter2", np.zeros(8)),
                     ("parameter3", rng.normal(0, 0.5, (8, 3))), ("parameter4", np.zeros(3))):
        push(cmd.SetValue(doc, p, value))
    for src, dst, port in (("input1", "affine1", "x"), ("parameter1", "affine1", "W"), ("parameter2", "affine1", "b"),
                           ("affine1", "relu1", "x"), ("relu1", "affine2", "x"), ("parameter3", "affine2", "W"),
                           ("parameter4", "affine2", "b"), ("affine2", "softmaxwithloss1", "x"),
                           ("input2", "softmaxwithloss1", "t")):
        push(cmd.Connect(doc, src, dst, port))
    push(cmd.SetSettings(doc, TrainingSettings(optimizer="adam", learning_rate=0.01, steps=500)))
    _answer_import(panel, monkeypatch, proj / "data" / "iris.csv", fraction=0.2)
    with qtbot.waitSignal(panel.imported, timeout=WAIT_MS):
        panel.import_button.click()
    assert doc.graph.dataset.test_rows == 30 and validate(doc.graph) == []

    session = window.training.session
    with qtbot.waitSignal(session.runFinished, timeout=WAIT_MS):
        run = session.train()
    plots = window.training.plots
    held_x, held_y = plots.loss.held_out.curve(run).getOriginalDataset()
    assert held_x[0] == 0 and held_x[-1] == 500 and held_y[-1] < held_y[0]
    assert plots.isTabVisible(plots.indexOf(plots.accuracy))
    acc_x, acc = plots.accuracy.curve_data(run, "test_accuracy")
    assert acc_x[-1] == 500 and acc[-1] >= 90.0
    assert "(held out)" in " ".join(plots.loss.legend_labels())
    assert "held-out accuracy" in window.training.panel.status.text()

    doc.save(proj / "net.json")
    moved = tmp_path / "moved"
    shutil.move(proj, moved)
    assert window.files.open_file(moved / "net.json")
    again = window.document.graph
    assert again.dataset.source.path == moved / "data" / "iris.csv"
    assert (again.dataset.rows, again.dataset.test_rows) == (150, 30)
    assert np.array_equal(again.nodes["parameter1"].value, doc.graph.nodes["parameter1"].value)
    assert window.dataset_panel.model.rowCount() == 150 and not window.document.is_modified()


def test_the_inspector_names_the_csv_and_the_held_out_rows(window) -> None:
    from app.inspector.graph_panel import dataset_summary

    assert dataset_summary(window.document.graph.dataset) == "iris.csv, 150 rows (30 held out): x (150×4), t (150×3)"


def test_the_held_out_figures_of_a_run_are_those_of_its_final_weights(make_main_window, qtbot) -> None:
    from core.data.evaluate import split_evaluations
    from core.program import Program

    window = make_main_window(Document.open(EXAMPLES / "digits.json"), install=[training.install])
    session = window.training.session
    session.document.graph.set_settings(session.document.graph.settings.with_changes(steps=400))
    with qtbot.waitSignal(session.runFinished, timeout=WAIT_MS):
        run = session.train()
    graph = window.document.graph
    train, test = split_evaluations(Program(graph), graph)  # the weights written back
    last = run.evals.last()
    assert run.evals.updates[0] == 0 and run.evals.updates[-1] == 400 and len(run.evals.updates) >= 50
    assert last["test_loss"] == pytest.approx(test.loss, rel=1e-12)
    assert last["test_accuracy"] == pytest.approx(test.accuracy, rel=1e-12)
    assert last["train_accuracy"] == pytest.approx(train.accuracy, rel=1e-12)  # all 1,438 training rows
    assert f"held-out accuracy {100 * test.accuracy:.1f}%" in window.training.panel.status.text()


def test_renaming_a_field_takes_its_inputs_along_in_one_undo_entry(window, monkeypatch) -> None:
    panel, doc = window.dataset_panel, window.document
    panel.field_combo.setCurrentText("t")
    monkeypatch.setattr(panel, "ask_field_name", lambda old: "species")
    panel.rename_button.click()
    assert list(doc.graph.dataset.fields) == ["x", "species"] and doc.graph.nodes["t"].attrs["field"] == "species"
    assert validate(doc.graph) == [] and panel.readers.text() == "read by t" and doc.undo_stack.count() == 1
    source = doc.graph.dataset.source  # still read from iris.csv: saved as a reference with the new name
    assert source is not None and source.mapping.labels["species"].column == "species"
    assert '"labels": {"species": {"column": "species"' in io.dumps(doc.graph).replace("\n", "").replace("  ", "")
    errors: list[str] = []
    monkeypatch.setattr(panel, "show_error", lambda title, body: errors.append(body))
    panel.rename_field("species", "x")
    assert errors == ["the dataset has a field 'x' already"] and doc.undo_stack.count() == 1
    doc.undo_stack.undo()
    assert list(doc.graph.dataset.fields) == ["x", "t"] and doc.graph.nodes["t"].attrs["field"] == "t"


def test_the_dataset_dock_is_no_wider_than_the_inspector(window) -> None:
    from app.window.first_layout import INSPECTOR_WIDTH

    assert window.dataset_panel is not None  # built when first asked for (or shown)
    assert window.dataset_dock.widget().minimumSizeHint().width() <= INSPECTOR_WIDTH  # wider content scrolls
    assert window.inspector_dock.width() <= INSPECTOR_WIDTH + 10  # the tab beside it does not widen it


def test_a_million_rows_are_read_from_the_arrays_not_copied(window) -> None:
    panel, doc = window.dataset_panel, window.document
    x = np.arange(3_000_000, dtype=float).reshape(1_000_000, 3)
    doc.undo_stack.push(cmd.SetDataset(doc, Dataset({"x": x}, test_fraction=0.1)))
    model = panel.model
    assert model.rowCount() == 1_000_000 and model.columnCount() == 3
    assert np.shares_memory(model._flat["x"], doc.graph.dataset.fields["x"])
    assert model.index(999_999, 2).data() == "2999999" and model.index(0, 1).data() == "1"
    panel.table.scrollToBottom()
    assert panel.table.rowAt(panel.table.viewport().height() - 1) in (999_999, -1)
    assert sum(model.is_held_out(r) for r in range(0, 1_000_000, 1000)) in range(70, 131)  # about 10%


def test_a_graph_whose_csv_went_bad_gives_one_dialog_and_keeps_the_open_document(make_main_window, tmp_path,
                                                                                  monkeypatch) -> None:
    proj = _project(tmp_path)
    io.save(io.load(EXAMPLES / "iris.json", data_path=proj / "data" / "iris.csv"), proj / "iris.json")
    lines = (proj / "data" / "iris.csv").read_text().splitlines()
    lines[2] = "4.9,abc,1.4,0.2,setosa"
    (proj / "data" / "iris.csv").write_text("\n".join(lines) + "\n")
    window = make_main_window(Document.open(EXAMPLES / "xor.json"), install=[dataset_ui.install])
    before = window.document
    errors: list[str] = []
    monkeypatch.setattr(window, "_show_error", lambda title, text: errors.append(text))
    assert not window.files.open_file(proj / "iris.json")
    assert errors == ["iris.csv: line 3, column 2: 'abc' is not a number"]
    assert window.document is before and window.dataset_panel.model.rowCount() == 4


def test_the_generator_controls_show_the_datasets_own_generator_or_no_claim(make_main_window, qtbot) -> None:
    """XOR's dataset came from the xor generator with 4 rows; Mazur's and Iris's rows did not."""
    window = make_main_window(Document.open(EXAMPLES / "xor.json"), install=[dataset_ui.install])
    panel = window.dataset_panel
    assert panel.summary.text().startswith("xor generator (seed 0): 4 rows")
    assert (panel.generator_combo.currentText(), panel.size_spin.value(), panel.seed_spin.value()) == ("xor", 4, 0)
    assert panel.generate_button.isEnabled()
    window.set_document(Document.open(EXAMPLES / "mazur.json"))
    assert panel.summary.text().startswith("the graph's own rows: 1 row")
    assert panel.generator_combo.currentIndex() == 0 and panel.generator_combo.currentText() == "Choose a generator…"
    assert panel.size_spin.value() == 1 and not panel.size_spin.isEnabled()
    assert not panel.generate_button.isEnabled() and panel.generator.choice() is None
    panel.generator_combo.setCurrentText("sine")
    panel.size_spin.setValue(30)
    assert panel.generate_button.isEnabled() and panel.generator.choice() == ("sine", 30, 0)
    window.document.bridge.datasetChanged.emit()  # a refresh for the same dataset keeps the choice
    assert panel.generator.choice() == ("sine", 30, 0)
    panel.generate_button.click()
    assert window.document.graph.dataset.generator == "sine" and window.document.graph.dataset.rows == 30
    assert (panel.generator_combo.currentText(), panel.size_spin.value()) == ("sine", 30)
    window.set_document(Document.open(EXAMPLES / "iris.json"))
    assert panel.generator_combo.currentIndex() == 0 and panel.size_spin.value() == 150
