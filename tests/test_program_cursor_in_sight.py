"""The cursor's row stays wholly in sight when the Program list gets shorter after it was
scrolled to: a run over the forward pass scrolls the list to "forward loss" at its bottom, then
the heading above the list wraps to two lines ("2,832 of 5,630 steps run"), and the row was left
half cut off under the list's lower edge."""
from __future__ import annotations

import pytest
from big_program import big_program_view, settle
from PySide6.QtWidgets import QApplication


@pytest.fixture
def big(qtbot):
    return big_program_view(qtbot, 300, 600)


def _wholly_in_sight(view, row: int) -> bool:
    return view.viewport().rect().contains(view.row_rect(row))


@pytest.mark.parametrize("shrink", [14, 27, 60])
def test_the_cursor_row_stays_in_sight_when_the_list_gets_shorter(big, qtbot, shrink):
    controller, program = big
    view = program.list
    controller.goto(3)
    settle(qtbot, controller)
    controller.run_forward()
    settle(qtbot, controller)
    cursor = controller.stepper.cursor
    assert cursor > 2_000
    assert _wholly_in_sight(view, cursor)
    assert view.row_rect(cursor).bottom() > view.viewport().height() - 2 * view.row_rect(cursor).height()
    program.resize(program.width(), program.height() - shrink)  # as a heading wrapping to two lines does
    QApplication.processEvents()
    assert _wholly_in_sight(view, cursor)
    program.resize(program.width(), program.height() + 3 * shrink)
    QApplication.processEvents()
    assert _wholly_in_sight(view, cursor)
