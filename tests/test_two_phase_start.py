"""The launcher's two-phase start (app.window.launch.open_window): the window paints before the engine
loads, then builds into itself, and ends as the window create_window builds at once.

The first paint itself is measured in a fresh process by tests/test_cold_start_imports.py (no NumPy,
no ``core``, no pyqtgraph imported by then); here: what the window is before and after it is built,
how the command line's options reach the build, and what a failure in it shows.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QDockWidget, QLabel, QMenu, QMessageBox

from app.inspector.wrap_label import WrapLabel
from app.model.document import Document
from app.window import launch
from app.window.main_window import MainWindow
from app.window.opening import PLACEHOLDER, Placeholder

ROOT = Path(__file__).resolve().parent.parent
MAZUR = ROOT / "resources" / "examples" / "mazur.json"
SIZE = (1280, 800)


@pytest.fixture
def start(qtbot, tmp_path, isolated_settings):
    """``start(path=None, steps=None, before=None)``: open_window as the command line calls it; ``before``
    gets the window before it is built (to answer its questions). Returns it once built."""

    def run(path=None, steps=None, before=None):
        window = launch.open_window(None if path is None else str(path), SIZE, steps, tmp_path / "recovery")
        qtbot.addWidget(window)
        window._ask_save_changes = lambda: QMessageBox.StandardButton.Discard
        if before is not None:
            before(window)
        qtbot.waitUntil(lambda: window.built, timeout=30_000)
        return window

    return run


def _menus(window: MainWindow) -> list[tuple[str, bool, list[tuple[str, bool]]]]:
    """Each menu of the menu bar: its title, enabled, and each entry (text, enabled), submenus included."""

    def entries(menu: QMenu) -> list[tuple[str, bool]]:
        found = []
        for action in menu.actions():
            found.append((action.text(), action.isEnabled()))
            if action.menu() is not None:
                found.extend(entries(action.menu()))
        return found

    return [(a.text(), a.isEnabled(), entries(a.menu())) for a in window.menuBar().actions() if a.menu()]


def _docks(window: MainWindow) -> dict[str, tuple[str, bool, str]]:
    return {d.objectName(): (d.windowTitle(), d.isVisible(), window.dockWidgetArea(d).name)
            for d in window.findChildren(QDockWidget)}


def _labels(widget) -> list[tuple[str, tuple[int, int, int, int]]]:
    return [(label.text(), label.geometry().getRect()) for label in widget.findChildren(QLabel) if label.isVisible()]


def test_the_window_before_it_is_built_has_its_title_size_and_greyed_menus(qtbot, isolated_settings):
    window = MainWindow.opening("mazur.json", example=True)
    qtbot.addWidget(window)
    window.resize(*SIZE)
    window.show()
    qtbot.waitExposed(window)
    assert window.windowTitle() == "mazur.json (example) — Backprop Workbench"
    assert [a.text() for a in window.menuBar().actions()] == ["&File", "&Edit", "&View", "&Debug", "&Training",
                                                              "&Help"]
    assert not window.menuBar().isEnabled() and not window.built
    assert all(a.menu().isEmpty() for a in window.menuBar().actions())  # nothing to trigger, not even by a key
    placeholder = window.centralWidget()
    assert isinstance(placeholder, Placeholder) and placeholder.objectName() == PLACEHOLDER
    assert placeholder.text() == "Opening mazur.json…"
    assert window.findChildren(QDockWidget) == [] and window.document is None
    window.close()  # closing it before it is built asks nothing and keeps the saved layout
    assert not window.isVisible()
    from PySide6.QtCore import QSettings

    assert QSettings().value("window/state") is None


def test_built_in_two_phases_it_equals_the_window_built_at_once(start, workbench, qtbot):
    two = start()
    at_once = workbench(Document.open_example(MAZUR), size=SIZE)
    qtbot.waitUntil(lambda: at_once.debugger is not None)
    assert two.windowTitle() == at_once.windowTitle() == "mazur.json (example)[*] — Backprop Workbench"
    assert two.document.example == "mazur.json" and len(two.document.graph.nodes) == 11
    assert sorted(i.node_id for i in two.scene.node_items()) == sorted(two.document.graph.nodes)
    assert _menus(two) == _menus(at_once)
    assert any(title == "&Debug" and enabled and ("&Step", True) in entries for title, enabled, entries in _menus(two))
    assert sorted(two.actions) == sorted(at_once.actions)
    assert {k: a.isEnabled() for k, a in two.actions.items()} == {k: a.isEnabled() for k, a in at_once.actions.items()}
    assert _docks(two) == _docks(at_once)
    assert two.centralWidget() is two.view and two.menuBar().isEnabled()
    assert two.findChild(Placeholder) is None or not two.findChild(Placeholder).isVisible()
    # the left column shared as at a first showing (not the Palette's whole height, the Program list's least)
    for name in ("paletteDock", "debuggerProgramDock", "inspectorDock"):
        mine, theirs = two.findChild(QDockWidget, name), at_once.findChild(QDockWidget, name)
        assert (mine.width(), mine.height()) == (theirs.width(), theirs.height()), name
    # the inspector's texts at the widths of the window built at once, each wrapped one as tall as its
    # text needs at that width (not at the narrow width the docks had before the window was laid out)
    qtbot.waitUntil(lambda: [(t, r[2]) for t, r in _labels(two.inspector)]
                    == [(t, r[2]) for t, r in _labels(at_once.inspector)])
    wrapped = [label for label in two.inspector.findChildren(WrapLabel) if label.isVisible() and label.text()]
    assert len(wrapped) >= 3
    for label in wrapped:
        probe = QLabel(label.text())
        probe.setWordWrap(True)
        probe.setFont(label.font())
        probe.setTextFormat(label.textFormat())
        assert label.height() == probe.heightForWidth(label.width()), label.text()


def test_steps_and_a_file_reach_the_build(start, tmp_path, qtbot):
    path = tmp_path / "mine.json"
    path.write_bytes(MAZUR.read_bytes())
    window = start(path, steps=3)
    assert window.windowTitle() == "mine.json[*] — Backprop Workbench"
    assert window.document.path == path and window.files.recent.paths()[0] == path
    assert window.debugger.controller.stepper.cursor == 3


def test_a_file_that_cannot_be_opened_says_why_in_one_line_and_shows_the_default_example(start, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"version": 1, "nodes": [', encoding="utf-8")
    shown: list[tuple[str, str]] = []

    def before(window):
        assert window.windowTitle() == "bad.json — Backprop Workbench"
        window._show_error = lambda title, text: shown.append((title, text))

    window = start(bad, before=before)
    assert len(shown) == 1
    title, text = shown[0]
    reason = text.split("\n\n")[0]
    assert title == "Cannot open the file" and text.endswith("Showing the default example instead.")
    assert reason == "bad.json: line 1, column 26: bad JSON: Expecting value"  # one line, naming the place
    assert window.document.example == "mazur.json" and window.debugger is not None


def test_a_failure_while_building_ends_the_program_with_one_line(start, monkeypatch, qtbot, capsys):
    told: list[str] = []
    ended: list[int] = []
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(lambda parent, title, text: told.append(text)))
    monkeypatch.setattr(QApplication, "exit", staticmethod(lambda status=0: ended.append(status)))

    def broken(window):
        raise ImportError("numpy.core.multiarray failed to import\n(a broken installation)")

    monkeypatch.setattr(launch, "install_rooms", broken)
    window = launch.open_window(None, SIZE, None, None)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: ended == [1])
    line = "the window cannot start: numpy.core.multiarray failed to import (a broken installation)"
    assert told == [line[0].upper() + line[1:]]
    assert capsys.readouterr().err == f"backprop-workbench: error: {line}\n"
    assert not window.isVisible()  # a half-built window is never left to use


def test_a_recovery_file_is_offered_once_the_window_is_built(start, tmp_path, qtbot):
    from app import commands
    from app.window.autosave import Autosaver

    saver = Autosaver(tmp_path / "recovery", 60_000)
    document = Document.open(MAZUR)
    saver.set_document(document)
    document.undo_stack.push(commands.SetValue(document, "W1", 0.75, index=(0, 0)))
    assert saver.write_now()
    saver._lock.unlock()  # what a crashed run leaves: the file, and no live lock
    saver._lock = None
    saver.path = tmp_path / "elsewhere.json"  # its own clean-up must not touch the crash's file
    asked: list[str] = []

    def before(window):
        window._ask_restore = lambda recovery: asked.append(recovery.title) or True

    window = start(before=before)
    assert asked == ["mazur.json"]
    assert window.document.graph.nodes["W1"].value[0, 0] == 0.75 and window.document.is_modified()


def test_what_waits_for_the_first_paint_runs_before_the_build(qtbot, tmp_path, isolated_settings):
    seen: list[tuple[bool, bool]] = []
    window = launch.open_window(None, SIZE, None, tmp_path / "recovery",
                                lambda: seen.append((window.built, window.findChild(Placeholder) is not None)))
    qtbot.addWidget(window)
    window._ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    assert seen == []  # nothing before the window has painted
    qtbot.waitUntil(lambda: window.built)
    assert seen == [(False, True)]  # once, after the paint, before the build


def test_a_slow_file_is_read_off_the_gui_thread_and_can_be_cancelled(qtbot, tmp_path, isolated_settings, monkeypatch):
    """The file given on the command line is read on a worker thread: the shown window keeps
    answering (here: a timer of the test runs), a progress dialog offers Cancel, and cancelling
    shows the default example."""
    import threading

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QProgressDialog

    release = threading.Event()
    read = Document.read

    def slow(path, data_path=None):
        if Path(path).name == "big.json":
            release.wait(30)  # a big data set being generated
        return read(path, data_path)

    monkeypatch.setattr(Document, "read", staticmethod(slow))
    path = tmp_path / "big.json"
    path.write_bytes(MAZUR.read_bytes())
    window = launch.open_window(str(path), SIZE, None, tmp_path / "recovery")
    qtbot.addWidget(window)
    window._ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    seen: list[tuple[str, bool, str]] = []

    def look() -> None:  # runs in the event loop that waits for the reading thread
        for dialog in window.findChildren(QProgressDialog):
            if dialog.isVisible() and not seen:
                seen.append((dialog.labelText(), window.built, window.centralWidget().objectName()))
                dialog.canceled.emit()  # what its Cancel button sends

    timer = QTimer()
    timer.timeout.connect(look)
    timer.start(20)
    try:
        qtbot.waitUntil(lambda: window.built, timeout=20_000)
    finally:
        release.set()
        timer.stop()
    assert seen == [("Opening big.json…", False, PLACEHOLDER)]  # the opening window, answering, not built
    assert window.document.example == "mazur.json" and window.debugger is not None
    assert window.statusBar().currentMessage() == "Opening big.json cancelled: the default example instead"
