"""A new program (an edit, an undo) and a reset show no values: the debugger puts back in their own
look the canvas items it drew otherwise, and only those. The canvas then looks as a scene the
debugger never drew on (breakpoints kept), a renamed node's item included; and on a 3,000-node
graph where nothing was shown, an undo draws no edge and no node but the one with a breakpoint
(it drew all 3,000 nodes and indexed all 4,000 edges twice)."""
from __future__ import annotations

import pytest
from counting import counted
from helpers import load_example

from app import commands
from app.debugger.controller import DebugController
from app.debugger.labels import CanvasLabels
from app.editor.scene import GraphScene
from app.model.document import Document
from benchmarks.bench_editor import layered_graph
from core.graph import Graph


class Canvas:
    """A document, its scene, the controller and the canvas labels, as the window wires them."""

    def __init__(self, graph: Graph) -> None:
        self.doc = Document(graph)
        self.scene = GraphScene(self.doc)
        self.controller = DebugController(self.doc)
        self.labels = CanvasLabels(self.controller, self.scene)


def _looks(scene: GraphScene) -> dict[object, tuple[object, ...]]:
    """What every node and edge shows: run state, current, value text, breakpoint, opacity; labels."""
    nodes = {item.node_id: (item.run_state, item.current, item.value_text(), item.breakpoint, item.opacity())
             for item in scene.node_items()}
    edges = {edge.key: (edge.labels(), len(edge.label_items())) for edge in scene.edge_items()}
    return {**nodes, **edges}


def _own_looks(canvas: Canvas) -> dict[object, tuple[object, ...]]:
    """The looks of a scene of the same document that the debugger never drew on, with the
    controller's breakpoints."""
    looks = _looks(GraphScene(canvas.doc))
    for node in canvas.controller.breakpoints:
        looks[node] = (*looks[node][:3], True, looks[node][4])
    return looks


@pytest.fixture
def mazur(qtbot):
    return Canvas(load_example("mazur"))


def test_an_edit_while_stepping_puts_every_item_back_in_its_own_look(mazur):
    c = mazur.controller
    c.toggle_breakpoint("sigmoid2")
    c.continue_()  # stops before sigmoid2's forward step
    c.run_backward()  # stops before sigmoid2's backward step
    looks = _looks(mazur.scene)
    assert looks[("loss", "y")][0] == ("[0.7514, 0.7729]", "[0.7414, -0.2171]")
    assert looks["sigmoid2"][0] == "forward" and looks["loss"][0] == "backward" and looks["sigmoid2"][3]
    mazur.doc.undo_stack.push(commands.Rename(mazur.doc, "sigmoid1", "hidden"))  # a new program
    assert mazur.controller.stepper.cursor == 0 and not c.active
    assert c.breakpoints == {"sigmoid2"}
    assert _looks(mazur.scene) == _own_looks(mazur)  # the renamed node's item and its edges too
    assert mazur.labels.stub.labels() == (None, None)
    c.step()  # forward affine1: its value comes back, on the edge into the renamed node
    assert c.current_node == "affine1"
    assert _looks(mazur.scene)[("hidden", "x")][0] == ("[0.3775, 0.3925]", None)


def test_a_reset_puts_back_the_items_that_showed_values(mazur):
    c = mazur.controller
    c.run_forward()
    c.apply_update() if c.stepper.at_end else c.run_backward()
    assert _looks(mazur.scene) != _own_looks(mazur)
    c.confirm_reset = lambda: True
    assert c.reset()
    assert _looks(mazur.scene) == _own_looks(mazur)


def test_an_undo_draws_no_item_when_nothing_was_shown(qtbot, monkeypatch):
    canvas = Canvas(layered_graph(3000, 4000))
    c, doc = canvas.controller, canvas.doc
    c.toggle_breakpoint("n2000")
    doc.undo_stack.push(commands.Delete(doc, [n for n in list(doc.graph.nodes)[::6][:50] if n != "n2000"]))
    drawn_nodes = counted(monkeypatch, CanvasLabels, "_draw_node")
    drawn_edges = counted(monkeypatch, CanvasLabels, "_draw_edge")
    asked_edges = counted(monkeypatch, CanvasLabels, "_edges_at")
    doc.undo_stack.undo()
    assert len(doc.graph.nodes) == 3000 and c.stepper is not None
    assert [args[1] for args in drawn_nodes] == ["n2000"]  # its breakpoint
    assert not drawn_edges and not asked_edges
    assert canvas.scene.node_item("n2000").breakpoint
    assert _looks(canvas.scene) == _own_looks(canvas)
