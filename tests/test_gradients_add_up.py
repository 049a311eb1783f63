"""The "clear gradients" step and the switch that skips it: parameter gradients that add up over updates."""
from __future__ import annotations

import numpy as np
from helpers import load_example

from core.io.fileformat import dumps, loads
from core.program import CLEAR, Program
from core.stepper import Stepper
from core.trainer import Trainer


def keeping(name: str = "mazur"):
    graph = load_example(name)
    graph.set_settings(graph.settings.with_changes(keep_gradients=True))
    return graph


def test_the_backward_pass_begins_with_clearing_the_gradients() -> None:
    program = Program(load_example("mazur"))
    labels = [s.label for s in program.steps]
    assert labels[program.n_forward] == "clear gradients" and program.steps[program.n_forward].kind == CLEAR
    assert labels[program.n_forward + 1] == "backward loss" and labels[-1] == "update"
    assert program.phase_at(program.n_forward) == "backward pass"


def test_skipping_the_clear_step_makes_the_second_updates_gradients_the_sum_of_the_first_two() -> None:
    stepper = Stepper(keeping())
    stepper.run_backward()
    first = {p: stepper.frame.grads[p] for p in ("W1", "W2")}
    stepper.apply_update()
    after_one = {p: stepper.graph.nodes[p].value for p in ("W1", "W2")}
    stepper.run_backward()
    second = {p: stepper.frame.grads[p] for p in ("W1", "W2")}

    fresh = load_example("mazur")  # the same weights, gradients cleared: this update's own gradients
    for p, value in after_one.items():
        fresh.set_value(p, value)
    own = Stepper(fresh)
    own.run_backward()
    for p in ("W1", "W2"):
        assert np.array_equal(second[p], first[p] + own.frame.grads[p])  # exactly, bit for bit
        assert not np.array_equal(second[p], own.frame.grads[p])


def test_clearing_gives_each_update_its_own_gradients_and_step_back_undoes_the_carry() -> None:
    stepper = Stepper(load_example("mazur"))
    stepper.run_backward()
    stepper.apply_update()
    stepper.run_forward()
    stepper.step()  # clear gradients: nothing carried
    assert "W1" not in stepper.frame.grads
    kept = Stepper(keeping())
    kept.run_backward()
    g1 = kept.frame.grads["W2"]
    kept.apply_update()
    kept.run_forward()
    kept.step()  # the last update's gradients come back, to be added to
    assert kept.frame.grads["W2"] is g1
    kept.step_back()
    assert "W2" not in kept.frame.grads


def test_the_trainer_keeps_gradients_bit_for_bit_like_the_stepper() -> None:
    trainer = Trainer(keeping("xor"))
    trainer.run(6)
    stepper = Stepper(keeping("xor"))
    losses = []
    for _ in range(6):
        stepper.apply_update()
        losses.append(stepper.loss)
    assert losses == list(trainer.losses)
    for p, w in trainer.weights().items():
        assert np.array_equal(w, stepper.graph.nodes[p].value), p
    cleared = Trainer(load_example("xor"))
    cleared.run(6)
    assert list(cleared.losses) != losses  # keeping them changes the training


def test_kept_gradients_make_the_loss_misbehave() -> None:
    plain, kept = Trainer(load_example("mazur")), Trainer(keeping())
    a, b = plain.run(40).losses, kept.run(40).losses
    assert np.all(np.diff(a) < 0)  # cleared: Mazur's loss falls every update
    assert np.any(np.diff(b) > 0)  # kept: the summed gradients overshoot and the loss rises


def test_the_switch_is_saved_with_the_training_settings_and_left_out_when_off() -> None:
    off = dumps(load_example("mazur"))
    assert "keep_gradients" not in off
    on = dumps(keeping())
    assert '"keep_gradients": true' in on
    assert loads(on).settings.keep_gradients is True


def test_the_canvas_adds_the_parts_of_a_gradient_as_they_arrive(make_main_window) -> None:
    from app import debugger
    from app.model.document import Document
    from app.teach import keep

    window = make_main_window(Document(load_example("fanout")), install=[debugger.install, keep.install])
    c = window.debugger.controller
    c.run_to_node("add")  # the forward pass, clear gradients, backward loss ... until backward add has run
    c.run_to_node("add")
    x = window.scene.node_item("x")
    assert "∂L/∂x = -1.5 (+ …)" in (x.value_text() or "")
    c.run_backward()
    assert "∂L/∂x = -1.5 + -0.375 = -1.875" in (window.scene.node_item("x").value_text() or "")
    assert "∂L/∂w = -1.5 + -1.5 = -3" in (window.scene.node_item("w").value_text() or "")
    action = window.actions["keep_gradients"]
    assert not action.isChecked()
    action.trigger()
    assert window.document.graph.settings.keep_gradients and window.document.undo_stack.undoText() \
        == "Set keep gradients = True"
    view = window.debugger.program_view
    rows = [view.model.index(r, 0).data() for r in range(view.model.rowCount())]
    assert "clear gradients: skipped (gradients kept)" in rows
    window.document.undo_stack.undo()
    assert not action.isChecked()
