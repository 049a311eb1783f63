"""The canvas's problem marks and output shapes are set where they changed (app/editor/marks.py):
after an undo on a 3,000-node graph only the restored items and those whose mark or shape changed
are given one, and every item shows what a canvas made afresh shows (marks, shapes, "?" with
its reason, tooltips)."""
from __future__ import annotations

from custom_helpers import customised
from PySide6.QtWidgets import QApplication
from test_custom_window import open_window  # noqa: F401  # the fixture
from training_helpers import MAZUR

from app import commands
from app.commands import Delete
from app.editor.node_item import NodeItem
from app.editor.scene import GraphScene
from app.model.document import Document
from benchmarks.bench_editor import layered_graph
from core import io
from core.custom.templates import SIGMOID


def shown(scene: GraphScene) -> dict[str, tuple[str | None, str, str | None, str]]:
    return {item.node_id: (item.problem, item.shape_text, item.shape_unknown, item.toolTip())
            for item in scene.node_items()}


def same_as_afresh(scene: GraphScene) -> None:
    scene.validate_now()
    afresh = GraphScene(scene.document)  # sets every item's mark and shape
    assert shown(scene) == shown(afresh)


def counting(monkeypatch, name: str) -> list[str]:
    """The ids of the node items ``NodeItem.<name>`` is called on, from now on."""
    calls: list[str] = []
    real = getattr(NodeItem, name)

    def counted(item, *args):
        calls.append(item.node_id)
        return real(item, *args)

    monkeypatch.setattr(NodeItem, name, counted)
    return calls


def test_an_undo_sets_only_the_marks_that_changed(qtbot, monkeypatch):
    document = Document(layered_graph(3000, 4000))
    scene = GraphScene(document)
    last = [n for n in document.graph.nodes if n.startswith("n")][-50:]  # the last layers: little depends on them
    document.undo_stack.push(Delete(document, last))
    scene.validate_now()
    assert scene.problems  # the loss lost its input
    before = shown(scene)
    problems, shapes = counting(monkeypatch, "set_problem"), counting(monkeypatch, "set_shape")
    document.undo_stack.undo()
    scene.validate_now()
    after = shown(scene)
    changed = {n for n in before if before[n] != after[n]}
    assert changed == {"loss"}
    assert set(problems) <= set(last) | changed and set(shapes) <= set(last) | changed
    assert len(problems) == len(shapes) == len(set(last) | changed)  # each once
    same_as_afresh(scene)
    problems.clear()
    shapes.clear()
    scene.validate_now()  # nothing changed: nothing is set
    assert problems == shapes == []


def test_the_marks_shown_equal_a_fresh_canvas_after_undo_and_redo(qtbot):
    document = Document(layered_graph(600, 800))
    scene = GraphScene(document)
    ids = list(document.graph.nodes)[::6][:50]  # most of the graph loses its shape
    document.undo_stack.push(Delete(document, ids))
    same_as_afresh(scene)
    assert sum(1 for item in scene.node_items() if item.shape_text == "") > 400
    document.undo_stack.undo()
    same_as_afresh(scene)
    assert all(item.shape_text for item in scene.node_items())
    document.undo_stack.redo()
    same_as_afresh(scene)
    document.undo_stack.undo()
    same_as_afresh(scene)
    document.undo_stack.redo()  # new items for the same nodes, with no validation in between
    document.undo_stack.undo()
    same_as_afresh(scene)
    document.undo_stack.push(commands.Rename(document, "n100", "renamed"))
    same_as_afresh(scene)
    document.undo_stack.push(commands.Disconnect(document, "loss", "t"))  # a problem on the loss
    same_as_afresh(scene)
    assert scene.node_item("loss").problem is not None
    document.undo_stack.undo()
    same_as_afresh(scene)
    assert scene.node_item("loss").problem is None


def test_a_custom_layers_unknown_shapes_and_their_run(open_window, trust):  # noqa: F811
    trust.allow([SIGMOID])
    window = open_window(customised(io.load(MAZUR), {"sigmoid2": SIGMOID}))
    scene = window.scene
    assert [scene.node_item(n).shape_text for n in ("sigmoid2", "loss")] == ["?", "?"]
    same_as_afresh(scene)
    window.debugger.controller.run_forward()  # the run's shapes replace "?"
    QApplication.processEvents()
    scene.validate_now()
    assert [scene.node_item(n).shape_text for n in ("sigmoid2", "loss")] == ["1×2", "scalar"]
    same_as_afresh(scene)
    trust.revoke_all()  # untrusted code: a problem on the layer, no shapes known
    scene.validate_now()
    assert scene.node_item("sigmoid2").problem is not None
    same_as_afresh(scene)
