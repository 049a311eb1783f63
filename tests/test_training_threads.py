"""BLAS threads during training: one by default, the user's setting otherwise, restored after the run."""
from __future__ import annotations

import os

import pytest
from threadpoolctl import ThreadpoolController
from training_helpers import WAIT_MS, make_ui, open_example

from app.training import threads
from app.training.worker import TrainingWorker


def _blas_threads() -> list[int]:
    return [lib.num_threads for lib in ThreadpoolController().select(user_api="blas").lib_controllers]


@pytest.fixture
def seen(monkeypatch):
    """The BLAS thread counts the worker thread runs with, recorded as each run trains."""
    counts: list[list[int]] = []
    train = TrainingWorker._train

    def recording(self, steps):  # noqa: ANN001, ANN202
        counts.append(_blas_threads())
        return train(self, steps)

    monkeypatch.setattr(TrainingWorker, "_train", recording)
    return counts


def test_a_run_beside_the_window_uses_one_blas_thread_and_puts_the_count_back(qtbot, isolated_settings, seen):
    if not _blas_threads():
        pytest.skip("NumPy here has no BLAS library that threadpoolctl can find")
    before = _blas_threads()
    ui = make_ui(qtbot, open_example("xor"))
    assert ui.panel.threads.value() == 1
    with qtbot.waitSignal(ui.session.runFinished, timeout=WAIT_MS):
        ui.session.train()
    assert seen and all(n == 1 for n in seen[0])
    assert _blas_threads() == before


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: nothing more to ask for")
def test_the_threads_box_is_a_setting_of_the_computer_used_by_the_next_run(qtbot, isolated_settings, seen):
    ui = make_ui(qtbot, open_example("xor"))
    ui.panel.threads.setValue(2)
    assert threads.blas_threads() == 2 and not ui.document.is_modified()  # not an edit of the file
    with qtbot.waitSignal(ui.session.runFinished, timeout=WAIT_MS):
        ui.session.train()
    assert seen and all(n == 2 for n in seen[0])
    assert make_ui(qtbot, open_example("xor")).panel.threads.value() == 2  # remembered
