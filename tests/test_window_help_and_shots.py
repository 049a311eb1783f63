"""The window's Help menu and the command-line window entry: screenshots and no display."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage, QKeySequence

from app.model.document import Document

ROOT = Path(__file__).resolve().parent.parent
MAZUR = ROOT / "resources" / "examples" / "mazur.json"


# ----------------------------------------------------------------- help
@pytest.fixture
def full_window(make_main_window):
    from app import debugger, training

    return make_main_window(Document.open(MAZUR), install=[debugger.install, training.install])


def test_keyboard_shortcuts_lists_the_keys_of_every_menu(full_window, qtbot):
    from app.window.help import ShortcutsDialog, shortcuts

    window = full_window
    window.actions["shortcuts"].trigger()
    dialog = window.help_dialogs[ShortcutsDialog]
    assert dialog.isVisible()
    rows = {(name, keys) for _, name, keys in dialog.rows()}
    for expected in [("Step", "F10"), ("Step Back", "Shift+F10"), ("Continue", "F5"), ("Toggle Breakpoint", "F9"),
                     ("Undo", "Ctrl+Z"), ("Save", "Ctrl+S"), ("Fit to Graph", "F"), ("Keyboard Shortcuts", "Ctrl+/")]:
        assert expected in rows
    assert ("Debug", "Step", "F10") in dialog.rows()
    assert any(group == "Canvas (mouse)" and name == "Pan" for group, name, _ in dialog.rows())
    dialog.filter.setText("f10")
    assert {name for _, name, _ in dialog.rows()} == {"Step", "Step Back"}
    dialog.close()
    extra = window.menu("View").addAction("Zoom to Selection")
    extra.setShortcut("Ctrl+Shift+F")
    assert ("View", "Zoom to Selection", "Ctrl+Shift+F") in shortcuts(window)  # never stale
    window.actions["shortcuts"].trigger()
    assert window.help_dialogs[ShortcutsDialog] is dialog and dialog.isVisible()
    dialog.filter.clear()
    assert ("View", "Zoom to Selection", "Ctrl+Shift+F") in dialog.rows()
    dialog.close()


def test_getting_started_says_how_to_build_step_and_train_with_the_real_keys(full_window):
    from app.window.help import GettingStartedDialog

    window = full_window
    window.actions["getting_started"].trigger()
    dialog = window.help_dialogs[GettingStartedDialog]
    text = dialog.text.toPlainText()
    for phrase in ("1. Build", "3. Step", "7. Train", "Step (F10)", "Step Back (Shift+F10)", "Undo (Ctrl+Z)",
                   "Train (Ctrl+T)", "Palette", "8. Write your own layer", "Edit ▸ New Custom Layer", "Layer code",
                   "not a sandbox"):
        assert phrase in text
    help_key = QKeySequence(QKeySequence.StandardKey.HelpContents)
    assert window.actions["getting_started"].shortcut().matches(help_key) == QKeySequence.SequenceMatch.ExactMatch
    dialog.close()


# --------------------------------------------------------- screenshots
def _run_gui(tmp_path: Path, args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "cfg"),
               XDG_DATA_HOME=str(tmp_path / "data"), HOME=str(tmp_path))
    code = f"import sys; from app.window.launch import run; sys.exit(run({args}))"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_screenshot_writes_a_png_of_the_requested_size(tmp_path):
    out = tmp_path / "shot.png"
    done = _run_gui(tmp_path, f"{str(MAZUR)!r}, {str(out)!r}, (1000, 700), None")
    assert done.returncode == 0, done.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1000, 700)
    assert not (tmp_path / "cfg").exists()  # a screenshot never writes the user's settings
    assert done.stderr.count("backprop-workbench:") == 0


def test_a_screenshot_smaller_than_the_window_can_be_says_what_it_made(tmp_path):
    out = tmp_path / "shot.png"
    done = _run_gui(tmp_path, f"{str(MAZUR)!r}, {str(out)!r}, (120, 120), None")
    assert done.returncode == 0, done.stderr
    image = QImage(str(out))
    assert image.width() > 120 and image.height() > 120
    assert f"the screenshot is {image.width()}×{image.height()}" in done.stderr


def test_without_a_display_the_window_says_so_instead_of_aborting(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    code = "import sys; from app.window.launch import run; sys.exit(run(None, None, None, None))"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.strip() == ("backprop-workbench: error: no display to show the window on "
                                   "(set DISPLAY, or use --screenshot OUT.png)")


def test_screenshot_of_a_bad_file_exits_2_with_one_line(tmp_path):
    out = tmp_path / "shot.png"
    done = _run_gui(tmp_path, f"{str(tmp_path / 'missing.json')!r}, {str(out)!r}, None, None")
    assert done.returncode == 2
    lines = [line for line in done.stderr.splitlines() if line.startswith("backprop-workbench:")]
    assert len(lines) == 1 and "missing.json" in lines[0]
    assert not out.exists()


def _run_cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, XDG_CONFIG_HOME=str(tmp_path / "cfg"), XDG_DATA_HOME=str(tmp_path / "data"),
               HOME=str(tmp_path), PYTHONPATH=str(ROOT))
    env.pop("QT_QPA_PLATFORM", None)  # as a teacher runs it: the screenshot picks the offscreen platform
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)


def test_malformed_json_for_the_window_is_reported_like_every_other_error(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"nodes": [\n', encoding="utf-8")
    done = _run_cli(tmp_path, str(bad), "--screenshot", str(tmp_path / "shot.png"))
    assert done.returncode == 2
    assert done.stderr.startswith("backprop-workbench: error: bad.json: line 2")
    assert len(done.stderr.splitlines()) == 1 and not (tmp_path / "shot.png").exists()


def test_screenshot_canvas_is_the_graph_alone_at_the_scale_of_step_images(tmp_path):
    from app.window.screenshot import SLIDE_SCALE

    window_shot, canvas_shot = tmp_path / "window.png", tmp_path / "canvas.png"
    for out, extra in ((window_shot, ()), (canvas_shot, ("--canvas",))):
        done = _run_cli(tmp_path, str(MAZUR), "--screenshot", str(out), "--steps", "10", *extra)
        assert done.returncode == 0, done.stderr
        assert "propagateSizeHints" not in done.stderr
        assert done.stderr == ""
    window_image, canvas_image = QImage(str(window_shot)), QImage(str(canvas_shot))
    assert (window_image.width(), window_image.height()) != (canvas_image.width(), canvas_image.height())
    # the graph alone: no menu bar, no docks; its scene units drawn SLIDE_SCALE pixels wide
    from app.editor.scene import GraphScene
    from app.window.screenshot import canvas_rect

    scene = GraphScene(Document.open(MAZUR))
    width = canvas_rect(scene).width()
    assert canvas_image.width() == pytest.approx(width * SLIDE_SCALE, rel=0.15)


def test_canvas_without_a_screenshot_is_a_usage_error(tmp_path):
    done = _run_cli(tmp_path, str(MAZUR), "--canvas")
    assert done.returncode == 2
    assert done.stderr.strip() == "backprop-workbench: error: --canvas goes with --screenshot OUT.png"
