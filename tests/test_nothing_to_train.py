"""A graph whose Program has no update step (no trainable parameter gets a gradient) does not
train: the window's Train is disabled and says why, a call to train refuses with the same words,
and the command line's ``train`` exits with them."""
from __future__ import annotations

from training_helpers import EXAMPLES, open_example

from app.cli.main import main
from app.commands import SetAttr
from core import io
from core.program import Program

APPLE = "no trainable parameter (apple, apple_num and tax are not trainable), so the Program has no update step"


def test_program_says_why_nothing_trains():
    apple = io.load(EXAMPLES / "apple.json")
    assert Program(apple).nothing_to_train() == APPLE
    apple.set_attr("tax", "trainable", True)
    assert Program(apple).nothing_to_train() == ""
    assert Program(io.load(EXAMPLES / "mazur.json")).nothing_to_train() == ""


def test_cli_refuses_with_the_reason(capsys):
    assert main(["train", str(EXAMPLES / "apple.json")]) == 2
    assert capsys.readouterr().err.strip() == f"backprop-workbench: error: apple.json: cannot train: {APPLE}"


def test_window_train_is_disabled_and_says_why(workbench, qtbot):
    window = workbench(open_example("apple"), (1280, 800))
    training = window.training
    panel = training.panel
    assert not panel.train_action.isEnabled() and not panel.train_button.isEnabled()
    assert panel.status.text() == f"Cannot train: {APPLE}"
    assert panel.train_button.toolTip() == f"Cannot train: {APPLE}"
    with qtbot.waitSignal(training.session.message) as said:
        assert training.session.train() is None
    assert said.args == [f"Cannot train: {APPLE}"]
    assert training.session.runs == []
    document = window.document
    document.undo_stack.push(SetAttr(document, "tax", "trainable", True))  # an edit that gives it an update step
    qtbot.waitUntil(panel.train_action.isEnabled)
    assert panel.status.text().strip() == ""
    document.undo_stack.undo()
    qtbot.waitUntil(lambda: not panel.train_action.isEnabled())
    assert panel.status.text() == f"Cannot train: {APPLE}"
