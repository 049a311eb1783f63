"""The main window: examples, palette, files and safety, the unsaved prompt, layout, screenshots."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, QSettings, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage
from PySide6.QtWidgets import QApplication, QDockWidget, QLabel, QMessageBox

from app import commands
from app.document import Document
from app.window.first_layout import INSPECTOR_WIDTH
from app.window.main_window import MainWindow
from core import io

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "resources" / "examples").glob("*.json"))
MAZUR = ROOT / "resources" / "examples" / "mazur.json"
Button = QMessageBox.StandardButton


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, monkeypatch):
    """Settings and application data of each test live in its own temporary folder."""
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


@pytest.fixture
def make_window(qtbot, tmp_path):
    def make(document: Document | None = None, **kwargs) -> MainWindow:
        kwargs.setdefault("recovery_dir", tmp_path / "recovery")
        window = MainWindow(document, **kwargs)
        window._ask_save_changes = lambda: Button.Discard  # closing at teardown must not wait for an answer
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    return make


@pytest.fixture
def window(make_window) -> MainWindow:
    return make_window(Document.open(MAZUR))


@pytest.fixture
def errors(monkeypatch) -> list[tuple[str, str]]:
    """Every QMessageBox.critical shown, as (title, text)."""
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text, *a, **k: shown.append((title, text)))
    return shown


def _edit_weight(window: MainWindow, value: float = 0.7) -> None:
    window.document.undo_stack.push(commands.SetValue(window.document, "W1", value, index=(0, 1)))


def _answer(window: MainWindow, choice: QMessageBox.StandardButton) -> list[int]:
    asked: list[int] = []

    def ask() -> QMessageBox.StandardButton:
        asked.append(1)
        return choice

    window._ask_save_changes = ask
    return asked


# ------------------------------------------------------------- examples
@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_the_window_opens_every_shipped_example_without_a_problem(make_window, path):
    window = make_window()
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


# -------------------------------------------------------- editing basics
def test_palette_double_click_adds_a_node_in_the_view_and_selects_it(window, qtbot):
    tree = window.palette.tree
    item = window.palette.item_for("Tanh")
    tree.scrollToItem(item)
    rect = tree.visualItemRect(item)
    selected = []
    window.selectedNodeChanged.connect(selected.append)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    graph = window.document.graph
    assert "tanh1" in graph.nodes and graph.nodes["tanh1"].op_type == "Tanh"
    assert window.document.undo_stack.undoText() == "Add tanh1 (Tanh)"
    visible = window.view.mapToScene(window.view.viewport().rect()).boundingRect()
    assert visible.contains(window.scene.node_item("tanh1").sceneBoundingRect().center())
    assert selected == ["tanh1"] and window.inspector.node_id == "tanh1"
    assert window.isWindowModified()
    window.actions["undo"].trigger()
    assert "tanh1" not in graph.nodes and not window.isWindowModified()


def _double_click(window: MainWindow, qtbot, op_type: str) -> None:
    tree = window.palette.tree
    item = window.palette.item_for(op_type)
    tree.scrollToItem(item)
    rect = tree.visualItemRect(item)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _body(window: MainWindow, node: str):  # noqa: ANN202
    item = window.scene.node_item(node)
    return item.mapRectToScene(item.body_rect())


def test_palette_double_clicks_place_nodes_right_of_the_selected_one_in_a_row(window, qtbot):
    window.scene.select_nodes(["sigmoid2"])
    for op_type in ("Tanh", "Tanh", "Parameter"):
        _double_click(window, qtbot, op_type)
    graph = window.document.graph
    assert {"tanh1", "tanh2", "parameter1"} <= set(graph.nodes)
    chain = ["sigmoid2", "tanh1", "tanh2", "parameter1"]
    for left, right in zip(chain, chain[1:], strict=False):
        assert _body(window, right).left() > _body(window, left).right()  # each right of the one before
    bodies = [_body(window, n) for n in graph.nodes]
    assert not any(a.intersects(b) for i, a in enumerate(bodies) for b in bodies[i + 1:])
    assert float(graph.nodes["parameter1"].value) == 1.0
    visible = window.view.mapToScene(window.view.viewport().rect()).boundingRect()
    assert visible.contains(_body(window, "parameter1"))
    assert window.scene.selected_node_ids() == ["parameter1"]


def test_palette_double_clicks_with_nothing_selected_fill_free_places(make_window, qtbot):
    window = make_window()
    for _ in range(3):
        window.scene.select_nodes([])
        _double_click(window, qtbot, "Add")
    bodies = [_body(window, n) for n in ("add1", "add2", "add3")]
    assert not any(a.intersects(b) for i, a in enumerate(bodies) for b in bodies[i + 1:])
    assert len({round(b.left()) for b in bodies}) == 3  # not stacked in one column
    visible = window.view.mapToScene(window.view.viewport().rect()).boundingRect()
    assert all(visible.contains(b) for b in bodies)


def test_the_inspector_starts_wide_enough_to_edit_weights(window, qtbot):
    window.scene.select_nodes(["W1"])
    table = window.inspector.node_panel.table
    qtbot.waitUntil(table.isVisible)
    model = table.model()
    needed = table.verticalHeader().width() + sum(table.columnWidth(c) for c in range(model.columnCount()))
    assert needed <= table.viewport().width() + table.verticalHeader().width()  # every column of W1 in view
    assert window.inspector_dock.width() >= INSPECTOR_WIDTH - 4  # as wide as it was made


def test_undo_action_names_the_edit_and_selection_drives_the_inspector(window, qtbot):
    _edit_weight(window)
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


# ------------------------------------------------------- files and safety
def test_save_as_and_reopen_give_the_same_graph(window, tmp_path, make_window):
    _edit_weight(window, 0.625)
    window._ask_save_path = lambda caption, suggested, file_filter: str(tmp_path / "mine")
    assert window.files.save_as()
    saved = tmp_path / "mine.json"
    assert window.document.path == saved and not window.document.is_modified()
    assert window.windowTitle() == "mine.json[*] — Backprop Workbench" and not window.isWindowModified()
    other = make_window()
    assert other.open_file(saved)
    assert io.to_dict(other.document.graph) == io.to_dict(window.document.graph)
    assert other.document.graph.nodes["W1"].value[0, 1] == 0.625


def test_a_malformed_file_shows_one_message_and_keeps_the_open_document(window, tmp_path, errors):
    _edit_weight(window)
    before = window.document
    snapshot = io.to_dict(before.graph)
    asked = _answer(window, Button.Discard)
    bad = tmp_path / "broken.json"
    data = json.loads(MAZUR.read_text(encoding="utf-8"))
    data["nodes"][3]["op"] = "Affline"
    bad.write_text(json.dumps(data), encoding="utf-8")
    assert window.open_file(bad) is False
    assert len(errors) == 1
    title, text = errors[0]
    assert "broken.json" in text and "nodes[3].op" in text and "Affline" in text
    assert window.document is before and io.to_dict(before.graph) == snapshot
    assert before.is_modified() and window.isWindowModified()
    assert asked == []  # a bad file never asks about the unsaved changes
    (tmp_path / "notjson.json").write_text("{ nope", encoding="utf-8")
    assert window.open_file(tmp_path / "notjson.json") is False
    assert len(errors) == 2 and "line 1" in errors[1][1]
    assert window.open_file(tmp_path / "missing.json") is False
    assert len(errors) == 3 and "missing.json" in errors[2][1]
    assert window.document is before


def test_a_failed_save_shows_a_message_and_loses_nothing(window, tmp_path, errors):
    _edit_weight(window)
    window._ask_save_path = lambda caption, suggested, file_filter: str(tmp_path / "no-such-folder" / "g.json")
    assert window.files.save_as() is False
    assert len(errors) == 1 and "no-such-folder" in errors[0][1] and "still open" in errors[0][1]
    assert window.document.is_modified() and window.document.path == MAZUR
    assert window.document.graph.nodes["W1"].value[0, 1] == 0.7
    assert MAZUR.read_text(encoding="utf-8") == MAZUR.read_text(encoding="utf-8")


@pytest.mark.parametrize("gesture", ["new", "open", "close"])
def test_unsaved_changes_cancel_keeps_everything(window, tmp_path, gesture):
    _edit_weight(window)
    before = window.document
    asked = _answer(window, Button.Cancel)
    if gesture == "new":
        assert window.files.new() is False
    elif gesture == "open":
        assert window.open_file(EXAMPLES[0]) is False
    else:
        assert window.close() is False
        assert window.isVisible()
    assert asked == [1]
    assert window.document is before and before.is_modified()
    assert before.graph.nodes["W1"].value[0, 1] == 0.7


@pytest.mark.parametrize("gesture", ["new", "open", "close"])
def test_unsaved_changes_discard_proceeds(window, gesture):
    _edit_weight(window)
    before = window.document
    asked = _answer(window, Button.Discard)
    if gesture == "new":
        assert window.files.new()
        assert window.document.graph.nodes == {} and window.windowTitle() == "Untitled[*] — Backprop Workbench"
    elif gesture == "open":
        assert window.open_file(EXAMPLES[0])
        assert window.document.path == EXAMPLES[0]
    else:
        assert window.close()
        assert not window.isVisible()
    assert asked == [1]
    if gesture != "close":
        assert window.document is not before and not window.document.is_modified()
    assert io.load(MAZUR).nodes["W1"].value[0, 1] == 0.25  # the file was not written


def test_unsaved_changes_save_writes_then_proceeds(make_window, tmp_path):
    path = tmp_path / "work.json"
    shutil.copy(MAZUR, path)
    window = make_window(Document.open(path))
    _edit_weight(window, 0.5)
    asked = _answer(window, Button.Save)
    assert window.files.new()
    assert asked == [1]
    assert io.load(path).nodes["W1"].value[0, 1] == 0.5
    _edit_weight_new = commands.AddNode(window.document, "Add")
    window.document.undo_stack.push(_edit_weight_new)
    window._ask_save_path = lambda caption, suggested, file_filter: ""  # Save As cancelled
    assert window.files.new() is False  # nothing was saved, so nothing is thrown away
    assert "add1" in window.document.graph.nodes


@pytest.mark.real_dialogs
def test_the_real_prompt_answers_cancel(window, qtbot):
    del window._ask_save_changes  # the real dialog
    _edit_weight(window)
    before = window.document
    seen = []

    def click_cancel() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text())
            box.button(Button.Cancel).click()
        else:
            QTimer.singleShot(10, click_cancel)

    QTimer.singleShot(0, click_cancel)
    assert window.files.new() is False
    assert seen == ["Save the changes to mazur.json?"]
    assert window.document is before and before.is_modified()
    window._ask_save_changes = lambda: Button.Discard


def test_open_recent_lists_files_and_drops_missing_ones(window, make_window, tmp_path, errors):
    copy = tmp_path / "copy.json"
    shutil.copy(MAZUR, copy)
    assert window.open_file(copy)
    assert window.open_file(EXAMPLES[0])
    recent = window.files.recent.paths()
    assert recent[:2] == [EXAMPLES[0].resolve(), copy.resolve()]
    other = make_window()  # a later run sees the same list
    other.recent_menu.aboutToShow.emit()
    labels = [a.text() for a in other.recent_menu.actions() if a.data()]
    assert labels[:2] == [f"&1 {EXAMPLES[0].name}", "&2 copy.json"]
    copy.unlink()
    entry = next(a for a in other.recent_menu.actions() if a.data() == str(copy.resolve()))
    entry.trigger()
    assert len(errors) == 1 and "copy.json" in errors[0][1] and "removed from Open Recent" in errors[0][1]
    assert copy.resolve() not in other.files.recent.paths()
    assert other.document.path is None


def test_a_json_file_dropped_on_the_window_opens(window, qtbot):
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(EXAMPLES[0]))])
    enter = QDragEnterEvent(QPoint(5, 5), Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(5, 5), Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, drop)
    qtbot.waitUntil(lambda: window.document.path == EXAMPLES[0], timeout=2000)
    data.setUrls([QUrl.fromLocalFile(str(ROOT / "README.md"))])
    other = QDragEnterEvent(QPoint(5, 5), Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    other.ignore()
    QApplication.sendEvent(window, other)
    assert not other.isAccepted()


def test_export_canvas_as_png_and_svg(window, tmp_path):
    def ask(caption: str, suggested: str, file_filter: str) -> str:
        return str(tmp_path / ("graph.svg" if "SVG" in caption else "graph"))  # the suffix is added for PNG

    window._ask_save_path = ask
    assert window.files.export_canvas("png")
    image = QImage(str(tmp_path / "graph.png"))
    rect = window.scene.itemsBoundingRect()
    assert image.width() == round((rect.width() + 60) * 2) and image.height() == round((rect.height() + 60) * 2)
    assert window.files.export_canvas("svg")
    svg = (tmp_path / "graph.svg").read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert "affine1" in svg and "<image" not in svg  # vector text, not bitmaps of the nodes


def test_a_node_added_beside_the_selection_covers_no_edge_and_its_edge_crosses_no_node(window, qtbot):
    from app.editor.edge_item import curve_path
    from app.editor.placement import FIRST_INPUT_Y

    for anchor in ("affine1", "W2", "sigmoid1", "b1"):
        window.scene.select_nodes([anchor])
        _double_click(window, qtbot, "Tanh")
        new_id = window.scene.selected_node_ids()[0]
        new = window.scene.node_item(new_id).sceneBoundingRect()
        others = [item for item in window.scene.node_items() if item.node_id not in (anchor, new_id)]
        assert not any(new.intersects(item.sceneBoundingRect()) for item in others), anchor
        assert not any(edge.mapToScene(edge.path()).intersects(new) for edge in window.scene.edge_items()), anchor
        start = window.scene.node_item(anchor).output.scenePos()
        edge = curve_path(start, new.topLeft() + QPointF(0, FIRST_INPUT_Y))
        assert not any(edge.intersects(item.sceneBoundingRect()) for item in others), anchor
        assert new.left() > window.scene.node_item(anchor).sceneBoundingRect().right()
