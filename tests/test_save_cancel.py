"""Cancel Save (app/window/saving.py): a save written off the GUI thread stops before its next chunk,
the file on disk stays byte for byte as it was and no temporary file is left, the document stays
modified, and the next save works; a normal save's progress reaches 100 %; closing the window while
a save runs shows the save's progress with Cancel Save, and a cancel there leads to the usual
question about the unsaved changes.

A hook holds the writer before one of its chunks (the chunks before it are in the temporary file)
until the test lets it go, so the GUI thread's side is seen mid-save without any timing."""
from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QMessageBox, QPushButton
from window_helpers import MAZUR, ROOT, answer_save_changes, edit_weight

from app.model.document import Document
from app.window import saving
from app.window.save_progress import SaveWaitDialog
from core import io
from core.io import jsontext

GATE_S = 30  # the longest a held writer waits for the test (a safety net: the test lets it go)
SPIRALS = ROOT / "resources" / "examples" / "spirals.json"


class Pause:
    """Holds the save's writer before its chunk number ``at`` (1 is the first) until :meth:`release`;
    ``counts`` records every (done, total) the writer reported."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, at: int) -> None:
        self.at = at
        self.reached = threading.Event()
        self.go = threading.Event()
        self.counts: list[tuple[int, int]] = []
        chunk = saving.WriteState.chunk

        def held(state: saving.WriteState, done: int, total: int) -> bool:
            self.counts.append((done, total))
            if len(self.counts) == self.at:
                self.reached.set()
                self.go.wait(GATE_S)
            return chunk(state, done, total)

        monkeypatch.setattr(saving.WriteState, "chunk", held)

    def release(self) -> None:
        self.go.set()


@pytest.fixture
def small_chunks(monkeypatch):
    """Chunks of 256 bytes (Mazur's file is written in a dozen), progress shown at once, the
    closing wait's dialog at once."""
    monkeypatch.setattr(jsontext, "CHUNK_BYTES", 256)
    monkeypatch.setattr(saving, "SHOW_AFTER_S", 0.0)
    monkeypatch.setattr(saving, "WAIT_DIALOG_MS", 0)


@pytest.fixture
def errors(monkeypatch) -> list[tuple[str, str]]:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text, *a, **k: shown.append((title, text)))
    return shown


def window_on(make_main_window, tmp_path: Path, example: Path):
    path = tmp_path / "mine.json"
    shutil.copy(example, path)
    return make_main_window(Document.open(path))


def temporaries(folder: Path) -> list[Path]:
    return sorted(folder.glob(".*.tmp"))


def weight(path: Path) -> float:
    return float(io.load(path).nodes["W1"].value[0, 1])


def held_save(make_main_window, tmp_path: Path, monkeypatch, qtbot, value: float, at: int):
    """A window on a copy of Mazur's example with W1[0, 1] = ``value``, saving, its writer held
    before chunk ``at``: the window, its file, the file's bytes before the save, the pause."""
    window = window_on(make_main_window, tmp_path, MAZUR)
    path = window.document.path
    before = path.read_bytes()
    edit_weight(window, value)
    pause = Pause(monkeypatch, at=at)
    assert window.files.save()
    qtbot.waitUntil(pause.reached.is_set)
    return window, path, before, pause


def cancel_when_held(window, pause: Pause, qtbot) -> list:
    """Wait for the held writer, press Cancel Save in the status bar, let the writer go; the
    ``finished`` arguments."""
    saver = window.files.saver
    qtbot.waitUntil(pause.reached.is_set)
    qtbot.waitUntil(saver.progress.isVisible)  # on the save's first tick
    assert saver.progress.cancel_button.isEnabled()
    with qtbot.waitSignal(saver.finished) as blocker:
        qtbot.mouseClick(saver.progress.cancel_button, Qt.MouseButton.LeftButton)
        assert not saver.progress.cancel_button.isEnabled() and saver.busy  # asked; the writer is still held
        pause.release()
    return blocker.args


def test_cancel_mid_save_keeps_the_old_file_byte_for_byte_and_a_later_save_works(
        make_main_window, tmp_path, monkeypatch, small_chunks, errors, qtbot):
    window, path, before, pause = held_save(make_main_window, tmp_path, monkeypatch, qtbot, 0.625, at=3)
    held = temporaries(tmp_path)
    assert len(held) == 1 and held[0].stat().st_size >= 2 * 256  # two chunks are in the temporary file
    assert cancel_when_held(window, pause, qtbot) == [str(path), saving.CANCELLED]
    assert path.read_bytes() == before and temporaries(tmp_path) == []
    assert window.document.is_modified() and window.document.path == path
    assert window.statusBar().currentMessage() == "Save cancelled: mine.json is as it was before"
    assert not window.files.saver.progress.isVisible() and errors == []  # no error dialog for a cancel
    assert len(pause.counts) == 3  # the writer stopped before its third chunk

    with qtbot.waitSignal(window.files.saver.finished) as blocker:  # the writer is no longer held
        assert window.files.save()
    assert blocker.args == [str(path), ""] and weight(path) == 0.625
    assert not window.document.is_modified() and temporaries(tmp_path) == []
    assert window.statusBar().currentMessage() == f"Saved {path}"


def test_cancel_a_copy_to_a_new_file_writes_nothing(make_main_window, tmp_path, monkeypatch, small_chunks, qtbot):
    window = window_on(make_main_window, tmp_path, MAZUR)
    edit_weight(window, 0.25)
    window._ask_save_path = lambda caption, suggested, file_filter: str(tmp_path / "copy")
    pause = Pause(monkeypatch, at=2)
    assert window.files.save_copy()
    assert cancel_when_held(window, pause, qtbot) == [str(tmp_path / "copy.json"), saving.CANCELLED]
    assert list(tmp_path.glob("copy*")) == [] and temporaries(tmp_path) == []
    assert window.statusBar().currentMessage() == "Save cancelled: nothing was written to copy.json"
    assert window.document.is_modified() and window.document.path == tmp_path / "mine.json"


def test_a_normal_save_reports_its_progress_up_to_100(make_main_window, tmp_path, monkeypatch, small_chunks, qtbot):
    monkeypatch.setattr(jsontext, "CHUNK_BYTES", 1024)
    monkeypatch.setattr(jsontext, "CHUNK", 64)  # numbers made two rows of W2 at a time: many steps of progress
    window = window_on(make_main_window, tmp_path, SPIRALS)
    saver = window.files.saver
    window.document.mark_modified()
    percents: list[int] = []
    saver.progressed.connect(percents.append)
    pause = Pause(monkeypatch, at=8)
    assert window.files.save()
    qtbot.waitUntil(pause.reached.is_set)
    with qtbot.waitSignal(saver.progressed, check_params_cb=lambda percent: 0 < percent < 100):
        pass  # the next tick shows the held writer's progress, neither nothing nor all
    assert saver.progress.isVisible() and 0 < saver.progress.bar.value() < 100
    with qtbot.waitSignal(saver.finished) as blocker:
        pause.release()
    assert blocker.args == [str(window.document.path), ""] and not window.document.is_modified()
    assert percents[-1] == 100 and percents == sorted(percents)
    graph = window.document.graph
    numbers = sum(n.value.size for n in graph.nodes.values() if n.value is not None and n.value.size > jsontext.FITS)
    assert numbers == 2 * 32 + 32 * 32 + 32 * 2 and pause.counts[-1] == (numbers, numbers)
    assert [d for d, _ in pause.counts] == sorted(d for d, _ in pause.counts) and len(pause.counts) > 8
    assert not saver.progress.isVisible()


@pytest.mark.parametrize("press", ["Cancel Save", "Esc"])
def test_closing_during_a_save_offers_cancel_save_then_asks_about_the_changes(
        make_main_window, tmp_path, monkeypatch, small_chunks, qtbot, press):
    window, path, before, pause = held_save(make_main_window, tmp_path, monkeypatch, qtbot, 0.875, at=2)
    asked = answer_save_changes(window, QMessageBox.StandardButton.Cancel)
    seen: list[tuple[str, str, str]] = []

    def press_cancel_save() -> None:  # runs in the close's wait, once the dialog shows
        dialog = window.findChild(SaveWaitDialog)
        if dialog is None or not dialog.isVisible():
            return
        looker.stop()
        seen.append((dialog.windowTitle(), dialog.labelText(), dialog.findChild(QPushButton).text()))
        if press == "Esc":
            qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        else:
            qtbot.mouseClick(dialog.findChild(QPushButton), Qt.MouseButton.LeftButton)
        pause.release()

    looker = QTimer()
    looker.timeout.connect(press_cancel_save)
    looker.start(10)
    assert not window.close()  # the save was cancelled, then Cancel in the unsaved-changes question
    looker.stop()
    assert seen == [("Saving", "Waiting for mine.json to be saved…", "Cancel Save")]
    assert asked == [1] and window.isVisible() and window.document.is_modified()
    assert path.read_bytes() == before and temporaries(tmp_path) == []
    assert window.findChild(SaveWaitDialog) is None or not window.findChild(SaveWaitDialog).isVisible()
