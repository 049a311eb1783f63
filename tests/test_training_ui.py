"""Training from the dock: same numbers as the engine and the CLI, Pause/Resume, Stop, settings, Reset."""
from __future__ import annotations

import csv

import numpy as np
import pytest
from PySide6.QtCore import Qt
from training_helpers import (
    MAZUR,
    WAIT_MS,
    assert_same_weights,
    graph_weights,
    make_ui,
    open_example,
    reference,
)

from app.cli.main import main as cli_main
from app.commands import RemoveNodes
from app.training.runs import FINISHED, NONFINITE, PAUSED, STOPPED
from app.training.session import IDLE, RUNNING
from core.program import Program
from core.settings import MAX_BATCH_SIZE, MAX_SEED
from core.trainer import CHECK_EVERY, Trainer


def _paused(state: str) -> bool:
    return state == PAUSED


def test_mazur_10000_updates_from_the_dock_match_the_engine_and_the_cli(qtbot, tmp_path):
    ui = make_ui(qtbot, open_example("mazur"))
    assert ui.panel.steps.value() == 10_000 and ui.panel.learning_rate.value() == 0.5
    with qtbot.waitSignal(ui.session.runFinished, timeout=WAIT_MS) as finished:
        qtbot.mouseClick(ui.panel.train_button, Qt.MouseButton.LeftButton)
    run = finished.args[0]
    assert (run.status, run.count) == (FINISHED, 10_000)

    engine = reference(MAZUR, 10_000)
    assert np.array_equal(run.history, np.array(engine.losses))
    assert run.history[0] == pytest.approx(0.298371109, abs=1e-9)  # Mazur's first total error
    assert run.history[-1] == pytest.approx(3.51085e-05, rel=1e-4)  # and after 10,000 updates

    out = tmp_path / "cli.csv"
    assert cli_main(["train", str(MAZUR), "--steps", "10000", "--csv", str(out)]) == 0
    with out.open(newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["update", "loss_in_update"]
    assert [int(r[0]) for r in rows[1:]] == list(range(1, 10_001))
    assert np.array_equal(run.history, np.array([float(r[1]) for r in rows[1:]]))

    x, y = ui.plots.loss.curve_data(run)  # the plot holds exactly the run's history
    assert np.array_equal(x, np.arange(1, 10_001)) and np.array_equal(y, run.history)
    assert_same_weights(graph_weights(ui.document), engine.weights())  # written back
    assert ui.document.is_modified()
    assert ui.panel.progress.value() == 10_000 and "10,000 / 10,000" in ui.panel.progress.format()
    assert ui.session.state == IDLE and ui.panel.train_button.isEnabled()


def test_pause_and_resume_end_with_the_weights_of_an_uninterrupted_run(qtbot):
    ui = make_ui(qtbot, open_example("mazur"))
    ui.panel.steps.setValue(100_000)
    session = ui.session
    run = session.train()
    assert session.state == RUNNING and not ui.panel.train_button.isEnabled()
    for target in (0, 20_000, 40_000):  # the first pause comes before the first update is done
        qtbot.waitUntil(lambda target=target: run.count >= target, timeout=WAIT_MS)
        with qtbot.waitSignal(session.stateChanged, timeout=WAIT_MS, check_params_cb=_paused):
            session.pause()
        assert run.status == PAUSED and target <= run.count < 100_000
        assert ui.panel.pause_button.text() == "Resume" and ui.panel.train_button.isEnabled() is False
        plural = "" if run.count == 1 else "s"  # the first pause may come after exactly one
        assert ui.panel.status.text() == f"Run 1 paused after {run.count:,} update{plural}"
        # while paused the graph holds the trainer's weights after that many updates
        assert_same_weights(graph_weights(ui.document), reference(MAZUR, run.count).weights())
        qtbot.mouseClick(ui.panel.pause_button, Qt.MouseButton.LeftButton)  # Resume
        assert session.state == RUNNING
    with qtbot.waitSignal(session.runFinished, timeout=WAIT_MS):
        pass
    assert (run.status, run.count) == (FINISHED, 100_000)
    engine = reference(MAZUR, 100_000)
    assert np.array_equal(run.history, np.array(engine.losses))
    assert_same_weights(graph_weights(ui.document), engine.weights())


def test_stop_mid_run_leaves_consistent_weights_and_a_partial_curve(qtbot):
    ui = make_ui(qtbot, open_example("mazur"))
    ui.panel.steps.setValue(5_000_000)
    run = ui.session.train()
    qtbot.waitUntil(lambda: run.count >= 2_000, timeout=WAIT_MS)
    with qtbot.waitSignal(ui.session.runFinished, timeout=WAIT_MS):
        qtbot.mouseClick(ui.panel.stop_button, Qt.MouseButton.LeftButton)
    assert run.status == STOPPED and 2_000 <= run.count < 5_000_000
    engine = reference(MAZUR, run.count)
    assert_same_weights(graph_weights(ui.document), engine.weights())
    assert np.array_equal(run.history, np.array(engine.losses))
    x, y = ui.plots.loss.curve_data(run)
    assert len(x) == run.count and np.array_equal(y, run.history)
    assert "stopped" in ui.panel.status.text()


def test_stop_right_after_train_still_stops(qtbot):
    """A Stop sent before the worker's Trainer.run begins must not be lost (the trainer keeps it)."""
    ui = make_ui(qtbot, open_example("mazur"))
    ui.panel.steps.setValue(5_000_000)
    with qtbot.waitSignal(ui.session.runFinished, timeout=WAIT_MS) as finished:
        ui.session.train()
        ui.session.stop()
    run = finished.args[0]
    assert run.status == STOPPED and run.count < 5_000_000
    assert_same_weights(graph_weights(ui.document), reference(MAZUR, run.count).weights())


def test_stop_from_a_pause_ends_the_run(qtbot):
    ui = make_ui(qtbot, open_example("mazur"))
    ui.panel.steps.setValue(5_000_000)
    run = ui.session.train()
    with qtbot.waitSignal(ui.session.stateChanged, timeout=WAIT_MS, check_params_cb=_paused):
        ui.session.pause()
    with qtbot.waitSignal(ui.session.runFinished, timeout=WAIT_MS):
        ui.session.stop()
    assert run.status == STOPPED and ui.session.state == IDLE and ui.session.current is None


def test_settings_widgets_push_undoable_commands_saved_with_the_graph(qtbot):
    ui = make_ui(qtbot, open_example("xor"))
    doc, panel = ui.document, ui.panel
    assert not doc.is_modified()
    panel.optimizer.setCurrentIndex(panel.optimizer.findData("adam"))
    panel.learning_rate.setValue(0.01)
    panel.batch_size.setValue(2)
    panel.seed.setValue(7)
    panel.steps.setValue(123)
    s = doc.graph.settings
    assert (s.optimizer, s.learning_rate, s.batch_size, s.seed, s.steps) == ("adam", 0.01, 2, 7, 123)
    assert doc.is_modified() and doc.undo_stack.count() == 5
    assert doc.undo_stack.text(1) == "Set learning rate = 0.01"
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    assert panel.seed.value() == 0 and panel.steps.value() == 1000  # the widgets follow undo
    doc.undo_stack.redo()
    assert panel.seed.value() == 7 and doc.graph.settings.seed == 7


def test_the_dock_holds_the_largest_batch_size_and_seed_a_file_may_give(qtbot):
    document = open_example("xor")
    document.graph.set_settings(document.graph.settings.with_changes(batch_size=MAX_BATCH_SIZE, seed=MAX_SEED))
    ui = make_ui(qtbot, document)
    assert (ui.panel.batch_size.value(), ui.panel.seed.value()) == (MAX_BATCH_SIZE, MAX_SEED)
    ui.panel.steps.setValue(5)  # an edit elsewhere writes the boxes back unchanged
    assert (document.graph.settings.batch_size, document.graph.settings.seed) == (MAX_BATCH_SIZE, MAX_SEED)


def test_learning_rate_box_reads_scientific_notation(qtbot):
    ui = make_ui(qtbot, open_example("mazur"))
    box = ui.panel.learning_rate
    box.lineEdit().selectAll()
    qtbot.keyClicks(box.lineEdit(), "2e-3")
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)
    assert ui.document.graph.settings.learning_rate == 0.002
    assert box.text() == "0.002"


def test_the_run_uses_settings_changed_in_the_dock(qtbot):
    ui = make_ui(qtbot, open_example("xor"))
    ui.panel.optimizer.setCurrentIndex(ui.panel.optimizer.findData("momentum"))
    ui.panel.batch_size.setValue(2)
    ui.panel.steps.setValue(300)
    with qtbot.waitSignal(ui.session.runFinished, timeout=WAIT_MS) as finished:
        ui.session.train()
    engine = reference(ui.document.path, 300, optimizer="momentum", batch_size=2)
    assert np.array_equal(finished.args[0].history, np.array(engine.losses))


def test_reset_restores_the_weights_as_loaded_and_runs_start_from_them(qtbot):
    ui = make_ui(qtbot, open_example("mazur"))
    loaded = {k: v.copy() for k, v in graph_weights(ui.document).items()}
    ui.panel.steps.setValue(500)
    with qtbot.waitSignal(ui.session.runFinished, timeout=WAIT_MS) as first:
        ui.session.train()
    with qtbot.waitSignal(ui.session.runFinished, timeout=WAIT_MS) as second:
        ui.session.train()  # starts from the loaded weights again: the same curve
    assert np.array_equal(first.args[0].history, second.args[0].history)

    ui.panel.from_initial.setChecked(False)  # now a run continues from the trained weights
    with qtbot.waitSignal(ui.session.runFinished, timeout=WAIT_MS) as third:
        ui.session.train()
    assert np.array_equal(third.args[0].history, np.array(reference(MAZUR, 1000).losses[500:]))

    with qtbot.waitSignal(ui.session.weightsChanged):
        qtbot.mouseClick(ui.panel.reset_button, Qt.MouseButton.LeftButton)
    assert_same_weights(graph_weights(ui.document), loaded)


def test_reset_is_disabled_while_a_run_goes_on(qtbot):
    ui = make_ui(qtbot, open_example("mazur"))
    ui.panel.steps.setValue(5_000_000)
    ui.session.train()
    assert not ui.panel.reset_button.isEnabled() and not ui.panel.reset_action.isEnabled()
    assert ui.panel.stop_button.isEnabled() and ui.panel.pause_button.isEnabled()
    with qtbot.waitSignal(ui.session.runFinished, timeout=WAIT_MS):
        ui.session.stop()
    assert ui.panel.reset_button.isEnabled() and not ui.panel.stop_button.isEnabled()


def test_a_graph_that_cannot_run_gives_a_message_not_a_run(qtbot):
    ui = make_ui(qtbot, open_example("mazur"))
    ui.document.undo_stack.push(RemoveNodes(ui.document, ["W2"]))
    assert not ui.panel.train_button.isEnabled()  # the panel says why instead
    assert ui.panel.status.text().startswith("Cannot train:") and "affine2" in ui.panel.status.text()
    with qtbot.waitSignal(ui.session.message) as message:
        ui.session.train()  # asked anyway (a script, a test): a message, no run
    assert message.args[0].startswith("Cannot train:") and "affine2" in message.args[0]
    assert ui.session.runs == [] and ui.session.state == IDLE
    ui.document.undo_stack.undo()
    assert ui.panel.train_button.isEnabled() and ui.panel.status.text() == " "


def test_a_loss_that_becomes_nan_ends_the_run_with_a_message(qtbot):
    ui = make_ui(qtbot, open_example("sine"))
    ui.panel.optimizer.setCurrentIndex(ui.panel.optimizer.findData("sgd"))
    ui.panel.learning_rate.setValue(500.0)
    with qtbot.waitSignal(ui.session.runFinished, timeout=WAIT_MS) as finished:
        ui.session.train()
    run = finished.args[0]
    assert run.status == NONFINITE and not np.isfinite(run.history[-1])
    assert f"update {run.count}" in ui.panel.status.text()
    _, y = ui.plots.loss.curve_data(run)
    assert len(y) == run.count - 1 and np.all(np.isfinite(y))  # the curve leaves out the NaN


def test_a_node_that_overflows_ends_the_run_though_the_loss_stays_finite(qtbot):
    ui = make_ui(qtbot, open_example("sine"))
    w1 = ui.document.graph.nodes["W1"].value.copy()
    w1[0, 0] = 1.7e308  # W1·x overflows for some rows; tanh saturates and the loss stays finite
    ui.document.graph.set_value("W1", w1)
    with qtbot.waitSignal(ui.session.runFinished, timeout=WAIT_MS) as finished:
        ui.session.train()
    run = finished.args[0]
    assert run.status == NONFINITE and run.count == CHECK_EVERY and np.all(np.isfinite(run.history))
    assert run.message.startswith("affine1 made ") and run.message.endswith("its largest input is W1, up to 1.7e+308")
    assert ui.panel.status.text() == f"Run 1 stopped: {run.message}"
    _, y = ui.plots.loss.curve_data(run)
    assert np.array_equal(y, run.history)  # every loss was finite: the whole curve is drawn


def test_starting_a_run_writes_nothing_into_the_graph(qtbot):
    """The first run's trainer takes the initial weights; the graph changes once, when the run ends."""
    ui = make_ui(qtbot, open_example("mazur"))
    ui.panel.steps.setValue(50)
    with qtbot.waitSignal(ui.session.runFinished, timeout=WAIT_MS):
        ui.session.train()
    changed: list[str] = []
    ui.document.bridge.valueChanged.connect(lambda node, *_: changed.append(node))
    with qtbot.waitSignal(ui.session.runFinished, timeout=WAIT_MS) as finished:
        ui.session.train()
        assert changed == []  # the graph still shows the first run's weights while the second starts
    assert sorted(changed) == ["W1", "W2"]  # the write-back
    assert_same_weights(graph_weights(ui.document), reference(MAZUR, 50).weights())
    assert np.array_equal(finished.args[0].history, np.array(reference(MAZUR, 50).losses))
    changed.clear()
    ui.session.reset_weights()
    assert sorted(changed) == ["W1", "W2"]
    ui.session.reset_weights()  # the weights are the initial ones already: nothing to tell anyone
    assert sorted(changed) == ["W1", "W2"]


def test_removing_a_parameter_during_a_run_writes_back_the_others(qtbot):
    ui = make_ui(qtbot, open_example("mazur"))
    ui.panel.steps.setValue(5_000_000)
    run = ui.session.train()
    qtbot.waitUntil(lambda: run.count > 100, timeout=WAIT_MS)
    ui.document.undo_stack.push(RemoveNodes(ui.document, ["W2"]))  # the person edits meanwhile
    with qtbot.waitSignal(ui.session.runFinished, timeout=WAIT_MS):
        ui.session.stop()
    assert list(graph_weights(ui.document)) == ["W1"]
    assert np.array_equal(ui.document.graph.nodes["W1"].value, reference(MAZUR, run.count).weights()["W1"])


def test_weights_during_a_run_come_from_the_trainer(qtbot):
    ui = make_ui(qtbot, open_example("mazur"))
    ui.panel.steps.setValue(5_000_000)
    run = ui.session.train()
    qtbot.waitUntil(lambda: run.count > 100, timeout=WAIT_MS)
    during = ui.session.weights()
    assert not np.array_equal(during["W1"], ui.document.graph.nodes["W1"].value)
    with qtbot.waitSignal(ui.session.runFinished, timeout=WAIT_MS):
        ui.session.stop()
    assert_same_weights(ui.session.weights(), graph_weights(ui.document))


def test_parameter_norms_are_sampled_at_the_trainers_weights(qtbot):
    ui = make_ui(qtbot, open_example("sine"))
    with qtbot.waitSignal(ui.session.runFinished, timeout=WAIT_MS) as finished:
        ui.session.train()
    trace = finished.args[0].params
    assert trace.names == ["W1", "b1", "W2", "b2"] and len(trace.updates) >= 3
    assert trace.updates[0] == 0 and trace.updates[-1] == 1000
    assert trace.updates == sorted(set(trace.updates))
    k = trace.updates[len(trace.updates) // 2]
    engine = reference(ui.document.path, k)
    program = Program(engine.graph)
    assert set(program.trainable) == set(trace.names)
    for name in trace.names:
        i = trace.updates.index(k)
        assert trace.norms[name][i] == pytest.approx(np.linalg.norm(engine.weights()[name]), rel=1e-12)
    assert all(g > 0 for g in trace.grad_norms["W1"])
    ui.plots.setCurrentWidget(ui.plots.params)
    weight, _ = ui.plots.params.curves["W2"]
    assert np.array_equal(weight.getOriginalDataset()[0], np.array(trace.updates, dtype=float))


def test_trainer_comparison_uses_a_fresh_trainer_each_time():
    """The reference helper itself: two calls agree (no state shared between them)."""
    a, b = reference(MAZUR, 50), reference(MAZUR, 50)
    assert np.array_equal(a.losses, b.losses) and isinstance(a, Trainer)
