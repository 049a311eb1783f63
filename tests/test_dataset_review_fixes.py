"""The Dataset tab after a new user's review: a held-out share past 90 % is clamped with a note
(typing 100 never leaves 10), the CSV import guesses a column named label/target/y/class or a
class-like last integer column as the target, counts read "1 row"/"1 column", and a document
without a dataset shows nothing left over from the one before."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app import dataset as dataset_ui
from app.commands import SetDataset
from app.dataset.import_dialog import FEATURE, IGNORE, LABEL_ONE_HOT, TARGET, CsvImportDialog
from app.model.document import Document
from core.data.csvfile import default_mapping, detect, guess_target, read_mapped
from core.data.dataset import Dataset

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "resources" / "examples"


@pytest.fixture
def window(make_main_window):
    return make_main_window(Document.open(EXAMPLES / "digits.json"), install=[dataset_ui.install])


def write(tmp_path: Path, name: str, rows: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def type_percent(qtbot, box, text: str) -> None:
    box.setFocus()
    box.lineEdit().selectAll()
    qtbot.keyClicks(box.lineEdit(), text)
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)


# ----------------------------------------------------------------- held out
@pytest.mark.parametrize("typed", ["100", "99", "250.5"])
def test_a_held_out_share_past_90_becomes_90_with_a_note(window, qtbot, typed: str) -> None:
    panel = window.dataset_panel
    box = panel.fraction_spin
    type_percent(qtbot, box, typed)
    assert box.value() == 90.0 and window.document.graph.dataset.test_fraction == 0.9
    assert box.note.isVisible()
    assert box.note.text() == f"At most 90 % can be held out: {float(typed):g} % became 90 %."
    type_percent(qtbot, box, "45")
    assert box.value() == 45.0 and window.document.graph.dataset.test_fraction == 0.45
    assert not box.note.isVisible()


def test_the_import_dialog_clamps_the_same_way(qtbot, tmp_path: Path) -> None:
    dialog = CsvImportDialog(detect(write(tmp_path, "d.csv", ["a,label", "1.5,0", "2.5,1", "3.5,0"])))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    type_percent(qtbot, dialog.fraction, "100")  # Return ends the edit, but does not import yet
    assert dialog.test_fraction() == 0.9 and dialog.isVisible()
    assert dialog.fraction.note.isVisible() and "100 % became 90 %" in dialog.fraction.note.text()
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.fraction.lineEdit(), Qt.Key.Key_Return)  # the note read: Return imports
    assert dialog.test_fraction() == 0.9


# ------------------------------------------------------------- the target
def test_a_column_named_label_with_0_and_1_is_the_target(qtbot, tmp_path: Path) -> None:
    path = write(tmp_path, "labelled.csv", ["x1,x2,label", "0.5,1.5,0", "0.25,2,1", "1,0.75,1", "2,3,0"])
    assert guess_target(detect(path)) == "label"
    fields, mapping = read_mapped(path, default_mapping(detect(path)))
    assert mapping.fields == {"x": ("x1", "x2")} and mapping.labels["t"].column == "label"
    assert fields["t"].tolist() == [[1, 0], [0, 1], [0, 1], [1, 0]]
    dialog = CsvImportDialog(detect(path))
    qtbot.addWidget(dialog)
    assert [dialog.role(c) for c in ("x1", "x2", "label")] == [FEATURE, FEATURE, LABEL_ONE_HOT]


@pytest.mark.parametrize("rows, target, role", [
    (["Target,a", "0.5,1.5", "1.75,2.5", "3.25,0.5"], "Target", TARGET),  # real numbers: target numbers
    (["Class,a,b", "1,0.5,1.5", "2,1.5,2.5", "1,0.25,0.5"], "Class", LABEL_ONE_HOT),  # first, any case
    (["y,a", "0,1", "1,2", "0,3"], "y", LABEL_ONE_HOT),
    (["a,b,k,c", "0.5,1.5,0,7.5", "0.25,2.5,2,8.5", "1.5,3.5,0,9.25"], "k", LABEL_ONE_HOT),  # last integer, few
    (["a,b", "0.5,1.5", "0.25,2.5", "1.5,3.5"], None, None),  # nothing looks like a target
    (["a,b", "1,2", "3,4", "5,6"], None, None),  # whole numbers, all distinct: no classes
])
def test_the_target_is_guessed_by_name_then_by_class_like_values(qtbot, tmp_path: Path, rows, target, role) -> None:
    layout = detect(write(tmp_path, "t.csv", rows))
    assert guess_target(layout) == target
    dialog = CsvImportDialog(layout)
    qtbot.addWidget(dialog)
    roles = {c: dialog.role(c) for c in layout.columns}
    if target is None:
        assert set(roles.values()) == {FEATURE}
    else:
        assert roles.pop(target) == role and set(roles.values()) == {FEATURE}
    assert IGNORE not in roles.values()


def test_digits_guesses_its_digit_column(tmp_path: Path) -> None:
    layout = detect(ROOT / "resources" / "data" / "digits.csv")
    mapping = default_mapping(layout)
    assert mapping.labels["t"].column == "digit" and len(mapping.fields["x"]) == 64


# ------------------------------------------------------ words and leftovers
def test_counts_read_in_the_right_number(window) -> None:
    panel = window.dataset_panel
    assert panel.width_spin.text() == "64 columns"
    window.document.undo_stack.push(SetDataset(window.document, Dataset({"x": [[1.0]], "t": [[2.0, 3.0]]}), "one row"))
    panel.field_combo.setCurrentText("x")
    assert panel.width_spin.text() == "1 column"
    panel.field_combo.setCurrentText("t")
    assert panel.width_spin.text() == "2 columns"
    assert panel.summary.text().startswith("the graph's own rows: 1 row;")
    panel.size_spin.setValue(1)
    assert panel.size_spin.text() == "1 row"
    panel.size_spin.setValue(2)
    assert panel.size_spin.text() == "2 rows"


def test_a_document_without_a_dataset_shows_nothing_of_the_one_before(window) -> None:
    panel = window.dataset_panel
    assert panel.width_spin.text() == "64 columns" and panel.field_combo.count() == 2
    window.set_document(Document())
    assert window.document.graph.dataset is None
    assert panel.width_spin.text() == "no field" and not panel.width_spin.isEnabled()
    assert panel.field_combo.count() == 0 and panel.readers.text() == ""
    assert panel.fraction_spin.value() == 0.0 and panel.model.rowCount() == 0
    assert panel.summary.text().startswith("No dataset")
