"""The main window's files and safety: Save As and reopen, a malformed file, a failed save, Open Recent,
a dropped file, the canvas exported as PNG and SVG."""
from __future__ import annotations

import json
import shutil

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage
from PySide6.QtWidgets import QApplication, QMessageBox
from window_helpers import EXAMPLES, MAZUR, ROOT, Button, answer_save_changes, edit_weight

from core import io


@pytest.fixture
def errors(monkeypatch) -> list[tuple[str, str]]:
    """Every QMessageBox.critical shown, as (title, text)."""
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text, *a, **k: shown.append((title, text)))
    return shown


def test_save_as_and_reopen_give_the_same_graph(window, tmp_path, make_main_window):
    edit_weight(window, 0.625)
    window._ask_save_path = lambda caption, suggested, file_filter: str(tmp_path / "mine")
    assert window.files.save_as() and window.files.finish_saving()
    saved = tmp_path / "mine.json"
    assert window.document.path == saved and not window.document.is_modified()
    assert window.windowTitle() == "mine.json[*] — Backprop Workbench" and not window.isWindowModified()
    other = make_main_window()
    assert other.open_file(saved)
    assert io.to_dict(other.document.graph) == io.to_dict(window.document.graph)
    assert other.document.graph.nodes["W1"].value[0, 1] == 0.625


def test_a_malformed_file_shows_one_message_and_keeps_the_open_document(window, tmp_path, errors):
    edit_weight(window)
    before = window.document
    snapshot = io.to_dict(before.graph)
    asked = answer_save_changes(window, Button.Discard)
    bad = tmp_path / "broken.json"
    data = json.loads(MAZUR.read_text(encoding="utf-8"))
    data["nodes"][3]["op"] = "Affline"
    bad.write_text(json.dumps(data), encoding="utf-8")
    assert window.open_file(bad) is False
    assert len(errors) == 1
    title, text = errors[0]
    assert "broken.json" in text and "nodes[3].op" in text and "Affline" in text
    assert window.document is before and io.to_dict(before.graph) == snapshot
    assert before.is_modified() and window.isWindowModified()
    assert asked == []  # a bad file never asks about the unsaved changes
    (tmp_path / "notjson.json").write_text("{ nope", encoding="utf-8")
    assert window.open_file(tmp_path / "notjson.json") is False
    assert len(errors) == 2 and "line 1" in errors[1][1]
    assert window.open_file(tmp_path / "missing.json") is False
    assert len(errors) == 3 and "missing.json" in errors[2][1]
    assert window.document is before


def test_a_failed_save_shows_a_message_and_loses_nothing(window, tmp_path, errors):
    edit_weight(window)
    window._ask_save_path = lambda caption, suggested, file_filter: str(tmp_path / "no-such-folder" / "g.json")
    assert window.files.save_as() and window.files.finish_saving() is False
    assert len(errors) == 1 and "no-such-folder" in errors[0][1] and "still open" in errors[0][1]
    assert window.document.is_modified() and window.document.path == MAZUR
    assert window.document.graph.nodes["W1"].value[0, 1] == 0.7
    assert MAZUR.read_text(encoding="utf-8") == MAZUR.read_text(encoding="utf-8")


def test_open_recent_lists_files_and_drops_missing_ones(window, make_main_window, tmp_path, errors):
    copy = tmp_path / "copy.json"
    shutil.copy(MAZUR, copy)
    assert window.open_file(copy)
    assert window.open_file(EXAMPLES[0])
    recent = window.files.recent.paths()
    assert recent[:2] == [EXAMPLES[0].resolve(), copy.resolve()]
    other = make_main_window()  # a later run sees the same list
    other.recent_menu.aboutToShow.emit()
    labels = [a.text() for a in other.recent_menu.actions() if a.data()]
    assert labels[:2] == [f"&1 {EXAMPLES[0].name}", "&2 copy.json"]
    copy.unlink()
    entry = next(a for a in other.recent_menu.actions() if a.data() == str(copy.resolve()))
    entry.trigger()
    assert len(errors) == 1 and "copy.json" in errors[0][1] and "removed from Open Recent" in errors[0][1]
    assert copy.resolve() not in other.files.recent.paths()
    assert other.document.path is None


def test_a_json_file_dropped_on_the_window_opens(window, qtbot):
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(EXAMPLES[0]))])
    enter = QDragEnterEvent(QPoint(5, 5), Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(5, 5), Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, drop)
    qtbot.waitUntil(lambda: window.document.path == EXAMPLES[0], timeout=2000)
    data.setUrls([QUrl.fromLocalFile(str(ROOT / "README.md"))])
    other = QDragEnterEvent(QPoint(5, 5), Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    other.ignore()
    QApplication.sendEvent(window, other)
    assert not other.isAccepted()


def test_export_canvas_as_png_and_svg(window, tmp_path):
    def ask(caption: str, suggested: str, file_filter: str) -> str:
        return str(tmp_path / ("graph.svg" if "SVG" in caption else "graph"))  # the suffix is added for PNG

    window._ask_save_path = ask
    assert window.files.export_canvas("png")
    image = QImage(str(tmp_path / "graph.png"))
    rect = window.scene.itemsBoundingRect()
    assert image.width() == round((rect.width() + 60) * 2) and image.height() == round((rect.height() + 60) * 2)
    assert window.files.export_canvas("svg")
    svg = (tmp_path / "graph.svg").read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert "affine1" in svg and "<image" not in svg  # vector text, not bitmaps of the nodes
