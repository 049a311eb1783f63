"""The graph summary's objective choice (app/inspector/objective_choice.py) is a list model reset
only when the choices changed: an undo on a 3,000-node graph that restores nodes resets it once,
an edit that changes no choice leaves it, and the choices, the chosen one and the tooltips always
equal what a summary made afresh shows."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox

from app import commands
from app.commands import Delete
from app.inspector.graph_panel import GraphPanel
from app.inspector.panel import Inspector
from app.model.document import Document
from benchmarks.bench_editor import layered_graph


def offered(combo: QComboBox) -> tuple[list[tuple[str, object, object]], int, str, str]:
    rows = [(combo.itemText(i), combo.itemData(i), combo.itemData(i, Qt.ItemDataRole.ToolTipRole))
            for i in range(combo.count())]
    return rows, combo.currentIndex(), combo.currentText(), combo.toolTip()


def same_as_afresh(inspector: Inspector, qtbot) -> None:
    inspector.refresh()
    document = inspector.document
    afresh = GraphPanel()
    qtbot.addWidget(afresh)
    afresh.show_graph(document.graph, document.title(), document.derived.problems())
    assert offered(inspector.graph_panel.objective_choice) == offered(afresh.objective_choice)


def test_the_choices_are_reset_only_when_they_change(qtbot):
    document = Document(layered_graph(3000, 4000))
    inspector = Inspector()
    qtbot.addWidget(inspector)
    inspector.set_document(document)
    combo = inspector.graph_panel.objective_choice
    resets: list[int] = []
    combo.model().modelReset.connect(lambda: resets.append(1))
    assert combo.count() == 1 + 2988 and combo.currentText() == "Automatic: loss"
    ids = list(document.graph.nodes)[::6][:50]
    document.undo_stack.push(Delete(document, ids))
    inspector.refresh()
    assert len(resets) == 1 and combo.count() < 1 + 2988
    same_as_afresh(inspector, qtbot)
    document.undo_stack.undo()
    inspector.refresh()
    assert len(resets) == 2 and combo.count() == 1 + 2988
    same_as_afresh(inspector, qtbot)
    node = document.graph.nodes["n7"]
    document.undo_stack.push(commands.MoveNodes(document, {"n7": (node.pos[0] + 40.0, node.pos[1])}))
    document.undo_stack.push(commands.SetValue(document, "leaf1", document.graph.nodes["leaf1"].value * 2))
    inspector.refresh()
    assert len(resets) == 2  # no choice changed
    same_as_afresh(inspector, qtbot)
    document.undo_stack.push(commands.SetObjective(document, "n100"))
    inspector.refresh()
    assert combo.currentData() == "n100" and combo.currentText() == "n100 (Sigmoid)"
    assert len(resets) == 3  # the automatic choice no longer names the loss
    same_as_afresh(inspector, qtbot)
    document.undo_stack.push(commands.Rename(document, "n100", "chosen"))
    inspector.refresh()
    assert combo.currentData() == "chosen" and combo.currentText() == "chosen (Sigmoid)"
    same_as_afresh(inspector, qtbot)


def test_the_popup_lists_every_choice_and_choosing_one_sets_the_objective(qtbot):
    document = Document(layered_graph(300, 400))
    inspector = Inspector()
    qtbot.addWidget(inspector)
    inspector.set_document(document)
    inspector.show()
    combo = inspector.graph_panel.objective_choice
    combo.showPopup()
    QApplication.processEvents()
    view = combo.view()
    assert view.isVisible() and view.model().rowCount() == combo.count() == 1 + 288
    assert view.model().index(5, 0).data() == combo.itemText(5)
    combo.hidePopup()
    row = combo.findData("n42")
    combo.activated.emit(row)
    assert document.graph.objective == "n42"
    inspector.refresh()
    assert combo.currentIndex() == row
