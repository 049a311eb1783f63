"""The debugger on the canvas: edge labels, node states, badges, the objective's output arrow."""
from __future__ import annotations

import numpy as np
import pytest
from helpers import example_names, load_example

from app import commands
from app.debugger.controller import DebugController
from app.debugger.labels import CanvasLabels
from app.editor import style
from app.editor.scene import GraphScene
from app.model.document import Document

APPLE_FORWARD = [("mul_apple", "200"), ("mul_orange", "450"), ("add", "650"), ("mul_tax", "715")]
APPLE_BACKWARD = {
    # (dst, port): gradient that edge carries, from the book's figure
    ("mul_tax", "x"): "1.1", ("mul_tax", "y"): "650",
    ("add", "x"): "1.1", ("add", "y"): "1.1",
    ("mul_orange", "x"): "3.3", ("mul_orange", "y"): "165",
    ("mul_apple", "x"): "2.2", ("mul_apple", "y"): "110",
}


class Canvas:
    """A document, its scene, the controller and the canvas labels, as the window wires them."""

    def __init__(self, name: str) -> None:
        self.doc = Document(load_example(name))
        self.scene = GraphScene(self.doc)
        self.controller = DebugController(self.doc)
        self.labels = CanvasLabels(self.controller, self.scene)

    def out_value(self, node: str) -> str | None:
        """The value label on the node's output: its first outgoing edge, or the objective's arrow."""
        if node == self.controller.stepper.program.objective:
            return self.labels.stub.labels()[0]
        edge = next(e for e in self.doc.graph.edges if e.src == node)
        return self.scene.edge_item(edge.dst, edge.port).labels()[0]

    def all_labels(self) -> dict[tuple[str, str], tuple[str | None, str | None]]:
        return {(e.dst, e.port): e.labels() for e in self.scene.edge_items()}

    def state(self, node: str) -> str:
        return self.scene.node_item(node).run_state


@pytest.fixture
def apple(qtbot):
    return Canvas("apple_orange")


@pytest.fixture
def mazur(qtbot):
    return Canvas("mazur")


def test_apple_orange_forward_labels_appear_step_by_step(apple):
    c = apple.controller
    assert all(v == (None, None) for v in apple.all_labels().values())
    for node, text in APPLE_FORWARD:
        assert apple.state(node) in ("idle", "pending")
        c.step()
        assert apple.out_value(node) == text
        assert apple.state(node) == "forward" and apple.scene.node_item(node).current
    assert apple.scene.edge_item("mul_apple", "x").labels() == ("100", None)
    assert apple.labels.stub.labels() == ("715", None)


def test_apple_orange_backward_labels_and_step_back_to_the_start(apple):
    c = apple.controller
    c.run_forward()
    grads = {key: labels[1] for key, labels in apple.all_labels().items()}
    assert set(grads.values()) == {None}
    c.run_backward()
    assert {key: labels[1] for key, labels in apple.all_labels().items()} == APPLE_BACKWARD
    assert apple.labels.stub.labels() == ("715", "1")
    assert all(apple.state(n) == "backward" for n in ("mul_tax", "add", "mul_orange", "mul_apple", "apple", "tax"))
    assert apple.scene.node_item("apple").value_text() == "∂L = 2.2"
    assert apple.scene.node_item("orange_num").value_text() == "∂L = 165"
    while c.stepper.can_step_back:
        c.step_back()
    computed = {text for _, text in APPLE_FORWARD} | set(APPLE_BACKWARD.values())
    shown = {t for labels in apple.all_labels().values() for t in labels if t is not None}
    assert not shown & computed - {"1.1"}  # 1.1 stays: it is the tax, a given value
    assert shown == {"100", "2", "150", "3", "1.1"}
    assert all(labels[1] is None for labels in apple.all_labels().values())
    assert apple.labels.stub.labels() == (None, None)
    assert [apple.state(n) for n in ("mul_apple", "add", "mul_tax")] == ["pending"] * 3
    assert apple.scene.node_item("apple").value_text() == "= 100"  # the editor's own line is back
    c.reset()
    assert all(v == (None, None) for v in apple.all_labels().values())
    assert {apple.state(n) for n in apple.doc.graph.nodes} == {"idle"}


def test_backward_steps_one_at_a_time(apple):
    c = apple.controller
    c.run_forward()
    c.step()  # clear gradients
    c.step()  # backward mul_tax
    assert apple.scene.edge_item("mul_tax", "y").labels() == ("1.1", "650")
    assert apple.scene.edge_item("add", "x").labels() == ("200", None)
    assert apple.state("mul_tax") == "backward" and apple.state("add") == "forward"
    assert apple.state("tax") == "backward" and apple.state("apple") == "forward"


def test_mazur_forward_outputs_and_loss_are_shown(mazur):
    c = mazur.controller
    c.run_forward()
    assert mazur.out_value("sigmoid2") == "[0.7514, 0.7729]"
    assert mazur.labels.stub.labels() == ("0.298371", None)
    assert "loss = 0.29837111" in c.status
    assert mazur.state("sigmoid2") == "forward" and mazur.scene.node_item("loss").current


def test_mazur_update_shows_the_new_parameter_values(mazur):
    c = mazur.controller
    c.apply_update()
    # Mazur's w5..w8 after the update: 0.35891648, 0.408666186, 0.511301270, 0.561370121,
    # written out one row per line (as on an edge), so the node keeps its width
    w2 = mazur.scene.node_item("W2")
    assert w2.value_text() == "new [[0.3589, 0.5113], [0.4087, 0.5614]]"
    assert w2.value_lines() == ["new [[0.3589, 0.5113],", "[0.4087, 0.5614]]"]
    assert w2.body_rect().width() < style.text_width("body", w2.value_text())  # narrower than one line
    # W1 moved by about 2e-4: three digits would read as the old values, so four are shown
    assert mazur.scene.node_item("W1").value_text() == "new [[0.1498, 0.2498], [0.1996, 0.2995]]"
    assert mazur.scene.edge_item("affine2", "W").labels()[1] == "[[0.08217, -0.0226], [0.08267, -0.02274]]"
    assert mazur.doc.is_modified()
    assert not any(item.current for item in mazur.scene.node_items())  # the update has no node


def test_small_gradients_keep_three_digits_or_more(mazur):
    mazur.controller.run_backward()
    # Mazur's ∂E/∂w1..w4: 0.000438568, 0.000497713, 0.000877135, 0.000995425 (never "0.001")
    grad = mazur.scene.edge_item("affine1", "W").labels()[1]
    assert grad == "[[0.0004386, 0.0004977], [0.0008771, 0.0009954]]"
    # on the node, even one row per line is wider than a node may grow: the edge has the numbers
    assert mazur.scene.node_item("W1").value_text() == "∂L = 2×2 (see inspector)"
    assert mazur.scene.node_item("W2").value_lines() == ["∂L = [[0.08217, -0.0226],", "[0.08267, -0.02274]]"]


def test_a_four_by_two_array_is_written_out(qtbot):
    xor = Canvas("xor")
    xor.controller.run_backward()
    assert xor.scene.edge_item("affine1", "x").labels()[0] == "[[0, 0], [0, 1], [1, 0], [1, 1]]"
    value, grad = xor.scene.edge_item("affine2", "W").labels()
    assert value.startswith("[[") and value.count("], [") == 3  # W2 is 4×2
    assert grad.startswith("[[") and grad.count("], [") == 3
    assert xor.scene.edge_item("affine2", "W").label_items()[0].heat is None  # written out: no strip
    value, grad = xor.scene.edge_item("tanh1", "x").labels()  # 4×4: a summary and a heat strip
    assert value.startswith("[4×4: ") and grad.startswith("[4×4: ")
    assert xor.scene.edge_item("tanh1", "x").label_items()[0].heat is not None


def test_large_gradients_get_a_heat_strip_of_their_own(qtbot):
    xor = Canvas("xor")
    xor.controller.run_forward()
    edge = xor.scene.edge_item("tanh1", "x")  # affine1's 4×4 output
    value_label, = edge.label_items()
    assert value_label.heat is not None
    xor.controller.run_backward()
    value_label, grad_label = edge.label_items()
    assert grad_label.text.startswith("[4×4: ")  # a summary: the strip shows every element
    grad = xor.controller.stepper.frame.sent[("tanh1", 0)].reshape(-1)
    strip = grad_label.heat
    assert strip is not None and strip is not value_label.heat and strip.width() == grad.size == 16
    colours = [strip.pixelColor(i, 0) for i in range(strip.width())]
    assert len({c.rgb() for c in colours}) > 8  # the pixels vary with the gradient
    for g, c in zip(grad, colours, strict=True):
        if g > 0:  # red, paler the smaller: blue and green fade together
            assert c.red() == 255 and c.green() == c.blue()
        elif g < 0:
            assert c.blue() == 255 and c.red() == c.green()
    biggest = int(np.argmax(np.abs(grad)))
    assert min(colours[biggest].red(), colours[biggest].green(), colours[biggest].blue()) == 0  # full colour
    xor.controller.step_back()  # "backward affine1" undone: tanh1's gradient to it still stands
    assert edge.label_items()[1].heat is strip
    xor.controller.goto(4)  # the backward pass undone: no gradient, no gradient strip
    assert len(edge.label_items()) == 1 and edge.label_items()[0].heat is not None


def test_editing_while_stepping_clears_every_value(mazur):
    c = mazur.controller
    c.run_backward()
    mazur.doc.undo_stack.push(commands.SetValue(mazur.doc, "b2", np.array(0.7)))
    assert all(v == (None, None) for v in mazur.all_labels().values())
    assert mazur.labels.stub.labels() == (None, None)
    assert {mazur.state(n) for n in mazur.doc.graph.nodes} == {"idle"}
    assert "restarted" in c.status
    c.run_forward()
    assert mazur.out_value("affine2") != "[1.106, 1.225]"


def test_breakpoint_dot_on_the_node(mazur):
    mazur.controller.toggle_breakpoint("affine2")
    assert mazur.scene.node_item("affine2").breakpoint
    mazur.controller.toggle_breakpoint("affine2")
    assert not mazur.scene.node_item("affine2").breakpoint


def test_large_arrays_show_their_shape_and_range_and_a_heat_strip(qtbot):
    from core.graph import Graph

    g = Graph()
    g.add_node("Parameter", "w", value=np.arange(12.0).reshape(3, 4) / 10)
    g.add_node("Sum", "total")
    g.connect("w", "total", "x")
    doc = Document(g)
    scene = GraphScene(doc)
    controller = DebugController(doc)
    labels = CanvasLabels(controller, scene)
    controller.run_backward()
    edge = scene.edge_item("total", "x")
    assert edge.labels() == ("[3×4: 0 … 1.1]", "[3×4: 1 … 1]")
    assert edge.label_items()[0].heat is not None
    assert labels.scene is scene


@pytest.mark.parametrize("name", example_names())
def test_gradient_check_badges_pass_on_every_example(name, qtbot):
    canvas = Canvas(name)
    with qtbot.waitSignal(canvas.controller.gradientChecked, timeout=120_000) as checked:  # a loaded machine
        assert canvas.controller.checks.start()
    report = checked.args[0]
    assert report is canvas.controller.checks.report and report.passed
    badges = {item.node_id: item.badge for item in canvas.scene.node_items() if item.badge is not None}
    checked = {e.name for e in report.entries}
    assert set(badges) == checked and checked
    assert all(ok and text.startswith("✓ ") for text, ok in badges.values())
    canvas.doc.undo_stack.push(commands.MoveNodes(canvas.doc, {next(iter(checked)): (5.0, 5.0)}))
    assert canvas.scene.node_item(next(iter(checked))).badge is not None  # a move keeps the check
    node = next(n for n in canvas.doc.graph.nodes if canvas.doc.graph.nodes[n].value is not None)
    canvas.doc.undo_stack.push(commands.SetValue(canvas.doc, node, canvas.doc.graph.nodes[node].value * 0.5))
    assert all(item.badge is None for item in canvas.scene.node_items())  # a real edit clears it


def test_a_wrong_gradient_gets_a_red_badge(qtbot, monkeypatch):
    from core.ops.arithmetic import Multiply

    canvas = Canvas("apple_orange")
    monkeypatch.setattr(Multiply, "backward",
                        lambda self, dout, ins, out, cache, attrs: [dout * ins[1], 2 * dout * ins[0]])
    with qtbot.waitSignal(canvas.controller.gradientChecked) as checked:
        canvas.controller.checks.start()
    report = checked.args[0]
    assert not report.passed
    text, ok = canvas.scene.node_item("apple_num").badge
    assert not ok and text.startswith("✗ ")
    assert canvas.scene.node_item("apple").badge[1]  # its x gradient is still right


def test_removing_and_restoring_the_objective_while_stepping(mazur):
    c = mazur.controller
    c.run_forward()
    assert mazur.labels.stub.labels() == ("0.298371", None)
    mazur.doc.undo_stack.push(commands.RemoveNodes(mazur.doc, ["loss"]))
    assert c.stepper is None and "cannot run" in c.status
    mazur.doc.undo_stack.undo()
    assert c.stepper is not None and not c.active
    c.run_forward()
    assert mazur.labels.stub.parentItem() is mazur.scene.node_item("loss").output
    assert mazur.labels.stub.labels() == ("0.298371", None)
