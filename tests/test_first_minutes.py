"""What a newcomer meets in the first minutes, in the whole workbench (issue "The first ten
minutes"): the status line of an opened example, actions that cannot work on a graph with problems."""
from __future__ import annotations

from training_helpers import EXAMPLES

from app import commands
from app.document import Document
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
