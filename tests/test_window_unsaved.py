"""The main window's unsaved-changes prompt: Cancel keeps everything, Discard and Save proceed, the real dialog."""
from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from window_helpers import EXAMPLES, MAZUR, Button, answer_save_changes, edit_weight

from app import commands
from app.model.document import Document
from core import io


@pytest.mark.parametrize("gesture", ["new", "open", "close"])
def test_unsaved_changes_cancel_keeps_everything(window, tmp_path, gesture):
    edit_weight(window)
    before = window.document
    asked = answer_save_changes(window, Button.Cancel)
    if gesture == "new":
        assert window.files.new() is False
    elif gesture == "open":
        assert window.open_file(EXAMPLES[0]) is False
    else:
        assert window.close() is False
        assert window.isVisible()
    assert asked == [1]
    assert window.document is before and before.is_modified()
    assert before.graph.nodes["W1"].value[0, 1] == 0.7


@pytest.mark.parametrize("gesture", ["new", "open", "close"])
def test_unsaved_changes_discard_proceeds(window, gesture):
    edit_weight(window)
    before = window.document
    asked = answer_save_changes(window, Button.Discard)
    if gesture == "new":
        assert window.files.new()
        assert window.document.graph.nodes == {} and window.windowTitle() == "Untitled[*] — Backprop Workbench"
    elif gesture == "open":
        assert window.open_file(EXAMPLES[0])
        assert window.document.path == EXAMPLES[0]
    else:
        assert window.close()
        assert not window.isVisible()
    assert asked == [1]
    if gesture != "close":
        assert window.document is not before and not window.document.is_modified()
    assert io.load(MAZUR).nodes["W1"].value[0, 1] == 0.25  # the file was not written


def test_unsaved_changes_save_writes_then_proceeds(make_main_window, tmp_path):
    path = tmp_path / "work.json"
    shutil.copy(MAZUR, path)
    window = make_main_window(Document.open(path))
    edit_weight(window, 0.5)
    asked = answer_save_changes(window, Button.Save)
    assert window.files.new()
    assert asked == [1]
    assert io.load(path).nodes["W1"].value[0, 1] == 0.5
    __edit_weight_new = commands.AddNode(window.document, "Add")
    window.document.undo_stack.push(__edit_weight_new)
    window._ask_save_path = lambda caption, suggested, file_filter: ""  # Save As cancelled
    assert window.files.new() is False  # nothing was saved, so nothing is thrown away
    assert "add1" in window.document.graph.nodes


@pytest.mark.real_dialogs
def test_the_real_prompt_answers_cancel(window, qtbot):
    del window._ask_save_changes  # the real dialog
    edit_weight(window)
    before = window.document
    seen = []

    def click_cancel() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text())
            box.button(Button.Cancel).click()
        else:
            QTimer.singleShot(10, click_cancel)

    QTimer.singleShot(0, click_cancel)
    assert window.files.new() is False
    assert seen == ["Save the changes to mazur.json?"]
    assert window.document is before and before.is_modified()
    window._ask_save_changes = lambda: Button.Discard
