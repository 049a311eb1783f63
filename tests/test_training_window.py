"""Training in the whole workbench (app.window.launch.create_window): the dock's layout in its narrow tab, the
plots dock that waits for the first run, the status bar during and after a run, the menu's actions."""
from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QPushButton,
)
from training_helpers import WAIT_MS, open_example, train_in_window

from app.training.runs import FINISHED, summary_text

SIZES = [(1280, 800), (1600, 1000)]


def _needed_width(widget) -> int:
    """The width ``widget`` needs to show its whole text."""
    metrics = widget.fontMetrics()
    if isinstance(widget, QPushButton):
        return metrics.horizontalAdvance(widget.text()) + 8
    if isinstance(widget, QComboBox):
        return max(metrics.horizontalAdvance(widget.itemText(i)) for i in range(widget.count())) + 24
    if isinstance(widget, (QLabel, QCheckBox)):
        return widget.sizeHint().width()
    return metrics.horizontalAdvance(widget.text()) + 24  # a spin box: its text and its arrows


def _clipped(widgets) -> list[str]:
    return [getattr(w, "text", lambda: "")() or type(w).__name__ for w in widgets if w.width() < _needed_width(w)]


def _narrow(window, qtbot, width: int = 220):
    training = window.training
    training.dock.raise_()
    window.resizeDocks([training.dock], [width], Qt.Orientation.Horizontal)
    qtbot.waitUntil(lambda: abs(training.dock.width() - width) <= 2 and training.panel.isVisible())
    QApplication.processEvents()
    return training.dock.widget()


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_the_panel_fits_its_220_px_tab_without_scrolling_sideways(workbench, qtbot, size):
    window = workbench(open_example("mazur"), size)
    scroll = _narrow(window, qtbot)
    panel = window.training.panel
    assert window.tabifiedDockWidgets(window.training.dock)  # beside the Program dock, as create_window puts it
    assert not scroll.horizontalScrollBar().isVisible() and panel.width() <= scroll.viewport().width()
    form = panel.findChild(QFormLayout)
    fields = (panel.optimizer, panel.learning_rate, panel.steps, panel.batch_size, panel.seed)
    labels = [form.labelForField(f) for f in fields]
    assert [label.text() for label in labels] == ["Optimizer", "Learning rate", "Updates", "Batch size", "Seed"]
    panel.batch_size.setValue(0)  # "full batch", the longest text the box shows
    shown = [*labels, panel.optimizer, panel.learning_rate, panel.steps, panel.batch_size, panel.seed,
             panel.from_initial, panel.train_button, panel.pause_button, panel.stop_button, panel.reset_button]
    assert _clipped(shown) == []
    rows = {b.geometry().top() for b in (panel.train_button, panel.pause_button, panel.stop_button, panel.reset_button)}
    assert len(rows) == 2  # the four buttons on two rows

    with qtbot.waitSignal(window.training.session.runFinished, timeout=WAIT_MS) as finished:
        window.training.session.train()
    qtbot.waitUntil(lambda: panel.status.text() == summary_text(finished.args[0]))
    QApplication.processEvents()
    assert panel.status.wordWrap() and panel.status.width() <= scroll.viewport().width()
    assert panel.status.height() >= 2 * panel.status.fontMetrics().height()  # the summary wraps
    assert not scroll.horizontalScrollBar().isVisible() and _clipped(shown) == []  # the plots dock took height
    assert panel.progress.fontMetrics().horizontalAdvance(panel.progress.text()) < panel.progress.width()


def test_the_plots_dock_waits_for_the_first_run(workbench, qtbot):
    window = workbench(open_example("mazur"), (1280, 800))
    training = window.training
    loss = training.plots.loss
    dock = training.plots_dock
    assert not dock.isVisible() and window.view.height() > 600  # the canvas has the room
    assert dock.toggleViewAction() in window.docks_menu.actions()
    assert dock.toggleViewAction() in window.menu("Training").actions()
    actions = (training.export_png_action, training.export_csv_action, training.clear_action)
    assert not any(a.isEnabled() for a in actions)
    assert not loss.png_button.isEnabled() and not loss.csv_button.isEnabled()

    dock.toggleViewAction().trigger()  # opened before any run: one line, no empty axes or legend box
    qtbot.waitUntil(dock.isVisible)
    assert loss.stack.currentWidget() is loss.placeholder and loss.placeholder.isVisible()
    assert loss.placeholder.text() == "Train (Ctrl+T) to see the loss fall here."
    assert not loss.legend.isVisible() and not loss.plot_widget.isVisible()
    qtbot.waitUntil(lambda: dock.height() <= 200)
    dock.toggleViewAction().trigger()
    qtbot.waitUntil(lambda: not dock.isVisible())

    with qtbot.waitSignal(training.session.runFinished, timeout=WAIT_MS):
        window.menu("Training").actions()[0].trigger()  # Train
    assert dock.isVisible() and loss.plot_widget.isVisible() and loss.legend.isVisible()
    qtbot.waitUntil(lambda: dock.height() >= 0.25 * window.height())
    assert window.view.height() >= 300
    assert all(a.isEnabled() for a in actions) and loss.png_button.isEnabled() and loss.csv_button.isEnabled()

    dock.close()  # the person closes it: the next run leaves it closed
    with qtbot.waitSignal(training.session.runFinished, timeout=WAIT_MS):
        training.session.train()
    assert not dock.isVisible()
    training.session.clear_runs()
    assert not any(a.isEnabled() for a in actions)


def test_the_status_bar_follows_the_run_and_ends_with_its_summary(workbench, qtbot):
    window = workbench(open_example("mazur"), (1280, 800))
    training = window.training
    bar = window.statusBar()
    training.panel.steps.setValue(5_000_000)
    progress = window.status.progress
    run = training.session.train()
    assert progress.isVisible() and progress.text().startswith("Run 1 training: 0 / 5,000,000 updates")
    qtbot.waitUntil(lambda: "updates/s" in progress.text() and run.count > 1000, timeout=WAIT_MS)
    assert progress.text().startswith("Run 1 training: ") and "left" in progress.text()
    with qtbot.waitSignal(training.session.runFinished, timeout=WAIT_MS):
        training.session.stop()
    summary = summary_text(run)
    assert summary.startswith("Run 1 stopped: ") and f"{run.count:,} updates in" in summary
    # the debugger and the canvas react to the written-back weights; the summary is shown after them
    qtbot.waitUntil(lambda: bar.currentMessage() == summary)
    for _ in range(5):
        QApplication.processEvents()
    assert bar.currentMessage() == summary
    assert not progress.isVisible()


def test_no_progress_line_comes_back_after_its_run_ended(workbench, qtbot):
    """A menu entry's status tip, then the menu closing: the status bar shows the lasting
    message again, never the progress of a run that is over."""
    window = workbench(open_example("mazur"), (1280, 800))
    training = window.training
    bar = window.statusBar()
    training.panel.steps.setValue(5_000_000)
    training.session.train()
    qtbot.waitUntil(lambda: training.session.current is not None and training.session.current.count > 10,
                    timeout=WAIT_MS)
    with qtbot.waitSignal(training.session.runFinished, timeout=WAIT_MS):
        training.session.stop()
    for text in ("Open a graph file", ""):  # what hovering a menu entry and closing the menu do
        bar.showMessage(text)
        bar.clearMessage()
    assert "training:" not in bar.currentMessage()
    assert bar.currentMessage() == window.status.lasting
    assert not window.status.progress.isVisible()


def test_a_run_of_one_update_says_one_update(workbench, qtbot):
    window = workbench(open_example("mazur"), (1280, 800))
    training = window.training
    run = train_in_window(qtbot, window, 1)
    assert run.status == FINISHED and run.count == 1
    assert training.panel.status.text().startswith("Run 1 finished: 1 update in ")
    assert training.panel.progress.text() == "1 / 1"
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Run 1 finished: 1 update in "))
    assert np.isfinite(run.history[0])


def test_the_progress_bar_shows_only_while_its_run_is_under_way(workbench, qtbot):
    """After a run ends (and when the graph then cannot train) no old "n / n" stays beside the status."""
    from app import commands
    from app.training.runs import PAUSED

    window = workbench(open_example("mazur"), (1280, 800))
    training = window.training
    panel, session = training.panel, training.session
    assert not panel.progress.isVisible()  # no run yet
    panel.steps.setValue(5_000_000)
    session.train()
    qtbot.waitUntil(lambda: session.current is not None and session.current.count > 10, timeout=WAIT_MS)
    assert panel.progress.isVisible()
    session.toggle_pause()
    qtbot.waitUntil(lambda: session.state == PAUSED, timeout=WAIT_MS)
    assert panel.progress.isVisible() and panel.progress.text().endswith(" / 5,000,000")
    with qtbot.waitSignal(session.runFinished, timeout=WAIT_MS):
        session.stop()
    assert not panel.progress.isVisible() and panel.status.text().startswith("Run 1 stopped")
    window.document.undo_stack.push(commands.Disconnect(window.document, "affine2", "x"))
    assert panel.status.text().startswith("Cannot train: ") and not panel.progress.isVisible()
