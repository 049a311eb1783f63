"""A long step name in the Program list breaks across lines, inside a word if it must
("forward hidden_layer_activation_af" / "ter_the_first_affine"), rather than losing its middle,
and is elided only past three lines; its lines start at one left edge, right of the check mark's
column; and the row is as high as the lines drawn (one function fits the text for both)."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication
from training_helpers import open_example

from app.debugger.controller import DebugController
from app.debugger.program_text import MAX_LINES, fitted_lines
from app.debugger.program_view import MARGIN, ProgramView

LONG = "hidden_layer_activation_after_the_first_affine"


@pytest.fixture
def mazur(qtbot):
    document = open_example("mazur")
    document.graph.rename_node("sigmoid1", LONG)
    controller = DebugController(document)
    view = ProgramView(controller)
    qtbot.addWidget(view)
    view.show()
    controller.run_steps(3)
    return controller, view


def _show(view, width: int) -> None:
    view.resize(width, 640)
    for _ in range(3):
        QApplication.processEvents()


def _row(view, label: str) -> int:
    model = view.model()
    return next(r for r in range(model.rowCount()) if model.index(r, 0).data(Qt.ItemDataRole.DisplayRole) == label)


def _dark(image, rect, top: int, bottom: int) -> list[int]:
    """The x of the dark pixels in ``rect`` of ``image`` between ``top`` and ``bottom``."""
    return [x for x in range(rect.left(), rect.right()) for y in range(top, bottom)
            if image.pixelColor(x, y).lightness() < 140]


def test_a_long_name_takes_two_whole_lines_aligned_right_of_the_mark(mazur):
    controller, program = mazur
    _show(program, 300)
    view, delegate = program.list, program.list.itemDelegate()
    row = _row(view, f"forward {LONG}")
    assert controller.stepper.cursor > row  # executed: a check mark
    index = view.model().index(row, 0)
    text, width, room = delegate.shown_text(view, index)
    assert text == f"✓ forward {LONG}" and width <= room  # whole, never elided
    lines = fitted_lines(QFont(view.font()), f"forward {LONG}", room)
    assert len(lines) == 2 and lines[0].startswith("forward hidden_")  # the too-long word is broken, not elided
    assert len(lines[1]) >= 14
    spacing = QFontMetrics(view.font()).lineSpacing()
    rect = view.row_rect(row)
    one_line = view.row_rect(row - 1).height()
    assert rect.height() == one_line + spacing  # as high as its lines
    image = view.viewport().grab().toImage()
    top = rect.top() + (rect.height() - 2 * spacing) // 2
    first, second = _dark(image, rect, top, top + spacing), _dark(image, rect, top + spacing, top + 2 * spacing)
    name_left = min(second)  # the second line has no mark
    mark = [x for x in first if x < name_left - 2]
    assert mark and min(x for x in first if x >= name_left - 2) - name_left <= 1  # both lines start at one edge
    assert min(mark) >= rect.left() + MARGIN  # the check mark, in its column right of the breakpoint margin


def test_common_words_stay_whole_at_a_narrow_dock_and_only_past_three_lines_a_name_is_elided(mazur):
    controller, program = mazur
    _show(program, 130)
    view, delegate, model = program.list, program.list.itemDelegate(), program.list.model()
    for label in ("forward sigmoid2", "backward sigmoid2", "forward affine2", "clear gradients"):
        text, width, room = delegate.shown_text(view, model.index(_row(view, label), 0))
        assert "…" not in text and text.lstrip("✓ ") == label and width <= room
    text, width, room = delegate.shown_text(view, model.index(_row(view, f"forward {LONG}"), 0))
    assert "…" in text and text.endswith("fine") and width <= room  # too long for three lines: its end kept
    font = QFont(view.font())
    assert len(fitted_lines(font, f"forward {LONG}", 60)) == MAX_LINES
    assert "".join(fitted_lines(font, f"forward {LONG}", 200)) == f"forward {LONG}"
    assert fitted_lines(font, "forward sigmoid2", 1_000) == ["forward sigmoid2"]
