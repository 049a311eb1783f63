"""The Program list at its dock's default width: long step names wrap onto a second line (whole,
never elided), and are whole in the tooltip too. A step tells the list only of the rows it changed
(a list whose rows wrap measures every row it is told of: on a 1,000-node graph telling it of all
rows cost most of a step), and the rows still show what the stepper says."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication

from app.debugger.program_model import CURSOR_ROLE, EXECUTED_ROLE
from app.debugger.program_text import fitted_lines
from app.model.document import Document
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
    assert start.lstrip("✓ ") == "start of training step 1" and "…" not in start  # whole
    one_line = shown["forward affine1"][1]
    font = QFont(view.font())
    font.setBold(True)  # the cursor's row
    lines = len(fitted_lines(font, "start of training step 1", view.text_room()))
    assert start_height == one_line + (lines - 1) * QFontMetrics(font).lineSpacing()  # as high as its lines
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


def test_a_step_tells_the_list_of_the_rows_between_the_old_and_new_cursor(workbench, qtbot):
    window = workbench(Document.open_example(MAZUR), size=(1280, 800))
    QApplication.processEvents()
    controller, view = window.debugger.controller, window.debugger.program_view.list
    model = view.model()
    told: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda first, last, *_: told.append((first.row(), last.row())))
    rows = model.rowCount()
    for _ in range(3):
        controller.step()
    controller.step_back()
    assert told == [(0, 1), (1, 2), (2, 3), (2, 3)]
    cursor = controller.stepper.cursor
    for row in range(rows):  # every row shows the stepper's state
        index = model.index(row, 0)
        assert index.data(CURSOR_ROLE) == (row == cursor)
        assert index.data(EXECUTED_ROLE) == (0 < row <= cursor)
    told.clear()
    controller.run_backward()  # many steps at once: the rows from the old cursor to the new
    assert told == [(cursor, controller.stepper.cursor)]
    after_backward = controller.stepper.cursor
    told.clear()
    controller.goto(0)
    assert told == [(0, after_backward)]
    controller.run_backward()
    told.clear()
    controller.apply_update()
    assert told[-1] == (after_backward, rows - 1)
    iteration = controller.stepper.iteration
    controller.step()  # into the next training step: the first row's text changes, all rows are told
    assert controller.stepper.iteration == iteration + 1
    assert told[-1] == (0, rows - 1)
