"""Restoring unsaved changes keeps the document's title (``app.model.title.document_title``): an
untitled copy of an example comes back as "xor.json (example)" in the question, the status, the
title bar and the next save prompt. A close by SIGTERM keeps the changes and the next start says
so, without calling it a crash."""
from __future__ import annotations

import signal

from PySide6.QtWidgets import QMessageBox
from window_helpers import EXAMPLES

from app import commands
from app.model.document import Document
from app.window import recovery
from app.window.autosave import Recovery, find_recoveries

XOR = next(p for p in EXAMPLES if p.name == "xor.json")


def _edited_example(window) -> None:
    window.set_document(Document.open_example(XOR))
    window.document.undo_stack.push(commands.SetValue(window.document, "W1", 0.5, index=(0, 0)))
    assert window.document.is_modified()


def _crash(window, tmp_path) -> None:
    """What a dead process leaves: its recovery file, and no live lock."""
    assert window.autosaver.write_now()
    window.autosaver._lock.unlock()
    window.autosaver._lock = None
    window.autosaver.path = tmp_path / "elsewhere.json"  # its clean-up must not touch the file


def test_a_restored_example_keeps_its_title_everywhere(make_main_window, tmp_path):
    crashed = make_main_window()
    _edited_example(crashed)
    _crash(crashed, tmp_path)

    asked: list[str] = []
    window = make_main_window()
    window._ask_restore = lambda found: asked.append(recovery.restore_question(found)) or True
    assert window.offer_recovery()
    assert asked == ["The workbench did not close cleanly. Restore the unsaved changes to xor.json (example)?"]
    document = window.document
    assert document.path is None and document.example == "xor.json"
    assert document.title() == "xor.json (example)"
    assert window.windowTitle() == "xor.json (example)[*] — Backprop Workbench"
    assert "xor.json (example)" in window.statusBar().currentMessage()
    assert window.files._stem() == "xor"  # Save As suggests xor.json, as for the example itself


def test_the_save_prompt_names_the_restored_example(make_main_window, tmp_path, monkeypatch):
    crashed = make_main_window()
    _edited_example(crashed)
    _crash(crashed, tmp_path)
    window = make_main_window()
    window._ask_restore = lambda found: True
    assert window.offer_recovery()
    shown: list[str] = []

    def exec_box(box) -> int:
        shown.append(box.text())
        return int(box.StandardButton.Cancel.value)

    monkeypatch.setattr(QMessageBox, "exec", exec_box)
    del window._ask_save_changes  # the window's own question, with its own text
    assert not window.files.maybe_save()  # Cancel
    assert shown == ["Save the changes to xor.json (example)?"]


def test_a_close_by_sigterm_is_not_called_a_crash(make_main_window, tmp_path):
    closed = make_main_window()
    _edited_example(closed)
    closed.ending_signal = signal.SIGTERM  # what app.window.quit_signals sets before closing
    assert closed.close()
    found = find_recoveries(closed.autosaver.directory)
    assert [(r.title, r.example, r.ended_by) for r in found] == [("xor.json (example)", "xor.json", "SIGTERM")]
    question = recovery.restore_question(found[0])
    assert question == ("The workbench was closed (SIGTERM) while xor.json (example) had unsaved changes; "
                        "they were kept. Restore them?")
    assert "did not close cleanly" not in question


def test_a_crash_is_still_called_one():
    crash = Recovery(XOR, XOR, "xor.json", 0.0)
    assert recovery.restore_question(crash) == ("The workbench did not close cleanly. "
                                                "Restore the unsaved changes to xor.json?")
