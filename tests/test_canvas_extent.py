"""The canvas's graph rectangle (``GraphScene.graph_rect``: what Fit to Graph and an undo's framing
measure) is kept item by item: after every kind of change it equals the rectangle measured over
every node and edge label, and an undo on a 3,000-node graph measures only the items it touched."""
from __future__ import annotations

import gc
import weakref

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QApplication
from training_helpers import EXAMPLES

from app import commands
from app.commands import Delete
from app.editor.edge_item import EdgeItem
from app.editor.extent import PENDING, REBUILD
from app.editor.scene import GraphScene
from app.model.document import Document
from benchmarks.bench_editor import layered_graph


def measured_over_everything(scene: GraphScene) -> QRectF:
    """The rectangle around every node item (with its children) and every edge label, measured now."""
    rect = QRectF()
    for item in scene.node_items():
        rect = rect.united(item.sceneBoundingRect()).united(item.mapRectToScene(item.childrenBoundingRect()))
    if rect.isEmpty():
        return rect
    for edge in scene.edge_items():
        for label in edge.label_items():
            rect = rect.united(label.sceneBoundingRect())
    return rect


def room_now(item) -> QRectF | None:
    """What an item adds to the graph's rectangle, measured now (None: nothing)."""
    if isinstance(item, EdgeItem):
        rect = QRectF()
        for label in item.label_items():
            rect = rect.united(label.sceneBoundingRect())
        return None if rect.isNull() else rect
    return item.sceneBoundingRect().united(item.mapRectToScene(item.childrenBoundingRect()))


def close(a: QRectF | None, b: QRectF | None) -> bool:
    if a is None or b is None:
        return a is b
    return all(getattr(a, side)() == pytest.approx(getattr(b, side)(), abs=1e-9)
               for side in ("left", "top", "right", "bottom"))


def same_rect(scene: GraphScene, settle: bool = True) -> None:
    """The kept rectangle is the one measured over everything, and what it holds for each node
    and edge is what that item adds now."""
    if settle:
        QApplication.processEvents()
    kept, full = scene.graph_rect(), measured_over_everything(scene)
    assert full.isEmpty() == kept.isEmpty()
    assert full.isEmpty() or close(kept, full)
    for item in [*scene.node_items(), *scene.edge_items()]:
        assert close(scene.extent.held(item), room_now(item)), getattr(item, "key", None) or item.node_id


def test_the_kept_rectangle_follows_every_kind_of_change(workbench, qtbot):
    window = workbench(Document.open(EXAMPLES / "mazur.json"))
    scene, document, controller = window.scene, window.document, window.debugger.controller
    stack = document.undo_stack
    same_rect(scene)
    controller.run_backward()  # labels on every edge, the output arrow beside the loss
    same_rect(scene, settle=False)  # the labels beside their curves' middles, before the label pass
    scene.layout_labels_now()
    assert window.debugger.labels.stub is not None and window.debugger.labels.stub.isVisible()
    same_rect(scene)
    loss = scene.node_item("loss")
    right_before = scene.graph_rect().right()
    stack.push(commands.MoveNodes(document, {"loss": (loss.x() + 900.0, loss.y() + 300.0)}))
    scene.layout_labels_now()
    same_rect(scene)
    assert scene.graph_rect().right() > right_before + 800.0  # the loss and its output arrow moved out
    stack.undo()
    scene.layout_labels_now()
    same_rect(scene)
    assert scene.graph_rect().right() == pytest.approx(right_before)
    stack.push(commands.Rename(document, "affine1", "a_much_longer_name_that_widens_its_node"))
    same_rect(scene)
    controller.reset()  # the labels go, the arrow's labels empty
    same_rect(scene)
    stack.push(commands.SetObjective(document, "sigmoid2"))  # another objective: the loss loses its output arrow
    controller.run_backward()
    same_rect(scene)
    stack.undo()
    controller.run_backward()
    same_rect(scene)
    stack.push(Delete(document, ["loss"]))  # the output arrow goes with the objective
    same_rect(scene)
    stack.undo()
    same_rect(scene)
    controller.run_forward()
    same_rect(scene, settle=False)
    scene.layout_labels_now()
    same_rect(scene)
    item = scene.node_item("W1")
    item.setPos(item.x() - 700.0, item.y() - 400.0)  # a drag, before the drop becomes a command
    same_rect(scene)
    stack.push(Delete(document, list(document.graph.nodes)))
    assert scene.graph_rect().isEmpty()
    stack.undo()
    scene.layout_labels_now()
    same_rect(scene)


def test_an_undo_measures_only_what_it_touched_on_a_large_graph(workbench, qtbot):
    window = workbench(Document(layered_graph(3000, 4000)))
    scene, document = window.scene, window.document
    ids = list(document.graph.nodes)[::6][:50]
    document.undo_stack.push(Delete(document, ids))
    QApplication.processEvents()
    same_rect(scene)
    before = scene.extent.measured
    document.undo_stack.undo()
    QApplication.processEvents()
    touched = scene.extent.measured - before
    restored_edges = sum(1 for e in document.graph.edges if e.src in ids or e.dst in ids)
    assert 50 <= touched <= 2 * (50 + restored_edges) + 10  # the restored nodes and edges, and nodes they resized
    same_rect(scene)


def test_items_removed_from_a_canvas_nobody_measures_are_not_kept(qtbot):
    document = Document(layered_graph(3000, 4000))
    scene = GraphScene(document)  # no view: nobody asks for the rectangle
    removed = [weakref.ref(item) for item in scene.node_items()]
    document.undo_stack.push(Delete(document, list(document.graph.nodes)))
    gc.collect()
    alive = sum(1 for ref in removed if ref() is not None)
    # at most those told about since the last measure, and as many outdated entries as the heaps keep
    assert alive <= PENDING + REBUILD * PENDING + 64 < len(removed) / 2
    assert scene.graph_rect().isEmpty()
