"""Autosave writes a recovery file while there are unsaved changes; a crash leaves it to be offered."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from app import commands
from app.model.document import Document
from app.window import autosave
from app.window.autosave import Autosaver, find_recoveries
from app.window.main_window import MainWindow
from core import io

ROOT = Path(__file__).resolve().parent.parent
MAZUR = ROOT / "resources" / "examples" / "mazur.json"
Button = QMessageBox.StandardButton


@pytest.fixture
def doc() -> Document:
    document = Document.open(MAZUR)
    yield document
    document.close()


def _edit(document: Document, value: float = 0.9) -> None:
    document.undo_stack.push(commands.SetValue(document, "W1", value, index=(0, 0)))


def test_recovery_file_is_written_while_modified_and_holds_the_graph(qtbot, tmp_path, doc):
    saver = Autosaver(tmp_path, interval_ms=20)
    saver.set_document(doc)
    with qtbot.waitSignal(saver.written, timeout=2000, raising=False) as blocker:
        pass
    assert not blocker.signal_triggered  # nothing to save yet
    assert not saver.path.exists()
    _edit(doc)
    qtbot.waitUntil(saver.path.exists, timeout=3000)
    restored = io.load(saver.path)
    assert restored.nodes["W1"].value[0, 0] == 0.9
    assert io.to_dict(restored) == io.to_dict(doc.graph)
    saver.stop()


def test_the_timer_writes_off_the_gui_thread_from_the_graph_as_it_was(qtbot, tmp_path, doc, monkeypatch):
    writers: list[str] = []
    write = autosave._write

    def recorded(path, graph, info):
        writers.append(threading.current_thread().name)
        write(path, graph, info)

    monkeypatch.setattr(autosave, "_write", recorded)
    saver = Autosaver(tmp_path, interval_ms=20)
    saver.set_document(doc)
    with qtbot.waitSignal(saver.written, timeout=3000):
        _edit(doc, 0.7)
    assert writers == ["autosave"]
    assert io.load(saver.path).nodes["W1"].value[0, 0] == 0.7
    saver.stop()
    assert not saver.path.exists()


def test_a_discard_during_a_write_leaves_no_recovery_file(qtbot, tmp_path, doc):
    saver = Autosaver(tmp_path, interval_ms=60_000)
    saver.set_document(doc)
    _edit(doc)
    saver._tick()  # the timer's write starts on its thread
    assert saver._job is not None
    saver.discard()
    qtbot.waitUntil(lambda: saver._job is None, timeout=5000)
    assert not saver.path.exists()
    saver.stop()


def test_no_second_write_without_a_new_change(qtbot, tmp_path, doc):
    saver = Autosaver(tmp_path, interval_ms=20)
    saver.set_document(doc)
    _edit(doc)
    with qtbot.waitSignal(saver.written, timeout=3000):
        pass
    assert saver.write_if_needed() is False
    _edit(doc, 0.8)
    assert saver.write_if_needed() is True
    assert io.load(saver.path).nodes["W1"].value[0, 0] == 0.8
    saver.stop()


def test_saving_or_a_clean_exit_removes_the_recovery_file(qtbot, tmp_path, doc):
    saver = Autosaver(tmp_path, interval_ms=60_000)
    saver.set_document(doc)
    _edit(doc)
    assert saver.write_now()
    assert saver.path.exists()
    doc.save(tmp_path / "saved.json")  # clean again: nothing to recover
    assert not saver.path.exists()
    _edit(doc, 0.7)
    assert saver.write_now()
    saver.stop()
    assert not saver.path.exists()
    assert list(tmp_path.glob("recovery-*")) == []


def test_undo_back_to_the_saved_state_removes_the_recovery_file(qtbot, tmp_path, doc):
    saver = Autosaver(tmp_path, interval_ms=60_000)
    saver.set_document(doc)
    _edit(doc)
    assert saver.write_now()
    doc.undo_stack.undo()
    assert not doc.is_modified()
    assert not saver.path.exists()
    saver.stop()


def test_a_running_autosaver_is_not_offered_for_recovery(qtbot, tmp_path, doc):
    saver = Autosaver(tmp_path, interval_ms=60_000)
    saver.set_document(doc)
    _edit(doc)
    assert saver.write_now()
    assert find_recoveries(tmp_path) == []
    saver.stop()


def test_a_crashed_process_leaves_a_recovery_file_that_is_found(tmp_path):
    script = textwrap.dedent(f"""
        import os
        from PySide6.QtCore import QCoreApplication
        app = QCoreApplication([])
        from app import commands
        from app.window.autosave import Autosaver
        from app.model.document import Document
        doc = Document.open({str(MAZUR)!r})
        saver = Autosaver({str(tmp_path)!r}, interval_ms=60_000)
        saver.set_document(doc)
        doc.undo_stack.push(commands.SetValue(doc, "W2", 0.123, index=(1, 1)))
        assert saver.write_now()
        os._exit(3)  # a crash: no clean exit, the recovery file stays
    """)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 3, done.stderr
    found = find_recoveries(tmp_path)
    assert len(found) == 1
    recovery = found[0]
    assert recovery.source == MAZUR
    assert recovery.title == "mazur.json"
    assert io.load(recovery.path).nodes["W2"].value[1, 1] == 0.123
    recovery.remove()
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------ in the window
@pytest.fixture
def make_window(qtbot, tmp_path, monkeypatch):
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))

    def make(document: Document | None = None, **kwargs) -> MainWindow:
        kwargs.setdefault("recovery_dir", tmp_path / "recovery")
        window = MainWindow(document, **kwargs)
        window._ask_save_changes = lambda: Button.Discard  # closing never waits for an answer
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    return make


def test_autosave_writes_while_modified_and_a_clean_exit_removes_it(make_window, qtbot, tmp_path):
    window = make_window(Document.open(MAZUR), autosave_ms=30)
    path = window.autosaver.path
    _edit(window.document, 0.33)
    qtbot.waitUntil(path.exists, timeout=3000)
    assert io.load(path).nodes["W1"].value[0, 0] == 0.33
    assert window.close()  # make_window answers Discard
    assert not path.exists()


def test_after_a_crash_the_next_start_offers_the_recovery(make_window, tmp_path):
    crashed = make_window(Document.open(MAZUR))
    _edit(crashed.document, 0.42)
    assert crashed.autosaver.write_now()
    left_behind = crashed.autosaver.path
    crashed.autosaver._lock.unlock()  # what a dead process leaves: the file, and no live lock
    crashed.autosaver._lock = None
    crashed.autosaver.path = tmp_path / "elsewhere.json"  # its clean-up must not touch the crash's file

    offered = []
    window = make_window()
    window._ask_restore = lambda recovery: offered.append(recovery) or True
    assert window.offer_recovery()
    assert [r.title for r in offered] == ["mazur.json"]
    assert window.document.graph.nodes["W1"].value[0, 0] == 0.42
    assert window.document.path == MAZUR and window.document.is_modified()
    assert window.windowTitle() == "mazur.json[*] — Backprop Workbench" and window.isWindowModified()
    assert not left_behind.exists()
    assert window.offer_recovery() is False  # offered once


def test_a_declined_recovery_is_removed(make_window, tmp_path):
    crashed = make_window(Document.open(MAZUR))
    _edit(crashed.document)
    assert crashed.autosaver.write_now()
    crashed.autosaver._lock.unlock()
    crashed.autosaver._lock = None
    window = make_window()
    window._ask_restore = lambda recovery: False
    assert window.offer_recovery() is False
    assert window.document.graph.nodes == {}
    assert not crashed.autosaver.path.exists()


def test_the_recovery_file_keeps_an_expanded_layer(qtbot, tmp_path, doc):
    from core.rewrite import expand, restructure

    expanded, _ = expand(doc.graph, "affine1")
    restructure(doc.graph, expanded)
    assert doc.graph.expansions
    saver = Autosaver(tmp_path, interval_ms=20)
    saver.set_document(doc)
    doc.undo_stack.push(commands.SetValue(doc, "W2", 0.8, index=(0, 0)))
    qtbot.waitUntil(saver.path.exists, timeout=3000)
    restored = io.load(saver.path)
    assert restored.expansions == doc.graph.expansions
    assert io.to_dict(restored) == io.to_dict(doc.graph)
    saver.stop()
