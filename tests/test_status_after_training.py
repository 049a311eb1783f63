"""The status bar after a training run: its summary shows, and once a menu's status tip wipes it,
what comes back is the debugger's state now (the start of the training step after the run's
updates), never the message of a step from before the run."""
from __future__ import annotations

from PySide6.QtWidgets import QApplication
from training_helpers import WAIT_MS, open_example

from app.training.runs import summary_text


def test_after_training_the_status_bar_tells_the_state_now(workbench, qtbot):
    window = workbench(open_example("mazur"), (1280, 800))
    c = window.debugger.controller
    bar = window.statusBar()
    c.run_steps(5)  # F10 five times: forward loss, training step 1
    assert "loss = 0.29837111" in bar.currentMessage()
    training = window.training
    training.panel.steps.setValue(300)
    with qtbot.waitSignal(training.session.runFinished, timeout=WAIT_MS) as finished:
        training.session.train()
    summary = summary_text(finished.args[0])
    qtbot.waitUntil(lambda: bar.currentMessage() == summary)
    for _ in range(5):
        QApplication.processEvents()
    assert bar.currentMessage() == summary  # the run's summary is not displaced by the debugger
    assert c.stepper.iteration == 300 and c.stepper.cursor == 0
    assert c.status == "Debugger ready at the start of training step 301 (12 steps); Step (F10) runs the first"
    for text in ("Open a graph file", ""):  # hovering a menu entry, then closing the menu
        bar.showMessage(text)
    assert bar.currentMessage() == c.status
    assert window.debugger.program_view.header.text().replace("\u00a0", " ").startswith("<b>Training step 301</b>")
    c.step()
    assert bar.currentMessage().startswith("Forward pass · step 1 / 12: forward affine1 · training step 301")
