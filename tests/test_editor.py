"""The node editor, driven like a person would: mouse drags on the view, keys, menu actions."""
from __future__ import annotations

import json

import numpy as np
import pytest
from helpers import build_mazur
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app import commands as cmd
from app.document import Document
from app.editor import EditorView, GraphScene
from app.editor import clipboard
from app.editor.layout import depths
from app.editor.view import MAX_SCALE, MIN_SCALE, OP_MIME_TYPE
from core import io
from core.graph import Graph

LEFT = Qt.MouseButton.LeftButton


class Canvas:
    """A document shown in a scene and a view, with mouse helpers in scene coordinates."""

    def __init__(self, qtbot, graph: Graph) -> None:
        self.qtbot = qtbot
        self.doc = Document(graph)
        self.scene = GraphScene(self.doc)
        self.view = EditorView(self.scene)
        qtbot.addWidget(self.view)
        self.view.resize(1400, 700)
        self.view.show()
        qtbot.waitExposed(self.view)
        self.view.fit_to_graph()
        self.messages: list[str] = []
        self.scene.statusMessage.connect(self.messages.append)

    @property
    def graph(self) -> Graph:
        return self.doc.graph

    def at(self, scene_pos: QPointF) -> QPoint:
        return self.view.mapFromScene(scene_pos)

    def port(self, node: str, name: str = "out") -> QPoint:
        return self.at(self.scene.node_item(node).port(name).scenePos())

    def header(self, node: str) -> QPoint:
        return self.at(self.scene.node_item(node).scenePos() + QPointF(60, 10))

    def drag(self, start: QPoint, end: QPoint, steps: int = 6, modifier=Qt.KeyboardModifier.NoModifier) -> None:
        viewport = self.view.viewport()
        QTest.mousePress(viewport, LEFT, modifier, start)
        for i in range(1, steps + 1):
            QTest.mouseMove(viewport, start + (end - start) * (i / steps))
        QTest.mouseRelease(viewport, LEFT, modifier, end)

    def texts(self) -> list[str]:
        stack = self.doc.undo_stack
        return [stack.text(i) for i in range(stack.count())]


@pytest.fixture
def mazur(qtbot) -> Canvas:
    canvas = Canvas(qtbot, build_mazur())
    yield canvas
    canvas.doc.close()


@pytest.fixture
def pair(qtbot) -> Canvas:
    g = Graph()
    g.add_node("Constant", "c", value=2.0, pos=(0, 0))
    g.add_node("Sigmoid", "s", pos=(300, 0))
    g.add_node("Tanh", "t", pos=(300, 200))
    canvas = Canvas(qtbot, g)
    yield canvas
    canvas.doc.close()


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
    QGuiApplication.clipboard().setText('{"format": "backprop-workbench", "version": 1, "nodes": [{"id": 3, "op": "Exp"}], "edges": []}')
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


# ------------------------------------------------------------------ layout
def test_auto_layout_places_columns_by_depth_as_one_entry(qtbot):
    g = build_mazur()
    for node in list(g.nodes):
        g.move_node(node, (0, 0))
    canvas = Canvas(qtbot, g)
    assert canvas.scene.auto_layout()
    assert canvas.texts() == ["Auto-Layout"]
    depth = depths(g)
    assert depth["affine1"] == 1 and depth["W2"] == depth["sigmoid1"] == 2 and depth["loss"] == 5
    for e in g.edges:
        assert g.node(e.src).pos[0] < g.node(e.dst).pos[0]
    rects = [canvas.scene.node_item(n).sceneBoundingRect() for n in g.nodes]
    bodies = [canvas.scene.node_item(n).mapRectToScene(canvas.scene.node_item(n).body_rect()) for n in g.nodes]
    assert not any(a.intersects(b) for i, a in enumerate(bodies) for b in bodies[i + 1:])
    assert len(rects) == 11
    assert not canvas.scene.auto_layout()  # already tidy: no second entry
    canvas.doc.undo_stack.undo()
    assert all(node.pos == (0.0, 0.0) for node in g.nodes.values())
    canvas.doc.close()


# -------------------------------------------------------------- validation
def test_an_unconnected_input_gets_a_red_outline_and_a_tooltip(mazur, qtbot):
    assert mazur.scene.problems == [] and mazur.scene.node_item("affine2").problem is None
    with qtbot.waitSignal(mazur.scene.problemsChanged) as signal:
        mazur.doc.undo_stack.push(cmd.Disconnect(mazur.doc, "affine2", "b"))
    assert signal.args == [1]
    item = mazur.scene.node_item("affine2")
    assert item.problem == "affine2 (Affine): input 'b' is not connected"
    assert "input 'b' is not connected" in item.toolTip()
    assert mazur.scene.node_item("sigmoid2").shape_text == ""  # its shape is unknown now
    with qtbot.waitSignal(mazur.scene.problemsChanged) as signal:
        mazur.doc.undo_stack.undo()
    assert signal.args == [0] and item.problem is None and mazur.scene.node_item("sigmoid2").shape_text == "1×2"


def test_a_compound_edit_is_validated_once(mazur, qtbot):
    counts: list[int] = []
    mazur.scene.problemsChanged.connect(counts.append)
    mazur.doc.undo_stack.push(cmd.RemoveNodes(mazur.doc, ["W1", "b1", "W2"]))
    qtbot.waitUntil(lambda: counts != [])
    QApplication.processEvents()
    assert counts == [3]


# ------------------------------------------------------- following the graph
def test_items_follow_renames_values_and_attributes(mazur):
    mazur.doc.undo_stack.push(cmd.Rename(mazur.doc, "sigmoid1", "h"))
    assert mazur.scene.node_item("h").node_id == "h"
    assert mazur.scene.edge_item("affine2", "x").src == "h" and mazur.scene.edge_item("h", "x").src == "affine1"
    mazur.doc.undo_stack.push(cmd.SetValue(mazur.doc, "b1", 0.5))
    assert mazur.scene.node_item("b1").value_text() == "= 0.5"
    assert mazur.scene.node_item("W1").value_text() == "[0.15 0.25; 0.2 0.3]"
    mazur.doc.undo_stack.push(cmd.SetValue(mazur.doc, "W1", np.zeros((3, 3))))
    assert mazur.scene.node_item("W1").value_text() == "3×3 array"
    mazur.doc.undo_stack.push(cmd.SetAttr(mazur.doc, "x", "field", "t"))
    assert mazur.scene.node_item("x").value_text() == "field 't'"
    mazur.doc.undo_stack.undo()
    assert mazur.scene.node_item("x").value_text() == "field 'x'"


def test_debugger_hooks_change_the_look_and_refuse_unknown_states(mazur):
    item = mazur.scene.node_item("sigmoid1")
    item.set_value_text("new 0.59")
    assert item.value_text() == "new 0.59"
    item.set_value_text(None)
    assert item.value_text() is None
    assert mazur.scene.node_item("b1").value_text() == "= 0.35"
    item.set_run_state("pending")
    assert item.opacity() < 1
    with pytest.raises(ValueError, match="unknown run state"):
        item.set_run_state("sleeping")
    edge = mazur.scene.edge_item("affine2", "x")
    edge.set_labels("0.593", "0.036")
    assert edge.labels() == ("0.593", "0.036")
    value_label, grad_label = edge.label_items()
    assert value_label.y() < edge.midpoint().y() + 1 < grad_label.y() + 2
    edge.set_heat(np.linspace(-1, 1, 200))
    edge.set_labels(None, None)
    assert len(edge.label_items()) == 1  # the heat strip stays
    edge.set_heat(None)
    assert edge.label_items() == []


# ------------------------------------------------------------------- view
def test_zoom_is_clamped_and_the_wheel_zooms_around_the_cursor(mazur):
    view = mazur.view
    view.actual_size()
    cursor = QPointF(300, 200)
    fixed = view.mapToScene(cursor.toPoint())
    event = QWheelEvent(cursor, view.viewport().mapToGlobal(cursor), QPoint(), QPoint(0, 240),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(view.viewport(), event)
    assert view.scale_factor() == pytest.approx(1.15 ** 2)
    assert (view.mapToScene(cursor.toPoint()) - fixed).manhattanLength() < 2
    for _ in range(40):
        view.zoom_in()
    assert view.scale_factor() == MAX_SCALE
    for _ in range(60):
        view.zoom_out()
    assert view.scale_factor() == MIN_SCALE


def test_fit_shows_every_node_and_middle_drag_pans(mazur):
    view = mazur.view
    view.zoom_in()
    view.zoom_in()
    QTest.keyClick(view.viewport(), Qt.Key.Key_F)
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    assert all(visible.contains(item.sceneBoundingRect()) for item in mazur.scene.node_items())
    before = view.mapToScene(QPoint(100, 100))
    viewport = view.viewport()
    QTest.mousePress(viewport, Qt.MouseButton.MiddleButton, Qt.KeyboardModifier.NoModifier, QPoint(400, 300))
    QTest.mouseMove(viewport, QPoint(450, 320))
    QTest.mouseRelease(viewport, Qt.MouseButton.MiddleButton, Qt.KeyboardModifier.NoModifier, QPoint(450, 320))
    moved = view.mapToScene(QPoint(100, 100)) - before
    scale = view.scale_factor()
    assert moved.x() == pytest.approx(-50 / scale, abs=1.5) and moved.y() == pytest.approx(-20 / scale, abs=1.5)
    assert mazur.texts() == []  # panning is not an edit


def test_space_and_left_drag_pans_instead_of_selecting(mazur):
    view = mazur.view
    viewport = view.viewport()
    before = view.mapToScene(QPoint(100, 100))
    QTest.keyPress(viewport, Qt.Key.Key_Space)
    mazur.drag(QPoint(700, 650), QPoint(640, 600))
    QTest.keyRelease(viewport, Qt.Key.Key_Space)
    moved = view.mapToScene(QPoint(100, 100)) - before
    assert moved.x() > 0 and moved.y() > 0
    assert mazur.scene.selected_node_ids() == [] and mazur.texts() == []


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


def test_changes_outside_the_undo_stack_still_reach_the_items(mazur, qtbot):
    with qtbot.waitSignal(mazur.scene.problemsChanged):
        mazur.graph.set_value("W2", np.full((2, 2), np.nan))  # as a training update would
    assert mazur.scene.node_item("W2").value_text() == "[nan nan; nan nan]"
    assert "NaN or Inf" in mazur.scene.node_item("W2").problem
    assert mazur.texts() == []
