"""What a newcomer meets in the first minutes, in the whole workbench (issue "The first ten
minutes"): the status line of an opened example, actions that cannot work on a graph with problems."""
from __future__ import annotations

from training_helpers import EXAMPLES, WAIT_MS

from app import commands
from app.model.document import Document
from core.validation import validate


def test_an_example_opened_as_an_untitled_copy_is_named_not_given_its_shipped_path(workbench):
    window = workbench()
    assert window.files.open_example(EXAMPLES / "apple.json")
    message = window.statusBar().currentMessage()
    assert message == "Opened apple.json (example), an untitled copy"
    assert str(EXAMPLES) not in message


def test_train_and_reset_are_disabled_while_the_graph_has_problems(workbench):
    window = workbench(Document.open(EXAMPLES / "mazur.json"))
    panel = window.training.panel
    assert panel.train_action.isEnabled() and panel.reset_action.isEnabled()
    window.document.undo_stack.push(commands.Disconnect(window.document, "affine2", "x"))
    assert validate(window.document.graph)
    assert not panel.train_action.isEnabled() and not panel.reset_action.isEnabled()
    assert not panel.train_button.isEnabled() and not panel.reset_button.isEnabled()
    window.document.undo_stack.undo()
    assert panel.train_action.isEnabled() and panel.reset_action.isEnabled()


def test_the_training_panel_shows_the_open_documents_runs_and_dims_the_others(workbench, qtbot):
    window = workbench()
    training = window.training
    panel, loss = training.panel, training.plots.loss
    assert window.files.open_example(EXAMPLES / "xor.json")
    panel.steps.setValue(200)
    with qtbot.waitSignal(training.session.runFinished, timeout=WAIT_MS) as finished:
        training.session.train()
    xor_run = finished.args[0]
    assert panel.status.text().startswith("Run 1 finished: 200 updates")

    assert window.files.open_example(EXAMPLES / "spirals.json")
    assert panel.progress.text() == "no run yet" and panel.status.text() == " "
    assert loss.legend_labels() == ["Run 1: SGD, lr 0.5, full batch (xor.json (example))"]
    assert loss.curve(xor_run).opts["pen"].color().alpha() < 255  # another document's run: dimmed
    panel.steps.setValue(20)
    with qtbot.waitSignal(training.session.runFinished, timeout=WAIT_MS) as finished:
        training.session.train()
    spirals_run = finished.args[0]
    assert panel.status.text().startswith("Run 2 finished: 20 updates")
    assert panel.progress.text() == "20 / 20"
    assert loss.curve(spirals_run).opts["pen"].color().alpha() == 255
    labels = loss.legend_labels()
    assert len(labels) == 2 and "xor.json" in labels[1] and "xor.json" not in labels[0]  # this file's runs first


def test_the_plots_dock_takes_room_from_the_canvas_only_and_waits_for_the_next_run(workbench, qtbot):
    window = workbench(Document.open(EXAMPLES / "xor.json"), (1600, 1000))
    training = window.training
    palette_height = window.palette_dock.height()
    program = window.debugger.dock
    training.panel.steps.setValue(50)
    with qtbot.waitSignal(training.session.runFinished, timeout=WAIT_MS):
        training.session.train()
    plots = training.plots_dock
    qtbot.waitUntil(plots.isVisible)
    assert plots.geometry().left() >= window.palette_dock.geometry().right()  # under the canvas only
    assert plots.geometry().right() <= window.inspector_dock.geometry().left()
    assert window.palette_dock.height() == palette_height
    assert program.geometry().bottom() > plots.geometry().top()  # the Program list keeps its rows
    window.save_layout()  # as closing does
    again = workbench(Document.open(EXAMPLES / "xor.json"), (1600, 1000))
    assert not again.training.plots_dock.isVisible()  # a new start waits for its first run


def test_tabs_with_nothing_to_show_are_hidden_and_the_regions_fill_their_pane(workbench, qtbot):
    window = workbench(Document.open(EXAMPLES / "mazur.json"), (1600, 1000))
    plots = window.training.plots
    assert not plots.isTabVisible(plots.indexOf(plots.model))  # Mazur: no 2-D classes, no one-input curve
    assert plots.isTabVisible(plots.indexOf(plots.params))
    assert window.files.open_example(EXAMPLES / "apple.json")
    assert not plots.isTabVisible(plots.indexOf(plots.params))  # nothing trainable
    assert window.files.open_example(EXAMPLES / "xor.json")
    assert plots.isTabVisible(plots.indexOf(plots.model)) and plots.tabText(plots.indexOf(plots.model)) == \
        "Decision regions"
    window.training.show_plots()
    plots.setCurrentWidget(plots.model)
    decision = plots.model.decision
    qtbot.waitUntil(lambda: plots.model.refreshes > 0)
    (x0, x1), (y0, y1) = decision.plot.getViewBox().viewRange()
    rect = decision._rect
    assert x1 - x0 <= 1.1 * rect.width() and y1 - y0 <= 1.1 * rect.height()


def test_view_reset_layout_puts_the_docks_back(workbench, qtbot):
    window = workbench(Document.open(EXAMPLES / "mazur.json"), (1600, 1000))
    width = window.inspector_dock.width()
    window.inspector_dock.close()
    window.palette_dock.setFloating(True)
    window.actions["reset_layout"].trigger()
    qtbot.waitUntil(window.inspector_dock.isVisible)
    assert not window.palette_dock.isFloating()
    assert abs(window.inspector_dock.width() - width) <= 4
    assert "Reset &Layout" in [a.text() for a in window.menu("View").actions()]
