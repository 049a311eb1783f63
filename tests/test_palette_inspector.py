"""The palette (built from the op registry) and the inspector's editing part, each from a bare model."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QLabel, QLineEdit

from app.editor.palette import MIME_TYPE, Palette
from app.inspector.panel import Inspector
from app.inspector.tables import ValueTableModel, parse_number, parse_shape, resized
from app.model.document import Document
from core.graph import Graph
from core.ops import all_ops

ROOT = Path(__file__).resolve().parent.parent
MAZUR = ROOT / "resources" / "examples" / "mazur.json"


# ------------------------------------------------------------------ palette
@pytest.fixture
def palette(qtbot) -> Palette:
    widget = Palette()
    qtbot.addWidget(widget)
    widget.resize(260, 600)
    widget.show()
    return widget


def test_palette_lists_every_registered_op_once_grouped_by_family(palette):
    assert sorted(palette.visible_ops()) == sorted(op.type for op in all_ops())
    groups = [palette.tree.topLevelItem(i).text(0) for i in range(palette.tree.topLevelItemCount())]
    assert groups == ["Data", "Parameters & constants", "Arithmetic", "Linear", "Activations", "Losses", "Structure",
                      "Custom"]
    losses = palette.tree.topLevelItem(5)
    assert {losses.child(i).text(0) for i in range(losses.childCount())} >= {"Softmax with loss", "Mean squared error"}


def test_palette_search_filters_by_title_type_and_doc(palette, qtbot):
    qtbot.keyClicks(palette.search, "sigm")
    assert palette.visible_ops() == ["Sigmoid"]
    palette.search.clear()
    qtbot.keyClicks(palette.search, "matrix product")  # only in the doc of MatMul
    assert palette.visible_ops() == ["MatMul"]
    palette.search.setText("SoftmaxWithLoss")  # the type name
    assert palette.visible_ops() == ["SoftmaxWithLoss"]
    palette.search.setText("no such op")
    assert palette.visible_ops() == []
    assert all(palette.tree.topLevelItem(i).isHidden() for i in range(palette.tree.topLevelItemCount()))
    palette.search.clear()
    assert len(palette.visible_ops()) == len(all_ops())


def test_palette_search_finds_every_op_of_a_group_by_its_name(palette, qtbot):
    qtbot.keyClicks(palette.search, "loss")
    losses = sorted(op.type for op in all_ops() if op.family == "losses")
    assert len(losses) >= 4 and sorted(palette.visible_ops()) == losses
    palette.search.setText("activation")
    assert sorted(palette.visible_ops()) == sorted(op.type for op in all_ops() if op.family == "activations")


def test_palette_double_click_and_enter_announce_the_op(palette, qtbot):
    item = palette.item_for("Tanh")
    rect = palette.tree.visualItemRect(item)
    qtbot.mouseClick(palette.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(palette.opActivated) as blocker:
        qtbot.mouseDClick(palette.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == ["Tanh"]
    palette.search.setText("relu")
    with qtbot.waitSignal(palette.opActivated) as blocker:
        qtbot.keyClick(palette.search, Qt.Key.Key_Return)
    assert blocker.args == ["ReLU"]


def test_palette_drag_carries_the_op_type(palette):
    data = palette.tree.mimeData([palette.item_for("Affine")])
    assert bytes(data.data(MIME_TYPE)).decode() == "Affine"
    assert "out = x · W + b" in palette.item_for("Affine").toolTip(0)


# ------------------------------------------------------------ value parsing
def test_parse_number_and_shape():
    assert parse_number(" 0.5 ") == 0.5
    assert parse_number("−2e-3") == -0.002
    for bad in ("abc", "", "nan", "inf", "1,5"):
        with pytest.raises(ValueError):
            parse_number(bad)
    assert parse_shape("2 × 3") == (2, 3)
    assert parse_shape("(4,)") == (4,)
    assert parse_shape("2x2") == (2, 2)
    assert parse_shape("()") == ()
    assert parse_shape("2×3") == (2, 3)  # as the inspector writes shapes
    for bad in ("2 × a", "0 × 2", "-1"):
        with pytest.raises(ValueError):
            parse_shape(bad)
    with pytest.raises(ValueError, match="at most 1,000,000 numbers"):  # no integer overflow on the way
        parse_shape("4294967296 x 4294967296")


def test_resized_keeps_the_overlap():
    w = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert resized(w, (3, 2)).tolist() == [[1, 2], [3, 4], [0, 0]]
    assert resized(w, (1, 1)).tolist() == [[1]]
    assert resized(w, (4,)).tolist() == [1, 2, 3, 4]
    assert resized(np.array(0.35), (2,)).tolist() == [0.35, 0.0]


def test_value_model_shows_a_matrix_and_refuses_text():
    graph = Graph()
    graph.add_node("Parameter", "W", value=[[0.15, 0.25], [0.2, 0.3]])
    model = ValueTableModel(graph, "W")
    assert (model.rowCount(), model.columnCount()) == (2, 2)
    assert model.data(model.index(1, 0)) == "0.2"
    edits, refusals = [], []
    model.cellEdited.connect(lambda idx, v: edits.append((idx, v)))
    model.editRefused.connect(refusals.append)
    assert model.setData(model.index(0, 1), "0.5")
    assert not model.setData(model.index(0, 1), "five")
    assert edits == [((0, 1), 0.5)]
    assert refusals and "'five' is not a number" in refusals[0] and "W[0, 1]" in refusals[0]
    assert graph.nodes["W"].value[0, 1] == 0.25  # the model never writes the graph


# ---------------------------------------------------------------- inspector
@pytest.fixture
def inspector(qtbot):
    document = Document.open(MAZUR)
    widget = Inspector()
    qtbot.addWidget(widget)
    widget.set_document(document)
    widget.resize(340, 800)
    widget.show()
    yield widget, document
    document.close()


def _settle(qtbot, widget: Inspector) -> None:
    qtbot.waitUntil(lambda: not widget._refresh_timer.isActive(), timeout=1000)


def _edit_cell(qtbot, inspector: Inspector, row: int, col: int, text: str) -> None:
    """Type into a cell of the value table as a person would: open its editor, type, Enter."""
    table = inspector.node_panel.table
    index = table.model().index(row, col)
    table.setCurrentIndex(index)
    table.edit(index)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and editor.parent() is table.viewport()
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.state() != table.State.EditingState, timeout=2000)


def test_no_selection_summarises_the_graph(inspector):
    widget, document = inspector
    panel = widget.graph_panel
    assert widget.main_section.title() == "Graph"
    assert panel.name.text() == "Mazur's 2-2-2 network"
    assert panel.counts.text() == "11 nodes, 10 edges, 2 parameters"
    assert panel.objective_choice.currentText() == "Automatic: loss"
    assert panel.dataset.text() == "1 row: x (1×2), t (1×2)"
    assert panel.settings.text() == "SGD, learning rate 0.5, 10,000 updates, batch 1, seed 0"
    assert panel.problems.text() == "none"


def test_editing_a_weight_in_the_table_changes_the_graph_and_undo_restores_it(inspector, qtbot):
    widget, document = inspector
    widget.set_node("W1")
    assert widget.main_section.title() == "Node W1"
    _edit_cell(qtbot, widget, 0, 1, "0.7")
    assert document.graph.nodes["W1"].value.tolist() == [[0.15, 0.7], [0.2, 0.3]]
    assert document.undo_stack.undoText() == "Set W1[0, 1] = 0.7"
    assert document.is_modified()
    _settle(qtbot, widget)
    model = widget.node_panel.model
    assert model.data(model.index(0, 1)) == "0.7"
    document.undo_stack.undo()
    _settle(qtbot, widget)
    assert document.graph.nodes["W1"].value.tolist() == [[0.15, 0.25], [0.2, 0.3]]
    assert model.data(model.index(0, 1)) == "0.25"
    assert not document.is_modified()


def test_a_cell_shows_six_digits_opens_with_all_of_them_and_its_column_fits_it(inspector, qtbot):
    widget, document = inspector
    widget.set_node("W1")
    _edit_cell(qtbot, widget, 0, 0, "-0.0931234567891")
    _settle(qtbot, widget)
    table, model = widget.node_panel.table, widget.node_panel.model
    index = model.index(0, 0)
    assert model.data(index) == "-0.0931235"
    assert model.data(index, Qt.ItemDataRole.EditRole) == "-0.0931234567891"
    assert document.graph.nodes["W1"].value[0, 0] == -0.0931234567891
    table.resizeColumnsToContents()
    shown = table.fontMetrics().horizontalAdvance("-0.0931235")
    assert table.columnWidth(0) > shown and table.columnWidth(1) >= 64
    _edit_cell(qtbot, widget, 0, 1, "0.30000000000000004")  # every digit survives the editor
    assert document.graph.nodes["W1"].value[0, 1] == 0.1 + 0.2
    assert model.data(model.index(0, 1), Qt.ItemDataRole.EditRole) == "0.30000000000000004"


def test_a_non_number_is_refused_with_a_message_and_the_value_kept(inspector, qtbot):
    widget, document = inspector
    widget.set_node("W2")
    messages = []
    widget.statusMessage.connect(messages.append)
    _edit_cell(qtbot, widget, 1, 0, "abc")
    assert document.graph.nodes["W2"].value.tolist() == [[0.4, 0.5], [0.45, 0.55]]
    assert document.undo_stack.count() == 0
    error = widget.node_panel.error
    assert error.isVisible() and "'abc' is not a number" in error.text() and "kept 0.45" in error.text()
    assert messages == [error.text()]
    model = widget.node_panel.model
    assert model.data(model.index(1, 0)) == "0.45"


def test_reshaping_a_value_is_one_undoable_command(inspector, qtbot):
    widget, document = inspector
    widget.set_node("b1")
    panel = widget.node_panel
    assert panel.shape_edit.text() == "scalar"
    panel.shape_edit.setFocus()
    panel.shape_edit.selectAll()
    qtbot.keyClicks(panel.shape_edit, "2")
    qtbot.keyClick(panel.shape_edit, Qt.Key.Key_Return)
    assert document.graph.nodes["b1"].value.tolist() == [0.35, 0.0]
    _settle(qtbot, widget)
    assert (panel.model.rowCount(), panel.model.columnCount()) == (1, 2)
    panel.shape_edit.setText("2 × oops")
    panel.shape_edit.editingFinished.emit()
    assert "not a shape" in panel.error.text()
    assert panel.shape_edit.text() == "2"
    document.undo_stack.undo()
    assert document.graph.nodes["b1"].value.shape == ()


def test_attribute_editors_match_their_kinds_and_go_through_commands(inspector, qtbot):
    widget, document = inspector
    widget.set_node("W1")
    box = widget.node_panel.attr_editors["trainable"].widget
    assert isinstance(box, QCheckBox) and box.isChecked()
    box.click()
    assert document.graph.nodes["W1"].attrs["trainable"] is False
    assert document.undo_stack.undoText() == "Set W1.trainable = False"
    document.undo_stack.undo()
    _settle(qtbot, widget)
    assert box.isChecked()

    document.graph.add_node("Sum", "total")  # an optional int attribute: axis
    widget.set_node("total")
    line = widget.node_panel.attr_editors["axis"].widget
    assert isinstance(line, QLineEdit) and line.text() == ""
    line.setText("1")
    line.editingFinished.emit()
    assert document.graph.nodes["total"].attrs["axis"] == 1
    line.setText("one")
    line.editingFinished.emit()
    assert document.graph.nodes["total"].attrs["axis"] == 1
    assert line.text() == "1"
    assert "axis must be a whole number" in widget.node_panel.error.text()
    line.setText("")
    line.editingFinished.emit()
    assert document.graph.nodes["total"].attrs["axis"] is None


def test_renaming_through_the_id_field_and_refusing_a_bad_id(inspector, qtbot):
    widget, document = inspector
    widget.set_node("W1")
    field = widget.node_panel.id_edit
    field.setText("weights1")
    field.editingFinished.emit()
    assert "weights1" in document.graph.nodes and "W1" not in document.graph.nodes
    _settle(qtbot, widget)
    assert widget.node_id == "weights1" and widget.main_section.title() == "Node weights1"
    field.setText("W2")
    field.editingFinished.emit()
    assert "exists already" in widget.node_panel.error.text()
    assert field.text() == "weights1"
    document.undo_stack.undo()
    _settle(qtbot, widget)
    assert widget.node_id == "W1" and field.text() == "W1"


def test_inspector_follows_removal_and_hosts_extra_sections(inspector, qtbot):
    widget, document = inspector
    extra = QLabel("values and gradients here")
    section = widget.add_section("Values & gradients", extra)
    assert widget.section("Values & gradients") is section
    assert section.header.text() == "Values && gradients"  # shown with its "&", not as a shortcut letter
    section.header.click()
    assert not extra.isVisibleTo(widget) and not section.is_expanded()
    widget.set_node("b2")
    document.graph.remove_node("b2")
    _settle(qtbot, widget)
    assert widget.node_id is None and widget.main_section.title() == "Graph"
    assert "affine2 (Affine): input 'b' is not connected" in widget.graph_panel.problems.text()


def test_the_objective_is_chosen_in_the_graph_summary(inspector, qtbot):
    widget, document = inspector
    document.graph.add_node("MeanSquaredError", "mse")
    document.graph.connect("sigmoid2", "mse", "y")
    document.graph.connect("t", "mse", "t")
    _settle(qtbot, widget)
    panel = widget.graph_panel
    assert "several losses (loss, mse): choose the objective" in panel.problems.text()
    combo = panel.objective_choice
    assert combo.currentIndex() == 0 and combo.count() == 1 + 6  # automatic + every computed node
    combo.setCurrentIndex(combo.findData("mse"))
    combo.activated.emit(combo.currentIndex())
    assert document.graph.objective == "mse"
    assert document.undo_stack.undoText() == "Set objective mse"
    _settle(qtbot, widget)
    assert panel.problems.text() == "none"
    document.undo_stack.undo()
    _settle(qtbot, widget)
    assert document.graph.objective is None and combo.currentIndex() == 0
