"""The main window: its layout kept between runs, files named on the command line, examples as copies."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from app.window.main_window import MainWindow
from core import io

ROOT = Path(__file__).resolve().parent.parent
MAZUR = ROOT / "resources" / "examples" / "mazur.json"
Button = QMessageBox.StandardButton


@pytest.fixture(autouse=True)
def _settings(isolated_settings):
    return isolated_settings


@pytest.fixture
def make_window(make_main_window):
    return make_main_window


# ------------------------------------------------------------- layout
def test_dock_layout_and_geometry_are_restored(make_window, qtbot):
    first = make_window()
    first.resize(760, 540)  # within the offscreen screen (800 × 600)
    first.palette_dock.close()
    first.removeDockWidget(first.inspector_dock)
    first.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, first.inspector_dock)
    first.inspector_dock.show()
    assert first.close()
    second = make_window()
    assert not second.palette_dock.isVisible()
    assert second.dockWidgetArea(second.inspector_dock) == Qt.DockWidgetArea.LeftDockWidgetArea
    assert (second.size().width(), second.size().height()) == (760, 540)
    second.palette_dock.toggleViewAction().trigger()  # back from View ▸ Docks
    assert second.palette_dock.isVisible()


def test_a_bad_file_on_the_command_line_opens_the_default_example_and_says_why(tmp_path, monkeypatch, qtbot):
    from app.window import launch as gui

    shown: list[tuple[MainWindow, str]] = []

    def record(self: MainWindow, title: str, text: str) -> None:
        shown.append((self, text))
        QTimer.singleShot(0, lambda: QApplication.exit(0))  # exit, unlike quit, closes no window

    monkeypatch.setattr(MainWindow, "_show_error", record)
    assert gui.run(str(tmp_path / "nowhere.json"), None, None, None) == 0
    assert len(shown) == 1
    window, text = shown[0]
    qtbot.addWidget(window)
    window._ask_save_changes = lambda: Button.Discard
    assert "nowhere.json" in text and "default example" in text
    assert window.document.path is None and window.document.example == "mazur.json" and window.isVisible()
    assert window.document.graph.name == io.load(MAZUR).name


def test_an_example_opens_as_an_untitled_copy_so_save_asks_where(make_window, tmp_path):
    window = make_window()
    asked: list[str] = []
    target = tmp_path / "mine.json"

    def ask(caption: str, suggested: str, file_filter: str) -> str:
        asked.append(caption)
        return str(target)

    window._ask_save_path = ask
    before = MAZUR.read_bytes()
    assert window.files.open_example(MAZUR)
    assert window.document.path is None and "mazur.json (example)" in window.windowTitle()
    assert window.save() and window.files.finish_saving()
    assert asked == ["Save Graph As"] and window.document.path == target
    assert MAZUR.read_bytes() == before and io.load(target).name == io.load(MAZUR).name


def test_an_example_copy_is_suggested_under_its_file_name_away_from_the_examples(make_window, tmp_path,
                                                                              monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    window = make_window()
    suggested: list[Path] = []

    def ask(caption: str, path: str, file_filter: str) -> str:
        suggested.append(Path(path))
        return ""

    window._ask_save_path = ask
    assert window.files.open_example(MAZUR)
    assert window.files.save_as() is False
    assert suggested[-1] == home / "mazur.json"
    assert window.files.export_canvas("png") is False
    assert suggested[-1] == home / "mazur.png"
    assert window.open_file(MAZUR)  # the shipped file itself, opened by its path
    window.files.export_canvas("svg")
    window.files.save_as()
    assert suggested[-2:] == [home / "mazur.svg", home / "mazur.json"]
    elsewhere = tmp_path / "work"
    elsewhere.mkdir()
    window._ask_save_path = lambda caption, path, file_filter: str(elsewhere / "mine.png")
    assert window.files.export_canvas("png")
    window._ask_save_path = ask
    assert window.files.open_example(MAZUR)
    window.files.export_canvas("png")
    window.files.save_as()
    assert suggested[-2:] == [elsewhere / "mazur.png", elsewhere / "mazur.json"]  # the last folder used
