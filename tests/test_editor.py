"""The node editor, driven like a person would: adding, connecting, selecting, moving, deleting,
copying and pasting with mouse drags, keys and the context menu (the view itself: test_editor_view.py)."""
from __future__ import annotations

import json
from typing import Iterator

import pytest
from editor_helpers import LEFT, Canvas, open_canvas, pair_graph
from helpers import build_mazur
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.editor import clipboard
from app.editor.view import OP_MIME_TYPE
from core import io
from core.graph import Graph


@pytest.fixture
def mazur(qtbot) -> Iterator[Canvas]:
    yield from open_canvas(qtbot, build_mazur())


@pytest.fixture
def pair(qtbot) -> Iterator[Canvas]:
    yield from open_canvas(qtbot, pair_graph())


def snapshot(graph: Graph) -> tuple:
    doc = io.to_dict(graph)
    nodes = sorted(json.dumps(n, sort_keys=True) for n in doc["nodes"])
    edges = sorted((e["to"], e["port"], e["from"]) for e in doc["edges"])
    return nodes, edges, graph.objective


# ---------------------------------------------------------------- adding nodes
def test_a_palette_drop_adds_the_node_under_the_cursor_as_one_command(pair, qtbot):
    data = QMimeData()
    data.setData(OP_MIME_TYPE, b"Multiply")
    spot = pair.at(QPointF(150, 300))
    viewport = pair.view.viewport()
    actions = Qt.DropAction.CopyAction
    enter = QDragEnterEvent(spot, actions, data, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(viewport, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(spot), actions, data, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(viewport, drop)
    assert pair.texts() == ["Add multiply1 (Multiply)"]
    item = pair.scene.node_item("multiply1")
    assert item.sceneBoundingRect().contains(QPointF(150, 300))
    assert pair.scene.selected_node_ids() == ["multiply1"]
    pair.doc.undo_stack.undo()
    assert "multiply1" not in pair.graph.nodes and len(pair.scene.node_items()) == 3


def test_add_node_at_the_view_centre_does_not_stack_nodes(pair):
    first = pair.view.add_node("Exp")
    second = pair.view.add_node("Exp")
    assert (first, second) == ("exp1", "exp2")
    assert pair.graph.node(first).pos != pair.graph.node(second).pos
    assert pair.view.add_node("NoSuchOp") is None and "unknown op 'NoSuchOp'" in pair.messages[-1]


# ------------------------------------------------------------------ connecting
def test_dragging_from_an_output_to_an_input_connects_them(pair):
    viewport = pair.view.viewport()
    start, end = pair.port("c"), pair.port("s", "x")
    QTest.mousePress(viewport, LEFT, Qt.KeyboardModifier.NoModifier, start)
    QTest.mouseMove(viewport, (start + end) / 2)
    assert pair.scene.node_item("s").port("x").state == "target"
    assert pair.scene.node_item("t").port("out").state == "dim"  # an output cannot take an output
    QTest.mouseMove(viewport, end + QPoint(4, 3))  # close enough snaps to the port
    assert pair.scene.node_item("s").port("x").state == "hot"
    QTest.mouseRelease(viewport, LEFT, Qt.KeyboardModifier.NoModifier, end + QPoint(4, 3))
    assert pair.graph.edge_into("s", "x").src == "c"
    assert pair.texts() == ["Connect c → s"]
    edge = pair.scene.edge_item("s", "x")
    p0, p1 = edge.ends()
    assert p0 == pair.scene.node_item("c").output.scenePos() and p1 == pair.scene.node_item("s").port("x").scenePos()
    assert all(p.state == "normal" for item in pair.scene.node_items() for p in item.ports())


def test_dragging_from_an_input_to_an_output_connects_too(pair):
    pair.drag(pair.port("t", "x"), pair.port("c"))
    assert pair.graph.edge_into("t", "x").src == "c"


def test_a_cycle_is_refused_with_the_reason_in_the_status_bar(mazur):
    count = mazur.doc.undo_stack.count()
    viewport = mazur.view.viewport()
    start, end = mazur.port("sigmoid2"), mazur.port("affine1", "x")
    QTest.mousePress(viewport, LEFT, Qt.KeyboardModifier.NoModifier, start)
    QTest.mouseMove(viewport, (start + end) / 2)
    assert mazur.scene.node_item("affine1").port("x").state == "dim"  # would close a cycle
    assert mazur.scene.node_item("loss").port("t").state == "target"
    QTest.mouseRelease(viewport, LEFT, Qt.KeyboardModifier.NoModifier, end)
    assert mazur.graph.edge_into("affine1", "x").src == "x"
    assert mazur.doc.undo_stack.count() == count
    assert "would make a cycle" in mazur.messages[-1] and mazur.messages[-1].startswith("Not connected")


def test_dropping_on_an_occupied_input_replaces_its_edge_in_one_undo_entry(mazur):
    before = snapshot(mazur.graph)
    mazur.drag(mazur.port("b1"), mazur.port("affine1", "x"))
    assert mazur.graph.edge_into("affine1", "x").src == "b1"
    assert mazur.texts() == ["Connect b1 → affine1.x (replacing x)"]
    assert mazur.scene.edge_item("affine1", "x").src == "b1"
    mazur.doc.undo_stack.undo()
    assert snapshot(mazur.graph) == before
    assert mazur.scene.edge_item("affine1", "x").src == "x"


def test_dragging_an_edge_end_off_its_port_disconnects_and_onto_another_reconnects(mazur):
    mazur.drag(mazur.port("affine2", "b"), mazur.at(QPointF(600, 600)))
    assert mazur.graph.edge_into("affine2", "b") is None and mazur.scene.edge_item("affine2", "b") is None
    assert mazur.texts() == ["Disconnect b2 → affine2.b"]
    mazur.doc.undo_stack.undo()
    mazur.drag(mazur.port("affine1", "b"), mazur.port("affine2", "b"))
    assert mazur.graph.edge_into("affine1", "b") is None and mazur.graph.edge_into("affine2", "b").src == "b1"
    assert mazur.texts()[-1] == "Reconnect b1 → affine2.b"
    assert mazur.scene.edge_item("affine2", "b").isVisible()


def test_a_selected_edge_is_deleted_with_the_delete_key(mazur):
    edge = mazur.scene.edge_item("affine1", "W")
    edge.setSelected(True)
    QTest.keyClick(mazur.view.viewport(), Qt.Key.Key_Delete)
    assert mazur.graph.edge_into("affine1", "W") is None
    assert mazur.texts() == ["Disconnect W1 → affine1.W"]


# -------------------------------------------------------- selecting and moving
def test_moving_by_drag_is_one_undo_entry_for_all_selected_nodes(mazur):
    mazur.scene.select_nodes(["sigmoid1", "W2"])
    before = {n: mazur.graph.node(n).pos for n in ("sigmoid1", "W2", "b2")}
    start = mazur.header("sigmoid1")
    mazur.drag(start, start + QPoint(80, 40), steps=10)
    assert mazur.texts() == ["Move 2 nodes"]
    scale = mazur.view.scale_factor()
    for n in ("sigmoid1", "W2"):
        dx = mazur.graph.node(n).pos[0] - before[n][0]
        dy = mazur.graph.node(n).pos[1] - before[n][1]
        assert dx == pytest.approx(80 / scale, abs=1.5) and dy == pytest.approx(40 / scale, abs=1.5)
        assert (mazur.scene.node_item(n).x(), mazur.scene.node_item(n).y()) == mazur.graph.node(n).pos
    assert mazur.graph.node("b2").pos == before["b2"]
    edge = mazur.scene.edge_item("affine2", "x")
    assert edge.ends()[0] == mazur.scene.node_item("sigmoid1").output.scenePos()
    mazur.doc.undo_stack.undo()
    assert {n: mazur.graph.node(n).pos for n in before} == before
    assert mazur.scene.node_item("sigmoid1").pos() == QPointF(*before["sigmoid1"])


def test_a_click_without_moving_pushes_nothing(mazur):
    QTest.mouseClick(mazur.view.viewport(), LEFT, Qt.KeyboardModifier.NoModifier, mazur.header("affine1"))
    assert mazur.scene.selected_node_ids() == ["affine1"] and mazur.texts() == []


def test_rubber_band_selects_the_nodes_it_touches_and_announces_them(mazur):
    item_x, item_b1 = mazur.scene.node_item("x"), mazur.scene.node_item("b1")
    top_left = mazur.at(item_x.scenePos() + QPointF(-30, -30))
    bottom = mazur.at(item_b1.scenePos() + QPointF(30, 20))
    announced: list[list[str]] = []
    mazur.scene.nodeSelectionChanged.connect(announced.append)
    mazur.drag(top_left, bottom)
    assert mazur.scene.selected_node_ids() == ["x", "W1", "b1"]
    assert announced[-1] == ["x", "W1", "b1"]


# ----------------------------------------------------- delete, copy and paste
def test_delete_removes_nodes_and_undo_restores_them_with_their_edges(mazur):
    before = snapshot(mazur.graph)
    mazur.scene.select_nodes(["affine1", "W2"])
    QTest.keyClick(mazur.view.viewport(), Qt.Key.Key_Delete)
    assert "affine1" not in mazur.graph.nodes and mazur.scene.edge_item("sigmoid1", "x") is None
    assert mazur.texts() == ["Delete 2 nodes"]
    mazur.doc.undo_stack.undo()
    assert snapshot(mazur.graph) == before
    assert {(e.dst, e.port) for e in mazur.graph.edges} == {k for k in (e.key for e in mazur.scene.edge_items())}
    assert mazur.scene.node_item("affine1").port("W").connected


def test_copy_and_paste_keeps_internal_edges_offsets_and_selects(mazur):
    mazur.scene.select_nodes(["W1", "affine1", "sigmoid1"])
    assert mazur.scene.copy_selection()
    data = QGuiApplication.clipboard().mimeData()
    assert data.hasFormat(clipboard.MIME_TYPE) and json.loads(data.text())["format"] == "backprop-workbench"
    pasted = mazur.scene.paste()
    assert pasted == ["W3", "affine3", "sigmoid3"]
    assert mazur.scene.selected_node_ids() == pasted
    for old, new in zip(["W1", "affine1", "sigmoid1"], pasted):
        ox, oy = mazur.graph.node(old).pos
        assert mazur.graph.node(new).pos == (ox + 40, oy + 40)
    assert mazur.graph.edge_into("affine3", "W").src == "W3" and mazur.graph.edge_into("sigmoid3", "x").src == "affine3"
    assert mazur.graph.edge_into("affine3", "x") is None
    again = mazur.scene.paste()  # a second paste does not land on the first
    assert mazur.graph.node(again[0]).pos == (mazur.graph.node("W1").pos[0] + 80, mazur.graph.node("W1").pos[1] + 80)
    assert mazur.texts() == ["Paste 3 nodes", "Paste 3 nodes"]


def test_paste_into_another_document_and_refuse_foreign_text(mazur, pair):
    mazur.scene.select_nodes(["affine2", "sigmoid2"])
    mazur.scene.copy_selection()
    assert pair.scene.paste() == ["affine2", "sigmoid2"]  # free names are kept
    assert pair.graph.edge_into("sigmoid2", "x").src == "affine2"
    QGuiApplication.clipboard().setText("hello")
    assert pair.scene.paste() == []
    assert pair.messages[-1] == "Cannot paste: the clipboard holds text, not nodes of the workbench"
    QGuiApplication.clipboard().setText(
        '{"format": "backprop-workbench", "version": 1, "nodes": [{"id": 3, "op": "Exp"}], "edges": []}')
    assert pair.scene.paste() == [] and "nodes[0].id" in pair.messages[-1]


def test_cut_and_duplicate(mazur):
    mazur.scene.select_nodes(["b2"])
    assert mazur.scene.cut_selection()
    assert "b2" not in mazur.graph.nodes and mazur.texts() == ["Cut b2"]
    mazur.scene.paste()
    assert mazur.graph.node("b2").pos == (480.0, 400.0)
    mazur.scene.select_nodes(["W2", "affine2"])
    assert mazur.scene.duplicate_selection() == ["W3", "affine3"]
    assert mazur.graph.edge_into("affine3", "W").src == "W3" and mazur.texts()[-1] == "Duplicate 2 nodes"


def test_select_all_selects_nodes_and_edges(mazur):
    mazur.scene.select_all()
    assert len(mazur.scene.selected_node_ids()) == 11 and len(mazur.scene.selected_edges()) == 10


# ------------------------------------------------------- connecting, more ways
def test_dropping_on_a_node_body_connects_to_its_nearest_free_port(pair):
    body = pair.scene.node_item("t").scenePos() + QPointF(70, 45)
    pair.drag(pair.port("c"), pair.at(body))
    assert pair.graph.edge_into("t", "x").src == "c"


def test_escape_cancels_a_connection_drag(pair):
    viewport = pair.view.viewport()
    QTest.mousePress(viewport, LEFT, Qt.KeyboardModifier.NoModifier, pair.port("c"))
    QTest.mouseMove(viewport, pair.port("s", "x"))
    QTest.keyClick(viewport, Qt.Key.Key_Escape)
    QTest.mouseRelease(viewport, LEFT, Qt.KeyboardModifier.NoModifier, pair.port("s", "x"))
    assert pair.graph.edges == [] and pair.messages[-1] == "Connection cancelled"
    assert all(p.state == "normal" for item in pair.scene.node_items() for p in item.ports())


# ------------------------------------------------------------ context menu
def _action(menu, text: str):
    for action in menu.actions():
        if action.text().replace("&&", "&") == text:
            return action
        if action.menu() is not None:
            found = _action(action.menu(), text)
            if found is not None:
                return found
    return None


def test_the_context_menu_adds_nodes_where_clicked_and_acts_on_nodes_and_edges(mazur):
    from app.editor.context_menu import build_menu

    spot = QPointF(300, 700)
    menu = build_menu(mazur.scene, spot)
    _action(menu, "Exp   exp").trigger()
    assert mazur.scene.node_item("exp1").sceneBoundingRect().contains(spot)
    on_node = mazur.scene.node_item("sigmoid2").scenePos() + QPointF(40, 40)
    menu = build_menu(mazur.scene, on_node)
    assert mazur.scene.selected_node_ids() == ["sigmoid2"]
    _action(menu, "Use sigmoid2 as the objective").trigger()
    assert mazur.graph.objective == "sigmoid2" and mazur.texts()[-1] == "Set objective sigmoid2"
    edge = mazur.scene.edge_item("loss", "t")
    menu = build_menu(mazur.scene, edge.midpoint())
    _action(menu, "Disconnect t → loss.t").trigger()
    assert mazur.graph.edge_into("loss", "t") is None


def test_a_drop_on_empty_canvas_connects_nothing_and_says_where_to_drop(pair):
    pair.drag(pair.port("c"), pair.at(QPointF(150, 400)))
    assert pair.graph.edges == [] and pair.texts() == []
    assert pair.messages[-1] == "Not connected: drop on an input port"
