"""Slow updates are handed to the GUI thread as they end: the worker asks the trainer for a call
once a block of 32 updates, or sooner when a block would take longer than HAND_OVER_S (a
whole-set update of 1,000,000 rows takes seconds: a block of them left the curve still for
a minute). The clock is the trainer's own count of updates, 0.1 s each."""
from __future__ import annotations

import types

from training_helpers import WAIT_MS, make_ui, open_example

import app.training.worker as worker_module
from app.training.worker import BLOCK, HAND_OVER_S, TrainingWorker

UPDATES = 300


def run_counting_calls(qtbot, monkeypatch, seconds_an_update: float) -> int:
    calls = [0]
    made = TrainingWorker._make_callback

    def counting(worker):
        trainer = worker.trainer
        clock = types.SimpleNamespace(perf_counter=lambda: len(trainer.losses) * seconds_an_update,
                                      thread_time=worker_module.time.thread_time)
        monkeypatch.setattr(worker_module, "time", clock)
        callback = made(worker)

        def counted(update, loss):
            calls[0] += 1
            return callback(update, loss)

        return counted

    monkeypatch.setattr(TrainingWorker, "_make_callback", counting)
    ui = make_ui(qtbot, open_example("mazur"))
    ui.panel.steps.setValue(UPDATES)
    with qtbot.waitSignal(ui.session.runFinished, timeout=WAIT_MS):
        run = ui.session.train()
    assert run.count == UPDATES
    return calls[0]


def test_updates_slower_than_a_hand_over_are_handed_over_one_by_one(qtbot, monkeypatch):
    assert 0.1 > HAND_OVER_S
    assert run_counting_calls(qtbot, monkeypatch, 0.1) >= UPDATES - 1


def test_fast_updates_are_still_handed_over_a_block_at_a_time(qtbot, monkeypatch):
    calls = run_counting_calls(qtbot, monkeypatch, 1e-5)
    assert calls < UPDATES // 4 and calls <= 2 + UPDATES // BLOCK + UPDATES // 8  # blocks and the norms' samples
