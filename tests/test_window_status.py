"""The main window's inspector width, the undo action's text with the selection driving the inspector,
the status bar."""
from __future__ import annotations

from window_helpers import edit_weight

from app import commands
from app.window.first_layout import INSPECTOR_WIDTH


def test_the_inspector_starts_wide_enough_to_edit_weights(window, qtbot):
    window.scene.select_nodes(["W1"])
    table = window.inspector.node_panel.table
    qtbot.waitUntil(table.isVisible)
    model = table.model()
    needed = table.verticalHeader().width() + sum(table.columnWidth(c) for c in range(model.columnCount()))
    assert needed <= table.viewport().width() + table.verticalHeader().width()  # every column of W1 in view
    assert window.inspector_dock.width() >= INSPECTOR_WIDTH - 4  # as wide as it was made


def test_undo_action_names_the_edit_and_selection_drives_the_inspector(window, qtbot):
    edit_weight(window)
    assert window.actions["undo"].text() == "&Undo Set W1[0, 1] = 0.7"
    assert window.actions["undo"].isEnabled() and not window.actions["redo"].isEnabled()
    with qtbot.waitSignal(window.selectedNodeChanged) as blocker:
        window.scene.select_nodes(["W2"])
    assert blocker.args == ["W2"]
    assert window.inspector.main_section.title() == "Node W2"
    with qtbot.waitSignal(window.selectedNodeChanged) as blocker:
        window.scene.select_nodes(["W1", "W2"])
    assert blocker.args == [None]
    assert window.inspector.main_section.title() == "Graph"


def test_status_bar_counts_problems_and_says_what_happened(window, qtbot):
    window.document.undo_stack.push(commands.Disconnect(window.document, "affine1", "b"))
    qtbot.waitUntil(lambda: window.status.problems.text() == "1 problem", timeout=2000)
    assert "input 'b' is not connected" in window.status.problems.toolTip()
    window.show_status("hello there")
    assert window.statusBar().currentMessage() == "hello there"


def test_notes_time_out_and_give_the_lasting_status_back(window, qtbot):
    bar = window.statusBar()
    window.status.note_ms = 40
    window.show_status("Forward pass · step 3 / 11")  # the debugger's state: it lasts
    window.scene.statusMessage.emit("Added tanh1")  # an editor note
    assert bar.currentMessage() == "Added tanh1"
    qtbot.waitUntil(lambda: bar.currentMessage() == "Forward pass · step 3 / 11", timeout=2000)
    window.inspector.statusMessage.emit("W1[0, 1]: 'five' is not a number; kept 0.25")
    assert bar.currentMessage().startswith("W1[0, 1]")
    window.show_status("Forward pass · step 4 / 11")  # a new state replaces the note at once
    assert bar.currentMessage() == "Forward pass · step 4 / 11"
    window.show_status("Saved it", 40)
    qtbot.waitUntil(lambda: bar.currentMessage() == "Forward pass · step 4 / 11", timeout=2000)
    bar.showMessage("")  # a menu's status tip going away
    assert bar.currentMessage() == "Forward pass · step 4 / 11"
