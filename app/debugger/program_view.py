"""The program view: every step of a training step, the cursor between them, breakpoints in a margin.

Row 0 is the start of the training step, row k (k ≥ 1) is step k. The cursor sits under the
row of the last executed step; clicking a row moves it there (forward or back in time), and
clicking the margin of a node's step toggles a breakpoint on that node.

The list's rows are as high as their names' lines (a long name wraps), and a program has one row
per step: 6,000 on a 3,000-node graph. So the list is a flat tree view scrolling by rows, which
measures a row when it shows it (a list view of rows of varying height measured every row at
each layout), and the model's row count lives in C++ (:class:`ProgramModel`): a layout, as after
each undo, costs what the rows in sight cost.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.debugger.controller import DebugController
from app.debugger.legend import Legend
from app.debugger.program_model import BREAKPOINT_ROLE, CURSOR_ROLE, EXECUTED_ROLE, NODE_ROLE, Index, ProgramModel
from app.debugger.program_text import _draw_name, _fitted_text, _line_heights, _lines
from core.format import plural

MARGIN = 18  # the breakpoint margin, in pixels
TEXT_END = 4  # between a step's name and the row's right end
ARROW = 16  # the cursor arrow column
# rows told of at once beyond which the list lays itself out again (it then measures only the rows
# it shows) rather than measuring each told row before and after (a run over a pass tells thousands)
RELAYOUT_ROWS = 32

BREAKPOINT = QColor("#d32f2f")
CURSOR = QColor("#ff8f00")
FOCUS = QColor("#2f6fb3")  # the dashed frame of the row the keyboard is on
FOCUS_FILL = QColor("#e3edf8")
DONE_TEXT = QColor("#1f2933")
TODO_TEXT = QColor("#7b8794")


class ProgramDelegate(QStyledItemDelegate):
    """Margin dot; the cursor's arrow, or a done step's check mark, in a column of their own; the
    name's lines right of it (dark once done), the cursor's line under its row."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        painter.save()
        rect: QRect = option.rect
        focused = bool(option.state & QStyle.StateFlag.State_HasFocus)
        if focused:  # the keyboard's row (Up/Down move it, Enter moves the cursor there)
            painter.fillRect(rect, FOCUS_FILL)
        elif option.state & QStyle.StateFlag.State_MouseOver:
            painter.fillRect(rect, QColor("#eef3f8"))
        if index.data(BREAKPOINT_ROLE):
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(BREAKPOINT)
            d = min(10, rect.height() - 6)
            painter.drawEllipse(rect.left() + (MARGIN - d) // 2, rect.center().y() - d // 2, d, d)
        executed, cursor = bool(index.data(EXECUTED_ROLE)), bool(index.data(CURSOR_ROLE))
        view = self.parent()
        room = view.text_room() if isinstance(view, ProgramList) else rect.width() - MARGIN - ARROW - TEXT_END
        text_rect = QRect(rect.left() + MARGIN + ARROW, rect.top(), room, rect.height())
        font = QFont(option.font)
        font.setBold(cursor)
        painter.setFont(font)
        top = _draw_name(painter, font, text_rect, str(index.data(Qt.ItemDataRole.DisplayRole)),
                         DONE_TEXT if executed or cursor else TODO_TEXT)
        if cursor or executed:  # one column: the cursor's arrow, else a done step's check mark
            painter.setPen(CURSOR if cursor else DONE_TEXT)
            painter.drawText(QRect(rect.left() + MARGIN, top, ARROW, QFontMetrics(font).lineSpacing()),
                             Qt.AlignmentFlag.AlignCenter, "▶" if cursor else "✓")
        if cursor:
            painter.setPen(QPen(CURSOR, 2))
            y = rect.bottom()
            painter.drawLine(rect.left() + MARGIN, y, rect.right(), y)
        if focused:
            painter.setPen(QPen(FOCUS, 1, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(rect.adjusted(MARGIN, 0, -1, -1))
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        """As wide as the margin and arrow only (a long name wraps, it never widens the dock); as
        high as the name's lines in the room the list gives it (asked of the rows the list shows)."""
        view = self.parent()
        if not isinstance(view, ProgramList):
            return QSize(MARGIN + ARROW + TEXT_END, max(super().sizeHint(option, index).height() + 4, 20))
        return QSize(MARGIN + ARROW + TEXT_END, self.row_height(view, option, index, view.text_room()))

    def row_height(self, view: QAbstractItemView, option: QStyleOptionViewItem, index: Index, room: int) -> int:
        """The row's height when its name has ``room`` pixels."""
        font = QFont(view.font())
        font.setBold(bool(index.data(CURSOR_ROLE)))
        mark = "✓ " if index.data(EXECUTED_ROLE) else "   "
        return self.name_height(font, option, index, (mark, str(index.data(Qt.ItemDataRole.DisplayRole))), room)

    def name_height(self, font: QFont, option: QStyleOptionViewItem, index: Index, text: tuple[str, str],
                    room: int) -> int:
        """The height of a row showing ``text`` (its mark, its name) in ``font`` at ``room`` pixels."""
        line = self.one_line(font, option, index)
        lines = _lines(font, text, room)
        return line if lines == 1 else line + (lines - 1) * QFontMetrics(font).lineSpacing()

    def one_line(self, font: QFont, option: QStyleOptionViewItem, index: Index) -> int:
        """The height of a row of one line in ``font``: the least a row is high."""
        key = font.key()
        line = _line_heights.get(key)
        if line is None:  # a one-line row's height depends on the font only: measured once
            line = _line_heights[key] = max(super().sizeHint(option, index).height() + 4, 20)
        return line

    def shown_text(self, view: QAbstractItemView, index: Index) -> tuple[str, int, int]:
        """The text drawn on ``index``'s row of ``view``, its width and the room it has, in pixels."""
        font = QFont(view.font())
        font.setBold(bool(index.data(CURSOR_ROLE)))
        return _fitted(font, index, view.text_room() if isinstance(view, ProgramList) else
                       view.visualRect(index).width() - MARGIN - ARROW - TEXT_END)


def _fitted(font: QFont, index: Index, room: int) -> tuple[str, int, int]:
    """The row's check mark (drawn in the arrow's column) and name, as drawn (:func:`fitted_lines`,
    joined); the widest line's width; ``room``."""
    mark = "✓ " if index.data(EXECUTED_ROLE) else "   "
    return _fitted_text(font, mark, str(index.data(Qt.ItemDataRole.DisplayRole)), room)



class ProgramList(QTreeView):
    """The list itself: a click in the margin toggles a breakpoint, elsewhere moves the cursor.

    A flat tree view (no root, no header, no indentation) scrolling by rows: it lays its rows out
    without measuring them and measures a row when it is shown (scrolled to, painted, or in the
    last page, which sets the scroll bar's range), so a new program costs the rows in sight.
    """

    def __init__(self, controller: DebugController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setMouseTracking(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setRootIsDecorated(False)
        self.setItemsExpandable(False)
        self.setExpandsOnDoubleClick(False)
        self.setIndentation(0)
        self.setHeaderHidden(True)
        self.setUniformRowHeights(False)  # a long name takes two lines
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerItem)  # per pixel measures every row
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # long names wrap
        self.setItemDelegate(ProgramDelegate(self))
        self._room: int | None = None  # the pixels a row's name may take (text_room)
        self._laid_out_at: QSize | None = None  # the list's size when the room was chosen

    def mousePressEvent(self, event: QMouseEvent) -> None:
        index = self.indexAt(event.position().toPoint())
        if not index.isValid() or event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        in_margin = event.position().x() < MARGIN
        if not in_margin:
            self.setCurrentIndex(index)
        self.click_row(index.row(), in_margin=in_margin)
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        """Up, Down, Page Up/Down, Home and End move the keyboard's row (kept in sight); Enter,
        Return or Space moves the cursor to it, as a click on it does."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space) and self.currentIndex().isValid():
            self.click_row(self.currentIndex().row())
            event.accept()
            return
        super().keyPressEvent(event)

    def follow(self, row: int) -> None:
        """Put the keyboard's row on the cursor's ``row`` and scroll it into sight."""
        index = self.model().index(row, 0)
        if self.currentIndex() != index:
            self.setCurrentIndex(index)
        self.scrollTo(index)

    def click_row(self, row: int, in_margin: bool = False) -> None:
        """What a click on ``row`` does (also used by tests and keyboard users)."""
        node = self.model().index(row, 0).data(NODE_ROLE)
        if in_margin:
            if node is not None:
                self.controller.toggle_breakpoint(node)
            return
        self.controller.goto(row)

    def text_room(self) -> int:
        """The pixels a row's name may take, as chosen by the last layout (:meth:`doItemsLayout`)."""
        if self._room is None:
            self._room = self._choose_room()
        return self._room

    def doItemsLayout(self) -> None:  # noqa: N802 - Qt's name
        """Lay the rows out anew (their heights are forgotten and measured when shown), at the
        room chosen now."""
        self._room = self._choose_room()
        self._laid_out_at = self.size()
        super().doItemsLayout()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        """A new size may give the names another room: then the rows are laid out again (their
        lines counted anew); a scroll bar coming or going resizes the viewport only, not the room.
        The keyboard's (the cursor's) row, wholly in sight before, is kept in sight: the list gets
        shorter after a run scrolled to it when the heading above wraps to another line."""
        current = self.currentIndex()
        rect = self.visualRect(current) if current.isValid() else QRect()
        old_height = event.oldSize().height() - 2 * self.frameWidth()
        keep = rect.isValid() and rect.top() >= 0 and rect.bottom() < old_height
        super().resizeEvent(event)
        if keep and not self.viewport().rect().contains(self.visualRect(current)):
            self.scrollTo(current)
        if self._laid_out_at is not None and self._laid_out_at != self.size():
            self._laid_out_at = self.size()
            if self._choose_room() != self._room:
                self.scheduleDelayedItemsLayout()

    def dataChanged(self, first: Index, last: Index, roles: Any = ()) -> None:  # noqa: N802 - Qt's name
        """Rows whose text changed: a few are measured again before and after; many (a run over a
        pass), or new text that gives the names another room (a short name where a long one
        brought the scroll bar), make the list lay itself out anew, which measures only the rows
        it then shows."""
        many = first.isValid() and last.isValid() and last.row() - first.row() >= RELAYOUT_ROWS
        if many or self._choose_room() != self._room:
            self.scheduleDelayedItemsLayout()  # a tree view waiting for a layout measures no told row
        super().dataChanged(first, last, list(roles))

    def _choose_room(self) -> int:
        """The list's inside less the margin, the arrow and the row's end; less a vertical scroll
        bar too when the rows measured without one do not fit. Decided from the rows' names and
        the list's size alone (more rows than fit at one line each are not measured; fewer are):
        measured against the viewport, a name wrapped by the scroll bar's arrival kept the bar,
        and the row stayed two lines high after the name got short again."""
        full = max(1, self.width() - 2 * self.frameWidth() - MARGIN - ARROW - TEXT_END)
        model, delegate = self.model(), self.itemDelegate()
        rows = model.rowCount() if model is not None else 0
        if not rows or not isinstance(delegate, ProgramDelegate):
            return full
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, self)
        left = self.height() - 2 * self.frameWidth()  # the viewport's height (it never scrolls sideways)
        option = QStyleOptionViewItem()
        self.initViewItemOption(option)
        bold = QFont(self.font())
        bold.setBold(True)
        least = min(delegate.one_line(font, option, model.index(0, 0)) for font in (self.font(), bold))
        if rows * least > left:  # they cannot fit: they have the scroll bar's width less
            return max(1, full - bar)
        for row in range(rows):
            left -= delegate.row_height(self, option, model.index(row, 0), full)
            if left < 0:
                return max(1, full - bar)
        return full

    def row_rect(self, row: int) -> QRect:
        return self.visualRect(self.model().index(row, 0))

    def margin_point(self, row: int) -> QPoint:
        rect = self.row_rect(row)
        return QPoint(MARGIN // 2, rect.center().y())


class ProgramView(QWidget):
    """The dock's widget: training step header, the step list, the canvas legend."""

    def __init__(self, controller: DebugController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.header = QLabel(self)
        self.header.setWordWrap(True)
        self.model = ProgramModel(controller, self)
        self.list = ProgramList(controller, self)
        self.list.setModel(self.model)
        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b71c1c;")
        self.legend = Legend(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.header)
        layout.addWidget(self.problem)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.legend)
        controller.programChanged.connect(self._on_program_changed)
        controller.stateChanged.connect(self._on_state_changed)
        self._on_program_changed()

    def _on_program_changed(self) -> None:
        self.model.reset()
        s = self.controller.stepper
        self.problem.setVisible(s is None and self.controller.problem is not None)
        self.problem.setText(f"The graph cannot run: {self.controller.problem}" if self.controller.problem else "")
        self._on_state_changed(None)

    def _on_state_changed(self, _dirty: object) -> None:
        s = self.controller.stepper
        if s is None:
            self.header.setText("No program")
            return
        n = len(s.program.steps)
        # it breaks before the dot or before the count of steps, never inside "Training step 1"
        self.header.setText(_unbroken(f"<b>Training step {s.iteration + 1:,}</b>") + " " +
                            _unbroken(f"· {s.cursor:,} of") + " " + _unbroken(f"{plural(n, 'step')} run"))
        busy = self.controller.training_busy
        self.list.setEnabled(not busy)
        self.list.setToolTip("The steps wait while a training run is going on" if busy else "")
        self.model.refresh()
        self.list.follow(s.cursor)


def _unbroken(text: str) -> str:
    """``text`` with no-break spaces: a label wraps it as one word."""
    return text.replace(" ", "\u00a0")
