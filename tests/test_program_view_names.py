"""The Program list at its dock's default width: long step names are elided in the middle, whole in the tooltip."""
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


def test_long_step_names_are_elided_in_the_middle_and_whole_in_the_tooltip(workbench, qtbot):
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
        shown[full] = text
    start = shown["start of training step 1"].lstrip("✓ ")  # after the check mark column
    assert start != "start of training step 1" and "…" in start  # too long for 222 px at this font
    head, tail = start.split("…")
    assert "start of training step 1".startswith(head) and "start of training step 1".endswith(tail)
    assert tail.endswith("1")  # the middle goes: the step's number stays visible
    assert view.horizontalScrollBar().maximum() == 0
