"""The Program list at its dock's default width: long step names wrap onto a second line (whole,
never elided), and are whole in the tooltip too."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.document import Document
from app.window.first_layout import PALETTE_WIDTH

MAZUR = Path(__file__).resolve().parent.parent / "resources" / "examples" / "mazur.json"


@pytest.fixture(autouse=True)
def _settings(isolated_settings):
    return isolated_settings


def test_long_step_names_wrap_whole_and_are_whole_in_the_tooltip(workbench, qtbot):
    window = workbench(Document.open_example(MAZUR), size=(1024, 700))
    QApplication.processEvents()
    dock, view = window.debugger.dock, window.debugger.program_view.list
    assert dock.width() <= PALETTE_WIDTH + 2  # the dock is not widened by its names
    model, delegate = view.model(), view.itemDelegate()
    shown = {}
    for row in range(model.rowCount()):
        index = model.index(row, 0)
        full = index.data(Qt.ItemDataRole.DisplayRole)
        text, width, room = delegate.shown_text(view, index)
        assert width <= room, (text, width, room)  # drawn whole inside the row
        assert full in index.data(Qt.ItemDataRole.ToolTipRole)
        shown[full] = (text, view.visualRect(index).height())
    start, start_height = shown["start of training step 1"]
    assert start.lstrip("✓ ") == "start of training step 1" and "…" not in start  # whole, on two lines
    one_line = shown["forward affine1"][1]
    assert start_height > one_line
    assert view.horizontalScrollBar().maximum() == 0


def test_a_long_node_id_is_shown_whole(workbench, qtbot):
    graph = Document.open_example(MAZUR)
    graph.graph.rename_node("loss", "meansquarederror1")
    window = workbench(graph, size=(1280, 800))
    QApplication.processEvents()
    view = window.debugger.program_view.list
    model, delegate = view.model(), view.itemDelegate()
    texts = [delegate.shown_text(view, model.index(r, 0))[0] for r in range(model.rowCount())]
    assert any(t.lstrip("✓ ") == "forward meansquarederror1" for t in texts)
    assert not any("…" in t for t in texts)
