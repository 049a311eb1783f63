"""The status line while a training run goes on says so, in place of what the debugger or a
gradient check said before (a cancelled check's "no verdict", or "Step (F10) runs the first" while
Step is greyed out); once the run ends the debugger's state comes back, with the training step
after the run's updates."""
from __future__ import annotations

from PySide6.QtWidgets import QApplication
from training_helpers import WAIT_MS, open_example

from app.debugger.status import TRAINING


def test_the_status_line_says_training_runs_and_comes_back_after(workbench, qtbot):
    window = workbench(open_example("mazur"), (1280, 800))
    c = window.debugger.controller
    bar = window.statusBar()
    c._set_status("Gradient check cancelled after 7,260 of 34,499 elements: no verdict")  # a stale note
    training = window.training
    training.panel.steps.setValue(1_000_000)
    ticks = []
    training.session.ticked.connect(lambda: ticks.append(training.session.state))
    training.session.train()
    qtbot.waitUntil(lambda: ticks.count("running") >= 3, timeout=WAIT_MS)  # the run goes on, refreshing
    for text in (TRAINING, bar.currentMessage(), c.status):
        assert text.startswith("Training run in progress") and "no verdict" not in text and "F10" not in text
    assert bar.currentMessage() == c.status == TRAINING
    with qtbot.waitSignal(training.session.runFinished, timeout=WAIT_MS):
        training.session.stop()
    for _ in range(5):
        QApplication.processEvents()
    n = c.stepper.iteration
    assert n > 0
    assert c.status == f"Debugger ready at the start of training step {n + 1:,} (12 steps); Step (F10) runs the first"
    for text in ("Open a graph file", ""):  # a status tip wipes the run's summary; the debugger's line comes back
        bar.showMessage(text)
    assert bar.currentMessage() == c.status
