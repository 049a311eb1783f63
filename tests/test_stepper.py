"""The Stepper steps back exactly: every value, cache, gradient, parameter and optimizer state,
after every step and across training steps; its numbers are the published ones and repeatable;
its history is bounded and its memory proportional to what it keeps."""
from __future__ import annotations

import copy
import tracemalloc

import numpy as np
import pytest
from engine_fixtures import (
    assert_restored,
    build_apple_orange,
    build_classifier,
    build_mazur,
    build_mazur_scaled_targets,
    numbers,
    same_tree,
    snapshot,
    wire,
)

from core.graph import Graph
from core.program import UPDATE
from core.stepper import BEGIN_STEP, Stepper

GRAPHS = {
    "mazur-sgd": lambda: build_mazur("sgd"),
    "mazur-momentum": lambda: build_mazur("momentum", 0.1),
    "mazur-adam": lambda: build_mazur("adam", 0.01),
    "apple_orange": build_apple_orange,
    "xor-batches-adam": lambda: build_classifier("adam", 3),
}


# ----------------------------------------------------------- exact step back
@pytest.mark.parametrize("name", GRAPHS)
def test_step_back_after_every_step_restores_everything(name: str):
    st = Stepper(GRAPHS[name]())
    n = len(st.steps)
    for _ in range(3 * n + 2):  # three training steps and into a fourth, across each start
        before = snapshot(st)
        step = st.step()
        after_numbers = numbers(st)
        assert st.step_back() == step  # also across the start of the next training step
        assert_restored(st, before)
        st.step()
        assert same_tree(numbers(st), after_numbers), f"{step.label} gave other numbers the second time"


@pytest.mark.parametrize("name", GRAPHS)
def test_stepping_back_all_the_way_restores_every_state_in_turn(name: str):
    st = Stepper(GRAPHS[name]())
    snaps = {}
    for _ in range(2 * len(st.steps) + 3):
        snaps[st.history_length] = snapshot(st)
        st.step()
    while st.step_back() is not None:  # each Step Back lands exactly on the state before a step
        assert st.history_length in snaps
        assert_restored(st, snaps.pop(st.history_length))
    assert not snaps
    assert st.cursor == 0 and st.iteration == 0 and st.loss is None


def test_step_back_across_the_start_of_the_next_training_step():
    st = Stepper(build_mazur())
    st.apply_update()
    end = snapshot(st)
    step = st.step()  # begins training step 2 and runs its first forward step
    assert step.label == "forward affine1" and st.iteration == 1 and st.cursor == 1
    assert st.step_back().label == "forward affine1"  # one Step Back undoes both
    assert_restored(st, end)
    assert st.at_end and st.loss == pytest.approx(0.298371109, abs=1e-9)


def test_goto_the_start_of_the_next_training_step_keeps_it_begun():
    st = Stepper(build_mazur())
    st.apply_update()
    st.step()
    st.step()
    st.goto(0)
    assert st.cursor == 0 and st.iteration == 1
    assert st.frame.values.keys() == {"x", "t", "W1", "b1", "W2", "b2"}
    assert st.frame.values["W2"] is st.graph.nodes["W2"].value
    assert st.step_back() is BEGIN_STEP
    assert st.at_end and st.iteration == 0


def test_the_update_step_back_restores_the_parameter_objects():
    st = Stepper(build_mazur())
    st.run_backward()
    w1, w2 = st.graph.nodes["W1"].value, st.graph.nodes["W2"].value
    events: list = []
    st.graph.value_changed.connect(lambda node: events.append(node.id))
    st.step()
    assert st.graph.nodes["W1"].value is not w1
    assert sorted(events) == ["W1", "W2"]
    st.step_back()
    assert st.graph.nodes["W1"].value is w1 and st.graph.nodes["W2"].value is w2
    assert sorted(events) == ["W1", "W1", "W2", "W2"]


# ----------------------------------------------------------- published numbers
def test_mazur_forward_backward_and_update_from_the_stepper():
    st = Stepper(build_mazur())
    st.run_forward()
    assert np.allclose(st.frame.values["sigmoid2"], [[0.75136507, 0.77292847]], rtol=0, atol=5e-9)
    assert st.loss == pytest.approx(0.298371109, abs=1e-9)
    st.run_backward()
    st.apply_update()
    w1 = st.graph.nodes["W1"].value
    w2 = st.graph.nodes["W2"].value
    # W1 = [[w1, w3], [w2, w4]], W2 = [[w5, w7], [w6, w8]]
    assert np.allclose(w2, [[0.35891648, 0.51130127], [0.40866619, 0.56137012]], rtol=0, atol=5e-9)
    assert np.allclose(w1, [[0.14978072, 0.24975114], [0.19956143, 0.29950229]], rtol=0, atol=5e-9)
    assert np.array_equal(st.frame.updated["W2"][1], w2)


def test_constants_and_inputs_get_no_gradient():
    st = Stepper(build_mazur())
    st.run_backward()
    assert set(st.frame.grads) == {"loss", "sigmoid2", "affine2", "sigmoid1", "affine1", "W1", "W2"}
    assert set(st.frame.sent) == {("loss", 0), ("sigmoid2", 0), ("affine2", 0), ("affine2", 1), ("sigmoid1", 0),
                                  ("affine1", 1)}


def test_a_trainable_scalar_bias_gets_the_sum_of_its_broadcast_gradient():
    g = build_mazur()
    g.remove_node("b1")
    g.add_node("Parameter", "b1", value=0.35)
    g.connect("b1", "affine1", "b")
    st = Stepper(g)
    st.run_backward()
    db = st.frame.grads["b1"]
    assert db.shape == () and float(db) == pytest.approx(float(np.sum(st.frame.grads["affine1"])), rel=1e-15)
    st.apply_update()
    assert float(g.nodes["b1"].value) == pytest.approx(0.35 - 0.5 * float(db), rel=1e-15)


def test_apple_orange_gradients_from_the_stepper():
    st = Stepper(build_apple_orange())
    assert st.program.objective == "price"
    st.run_forward()
    assert st.loss == pytest.approx(715.0, rel=1e-15)
    st.run_backward()
    g = {k: float(v) for k, v in st.frame.grads.items()}
    assert g["price"] == 1.0
    assert g["all_price"] == pytest.approx(1.1, rel=1e-15)
    assert g["tax"] == pytest.approx(650.0, rel=1e-15)
    assert g["apple"] == pytest.approx(2.2, rel=1e-15)
    assert g["apple_num"] == pytest.approx(110.0, rel=1e-15)
    assert g["orange"] == pytest.approx(3.3, rel=1e-15)
    assert g["orange_num"] == pytest.approx(165.0, rel=1e-15)
    sent = st.frame.sent
    assert float(sent[("price", 0)]) == pytest.approx(1.1) and float(sent[("price", 1)]) == 650.0
    st.apply_update()
    assert float(st.graph.nodes["apple"].value) == 100.0  # nothing trainable


def test_an_output_feeding_two_inputs_accumulates_both_gradients():
    g = Graph()
    g.add_node("Parameter", "a", value=3.0)
    g.add_node("Multiply", "sq")
    wire(g, ("a", "sq", "x"), ("a", "sq", "y"))
    st = Stepper(g)
    st.run_backward()
    assert float(st.frame.grads["a"]) == 6.0
    assert float(st.frame.sent[("sq", 0)]) == 3.0 and float(st.frame.sent[("sq", 1)]) == 3.0


# ----------------------------------------------------------------- history
def test_history_limit_is_respected_and_step_back_stops_there():
    st = Stepper(build_mazur(), history_limit=5)
    states = []
    for _ in range(14):
        states.append(numbers(st))
        st.step()
    assert st.history_length == 5
    # 14 steps = 11 of training step 1, then the start of step 2 (one history entry) and 3 more:
    # the 5 entries kept are the update, the start, and 3 steps; the Step Back of the first
    # forward step undoes the start with it, so 4 Step Backs reach the state before the update
    for _ in range(4):
        assert st.step_back() is not None
    assert st.step_back() is None and not st.can_step_back
    assert st.cursor == 10 and st.iteration == 0
    assert same_tree(numbers(st), states[10])


def test_history_limit_can_be_lowered():
    st = Stepper(build_mazur())
    for _ in range(30):
        st.step()
    st.history_limit = 4
    assert st.history_limit == 4 and st.history_length == 4
    for _ in range(4):
        st.step_back()
    assert st.step_back() is None


def kept_memory(st: Stepper, steps: int) -> int:
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        for _ in range(steps):
            st.step()
        return tracemalloc.get_traced_memory()[0] - base
    finally:
        tracemalloc.stop()


def test_history_memory_is_proportional_to_the_steps_kept():
    one = kept_memory(Stepper(build_mazur(), history_limit=100_000), 5_000)
    two = kept_memory(Stepper(build_mazur(), history_limit=100_000), 10_000)
    assert 1.6 < two / one < 2.4, (one, two)
    bounded = kept_memory(Stepper(build_mazur(), history_limit=5_000), 10_000)
    assert bounded < 1.3 * one, (one, bounded)


def test_reset_restores_the_loaded_weights_and_clears_history():
    g = build_mazur()
    w1 = g.nodes["W1"].value
    st = Stepper(g)
    for _ in range(3):
        st.apply_update()
    assert g.nodes["W1"].value is not w1
    st.reset()
    assert g.nodes["W1"].value is w1
    assert (st.cursor, st.iteration, st.history_length, st.loss) == (0, 0, 0, None)


def test_stepping_the_same_program_twice_gives_identical_numbers():
    runs = []
    for _ in range(2):
        st = Stepper(build_classifier("adam", 3))
        trace = []
        for _ in range(3 * len(st.steps)):
            st.step()
            trace.append(numbers(st))
        runs.append(trace)
    assert all(same_tree(a, b) for a, b in zip(*runs))


def test_reset_then_the_same_steps_give_identical_numbers():
    st = Stepper(build_mazur("adam", 0.01))
    for _ in range(2):
        st.apply_update()
    first = numbers(st)
    st.reset()
    for _ in range(2):
        st.apply_update()
    assert same_tree(numbers(st), first)


# --------------------------------------------------------------- optimizers
@pytest.mark.parametrize("optimizer", ["momentum", "adam"])
def test_optimizer_state_is_restored_by_step_back(optimizer: str):
    st = Stepper(build_mazur(optimizer, 0.05))
    st.apply_update()
    st.run_backward()
    before = copy.deepcopy(st.optimizer.state)
    assert before  # the first update made state
    st.step()
    assert not same_tree(st.optimizer.state, before)
    st.step_back()
    assert same_tree(st.optimizer.state, before)
    st.step()
    again = copy.deepcopy(st.optimizer.state)
    st.step_back()
    st.step()
    assert same_tree(st.optimizer.state, again)


def test_the_update_uses_only_parameters_that_get_a_gradient():
    g = build_mazur_scaled_targets()
    st = Stepper(g)
    labels = [s.label for s in st.steps]
    assert labels[-1] == UPDATE and "backward scaled_t" not in labels
    assert st.apply_update() is None
    assert "scale" not in st.frame.grads and float(g.nodes["scale"].value) == 1.0
    assert np.allclose(g.nodes["W2"].value, [[0.35891648, 0.51130127], [0.40866619, 0.56137012]], atol=5e-9)

