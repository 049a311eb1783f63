"""Stop in the window while one update is long: the training session's Stop, and closing (the
session's shutdown), end a run whose update is held inside a node's kernel at once, with the
weights of the updates it finished (equal to a headless trainer's after that many), a stopped
status and the curve of those updates; a run that is not stopped trains to the end as before."""
from __future__ import annotations

import threading

import numpy as np
from long_update_helpers import WAIT_S, held, long_graph  # noqa: F401 - held is a fixture
from PySide6.QtCore import Qt
from training_helpers import WAIT_MS, assert_same_weights, graph_weights, make_ui, open_example

from app.model.document import Document
from app.training.runs import FINISHED, PAUSED, RUNNING, STOPPED
from core.trainer import Trainer

DONE = 2  # updates the run finishes before the held one


def headless(updates: int) -> Trainer:
    trainer = Trainer(long_graph())
    trainer.run(updates)
    return trainer


def test_stop_inside_a_long_update_ends_the_run_with_the_finished_updates_weights(qtbot, held):  # noqa: F811
    forward, _ = held
    forward.hold_at = DONE + 1  # the worker's calls only: the views' own passes run on the GUI thread
    ui = make_ui(qtbot, Document(long_graph()))
    ui.panel.steps.setValue(1000)
    run = ui.session.train()
    assert run is not None
    forward.wait_entered()
    with qtbot.waitSignal(ui.session.runFinished, timeout=WAIT_MS):
        qtbot.mouseClick(ui.panel.stop_button, Qt.MouseButton.LeftButton)
        forward.open()
    assert run.status == STOPPED and run.count == DONE
    engine = headless(DONE)
    assert_same_weights(graph_weights(ui.document), engine.weights())
    assert np.array_equal(run.history, np.array(engine.losses))
    assert "stopped" in ui.panel.status.text()


def test_closing_inside_a_long_update_ends_the_run_at_once(qtbot, held):  # noqa: F811
    """shutdown (the window closing) stops the run and waits for its thread: the held update is
    let go only once the stop was asked, and it is given up."""
    forward, _ = held
    forward.hold_at = DONE + 1
    ui = make_ui(qtbot, Document(long_graph()))
    ui.panel.steps.setValue(1000)
    run = ui.session.train()
    assert run is not None
    forward.wait_entered()
    trainer = ui.session.worker.trainer

    def open_once_stopped() -> None:
        trainer._stop.wait(WAIT_S)
        forward.open()

    threading.Thread(target=open_once_stopped, daemon=True).start()
    ui.session.shutdown()
    assert run.status == STOPPED and run.count == DONE
    assert_same_weights(graph_weights(ui.document), headless(DONE).weights())


def test_a_long_run_not_stopped_trains_to_its_end(qtbot, held):  # noqa: F811
    ui = make_ui(qtbot, Document(long_graph()))
    ui.panel.steps.setValue(4)
    with qtbot.waitSignal(ui.session.runFinished, timeout=WAIT_MS):
        run = ui.session.train()
    assert run.status == FINISHED and run.count == 4
    engine = headless(4)
    assert_same_weights(graph_weights(ui.document), engine.weights())
    assert np.array_equal(run.history, np.array(engine.losses))


def test_a_stop_asked_after_a_paused_run_had_ended_does_not_end_the_resumed_run(qtbot):
    """A second Pause that reaches the trainer after its run ended (while the thread does its last
    work) must not end the run that Resume starts at once."""
    ui = make_ui(qtbot, open_example("mazur"))
    ui.panel.steps.setValue(5_000_000)
    run = ui.session.train()
    with qtbot.waitSignal(ui.session.stateChanged, timeout=WAIT_MS, check_params_cb=lambda s: s == PAUSED):
        ui.session.pause()
    paused_at = run.count
    ui.session.worker.trainer.stop()  # the late request: no run is going on
    ui.session.resume()
    qtbot.waitUntil(lambda: run.count > paused_at or ui.session.state != RUNNING, timeout=WAIT_MS)
    assert ui.session.state == RUNNING and run.count > paused_at
    with qtbot.waitSignal(ui.session.runFinished, timeout=WAIT_MS):
        ui.session.stop()
    assert run.status == STOPPED
