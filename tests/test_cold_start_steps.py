"""What the launcher leaves until after the first paint, besides the modules
(tests/test_cold_start_imports.py): the window icon (an SVG, rendered when an X11 window is shown) is set
once the opening window has painted, and a start without arguments builds no argument parser (its
defaults are the parser's own)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from app.cli import main
from app.window import launch

ROOT = Path(__file__).resolve().parent.parent
ICON = "from app.window import launch; print(launch._application({}).windowIcon().isNull())"


def _no_icon(screenshot: bool) -> bool:
    """In a fresh process: whether the launcher's application has no window icon yet."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", ICON.format(screenshot)], capture_output=True, text=True,
                         timeout=60, cwd=ROOT, env=env)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip() == "True"


def test_the_application_has_no_icon_before_the_first_paint_unless_for_a_screenshot():
    assert _no_icon(screenshot=False)
    assert not _no_icon(screenshot=True)  # built before it is shown: the icon at once


def test_the_window_icon_is_set_after_the_first_paint(qtbot, tmp_path, isolated_settings):
    app = QApplication.instance()
    app.setWindowIcon(QIcon())
    window = launch.open_window(None, (1000, 700), None, tmp_path / "recovery")
    qtbot.addWidget(window)
    window._ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    assert app.windowIcon().isNull() and not window.built  # shown, not painted yet
    qtbot.waitUntil(lambda: window.built, timeout=30_000)
    assert not app.windowIcon().isNull()
    assert app.windowIcon().pixmap(32, 32).width() == 32  # the SVG renders


def test_a_start_without_arguments_has_the_parsers_defaults(monkeypatch):
    assert vars(main._gui_parser().parse_args([])) == main.GUI_DEFAULTS
    seen = []
    monkeypatch.setattr(main, "_gui", lambda ns: seen.append(vars(ns)) or 0)
    monkeypatch.setattr(main, "_gui_parser", lambda: (_ for _ in ()).throw(AssertionError("parser built")))
    assert main.main([]) == 0 and seen == [main.GUI_DEFAULTS]
