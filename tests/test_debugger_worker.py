"""Debugger actions on big data run off the GUI thread: which ones (by the size of a training step),
the window painting meanwhile, progress in the status bar, Cancel (Esc) between two steps with the
steps done kept, every other action disabled until the end, errors with the same words as a step
on the GUI thread. Also :meth:`core.events.Event.hold`, which keeps the worker away from Qt."""
from __future__ import annotations

import dataclasses
import threading
from typing import Any

import numpy as np
import pytest
from custom_helpers import customised
from engine_fixtures import build_apple_orange, build_nan_graph
from helpers import build_mazur, load_example
from PySide6.QtCore import Qt, QTimer

import core.step_engine
from app.debugger import runner
from app.debugger.controller import DebugController
from app.model.document import Document
from core import io
from core.custom.runner import set_executor
from core.events import Event
from core.graph import Graph
from core.stepper import Stepper

GATE_TIMEOUT = 20.0  # seconds a gated kernel waits at most (a test that forgot its gate ends anyway)


def spirals(rows: int = 200, batch_size: int = 0) -> Graph:
    graph = load_example("spirals")
    if rows != graph.dataset.train_rows:  # type: ignore[union-attr]
        doc = io.to_dict(graph)
        doc["dataset"]["size"] = rows
        graph = io.from_dict(doc)
    graph.set_settings(dataclasses.replace(graph.settings, batch_size=batch_size))
    return graph


class Gate:
    """Holds the forward kernel of ``node`` on the thread that runs it until :meth:`open`."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, node: str) -> None:
        self.node = node
        self.opened = threading.Event()
        self.reached = threading.Event()
        self.threads: list[threading.Thread] = []
        real = core.step_engine.forward_node

        def gated(plan: Any, values: Any) -> Any:
            self.threads.append(threading.current_thread())
            if plan.id == self.node:
                self.reached.set()
                self.opened.wait(GATE_TIMEOUT)
            return real(plan, values)

        monkeypatch.setattr(core.step_engine, "forward_node", gated)

    def open(self) -> None:
        self.opened.set()


@pytest.fixture
def every_action_off_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every program counts as heavy, so a 200-row graph runs its actions on the worker thread."""
    monkeypatch.setattr(runner, "HEAVY", 1)


def _ticking(qtbot: Any, parent: Any) -> list[int]:
    ticks: list[int] = []
    timer = QTimer(parent)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(5)
    return ticks


def _frames_equal(a: Stepper, b: Stepper) -> None:
    assert a.cursor == b.cursor and a.iteration == b.iteration
    assert a.frame.values.keys() == b.frame.values.keys()
    for key, value in a.frame.values.items():
        assert np.array_equal(value, b.frame.values[key]), key
    assert a.frame.grads.keys() == b.frame.grads.keys()
    for key, value in a.frame.grads.items():
        assert np.array_equal(value, b.frame.grads[key]), key
    assert a.loss == b.loss
    for p in a.program.parameters:
        assert np.array_equal(a.graph.nodes[p].value, b.graph.nodes[p].value), p


# ------------------------------------------------------------------ which actions go
def test_a_training_step_of_many_rows_is_heavy_and_mazur_is_not() -> None:
    assert runner.forward_size(Stepper(build_mazur())) < 100
    assert not runner.is_heavy(Stepper(build_mazur()))
    assert not runner.is_heavy(Stepper(spirals(200)))  # the shipped example stays on the GUI thread
    big = Stepper(spirals(50_000))  # full batch: 50,000 rows through 2-32-32-2
    assert runner.forward_size(big) > 50_000 * (2 + 32 + 32 + 2)
    assert runner.is_heavy(big)
    assert not runner.is_heavy(Stepper(spirals(50_000, batch_size=128)))  # a mini-batch of 128 rows


def test_mazur_steps_on_the_gui_thread(qtbot) -> None:
    controller = DebugController(Document(build_mazur()))
    threads: list[threading.Thread] = []
    controller.stepper.step_executed.connect(lambda *_: threads.append(threading.current_thread()))
    controller.step()
    assert threads == [threading.main_thread()] and not controller.running


# ------------------------------------------------------------------ the worker
def test_a_heavy_step_runs_on_the_worker_while_the_gui_thread_runs_its_events(
        qtbot, monkeypatch, every_action_off_thread) -> None:
    controller = DebugController(Document(spirals()))
    gate = Gate(monkeypatch, "affine1")
    ticks = _ticking(qtbot, controller)
    states: list[object] = []
    controller.stateChanged.connect(states.append)
    controller.step()  # x is a leaf: the first step is affine1's forward
    assert controller.running and gate.reached.wait(GATE_TIMEOUT)
    assert controller.stepper.cursor == 0 and not states  # nothing announced while it runs
    assert controller.status.startswith("Forward: affine1 (step 1 of ")
    qtbot.waitUntil(lambda: len(ticks) >= 3)  # the GUI thread's timer fired while the kernel waited
    with qtbot.waitSignal(controller.runningChanged) as ended:
        gate.open()
    assert ended.args == [False] and not controller.running
    assert gate.threads and all(t is not threading.main_thread() for t in gate.threads)
    assert controller.stepper.cursor == 1 and states  # announced once, at the end
    reference = Stepper(spirals())
    reference.step()
    assert np.array_equal(controller.stepper.frame.values["affine1"], reference.frame.values["affine1"])
    assert controller.status.startswith("Forward pass · step 1 / ")


def test_cancel_stops_after_the_current_step_and_the_next_step_gives_the_same_numbers(
        qtbot, monkeypatch, every_action_off_thread) -> None:
    doc = Document(spirals())
    controller = DebugController(doc)
    gate = Gate(monkeypatch, "tanh1")
    controller.run_forward()
    assert gate.reached.wait(GATE_TIMEOUT)  # affine1 ran; tanh1 is running
    assert controller.status.startswith("Forward: tanh1 (step 2 of ")
    controller.action("cancel").trigger()
    assert "cancelling after this step" in controller.status
    with qtbot.waitSignal(controller.runningChanged):
        gate.open()
    s = controller.stepper
    assert s.cursor == 2  # the step that was running finished; none after it ran
    assert controller.last_stop.kind == "cancelled"
    assert controller.status.startswith(f"Cancelled before step 3: {s.program.steps[2].label} (the steps before it")
    assert s.history_length == 2 and s.can_step_back
    # the rest of the training step, and the next one's first update, as an uninterrupted run gives
    monkeypatch.setattr(runner, "HEAVY", 10**12)
    controller.apply_update()
    reference = Stepper(spirals())
    reference.apply_update()
    _frames_equal(s, reference)
    controller.step_back()  # and the cancelled run's steps step back exactly
    reference.step_back()
    _frames_equal(s, reference)


def test_a_cancelled_step_back_to_start_restores_the_first_state(
        qtbot, monkeypatch, every_action_off_thread) -> None:
    controller = DebugController(Document(spirals()))
    before = {p: controller.document.graph.nodes[p].value for p in controller.stepper.program.parameters}
    gate = Gate(monkeypatch, "affine2")
    controller.run_forward()
    assert gate.reached.wait(GATE_TIMEOUT)
    controller.cancel_run()
    with qtbot.waitSignal(controller.runningChanged):
        gate.open()
    while controller.stepper.can_step_back:
        controller.step_back()
    assert controller.stepper.cursor == 0 and set(controller.stepper.frame.values) == set(
        controller.stepper.program.leaves)
    assert all(controller.document.graph.nodes[p].value is v for p, v in before.items())


def test_every_other_action_waits_while_a_step_runs(qtbot, monkeypatch, every_action_off_thread) -> None:
    controller = DebugController(Document(spirals()))
    gate = Gate(monkeypatch, "affine1")
    assert not controller.action("cancel").isEnabled()
    assert controller.action("cancel").shortcut().toString() == "Esc"
    controller.step()
    assert gate.reached.wait(GATE_TIMEOUT)
    enabled = {name for name, action in controller.actions.items() if action.isEnabled()}
    assert enabled == {"cancel", "break_on_nonfinite"}
    assert "a step is running" in controller.action("step").toolTip()
    controller.step()  # refused while running (a shortcut pressed twice)
    controller.step_back()
    assert controller.stepper.cursor == 0
    with qtbot.waitSignal(controller.runningChanged):
        gate.open()
    assert controller.stepper.cursor == 1
    assert not controller.action("cancel").isEnabled()
    assert controller.action("step").isEnabled() and controller.action("step_back").isEnabled()


def test_the_update_announces_the_new_weights_on_the_gui_thread(qtbot, every_action_off_thread) -> None:
    doc = Document(spirals())
    controller = DebugController(doc)
    changed: list[tuple[str, threading.Thread]] = []
    doc.bridge.valueChanged.connect(lambda node: changed.append((node, threading.current_thread())))
    with qtbot.waitSignal(controller.stateChanged, timeout=20000):
        controller.apply_update()
    qtbot.waitUntil(lambda: not controller.running)
    assert sorted(node for node, _ in changed) == sorted(controller.stepper.program.trainable)
    assert all(thread is threading.main_thread() for _, thread in changed)
    assert not doc.changed_weights() or doc.training_state.progress is not None
    assert doc.training_state.progress.updates == 1  # the next training run goes on from this update


# ------------------------------------------------------------------ errors
def _stop_of(graph_factory: Any, monkeypatch: pytest.MonkeyPatch, qtbot: Any, heavy: int) -> tuple[Any, str]:
    monkeypatch.setattr(runner, "HEAVY", heavy)
    controller = DebugController(Document(graph_factory()))
    with qtbot.waitSignal(controller.stopped, timeout=20000) as stopped:
        controller.run_forward()
    qtbot.waitUntil(lambda: not controller.running)
    return stopped.args[0], controller.status


def test_a_nan_gives_the_same_message_on_the_worker(qtbot, monkeypatch) -> None:
    here = _stop_of(build_nan_graph, monkeypatch, qtbot, 10**12)
    there = _stop_of(build_nan_graph, monkeypatch, qtbot, 1)
    assert here == there
    assert here[0].kind == "nonfinite" and here[0].node == "log"


FAILING = "raise RuntimeError('no apples today')"


@pytest.fixture
def failing_layer(trust):
    import notebook_classes as nb

    code = nb.MUL_LAYER.replace("out = x * y", FAILING)
    trust.allow([nb.MUL_LAYER, nb.ADD_LAYER, code])
    yield lambda: customised(build_apple_orange(), {"price": code})
    set_executor(None)


def test_a_failing_custom_layer_gives_the_same_message_on_the_worker(qtbot, monkeypatch, failing_layer) -> None:
    here = _stop_of(failing_layer, monkeypatch, qtbot, 10**12)
    there = _stop_of(failing_layer, monkeypatch, qtbot, 1)
    assert here == there
    assert here[0].kind == "error" and here[0].node == "price" and "no apples today" in here[0].message


def test_an_unforeseen_error_on_the_worker_is_raised_and_ends_the_action(qtbot, monkeypatch,
                                                                         every_action_off_thread) -> None:
    controller = DebugController(Document(spirals()))
    go = threading.Event()

    def broken(plan: Any, values: Any) -> Any:
        go.wait(GATE_TIMEOUT)
        raise RuntimeError("a bug in a kernel")

    monkeypatch.setattr(core.step_engine, "forward_node", broken)
    with qtbot.capture_exceptions() as raised:
        controller.step()
        assert controller.running
        go.set()
        qtbot.waitUntil(lambda: not controller.running)
    assert [str(exc) for _type, exc, _tb in raised] == ["a bug in a kernel"]
    assert controller.stepper.cursor == 0 and controller.stepper.interrupt is None
    assert controller.action("step").isEnabled() and not controller.action("cancel").isEnabled()


# ------------------------------------------------------------------ the window
def test_the_window_takes_no_edit_and_shows_cancel_while_a_step_runs(
        workbench, qtbot, monkeypatch, every_action_off_thread) -> None:
    window = workbench(Document(spirals()))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.view.setFocus()
    controller = window.debugger.controller
    gate = Gate(monkeypatch, "affine1")
    watched = ("new", "open", "save", "paste", "delete", "auto_layout")
    assert all(window.actions[name].isEnabled() for name in watched if name != "paste")
    was_enabled = {a for a in window.findChildren(type(window.actions["new"])) if a.isEnabled()}
    controller.step()
    assert gate.reached.wait(GATE_TIMEOUT)
    assert [name for name in watched if window.actions[name].isEnabled()] == []
    assert not window.training.panel.train_action.isEnabled()
    assert window.actions["zoom_in"].isEnabled()  # View ▸ stays
    assert not window.view.isInteractive() and not window.inspector_dock.widget().isEnabled()
    assert window.debugger.cancel_button.isVisibleTo(window)
    assert window.status.bar.currentMessage().startswith("Forward: affine1 (step 1 of ")
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)  # Esc cancels; the step that runs ends first
    assert controller.off_thread.run is not None and controller.off_thread.run.cancel_requested.is_set()
    with qtbot.waitSignal(controller.runningChanged):
        gate.open()
    assert controller.stepper.cursor == 1
    assert {a for a in window.findChildren(type(window.actions["new"])) if a.isEnabled()} >= was_enabled - {
        controller.action("cancel")}
    assert window.view.isInteractive() and window.inspector_dock.widget().isEnabled()
    assert not window.debugger.cancel_button.isVisibleTo(window)


def test_opening_another_document_ends_the_run_first(qtbot, monkeypatch, every_action_off_thread) -> None:
    controller = DebugController(Document(spirals()))
    gate = Gate(monkeypatch, "affine1")
    controller.run_forward()
    assert gate.reached.wait(GATE_TIMEOUT)
    old = controller.stepper
    controller.cancel_run()
    gate.open()
    controller.set_document(Document(build_mazur()))  # waits for the step that runs, then moves on
    assert not controller.running and old.cursor == 1 and old.interrupt is None
    assert controller.stepper is not old and controller.stepper.cursor == 0


# ------------------------------------------------------------------ Event.hold
def test_a_held_event_calls_back_at_release_once_per_arguments() -> None:
    event = Event("changed")
    calls: list[tuple[Any, ...]] = []
    event.connect(lambda *args: calls.append(args))
    event.hold()
    event.emit("a", 1)
    event.emit("b", 2)
    event.emit("a", 1)
    assert calls == []
    event.release()
    assert calls == [("b", 2), ("a", 1)]
    event.emit("c", 3)
    assert calls[-1] == ("c", 3)


# ------------------------------------------------------------------ what a big step shows
def test_the_range_of_a_big_array_reads_as_before() -> None:
    from core.format import format_range

    a = np.linspace(-2.5, 4.0, 64).reshape(16, 4)
    assert format_range(a) == "-2.5 … 4"
    a[3, 1], a[5, 2] = np.nan, -np.inf
    assert format_range(a) == "-2.5 … 4, 2 NaN/Inf"
    assert format_range(np.full(3, np.nan)) == "all NaN/Inf"


def test_the_heat_map_draws_a_bounded_sample_of_rows(qtbot) -> None:
    from app.debugger.heat_map import MAX_CELLS, HeatMap

    heat = HeatMap()
    qtbot.addWidget(heat)
    grid = np.arange(200_000 * 3, dtype=float).reshape(200_000, 3)
    heat.set_array(grid)
    drawn = heat.image.image  # transposed: columns × rows
    assert drawn.shape == (3, -(-200_000 // -(-200_000 // MAX_CELLS)))
    assert drawn.shape[1] <= MAX_CELLS
    assert np.array_equal(drawn[:, 1], grid[-(-200_000 // MAX_CELLS)])  # every k-th row, from the first
