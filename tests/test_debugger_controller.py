"""The debugger controller (with the parts split off it: changed nodes, graph watch), program view
and inspector section against a bare Document; and how a window wires the debugger (training
session, status notes)."""
from __future__ import annotations

import numpy as np
import pytest
from engine_fixtures import build_nan_graph
from helpers import load_example
from training_helpers import EXAMPLES

from app import commands
from app.debugger.changes import ChangedNodes
from app.debugger.controller import DebugController
from app.debugger.debug_inspector import DebugInspector
from app.debugger.graph_watch import GraphWatch
from app.debugger.program_model import BREAKPOINT_ROLE, CURSOR_ROLE, EXECUTED_ROLE
from app.debugger.program_view import ProgramView
from app.model.document import Document
from core.graph import Graph
from core.stepper import BEGIN_INDEX


@pytest.fixture
def mazur(qtbot):
    doc = Document(load_example("mazur"))
    controller = DebugController(doc)
    return doc, controller


def _enabled(c: DebugController) -> set[str]:
    return {name for name, action in c.actions.items() if action.isEnabled()}


def test_actions_are_enabled_only_when_they_can_act(mazur):
    doc, c = mazur
    assert not c.action("step_back").isEnabled() and not c.action("reset").isEnabled()
    assert not c.action("run_to_node").isEnabled() and not c.action("toggle_breakpoint").isEnabled()
    assert c.action("step").isEnabled() and c.action("break_on_nonfinite").isChecked()
    assert c.action("step").shortcut().toString() == "F10"
    assert c.action("step_back").shortcut().toString() == "Shift+F10"
    assert c.action("continue").shortcut().toString() == "F5"
    assert c.action("toggle_breakpoint").shortcut().toString() == "F9"
    c.step()
    assert {"step_back", "reset"} <= _enabled(c)
    c.set_selected_node("sigmoid2")
    assert {"run_to_node", "toggle_breakpoint"} <= _enabled(c)
    c.set_selected_node("W1")  # a leaf has no step of its own
    assert not {"run_to_node", "toggle_breakpoint"} & _enabled(c)
    c.run_backward()
    assert not c.action("run_forward").isEnabled() and not c.action("run_backward").isEnabled()
    assert c.action("apply_update").isEnabled()


def test_invalid_graph_has_no_program_and_says_why(qtbot):
    g = Graph()
    g.add_node("Parameter", "w", value=1.0)
    g.add_node("Multiply", "m")
    g.connect("w", "m", "x")
    c = DebugController(Document(g))
    assert c.stepper is None
    assert _enabled(c) == {"break_on_nonfinite"}
    assert c.status.startswith("The graph cannot run: m (Multiply): input 'y' is not connected")


def test_status_names_phase_step_node_and_loss(mazur):
    doc, c = mazur
    assert c.status.startswith("Debugger ready: 12 steps")
    c.step()
    assert c.status == "Forward pass · step 1 / 12: forward affine1 · training step 1"
    c.run_forward()
    assert c.status == "Forward pass · step 5 / 12: forward loss · training step 1 · loss = 0.29837111"
    c.step()
    assert c.status.startswith("Backward pass · step 6 / 12: clear gradients")
    c.step()
    assert c.status.startswith("Backward pass · step 7 / 12: backward loss")


def test_one_state_change_per_user_action(mazur, qtbot):
    doc, c = mazur
    seen: list[object] = []
    c.stateChanged.connect(seen.append)
    c.step()  # the first action repaints everything (the canvas starts showing values)
    c.step()
    assert seen == [None, {"affine1", "sigmoid1"}]
    seen.clear()
    c.run_backward()
    assert len(seen) == 1
    seen.clear()
    c.step_back()  # undoes "backward affine1": it, its sources, and the new current node sigmoid1
    assert seen == [{"affine1", "x", "W1", "b1", "sigmoid1"}]


def test_update_marks_the_document_modified_and_step_back_restores(mazur):
    doc, c = mazur
    w2 = doc.graph.nodes["W2"].value
    c.run_backward()
    assert not doc.is_modified()
    c.apply_update()
    assert doc.is_modified()
    assert doc.graph.nodes["W2"].value[0, 0] == pytest.approx(0.35891648, abs=1e-8)
    c.step_back()
    assert doc.graph.nodes["W2"].value is w2
    assert not doc.is_modified()  # the weights are as on disk again


def test_stepping_through_updates_and_back_leaves_the_document_as_on_disk(mazur, qtbot):
    doc, c = mazur
    flips: list[bool] = []
    doc.modifiedChanged.connect(flips.append)
    c.continue_()  # to the end of the backward pass: nothing written
    assert not doc.is_modified() and flips == []
    c.continue_()  # the update and the next training step's passes
    assert doc.is_modified() and flips == [True]
    while c.stepper.can_step_back:  # back through the update to the very start
        c.step_back()
    assert c.stepper.iteration == 0 and c.stepper.cursor == 0
    assert not doc.is_modified() and flips == [True, False]


def test_a_graph_with_nothing_to_train_is_never_modified_by_continue(qtbot):
    doc = Document.open(EXAMPLES / "apple.json")
    c = DebugController(doc)
    for _ in range(3):
        c.continue_()
    assert c.stepper.frame.grads and not doc.is_modified()


def test_edit_while_stepping_restarts_the_program_with_a_note(mazur, qtbot):
    doc, c = mazur
    c.run_forward()
    old = c.stepper
    doc.undo_stack.push(commands.SetValue(doc, "b1", np.array(0.5)))
    assert c.stepper is not old and c.stepper.cursor == 0 and not c.active
    assert c.status.startswith("The graph changed: the program restarted from its first step.")
    c.step()
    assert "changed" not in c.status
    np.testing.assert_allclose(c.stepper.frame.values["affine1"], [[0.5275, 0.5425]])


def test_moving_a_node_keeps_the_program(mazur):
    doc, c = mazur
    c.run_forward()
    old = c.stepper
    doc.undo_stack.push(commands.MoveNodes(doc, {"loss": (1200.0, 300.0)}))
    assert c.stepper is old and c.stepper.cursor == 5


def test_an_edit_that_breaks_the_graph_disables_stepping(mazur):
    doc, c = mazur
    c.step()
    doc.undo_stack.push(commands.Disconnect(doc, "affine2", "x"))
    assert c.stepper is None and not c.action("step").isEnabled()
    assert "input 'x' is not connected" in c.status
    doc.undo_stack.undo()
    assert c.stepper is not None and c.action("step").isEnabled()


def test_breakpoint_stops_where_set(mazur, qtbot):
    doc, c = mazur
    c.toggle_breakpoint("sigmoid1")
    with qtbot.waitSignal(c.stopped) as stop:
        c.continue_()
    assert stop.args[0].kind == "breakpoint"
    assert c.stepper.next_step.label == "forward sigmoid1" and c.stepper.cursor == 1
    assert c.status == "Paused before step 2: forward sigmoid1 (breakpoint) · training step 1"
    c.continue_()  # the backward step of the same node stops too
    assert c.stepper.next_step.label == "backward sigmoid1"
    assert c.status == "Paused before step 10: backward sigmoid1 (breakpoint) · training step 1 · loss = 0.29837111"
    c.toggle_breakpoint("sigmoid1")
    c.continue_()
    assert c.stepper.phase == "update"


def test_continue_goes_past_a_breakpoint_it_stopped_at(mazur):
    doc, c = mazur
    c.toggle_breakpoint("affine1")  # the very first step
    c.continue_()
    assert c.stepper.cursor == 0 and c.last_stop.kind == "breakpoint"
    c.continue_()
    assert c.stepper.next_step.label == "backward affine1"
    c.step_back()
    assert c.last_stop is None and not c.status.startswith("Stopped")


def test_run_to_node_and_goto(mazur):
    doc, c = mazur
    c.run_to_node("sigmoid2")
    assert c.current_node == "sigmoid2" and c.stepper.cursor == 4
    c.goto(2)
    assert c.current_node == "sigmoid1" and "affine2" not in c.stepper.frame.values
    c.goto(0)
    assert c.current_step is None and c.active
    c.run_backward()
    c.run_to_node("sigmoid2")  # both of its steps have run: nothing moves, the status says why
    assert c.stepper.cursor == 11
    assert c.status.startswith("sigmoid2 has no step left in this training step")


def test_nan_break_names_its_node(qtbot):
    c = DebugController(Document(build_nan_graph()))
    requested: list[str] = []
    c.nodeRequested.connect(requested.append)
    with qtbot.waitSignal(c.stopped) as stop:
        c.continue_()
    reason = stop.args[0]
    assert reason.kind == "nonfinite" and reason.node == "log"
    assert requested == ["log"]
    assert c.current_node == "log"
    assert c.status.startswith("Stopped: forward log made NaN or Inf: from finite inputs: x (xw) ranges -3e6 … -3e6")
    c.set_break_on_nonfinite(False)
    assert not c.action("break_on_nonfinite").isChecked()
    c.continue_()
    assert c.stepper.cursor == c.stepper.program.n_forward + c.stepper.program.n_backward


def test_program_view_lists_steps_and_moves_the_cursor(mazur, qtbot):
    doc, c = mazur
    view = ProgramView(c)
    qtbot.addWidget(view)
    rows = [view.model.index(r, 0).data() for r in range(view.model.rowCount())]
    assert rows[0] == "start of training step 1"
    assert rows[1:] == [s.label for s in c.stepper.steps] and rows[-1] == "update"
    c.run_forward()
    assert view.header.text().replace("\u00a0", " ").endswith("5 of 12 steps run")
    view.list.click_row(2)  # "forward sigmoid1": back in time, its values stay
    assert c.stepper.cursor == 2 and "affine2" not in c.stepper.frame.values
    view.list.click_row(9)
    assert c.stepper.cursor == 9 and c.stepper.backward_done("affine2")
    view.list.click_row(4, in_margin=True)  # breakpoint on sigmoid2 from the margin
    assert c.breakpoints == {"sigmoid2"}
    marked = [r for r in range(view.model.rowCount()) if view.model.index(r, 0).data(BREAKPOINT_ROLE)]
    assert [view.model.index(r, 0).data() for r in marked] == ["forward sigmoid2", "backward sigmoid2"]
    executed = [r for r in range(view.model.rowCount()) if view.model.index(r, 0).data(EXECUTED_ROLE)]
    assert executed == list(range(1, 10))
    assert view.model.index(9, 0).data(CURSOR_ROLE) and not view.model.index(10, 0).data(CURSOR_ROLE)


def test_inspector_follows_the_current_step_and_the_selection(mazur, qtbot):
    doc, c = mazur
    inspector = DebugInspector(c)
    qtbot.addWidget(inspector)
    inspector.show()
    assert inspector.report is None
    c.run_forward()
    assert inspector.node_id == "loss"
    assert "= 0.29837111" in inspector.formulas.text()
    inspector.set_selected_node("sigmoid2")
    np.testing.assert_allclose(inspector.report.value, [[0.75136507, 0.77292847]], atol=1e-8)
    assert inspector.value_panel.model.text(0, 0) == "0.75136507"
    assert inspector.grad_panel.isHidden()
    c.run_backward()
    assert inspector.grad_panel.model.text(0, 0) == "0.74136507"
    c.apply_update()
    inspector.set_selected_node("W2")
    assert inspector.new_panel.model.text(0, 0) == "0.35891648"
    assert "= [[0.35891648, 0.51130127], [0.40866619, 0.56137012]]" in inspector.formulas.text()
    assert inspector.value_panel.heat is not None and inspector.value_panel.heat.isVisibleTo(inspector)


# --------------------------------------------------------- enabling and status
def test_apply_update_is_disabled_without_a_trainable_parameter(qtbot):
    c = DebugController(Document(load_example("apple_orange")))  # prices are given, not trained
    action = c.action("apply_update")
    assert not action.isEnabled()
    assert action.toolTip().endswith("Disabled: nothing to update: the program has no trainable parameter")
    assert c.action("continue").isEnabled()
    m = DebugController(Document(load_example("mazur")))
    assert m.action("apply_update").isEnabled() and "Disabled" not in m.action("apply_update").toolTip()


def test_nothing_steps_while_a_training_run_is_going_on(mazur, qtbot):
    doc, c = mazur
    view = ProgramView(c)
    qtbot.addWidget(view)
    c.run_forward()
    c.set_training_state("running")
    assert _enabled(c) == {"break_on_nonfinite"}
    assert "not while a training run is going on" in c.action("step").toolTip()
    assert not view.list.isEnabled()
    c.step()
    c.step_back()
    c.goto(1)
    assert not c.reset()
    assert not c.checks.start()
    assert c.stepper.cursor == 5
    c.set_training_state("paused")
    assert not c.action("step").isEnabled()
    c.set_training_state("idle")
    assert {"step", "step_back", "continue", "reset", "gradient_check"} <= _enabled(c)
    assert view.list.isEnabled()
    c.step()
    assert c.stepper.cursor == 6


def test_weights_written_by_training_restart_the_program_quietly(mazur, qtbot):
    doc, c = mazur
    c.run_forward()
    old = c.stepper
    said: list[str] = []
    c.statusChanged.connect(said.append)
    with doc.training_state.writing_results():
        doc.graph.set_value("W2", np.full((2, 2), 0.1))
    qtbot.waitUntil(lambda: c.stepper is not old)
    assert said == [] and not c.active  # the training's own message stays in the status bar
    assert c.status.startswith("Debugger ready")
    c.step()
    assert said == ["Forward pass · step 1 / 12: forward affine1 · training step 1"]


def test_the_changed_nodes_of_an_update_and_of_a_new_training_step(mazur):
    doc, c = mazur
    c.run_backward()
    seen: list[object] = []
    c.stateChanged.connect(seen.append)
    c.apply_update()  # the trainable parameters, and affine1 that was the current node
    assert seen == [{"W1", "W2", "affine1"}]
    program = c.stepper.program
    changes = ChangedNodes()
    for index, step in enumerate(program.steps[:2]):
        changes.step_ran(program, step, index)
    assert changes.take(["loss", None]) == {"affine1", "sigmoid1", "loss"}
    assert changes.take() == set()  # taking starts afresh
    changes.step_ran(program, program.steps[5], 5)  # clear gradients: the trainable parameters
    assert changes.take() == {"W1", "W2"}
    changes.step_ran(program, program.steps[6], 6)  # backward loss: it and its inputs
    assert changes.take() == {"loss", "sigmoid2", "t"}
    changes.step_ran(program, program.steps[0], BEGIN_INDEX)  # back past a training step's start
    assert changes.take(["loss"]) is None  # every node


def test_the_graph_watch_tells_a_persons_edit_from_the_engines(mazur, qtbot):
    doc, c = mazur
    busy = [False]
    watch = GraphWatch(lambda: busy[0])
    watch.follow(doc)
    said: list[bool] = []
    watch.stale.connect(said.append)
    with qtbot.waitSignal(watch.stale):  # a change outside the undo stack: on the next event-loop turn
        doc.graph.set_value("b1", np.array(0.5))
        assert said == []
    assert said == [False]
    with doc.training_state.writing_results(), qtbot.waitSignal(watch.stale):
        doc.graph.set_value("W2", np.zeros((2, 2)))
    assert said == [False, True]  # weights the engine wrote: quiet
    doc.undo_stack.push(commands.SetValue(doc, "b2", np.array(0.7)))  # an edit: at once, when it is done
    assert said == [False, True, False]
    busy[0] = True  # the stepper's own changes
    doc.graph.set_value("b1", np.array(0.35))
    watch.flush()
    watch.follow(None)  # no document: nothing to watch
    doc.graph.set_value("b1", np.array(0.25))
    busy[0] = False
    watch.flush()
    assert said == [False, True, False]


def test_a_window_from_create_window_follows_its_training_session_at_once(qtbot, tmp_path, isolated_settings):
    from app.window.launch import create_window

    window = create_window(Document(load_example("mazur")), recovery_dir=tmp_path / "recovery")
    qtbot.addWidget(window)
    debugger, session = window.debugger, window.training.session
    assert debugger.training_session is session  # before any event-loop turn
    session.stateChanged.emit("running")
    assert debugger.controller.training_busy and not debugger.controller.action("step").isEnabled()
    session.stateChanged.emit("idle")
    assert debugger.controller.action("step").isEnabled()
    assert debugger.attach_training(session)  # following it again connects nothing twice


def test_what_an_export_wrote_is_a_note_that_gives_way_to_the_debuggers_status(make_main_window, tmp_path):
    from app import debugger

    window = make_main_window(Document(load_example("apple_orange")), install=[debugger.install])
    c = window.debugger.controller
    c.run_steps(3)
    assert window.statusBar().currentMessage() == c.status
    assert len(window.debugger.export_images(str(tmp_path / "series"))) == 10
    assert window.statusBar().currentMessage() == f"Wrote 10 step images to {tmp_path / 'series'}"
    assert window.status.lasting == c.status  # a note: the debugger's state stays the lasting status
    window.statusBar().clearMessage()  # as when the note's time is up
    assert window.statusBar().currentMessage() == c.status


def test_the_program_view_counts_steps_in_words(mazur, qtbot):
    doc, c = mazur
    view = ProgramView(c)
    qtbot.addWidget(view)
    assert view.header.text().replace("\u00a0", " ").endswith("0 of 12 steps run")
    assert c.status == "Debugger ready: 12 steps in a training step; Step (F10) runs the first"
