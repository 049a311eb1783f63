"""A graph with nothing to train has no update phase, and its output is called by its node's name
("loss" only for a loss op or a chosen objective)."""
from __future__ import annotations

from helpers import build_mazur, load_example

from app.debugger.controller import DebugController
from app.model.document import Document
from core.program import UPDATE, Program
from core.stepper import Stepper


def test_nothing_trainable_means_no_update_step():
    program = Program(load_example("apple_orange"))
    assert program.trainable == [] and UPDATE not in {s.kind for s in program.steps}
    assert program.steps[-1].label == "backward mul_apple"
    assert program.phase_at(len(program.steps) - 1) == "backward pass"
    mazur = Program(build_mazur())
    assert mazur.steps[-1].kind == UPDATE


def test_a_frozen_parameter_graph_runs_its_training_steps_without_an_update():
    graph = load_example("apple_orange")
    st = Stepper(graph)
    st.run_backward()
    assert st.at_end and st.frame.grads["apple"] == 2.2 * 1.0  # ∂price/∂apple, the book's 2.2
    st.step()  # begins training step 2 at once: there is no update to run
    assert st.iteration == 1 and st.cursor == 1 and float(graph.nodes["apple"].value) == 100.0


def test_the_output_is_named_by_its_node_unless_it_is_a_loss(qtbot):
    c = DebugController(Document(load_example("apple_orange")))
    c.run_forward()
    assert c.status.endswith("· mul_tax = 715") and "loss" not in c.status
    assert not c.action("apply_update").isEnabled()
    graph = load_example("apple_orange")
    graph.set_objective("mul_tax")  # chosen as the objective: it is what training makes small
    assert Program(graph).objective_name == "loss"
    mazur = DebugController(Document(build_mazur()))
    mazur.run_forward()
    assert "· loss = 0.29837111" in mazur.status  # a loss op
