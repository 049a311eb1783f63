"""The Program list measures the rows it shows, not the rows there are: on a 3,000-node graph
(about 5,600 rows) a new program (an undo) lays the list out once and measures about a screenful
of rows, and so does a run over thousands of rows. The rows it shows still wrap a long name, are
as high as their text, take clicks and keys (and are never edited), and the cursor's row is
scrolled into sight."""
from __future__ import annotations

import pytest
from counting import counted
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QStyleOptionViewItem, QTreeView

from app.commands import Delete
from app.debugger.controller import DebugController
from app.debugger.program_model import CURSOR_ROLE, EXECUTED_ROLE
from app.debugger.program_view import ProgramDelegate, ProgramList, ProgramView
from app.model.document import Document
from benchmarks.bench_editor import layered_graph

LONG = "meansquarederror_of_n2500"  # its forward step's name takes two lines in the list


@pytest.fixture
def big(qtbot):
    graph = layered_graph(3000, 4000)
    graph.rename_node("n2500", LONG)
    document = Document(graph)
    controller = DebugController(document)
    view = ProgramView(controller)
    qtbot.addWidget(view)
    view.resize(300, 700)
    view.show()
    qtbot.waitExposed(view)
    QApplication.processEvents()
    return document, controller, view


def _screenful(view: ProgramList) -> int:
    """The rows of one line that fill the list's viewport (asked of the first row while it is in
    sight: the place of a row far above the rows in sight is found by measuring those between)."""
    assert view.indexAt(QPoint(1, 1)).row() == 0
    return view.viewport().height() // view.row_rect(0).height() + 1


def _shown_rows(view: ProgramList) -> list[int]:
    """The rows in sight, top to bottom."""
    first = view.indexAt(QPoint(1, 1)).row()
    rows = []
    for row in range(first, view.model().rowCount()):
        if view.row_rect(row).top() >= view.viewport().height():
            break
        rows.append(row)
    return rows


def _in_sight(view: ProgramList, row: int) -> bool:
    return view.viewport().rect().contains(view.row_rect(row))


def _rows_fit_their_text(view: ProgramList) -> bool:
    option = QStyleOptionViewItem()
    view.initViewItemOption(option)
    delegate, model = view.itemDelegate(), view.model()
    return all(view.row_rect(row).height() == delegate.sizeHint(option, model.index(row, 0)).height()
               for row in _shown_rows(view))


def test_an_undo_lays_the_list_out_once_and_measures_about_a_screenful(big, monkeypatch):
    document, controller, program_view = big
    view = program_view.list
    screenful = _screenful(view)
    document.undo_stack.push(Delete(document, list(document.graph.nodes)[::6][:50]))
    QApplication.processEvents()
    rows_before = view.model().rowCount()
    layouts = counted(monkeypatch, QTreeView, "doItemsLayout")  # what ProgramList.doItemsLayout asks of Qt
    measured = counted(monkeypatch, ProgramDelegate, "name_height")
    document.undo_stack.undo()
    QApplication.processEvents()
    view.repaint()
    rows = view.model().rowCount()
    assert rows > 5_000 and rows != rows_before  # the deletion left the graph invalid: no program
    assert len(layouts) == 1  # was two: a scroll to the cursor and a repaint each laid every row out
    # the rows painted and the last page (which sets the scroll bar's range), where every one of
    # the 5,600 rows was measured at each layout
    assert 0 < len(measured) <= 3 * screenful
    assert _in_sight(view, controller.stepper.cursor) and _rows_fit_their_text(view)


def test_a_run_over_thousands_of_rows_measures_the_rows_in_sight(big, monkeypatch):
    document, controller, program_view = big
    view = program_view.list
    screenful = _screenful(view)
    measured = counted(monkeypatch, ProgramDelegate, "name_height")
    controller.run_forward()  # the list is told of every row from the first to the end of the forward pass
    QApplication.processEvents()
    cursor = controller.stepper.cursor
    assert cursor > 2_500
    assert 0 < len(measured) <= 3 * screenful  # a told row measured before and after: 2 × 2,800
    assert _in_sight(view, cursor) and _rows_fit_their_text(view)
    row = view.model().index(cursor, 0)
    assert row.data(CURSOR_ROLE) and row.data(EXECUTED_ROLE)
    assert row.data(Qt.ItemDataRole.DisplayRole) == f"forward {controller.stepper.program.computed[-1]}"


def test_a_long_name_far_down_wraps_and_rows_follow_a_new_width(big, qtbot):
    document, controller, program_view = big
    view = program_view.list
    row = [s.label for s in controller.stepper.steps].index(f"forward {LONG}") + 1
    controller.goto(row)
    QApplication.processEvents()
    assert controller.stepper.cursor == row and _in_sight(view, row)
    one_line = view.row_rect(row - 1).height()
    assert view.row_rect(row).height() > one_line  # two lines, whole
    delegate = view.itemDelegate()
    text, width, room = delegate.shown_text(view, view.model().index(row, 0))
    assert text.lstrip("✓ ") == f"forward {LONG}" and width <= room
    assert _rows_fit_their_text(view)
    program_view.resize(600, 700)  # room for the whole name on one line
    qtbot.waitUntil(lambda: view.row_rect(row).height() == one_line)
    assert _rows_fit_their_text(view)


def test_rows_in_sight_take_clicks_and_keys_and_are_never_edited(big, qtbot):
    document, controller, program_view = big
    view = program_view.list
    controller.goto(3_000)
    QApplication.processEvents()
    shown = _shown_rows(view)
    target = shown[len(shown) // 2]
    step = controller.stepper.program.steps[target - 1]
    node = step.node
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.row_rect(target).center())
    assert controller.stepper.cursor == target
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.margin_point(target))
    assert controller.breakpoints == {node}
    view.setFocus()
    assert view.currentIndex().row() == target  # the click put the keyboard's row on the cursor
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.currentIndex().row() == target + 1 and _in_sight(view, target + 1)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert controller.stepper.cursor == target + 1
    qtbot.keyClick(view, Qt.Key.Key_End)
    last = view.model().rowCount() - 1
    assert view.currentIndex().row() == last and _in_sight(view, last)
    assert _rows_fit_their_text(view)
    qtbot.keyClick(view, Qt.Key.Key_F2)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.row_rect(last).center())
    assert view.state() != QAbstractItemView.State.EditingState
    assert view.model().index(last, 0).data(Qt.ItemDataRole.DisplayRole) == "update"
    tip = view.model().index(target, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith(f"{step.label}\nClick: move the cursor")
