"""The main window's palette: a double-click adds a node where it covers nothing, beside the selection."""
from __future__ import annotations

from PySide6.QtCore import QPointF, Qt

from app.window.main_window import MainWindow


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


def test_palette_double_clicks_with_nothing_selected_fill_free_places(make_main_window, qtbot):
    window = make_main_window()
    for _ in range(3):
        window.scene.select_nodes([])
        _double_click(window, qtbot, "Add")
    bodies = [_body(window, n) for n in ("add1", "add2", "add3")]
    assert not any(a.intersects(b) for i, a in enumerate(bodies) for b in bodies[i + 1:])
    assert len({round(b.left()) for b in bodies}) == 3  # not stacked in one column
    visible = window.view.mapToScene(window.view.viewport().rect()).boundingRect()
    assert all(visible.contains(b) for b in bodies)


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
