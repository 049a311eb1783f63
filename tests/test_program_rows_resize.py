"""The Program list's rows size to their current text, whatever came before: a row whose name
wrapped ("start of training step 10,001") brought a vertical scroll bar, and the narrower list
then kept "start of training step 1" on two lines, the scroll bar with it, after a Reset (or an
undo) made the name short again. Rows are measured as if the scroll bar were there, always."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionViewItem
from training_helpers import open_example, train_in_window

from app.debugger.program_view import ARROW, MARGIN, TEXT_END


def _layout(view):
    """Each row's height as laid out, and as its text asks; whether the scroll bar shows."""
    QApplication.processEvents()
    model, delegate = view.model(), view.itemDelegate()
    option = QStyleOptionViewItem()
    view.initViewItemOption(option)
    rows = range(model.rowCount())
    laid = [view.visualRect(model.index(r, 0)).height() for r in rows]
    wanted = [delegate.sizeHint(option, model.index(r, 0)).height() for r in rows]
    return laid, wanted, view.verticalScrollBar().isVisible()


def test_rows_fit_their_text_after_a_wrapped_name_got_short_again(workbench, qtbot):
    window = workbench(open_example("mazur"), (1280, 800))
    view = window.debugger.program_view.list
    controller = window.debugger.controller
    bold = QFont(view.font())
    bold.setBold(True)
    start = QFontMetrics(bold).horizontalAdvance("   start of training step 1")
    bar = view.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, view)
    inside = start + MARGIN + ARROW + TEXT_END + bar // 2  # the name fits beside no scroll bar, not beside one
    rows = view.model().rowCount()
    width, short = inside + 2 * view.frameWidth(), 20 * rows + 2 * view.frameWidth() + 6  # no room for a long row
    view.setFixedSize(width, 2 * short)
    _layout(view)
    view.setFixedSize(width, short)
    fresh = _layout(view)  # what the rows are at this size, from a list that had room for all of them
    assert fresh[0] == fresh[1]
    train_in_window(qtbot, window, 10_000)
    qtbot.waitUntil(lambda: controller.stepper.iteration == 10_000)
    assert view.model().index(0, 0).data(Qt.ItemDataRole.DisplayRole) == "start of training step 10,001"
    trained = _layout(view)
    assert trained[0] == trained[1] and trained[0][0] > trained[0][1]  # two lines
    controller.confirm_reset = lambda: True
    assert controller.reset()
    assert view.model().index(0, 0).data(Qt.ItemDataRole.DisplayRole) == "start of training step 1"
    assert _layout(view) == fresh  # the same text at the same size: the same rows, whatever came before
