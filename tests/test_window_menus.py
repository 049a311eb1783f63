"""The main window: every shipped example opens, the example menu, the menus' order, standard shortcuts."""
from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QLabel
from window_helpers import EXAMPLES


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_the_window_opens_every_shipped_example_without_a_problem(make_main_window, path):
    window = make_main_window()
    assert window.open_file(path)
    assert window.document.path == path
    assert window.scene.problems == []
    assert window.status.problems.text() == "No problems"
    assert sorted(n.node_id for n in window.scene.node_items()) == sorted(window.document.graph.nodes)
    assert window.windowTitle() == f"{path.name}[*] — Backprop Workbench"
    assert not window.isWindowModified()


def test_open_example_menu_lists_every_example_by_its_name(window):
    menu = window.menu("File").findChild(type(window.menu("File")), "examplesMenu")
    entries = {a.text(): a.data() for a in menu.actions()}
    for path in EXAMPLES:
        name = json.loads(path.read_text(encoding="utf-8")).get("name") or path.stem
        assert entries[name] == str(path)
    assert len(entries) == len(EXAMPLES)


def test_menus_keep_their_order_and_other_modules_can_add_theirs(window):
    window.menu("Training")
    window.menu("Debug")
    assert [a.text() for a in window.menuBar().actions()] == ["&File", "&Edit", "&View", "&Debug", "&Training", "&Help"]
    assert window.menu("Debug") is window.menu("&Debug")
    bar = window.toolbar("Debug")
    assert window.toolbar("Debug") is bar and bar.toggleViewAction() in window.toolbars_menu.actions()
    dock = QDockWidget("Training")
    dock.setWidget(QLabel("plots"))
    window.add_dock(dock, Qt.DockWidgetArea.BottomDockWidgetArea)
    assert dock.objectName() == "trainingDock" and dock.toggleViewAction() in window.docks_menu.actions()
    assert window.dockWidgetArea(dock) == Qt.DockWidgetArea.BottomDockWidgetArea


def test_standard_shortcuts(window):
    assert window.actions["save"].shortcut().toString() == "Ctrl+S"
    assert window.actions["open"].shortcut().toString() == "Ctrl+O"
    assert window.actions["undo"].shortcut().toString() == "Ctrl+Z"
    assert window.actions["fit"].shortcut().toString() == "F"
    assert window.actions["duplicate"].shortcut().toString() == "Ctrl+D"
