"""The worker hands the losses to the GUI thread in blocks: the curve the window shows at every
redraw is the headless run's losses so far, through a pause and a resume, and the trainer calls
the worker once a block rather than once an update."""
from __future__ import annotations

import numpy as np
from training_helpers import MAZUR, WAIT_MS, assert_same_weights, graph_weights, make_ui, open_example, reference

from app.training.runs import FINISHED, PAUSED
from app.training.worker import BLOCK, SAMPLES_PER_RUN, TrainingWorker

UPDATES = 60_000


def test_every_redraw_shows_the_headless_losses_so_far_and_the_worker_is_called_once_a_block(qtbot, monkeypatch):
    calls = [0]
    made = TrainingWorker._make_callback

    def counting(worker):
        callback = made(worker)

        def counted(update, loss):
            calls[0] += 1
            return callback(update, loss)

        return counted

    monkeypatch.setattr(TrainingWorker, "_make_callback", counting)
    engine = reference(MAZUR, UPDATES)
    expected = np.array(engine.losses)
    ui = make_ui(qtbot, open_example("mazur"))
    ui.panel.steps.setValue(UPDATES)
    plot = ui.plots.loss
    seen: list[int] = []

    def check() -> None:
        run = ui.session.runs[-1]
        x, y = plot.curve_data(run)
        seen.append(len(y))
        assert np.array_equal(y, expected[: len(y)]) and np.array_equal(x, np.arange(1, len(y) + 1))
        assert np.array_equal(run.losses[: run.count], expected[: run.count])

    plot.redrawn.connect(check)
    run = ui.session.train()
    qtbot.waitUntil(lambda: run.count >= UPDATES // 3, timeout=WAIT_MS)
    with qtbot.waitSignal(ui.session.stateChanged, timeout=WAIT_MS, check_params_cb=lambda s: s == PAUSED):
        ui.session.pause()
    paused_at = run.count
    assert run.status == PAUSED and 0 < paused_at < UPDATES
    with qtbot.waitSignal(ui.session.runFinished, timeout=WAIT_MS):
        ui.session.resume()
    assert (run.status, run.count) == (FINISHED, UPDATES)
    assert np.array_equal(run.history, expected)
    assert_same_weights(graph_weights(ui.document), engine.weights())
    assert seen[-1] == UPDATES and any(0 < n < UPDATES for n in seen)  # the curve grew while training
    # two threads (the pause): each called after its first update, at each block's end, and for
    # the norms' samples; never once an update
    assert calls[0] <= 2 * (2 + UPDATES // BLOCK + SAMPLES_PER_RUN) < UPDATES // 4
