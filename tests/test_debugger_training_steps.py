"""The canvas across training steps: at every step of two training steps (and stepping back over
the update), every edge label and node state says what the stepper's state says."""
from __future__ import annotations

import gc

import numpy as np
import pytest
from test_debugger_canvas import Canvas

from app.debugger import runner
from app.debugger.labels import edge_text, node_line
from core.program import FORWARD


def expected_labels(canvas: Canvas) -> dict[tuple[str, str], tuple[str | None, str | None]]:
    """Each edge's (value, gradient) text, read from the stepper's frame alone."""
    s = canvas.controller.stepper
    program = s.program
    out = {}
    for e in canvas.doc.graph.edges:
        value = s.frame.values.get(e.src)
        plan = program.plans.get(e.dst)
        ports = plan.op.ports(plan.attrs) if plan is not None else ()
        grad = s.frame.sent.get((e.dst, ports.index(e.port))) if e.port in ports else None
        out[(e.dst, e.port)] = (None if value is None else edge_text(value)[0],
                                None if grad is None else edge_text(grad)[0])
    return out


def expected_state(canvas: Canvas, node: str) -> str:
    s = canvas.controller.stepper
    program = s.program
    if node in program.plans:
        return "backward" if s.backward_done(node) else ("forward" if s.forward_done(node) else "pending")
    senders = {consumer for consumer, _ in program.grad_sources.get(node, ())}
    return "backward" if senders and all(s.backward_done(n) for n in senders) else "forward"


def assert_canvas_agrees(canvas: Canvas, where: str) -> None:
    s = canvas.controller.stepper
    assert canvas.all_labels() == expected_labels(canvas), where
    states = {n: canvas.state(n) for n in canvas.doc.graph.nodes}
    assert states == {n: expected_state(canvas, n) for n in canvas.doc.graph.nodes}, where
    for p in s.program.parameters:  # a parameter's line: its new value only right after its update
        updated = s.frame.updated.get(p)
        text = canvas.scene.node_item(p).value_text()
        if updated is not None:
            assert text == node_line("new", updated[1], updated[0]), where
        else:
            assert text is None or not text.startswith("new"), where
    # the parameters' edges carry their current values
    for e in canvas.doc.graph.edges:
        if e.src in s.program.parameters:
            assert np.array_equal(s.frame.values[e.src], canvas.doc.graph.nodes[e.src].value) \
                or s.frame.updated.get(e.src) is not None, where


@pytest.mark.parametrize("name", ["mazur", "xor"])
def test_every_label_follows_the_stepper_over_two_training_steps(qtbot, name):
    canvas = Canvas(name)
    c = canvas.controller
    n = len(c.stepper.program.steps)
    c.continue_()  # to the end of the backward pass (F5)
    assert_canvas_agrees(canvas, "after continue")
    for _ in range(2 * n + 1):  # the update, then every step of training step 2 and into step 3
        c.step()
        where = f"training step {c.stepper.iteration + 1}, cursor {c.stepper.cursor}"
        assert_canvas_agrees(canvas, where)
    assert c.stepper.iteration == 2
    while c.stepper.can_step_back:  # back over both updates, to the very start
        c.step_back()
        assert_canvas_agrees(canvas, f"back: training step {c.stepper.iteration + 1}, cursor {c.stepper.cursor}")
    assert c.stepper.iteration == 0 and c.stepper.cursor == 0


def test_a_new_training_step_dims_what_has_not_run(qtbot):
    mazur = Canvas("mazur")
    c = mazur.controller
    c.continue_()
    c.step()  # the update
    c.step()  # forward affine1 of training step 2
    s = c.stepper
    assert s.iteration == 1 and s.next_step.kind == FORWARD
    for node in ("sigmoid1", "affine2", "sigmoid2", "loss"):
        assert mazur.state(node) == "pending"
    assert mazur.scene.edge_item("affine2", "x").labels() == (None, None)
    assert mazur.scene.edge_item("loss", "y").labels() == (None, None)
    # W2's edge carries the updated W2 (Mazur's w5..w8 after the first update), without a gradient
    assert mazur.scene.edge_item("affine2", "W").labels() == ("[[0.3589, 0.5113], [0.4087, 0.5614]]", None)
    assert mazur.scene.node_item("W2").value_text() == "[[0.3589, 0.5113], [0.4087, 0.5614]]"  # as its edge


def test_the_labels_follow_the_stepper_when_steps_run_on_the_worker(qtbot, monkeypatch):
    """As on a big data set: every action runs off the GUI thread, its events announced at its end."""
    gc.collect()  # the earlier tests' canvases go on this thread, not when the worker's allocations collect them
    monkeypatch.setattr(runner, "HEAVY", 1)
    canvas = Canvas("spirals")
    c = canvas.controller

    def act(call) -> None:  # on the worker, its events held and announced at the end (at once when quick)
        call()
        qtbot.waitUntil(lambda: not c.running, timeout=20_000)

    act(c.continue_)
    act(c.step)  # the update
    for _ in range(3):  # into training step 2
        act(c.step)
        assert_canvas_agrees(canvas, f"worker: training step {c.stepper.iteration + 1}, cursor {c.stepper.cursor}")
    assert c.stepper.iteration == 1 and canvas.state("loss") == "pending"
    for _ in range(4):  # back over the update (Step Back runs on the GUI thread)
        c.step_back()
        assert_canvas_agrees(canvas, f"worker back: cursor {c.stepper.cursor}")
    assert c.stepper.iteration == 0
