"""The Program list's keyboard row follows the debugger's cursor: after a click, a step or a run
it is on the cursor's row (drawn with a dashed frame while the list has focus), so Up and Down move
on from there, keeping the row in sight, and Enter, Return or Space moves the cursor to the
keyboard's row as a click does."""
from __future__ import annotations

import pytest
from big_program import big_program_view, settle
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from app.debugger.program_view import FOCUS


@pytest.fixture
def big(qtbot):
    return big_program_view(qtbot)


def _in_sight(view, row: int) -> bool:
    return view.viewport().rect().contains(view.row_rect(row))


def test_keys_move_on_from_the_clicked_row_and_enter_moves_the_cursor(big, qtbot):
    controller, program = big
    view = program.list
    controller.goto(2_000)
    settle(qtbot, controller)
    assert view.currentIndex().row() == 2_000 and _in_sight(view, 2_000)
    view.scrollTo(view.model().index(1_500, 0))  # the user scrolls up, clicks a row there
    QApplication.processEvents()
    target = view.indexAt(QPoint(40, view.viewport().height() // 2)).row()
    assert 1_400 < target < 1_600
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.row_rect(target).center())
    settle(qtbot, controller)
    assert controller.stepper.cursor == target
    assert view.currentIndex().row() == target
    for _ in range(2):
        qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.currentIndex().row() == target + 2 and _in_sight(view, target + 2)
    assert controller.stepper.cursor == target  # the keys move the keyboard's row only
    qtbot.keyClick(view, Qt.Key.Key_Return)
    settle(qtbot, controller)
    assert controller.stepper.cursor == target + 2
    qtbot.keyClick(view, Qt.Key.Key_Up)
    qtbot.keyClick(view, Qt.Key.Key_Space)
    settle(qtbot, controller)
    assert controller.stepper.cursor == target + 1
    assert view.currentIndex().row() == target + 1 and _in_sight(view, target + 1)


def test_a_step_brings_the_keyboard_row_along_and_it_is_drawn(big, qtbot):
    controller, program = big
    view = program.list
    view.setFocus()
    controller.step()
    controller.step()
    settle(qtbot, controller)
    assert view.currentIndex().row() == 2
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.currentIndex().row() == 3
    QApplication.processEvents()
    image = view.viewport().grab().toImage()
    rect = view.row_rect(3)
    frame = [image.pixelColor(x, rect.top()).name() for x in range(rect.left() + 20, rect.right() - 4)]
    assert FOCUS.name() in frame  # the dashed frame on the keyboard's row
    rect2 = view.row_rect(5)
    assert FOCUS.name() not in [image.pixelColor(x, rect2.top()).name()
                                for x in range(rect2.left() + 20, rect2.right() - 4)]
