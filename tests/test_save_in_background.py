"""Save, Save As and Save a Copy write off the GUI thread (app/window/saving.py): the snapshot, edits
made while the file is written, the status bar, a failed save, and closing or quitting while a save runs.

A gate holds the worker's write until the test opens it, so the GUI thread's side is seen mid-save."""
from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox
from window_helpers import MAZUR, answer_save_changes, edit_weight

from app import commands
from app.model.document import Document
from app.window import saving
from core import io

GATE_S = 30  # the longest a held write waits for the test (a safety net: the test opens the gate)


class Gate:
    """Holds each write of ``app.window.saving`` on its worker thread until :meth:`open`."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.event = threading.Event()
        self.threads: list[str] = []
        write = saving._write_or_say

        def held(*args):
            self.threads.append(threading.current_thread().name)
            self.event.wait(GATE_S)
            return write(*args)

        monkeypatch.setattr(saving, "_write_or_say", held)

    def open(self) -> None:
        self.event.set()


@pytest.fixture
def gate(monkeypatch) -> Gate:
    return Gate(monkeypatch)


@pytest.fixture
def mine(make_main_window, tmp_path):
    """A window holding a copy of Mazur's example in the test's folder."""
    path = tmp_path / "mine.json"
    shutil.copy(MAZUR, path)
    return make_main_window(Document.open(path))


@pytest.fixture
def errors(monkeypatch) -> list[tuple[str, str]]:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text, *a, **k: shown.append((title, text)))
    return shown


def weight(path: Path) -> float:
    return float(io.load(path).nodes["W1"].value[0, 1])


def test_the_snapshot_shares_the_value_arrays_and_the_dataset(mine):
    document = mine.document
    mark = document.snapshot()
    assert mark.graph is not document.graph and mark.revision == document.revision
    assert mark.graph.dataset is document.graph.dataset
    for node_id, node in document.graph.nodes.items():
        assert mark.graph.nodes[node_id].value is node.value
        assert mark.graph.nodes[node_id] is not node


def test_save_writes_on_a_worker_while_the_window_edits_and_stays_modified(mine, gate, qtbot):
    path = mine.document.path
    edit_weight(mine, 0.625)
    assert mine.files.save()
    qtbot.waitUntil(lambda: gate.threads == ["save"])  # the write runs on the job's thread
    assert mine.files.saver.busy and "Saving mine.json" in mine.statusBar().currentMessage()
    moved = (mine.document.graph.nodes["x"].pos[0] + 40.0, 0.0)
    mine.document.undo_stack.push(commands.MoveNodes(mine.document, {"x": moved}))  # an edit while it is written
    assert mine.document.graph.nodes["x"].pos == moved
    with qtbot.waitSignal(mine.files.saver.finished) as blocker:
        gate.open()
    assert blocker.args == [str(path), ""]
    assert weight(path) == 0.625 and io.load(path).nodes["x"].pos != moved  # the snapshot, not the later edit
    assert mine.document.is_modified()  # the later edit is not on disk
    assert "Saved" in mine.statusBar().currentMessage()
    mine.document.undo_stack.undo()  # back to what the file holds: no undo leads to a state called saved
    assert mine.document.is_modified()
    with qtbot.waitSignal(mine.files.saver.finished):
        assert mine.files.save()
    assert weight(path) == 0.625 and not mine.document.is_modified()


def test_a_save_without_edits_meanwhile_leaves_the_document_saved(mine, gate, qtbot):
    edit_weight(mine, 0.25)
    assert mine.document.is_modified()
    with qtbot.waitSignal(mine.files.saver.finished):
        assert mine.files.save()
        assert mine.document.is_modified()  # until the file is written
        gate.open()
    assert not mine.document.is_modified() and weight(mine.document.path) == 0.25


def test_save_as_and_save_a_copy(mine, gate, qtbot, tmp_path):
    gate.open()
    edit_weight(mine, 0.375)
    mine._ask_save_path = lambda caption, suggested, file_filter: str(tmp_path / "copy")
    with qtbot.waitSignal(mine.files.saver.finished):
        assert mine.files.save_copy()
    assert weight(tmp_path / "copy.json") == 0.375
    assert mine.document.path == tmp_path / "mine.json" and mine.document.is_modified()  # a copy changes neither
    mine._ask_save_path = lambda caption, suggested, file_filter: str(tmp_path / "other")
    with qtbot.waitSignal(mine.files.saver.finished):
        assert mine.files.save_as()
    assert mine.document.path == tmp_path / "other.json" and not mine.document.is_modified()
    assert Path(mine.files.recent.paths()[0]) == (tmp_path / "other.json").resolve()


def test_a_failed_save_says_why_in_one_line_and_the_document_stays_modified(mine, errors, qtbot, tmp_path):
    edit_weight(mine, 0.5)
    mine._ask_save_path = lambda caption, suggested, file_filter: str(tmp_path / "no-such-folder" / "g.json")
    with qtbot.waitSignal(mine.files.saver.finished) as blocker:
        assert mine.files.save_as()
    error = blocker.args[1]
    assert "no-such-folder" in error and "\n" not in error
    status = mine.statusBar().currentMessage()
    assert status.startswith("Could not save g.json") and "\n" not in status
    assert len(errors) == 1 and error in errors[0][1]
    assert mine.document.is_modified() and mine.document.path == tmp_path / "mine.json"
    assert weight(tmp_path / "mine.json") == weight(MAZUR)


def test_closing_while_a_save_runs_waits_for_it_with_a_note(mine, gate, qtbot):
    path = mine.document.path
    edit_weight(mine, 0.875)
    assert mine.files.save()
    notes: list[str] = []

    def while_waiting() -> None:  # runs in the close's wait: the window still paints and runs timers
        notes.append(mine.statusBar().currentMessage())
        gate.open()

    QTimer.singleShot(0, while_waiting)
    assert mine.close()
    assert notes and "Waiting for mine.json to be saved" in notes[0]
    assert weight(path) == 0.875 and not mine.document.is_modified() and not mine.isVisible()


def test_quit_with_unsaved_changes_then_save_waits_for_the_file(mine, gate, qtbot):
    path = mine.document.path
    edit_weight(mine, 0.0625)
    asked = answer_save_changes(mine, QMessageBox.StandardButton.Save)
    QTimer.singleShot(0, gate.open)
    mine.actions["quit"].trigger()  # File ▸ Quit
    assert asked == [1] and gate.threads == ["save"]
    assert weight(path) == 0.0625 and not mine.isVisible()


def test_quit_then_a_save_that_fails_keeps_the_window_open(mine, errors, qtbot, tmp_path):
    edit_weight(mine, 0.0625)
    mine.document.path = tmp_path / "gone" / "mine.json"
    answer_save_changes(mine, QMessageBox.StandardButton.Save)
    assert not mine.close()
    assert mine.isVisible() and mine.document.is_modified() and len(errors) == 1


def test_a_save_asked_for_during_another_waits_for_it_and_writes_last(mine, gate, qtbot, tmp_path):
    path = mine.document.path
    edit_weight(mine, 0.75)
    assert mine.files.save()
    qtbot.waitUntil(lambda: gate.threads == ["save"])
    edit_weight(mine, 0.5)
    ended: list[tuple[str, str, float]] = []
    mine.files.saver.finished.connect(lambda name, error: ended.append((name, error, weight(path))))
    QTimer.singleShot(0, gate.open)  # the first write ends while the second save waits for it
    assert mine.files.save()
    assert ended == [(str(path), "", 0.75)]  # the first save ended before the second began
    qtbot.waitUntil(lambda: len(ended) == 2)
    assert ended[1] == (str(path), "", 0.5) and gate.threads == ["save", "save"] and not mine.document.is_modified()
