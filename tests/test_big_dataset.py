"""A file with a million-row dataset in the window: read off the GUI thread (with Cancel),
stepped with a mini-batch, trained, and plotted from a bounded sample of its rows."""
from __future__ import annotations

import json
import threading
from pathlib import Path

import numpy as np
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QProgressDialog, QPushButton

from app import debugger, training
from app.model.document import Document
from app.training.sample import PLOT_ROWS, plotted_rows
from core.graph import Graph

EXAMPLES = Path(__file__).resolve().parent.parent / "resources" / "examples"
ROWS = 1_000_000
WAIT_MS = 120_000


def _spirals(tmp_path: Path, rows: int, batch: int) -> Path:
    data = json.loads((EXAMPLES / "spirals.json").read_text(encoding="utf-8"))
    data["dataset"]["size"] = rows
    data["training"]["batch_size"] = batch
    path = tmp_path / f"spirals_{rows}.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_a_million_row_spirals_file_opens_steps_and_trains_in_the_window(make_main_window, qtbot, tmp_path):
    window = make_main_window(install=[debugger.install, training.install])
    assert window.open_file(_spirals(tmp_path, ROWS, 128))
    assert window.document.graph.dataset.rows == ROWS
    controller = window.debugger.controller
    controller.step()  # the first forward step: one mini-batch of 128 rows, not the whole set
    first = controller.stepper.steps[0].node
    assert controller.stepper.frame.values[first].shape[0] == 128
    session = window.training.session
    window.training.panel.steps.setValue(20)
    with qtbot.waitSignal(session.runFinished, timeout=WAIT_MS):
        session.train()
    run = session.runs[-1]
    assert (run.count, run.status) == (20, "finished") and np.all(np.isfinite(run.losses[:20]))
    decision = window.training.plots.model.decision
    assert len(decision.points.data) == PLOT_ROWS  # a bounded sample, not a spot per row
    assert decision.plot.titleLabel.text == f"{PLOT_ROWS:,} of {ROWS:,} rows drawn"


def test_a_small_dataset_is_plotted_whole_and_a_big_one_by_the_same_sample_each_time():
    assert np.array_equal(plotted_rows(200), np.arange(200))
    rows = plotted_rows(ROWS)
    assert len(rows) == PLOT_ROWS == len(np.unique(rows)) and rows.max() < ROWS
    assert np.all(np.diff(rows) > 0) and np.array_equal(rows, plotted_rows(ROWS))


def test_cancelling_a_slow_open_leaves_the_window_on_its_document(make_main_window, qtbot, tmp_path, monkeypatch):
    window = make_main_window()
    before = window.document
    release = threading.Event()

    def slow_read(path: Path) -> Graph:
        release.wait(WAIT_MS / 1000)
        return Graph()

    monkeypatch.setattr(Document, "read", staticmethod(slow_read))
    shown: list[bool] = []

    def cancel() -> None:
        dialog = window.findChild(QProgressDialog)
        shown.append(dialog is not None)
        dialog.findChild(QPushButton).click()  # the user's Cancel

    QTimer.singleShot(0, cancel)  # runs inside the wait: the GUI thread is not blocked
    try:
        assert window.open_file(tmp_path / "slow.json") is False
    finally:
        release.set()
    assert shown == [True] and window.document is before
