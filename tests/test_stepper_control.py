"""Driving the Stepper: goto, running to the end of a phase or to a node, breakpoints, stops on
NaN or Inf naming the node and input, run_steps, and the events a view follows."""
from __future__ import annotations

import numpy as np
from engine_fixtures import build_mazur, build_nan_graph, numbers, same_tree, wire

from core.graph import Graph
from core.program import BACKWARD, FORWARD
from core.stepper import Stepper


# ----------------------------------------------------------- cursor and running
def test_goto_forward_and_back():
    st = Stepper(build_mazur())
    snaps = {}
    for i in range(len(st.steps) + 1):
        snaps[i] = numbers(st)
        if i < len(st.steps):
            st.step()
    st.goto(3)
    assert st.cursor == 3 and same_tree(numbers(st), snaps[3])
    st.goto(8)
    assert st.cursor == 8 and same_tree(numbers(st), snaps[8])
    st.goto(2)
    assert st.cursor == 2 and same_tree(numbers(st), snaps[2])
    st.goto(-5)
    assert st.cursor == 0 and same_tree(numbers(st), snaps[0])
    st.goto(99)
    assert st.at_end and same_tree(numbers(st), snaps[len(st.steps)])


def test_goto_back_stays_within_the_training_step():
    st = Stepper(build_mazur())
    st.apply_update()
    st.run_forward()
    assert st.iteration == 1
    st.goto(0)
    assert st.cursor == 0 and st.iteration == 1


def test_run_forward_backward_update_stop_at_their_phase_ends():
    st = Stepper(build_mazur())
    prog = st.program
    assert st.phase == "forward pass"
    st.run_forward()
    assert st.cursor == prog.n_forward == 5 and st.phase == "backward pass"
    assert st.frame.grads == {}
    st.run_backward()
    assert st.cursor == prog.n_forward + prog.n_backward == 11 and st.phase == "update"
    assert st.frame.updated == {}
    st.apply_update()
    assert st.at_end and st.phase == "done" and set(st.frame.updated) == {"W1", "W2"}
    st.run_forward()  # from the end: the next training step
    assert st.iteration == 1 and st.cursor == 5


def test_continue_without_breakpoints_stops_at_the_end_of_the_backward_pass_then_goes_on():
    st = Stepper(build_mazur())
    before = st.graph.nodes["W1"].value.copy()
    assert st.continue_() is None
    assert st.cursor == st.program.n_forward + st.program.n_backward and st.phase == "update"
    assert set(st.frame.grads) >= {"W1", "W2"} and st.frame.updated == {}
    assert st.last_stop is None and st.iteration == 0
    assert st.continue_() is None  # the update, then the next training step's passes
    assert st.iteration == 1 and st.cursor == st.program.n_forward + st.program.n_backward
    assert not np.array_equal(st.graph.nodes["W1"].value, before)
    st.apply_update()
    assert st.continue_() is None and st.iteration == 2 and st.phase == "update"


def test_run_to_node_stops_after_that_nodes_next_step():
    st = Stepper(build_mazur())
    st.run_to_node("sigmoid1")
    assert st.cursor == st.program.index_of(FORWARD, "sigmoid1") + 1
    st.run_to_node("sigmoid1")
    assert st.cursor == st.program.index_of(BACKWARD, "sigmoid1") + 1
    assert st.run_to_node("sigmoid1") is None and st.cursor == st.program.index_of(BACKWARD, "sigmoid1") + 1
    st.apply_update()
    st.run_to_node("sigmoid2")
    assert st.iteration == 1 and st.cursor == st.program.index_of(FORWARD, "sigmoid2") + 1


def test_breakpoints_stop_before_the_node_and_continue_goes_past():
    st = Stepper(build_mazur())
    st.breakpoints.add("sigmoid2")
    stops: list = []
    st.stopped.connect(stops.append)
    reason = st.continue_()
    assert reason is not None and reason.kind == "breakpoint" and reason.node == "sigmoid2"
    assert st.cursor == st.program.index_of(FORWARD, "sigmoid2") and "sigmoid2" not in st.frame.values
    assert reason.step == st.cursor and stops == [reason]
    reason = st.continue_()
    assert st.cursor == st.program.index_of(BACKWARD, "sigmoid2") and reason.node == "sigmoid2"
    assert "sigmoid2" in st.frame.values and not st.backward_done("sigmoid2")
    assert st.continue_() is None and st.phase == "update"
    reason = st.continue_()  # the next training step stops before the breakpoint again
    assert reason.node == "sigmoid2" and st.iteration == 1 and st.cursor == st.program.index_of(FORWARD, "sigmoid2")


def test_a_breakpoint_on_the_first_node_stops_before_it_at_the_start():
    st = Stepper(build_mazur())
    st.breakpoints.add("affine1")
    reason = st.continue_()
    assert reason is not None and reason.node == "affine1" and st.cursor == 0 and st.history_length == 0
    reason = st.continue_()  # from the breakpoint: past it, to the same node's backward step
    assert reason.node == "affine1" and st.cursor == st.program.index_of(BACKWARD, "affine1")
    assert st.continue_() is None and st.phase == "update"
    reason = st.continue_()  # the next training step stops before its first step too
    assert reason is not None and reason.node == "affine1"
    assert st.iteration == 1 and st.cursor == 0


def test_stepping_onto_a_breakpoint_then_continuing_goes_past_it():
    st = Stepper(build_mazur())
    st.breakpoints.add("sigmoid1")
    st.step()
    assert st.next_step.node == "sigmoid1"
    reason = st.continue_()
    assert reason.node == "sigmoid1" and st.cursor == st.program.index_of(BACKWARD, "sigmoid1")


def test_run_forward_stops_at_a_breakpoint_too():
    st = Stepper(build_mazur())
    st.breakpoints.add("affine2")
    reason = st.run_forward()
    assert reason.kind == "breakpoint" and st.cursor == st.program.index_of(FORWARD, "affine2")


def test_nan_stops_at_the_node_that_made_it_and_names_the_input():
    st = Stepper(build_nan_graph())
    reason = st.run_backward()
    assert reason is not None and reason.kind == "nonfinite"
    assert reason.node == "log" and reason.step == st.program.index_of(FORWARD, "log")
    assert st.cursor == reason.step + 1
    assert "forward log" in reason.message and "x (xw)" in reason.message
    assert "x (xw) ranges -3e6 … -3e6" in reason.message
    assert np.isnan(st.frame.values["log"]).all()
    assert st.last_stop is reason


def test_nan_from_a_nan_input_names_that_input():
    st = Stepper(build_nan_graph())
    st.run_forward()
    reason = st.continue_()
    assert reason.node == "total" and "its input x (log) holds NaN or Inf" in reason.message


def test_stop_on_nonfinite_can_be_switched_off():
    st = Stepper(build_nan_graph())
    st.break_on_nonfinite = False
    assert st.run_forward() is None and np.isnan(st.loss)


def test_a_backward_step_sending_inf_is_named():
    g = Graph()
    g.add_node("Parameter", "a", value=0.0)
    g.add_node("Exp", "e")
    g.add_node("Log", "log")
    wire(g, ("a", "e", "x"), ("e", "log", "x"))
    g.set_value("a", -800.0)  # exp underflows to 0 and log(0) is −inf
    st = Stepper(g)
    reason = st.run_forward()
    assert reason.node == "log" and "from finite inputs" in reason.message
    st.break_on_nonfinite = False
    st.run_forward()
    st.break_on_nonfinite = True
    reason = st.run_backward()
    assert reason is not None and reason.node == "log" and "backward log sent NaN or Inf to x" in reason.message


# ------------------------------------------------------------------ events
def test_events_announce_each_step():
    st = Stepper(build_mazur())
    executed, undone, changed = [], [], []
    st.step_executed.connect(lambda step, i: executed.append((step.label, i)))
    st.step_undone.connect(lambda step, i: undone.append((step.label, i)))
    st.state_changed.connect(lambda: changed.append(1))
    st.step()
    st.step()
    assert executed == [("forward affine1", 0), ("forward sigmoid1", 1)] and len(changed) == 2
    st.step_back()
    assert undone == [("forward sigmoid1", 1)] and len(changed) == 3
    st.run_forward()
    assert [e[1] for e in executed] == [0, 1, 1, 2, 3, 4] and len(changed) == 4
    st.goto(2)
    assert [u[1] for u in undone] == [1, 4, 3, 2] and len(changed) == 5
    st.reset()
    assert len(changed) == 6



def test_run_steps_runs_a_count_across_training_steps_and_ignores_breakpoints():
    st = Stepper(build_mazur())
    st.breakpoints.add("sigmoid1")
    executed: list[int] = []
    st.step_executed.connect(lambda step, i: executed.append(i))
    assert st.run_steps(3) is None
    assert st.cursor == 3 and executed == [0, 1, 2]
    st.run_steps(len(st.steps))  # 8 to the end, then 3 into the next training step
    assert st.iteration == 1 and st.cursor == 3
    assert st.run_steps(0) is None and st.cursor == 3


def test_run_steps_stops_on_nan():
    st = Stepper(build_nan_graph())
    reason = st.run_steps(10)
    assert reason is not None and reason.node == "log" and st.cursor == 2
