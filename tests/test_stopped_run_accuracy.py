"""A run's accuracy and held-out figures follow what it did, not what it planned: a stopped (or
failed) run is measured on the weights it ended with, measurements come during a long planned
run, and the loss plot's x axis spans the updates done (app.training.heldout, worker, session,
view_follow)."""
from __future__ import annotations

import json
import threading

import numpy as np
import pytest
from training_helpers import EXAMPLES, MAZUR, WAIT_MS, make_ui

from app.model.document import Document
from app.training.heldout import EVALS_PER_RUN, MIN_EVALS_PER_RUN, Evaluator, spacing
from app.training.runs import FAILED, PAUSED, STOPPED, summary_text
from app.training.view_follow import axis_end
from core import io
from core.data.evaluate import evaluate, graph_leaves
from core.program import Program
from core.trainer import Trainer

PLANNED = 10_000_000


def _spirals(tmp_path, steps: int = PLANNED) -> Document:
    """Spirals of 2,000 rows, a fifth held out, mini-batches of 16, ``steps`` updates planned."""
    data = json.loads((EXAMPLES / "spirals.json").read_text(encoding="utf-8"))
    data["dataset"].update(size=2_000, test_fraction=0.2)
    data["training"].update(batch_size=16, steps=steps)
    path = tmp_path / "spirals.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return Document.open(path)


def _measured_now(graph):
    """(training rows, held-out rows) evaluations of the graph's weights (the run's, written back)."""
    program = Program(graph)
    leaves = graph_leaves(program, graph)
    data = graph.dataset
    return evaluate(program, leaves, data.train_fields), evaluate(program, leaves, data.test_fields)


def _until_measured(qtbot, session, end) -> None:
    """Call ``end`` (Stop, or what ends the run) and wait for the run's end and, when one was
    needed, the measurement of its final weights (none when the run ended just after one)."""
    with qtbot.waitSignal(session.runFinished, timeout=WAIT_MS):
        end()
    if session.runs[-1].measuring:
        with qtbot.waitSignal(session.runMeasured, timeout=WAIT_MS):
            pass


def test_a_stopped_run_is_measured_on_the_weights_it_ended_with(qtbot, tmp_path) -> None:
    ui = make_ui(qtbot, _spirals(tmp_path))
    session = ui.session
    run = session.train()
    qtbot.waitUntil(lambda: run.count >= 400, timeout=WAIT_MS)
    _until_measured(qtbot, session, session.stop)
    assert run.status == STOPPED and not run.measuring
    train, test = _measured_now(ui.document.graph)
    last = run.evals.last()
    assert last["update"] == run.count  # the last measurement is of the final weights
    assert last["train_accuracy"] == train.accuracy and last["test_accuracy"] == test.accuracy
    assert last["test_loss"] == pytest.approx(test.loss, rel=1e-12)
    assert run.evals.train_accuracy[0] != train.accuracy  # it learned since update 0: not its first figure
    text = summary_text(run)
    assert text.startswith(f"Run 1 stopped: {run.count:,} updates in ")
    assert text.endswith(f", held-out loss {test.loss:#.3g}, held-out accuracy {100 * test.accuracy:.1f}%, "
                         f"training accuracy {100 * train.accuracy:.1f}%")
    assert ui.panel.status.text() == text
    ui.plots.accuracy.redraw()
    readout = ui.plots.accuracy.readout.text()
    assert readout.startswith(f"Run 1 at update {run.count:,}: training {100 * train.accuracy:.1f}%")
    x, _ = ui.plots.accuracy.curve_data(run, "train_accuracy")
    assert x[-1] == run.count


def test_until_the_measurement_lands_the_summary_names_no_earlier_one(qtbot, tmp_path, monkeypatch) -> None:
    gate = threading.Event()  # the measurement after the run waits for it: the test sees the time before
    measure = Evaluator.measure

    def held(self, trace, update):  # noqa: ANN001
        if threading.current_thread().name == "measuring":
            assert gate.wait(WAIT_MS / 1000)
        measure(self, trace, update)

    monkeypatch.setattr(Evaluator, "measure", held)
    ui = make_ui(qtbot, _spirals(tmp_path))
    run = ui.session.train()
    seen = []  # at the run's end: whether it is being measured, and what the dock says
    ui.session.runFinished.connect(lambda r: seen.append((r.measuring, ui.panel.status.text())))
    qtbot.waitUntil(lambda: run.count >= 50 and len(run.evals.updates) >= 2, timeout=WAIT_MS)
    with qtbot.waitSignal(ui.session.runFinished, timeout=WAIT_MS):
        ui.session.stop()
    if run.evals.last()["update"] == run.count:  # the run ended just after a measurement: nothing to wait for
        assert seen == [(False, summary_text(run))] and "training accuracy" in seen[0][1]
        return
    (measuring, said), = seen
    assert measuring and said.endswith(", measuring its final weights…") and "accuracy" not in said
    with qtbot.waitSignal(ui.session.runMeasured, timeout=WAIT_MS):
        gate.set()
    assert "training accuracy" in ui.panel.status.text() and not run.measuring


def test_a_run_that_fails_after_some_updates_is_measured_too(qtbot, tmp_path, monkeypatch) -> None:
    ran = Trainer.run

    def fails_after_60(trainer, steps=None, callback=None):  # noqa: ANN001
        ran(trainer, 60, callback)
        raise RuntimeError("the disk went away")

    monkeypatch.setattr(Trainer, "run", fails_after_60)
    ui = make_ui(qtbot, _spirals(tmp_path))
    _until_measured(qtbot, ui.session, ui.session.train)
    run = ui.session.runs[-1]
    assert run.status == FAILED and run.count == 60 and "the disk went away" in run.message
    assert run.evals.last()["update"] == 60
    worker = ui.session.worker
    program, graph = worker.trainer.program, worker.trainer.graph  # a failed run's weights stay in its trainer
    leaves = {**graph_leaves(program, graph), **worker.trainer.params}
    held = evaluate(program, leaves, graph.dataset.test_fields)
    assert run.evals.last()["test_loss"] == pytest.approx(held.loss, rel=1e-12)


def test_measurements_come_during_a_long_planned_run(qtbot, tmp_path) -> None:
    ui = make_ui(qtbot, _spirals(tmp_path))
    run = ui.session.train()
    qtbot.waitUntil(lambda: len(run.evals.updates) >= 6, timeout=WAIT_MS)
    with qtbot.waitSignal(ui.session.runFinished, timeout=WAIT_MS):
        ui.session.stop()
    first = run.evals.updates[:6]
    assert first[0] == 0 and first == sorted(set(first))
    # spaced by what had run: the old spacing (planned / EVALS_PER_RUN) put the second at update 50,000
    assert first[-1] < PLANNED // EVALS_PER_RUN
    x, y = ui.plots.accuracy.curve_data(run, "train_accuracy")
    assert len(x) >= 6 and np.all((0 <= y) & (y <= 100))


def test_the_spacing_follows_the_updates_done() -> None:
    assert spacing(0, PLANNED, None) == 1  # a measurement soon after the start
    assert spacing(13_406, PLANNED, None) == 13_406 // EVALS_PER_RUN
    assert spacing(13_406, PLANNED, 5) == 67 and spacing(13_406, PLANNED, 900) == 900  # cost decides above the least
    assert spacing(13_406, PLANNED, 10**9) == PLANNED // MIN_EVALS_PER_RUN  # however costly, 50 in a planned run
    assert spacing(1_500, 2_000, None) == 7 and spacing(1_500, 2_000, 10**6) == 40  # a short run as before


def test_the_loss_plots_x_axis_spans_the_updates_done(qtbot) -> None:
    document = Document(io.load(MAZUR))
    document.graph.set_settings(document.graph.settings.with_changes(steps=5_000_000))
    ui = make_ui(qtbot, document)
    run = ui.session.train()
    loss = ui.plots.loss
    qtbot.waitUntil(lambda: run.count >= 3_000, timeout=WAIT_MS)
    with qtbot.waitSignal(ui.session.stateChanged, timeout=WAIT_MS, check_params_cb=lambda s: s == PAUSED):
        ui.session.pause()
    loss.redraw()
    loss.plot_widget.viewport().repaint()
    left, right = loss.plot.getViewBox().viewRange()[0]
    end = axis_end(run.count, run.capacity)
    assert run.count <= end <= 2.5 * run.count and end < run.capacity // 100
    assert left <= 1 and end <= right <= end * 1.1  # the planned 5,000,000 would have put the run at 0
    with qtbot.waitSignal(ui.session.runFinished, timeout=WAIT_MS):
        ui.session.stop()
    loss.plot_widget.viewport().repaint()
    right = loss.plot.getViewBox().viewRange()[0][1]
    assert run.count <= right <= run.count * 1.1  # an ended run: its updates exactly


def test_the_axis_grows_in_steps_up_to_the_planned_run() -> None:
    ends = [axis_end(done, 5_000) for done in (0, 10, 11, 21, 51, 101, 999, 1_001, 2_001, 4_999, 5_000)]
    assert ends == [10, 10, 20, 50, 100, 200, 1_000, 2_000, 5_000, 5_000, 5_000]
    assert axis_end(13_406, PLANNED) == 20_000 and axis_end(3, 5) == 5
