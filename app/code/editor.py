"""A Python code editor: line numbers in a margin, Pygments colouring, and the line of the
last error marked (the line tinted, a red bar and its number in red in the margin, the cursor
moved there) with the message as a tooltip; the mark (tint and margin) moves with the text when
lines are added or removed above it. Indentation is kept: Return starts the new line at the
current line's indentation (one level more after a line ending with ``:``, one less after
``return``, ``pass``, ``raise``, ``break`` or ``continue``), Tab indents with spaces to the next
level, and Backspace in the leading spaces removes one level.

The colouring (Pygments and its lexer, slow to import and build) starts when the editor is first
painted (its dock is a tab behind the inspector's): the window's first paint does without it."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, QSize, Qt, QTimer
from PySide6.QtGui import (
    QColor,
    QFontDatabase,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QTextCursor,
    QTextFormat,
)
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QWidget

ERROR_TINT = QColor("#fde0dc")
ERROR_TEXT = QColor("#c62828")
MARGIN_BG = QColor("#f3f3f3")
ERROR_BAR = 4  # px: the red bar at the margin's left edge on the error line
MARGIN_TEXT = QColor("#9e9e9e")
INDENT = 4  # spaces per level
ENDS_BLOCK = re.compile(r"^\s*(return|pass|raise|break|continue)\b")


def new_line_indent(before: str) -> int:
    """The indentation (spaces) of the line after one whose text before the cursor is ``before``."""
    indent = len(before) - len(before.lstrip(" "))
    code = before.split("#", 1)[0].rstrip() if "'" not in before and '"' not in before else before.rstrip()
    if code.endswith(":"):
        return indent + INDENT
    if ENDS_BLOCK.match(before):
        return max(0, indent - INDENT)
    return indent

if TYPE_CHECKING:
    from app.code.highlight import PythonHighlighter


class _Margin(QWidget):
    def __init__(self, editor: CodeEditor) -> None:
        super().__init__(editor)
        self.editor = editor

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(self.editor.margin_width(), 0)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        self.editor.paint_margin(event)


class CodeEditor(QPlainTextEdit):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setTabStopDistance(4 * self.fontMetrics().horizontalAdvance(" "))
        self.highlighter: PythonHighlighter | None = None  # made once the editor is first painted
        self._colour_asked = False
        self.error_line: int | None = None  # 1-based
        self.error_message = ""
        self._error_cursor: QTextCursor | None = None  # at the error line's start: it moves with edits
        self._margin = _Margin(self)
        self.document().contentsChange.connect(self._follow_error)
        self.blockCountChanged.connect(lambda _n: self._update_margin_width())
        self.updateRequest.connect(self._on_update_request)
        self._update_margin_width()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        """Return keeps the indentation, Tab indents with spaces, Backspace in the leading spaces
        removes one level; each is one undo step."""
        key, mods = event.key(), event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        cursor = self.textCursor()
        before = cursor.block().text()[: cursor.positionInBlock()]
        plain = mods == Qt.KeyboardModifier.NoModifier
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and plain:
            cursor.insertText("\n" + " " * new_line_indent(before))
        elif key == Qt.Key.Key_Tab and plain and not cursor.hasSelection():
            cursor.insertText(" " * (INDENT - len(before) % INDENT))
        elif key == Qt.Key.Key_Backspace and plain and not cursor.hasSelection() and before and not before.strip(" "):
            cursor.movePosition(QTextCursor.MoveOperation.Left, QTextCursor.MoveMode.KeepAnchor,
                                (len(before) - 1) % INDENT + 1)
            cursor.removeSelectedText()
        else:
            super().keyPressEvent(event)
            return
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        if not self._colour_asked:  # first painted: colour from the next turn of the event loop
            self._colour_asked = True
            QTimer.singleShot(0, self._colour)
        super().paintEvent(event)

    def _colour(self) -> None:
        from app.code.highlight import PythonHighlighter

        self.highlighter = PythonHighlighter(self.document())

    # ---------------------------------------------------------------- errors
    def mark_error(self, line: int | None, message: str) -> None:
        """Mark ``line`` (1-based; None: no line known) as where the last run failed: the line
        tinted, a red bar and number in the margin; a newly marked line gets the cursor (in view)."""
        if line is not None and not 1 <= line <= self.blockCount():
            line = None
        moved = line is not None and (line, message) != (self.error_line, self.error_message)
        self.error_line, self.error_message = line, message
        self._error_cursor = None
        selections = []
        if line is not None:
            sel = QTextEdit.ExtraSelection()
            sel.format.setBackground(ERROR_TINT)
            sel.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
            sel.format.setToolTip(message)
            sel.cursor = QTextCursor(self.document().findBlockByNumber(line - 1))
            self._error_cursor = QTextCursor(self.document().findBlockByNumber(line - 1))  # our own: it stays
            selections.append(sel)
            if moved:
                self.setTextCursor(QTextCursor(sel.cursor))
                self.centerCursor()
        self.setExtraSelections(selections)
        self._show_margin()

    def _show_margin(self) -> None:
        line = self.error_line
        self._margin.setToolTip(f"Line {line}: {self.error_message}" if line is not None else "")
        self._margin.update()

    def _follow_error(self, *_change: int) -> None:
        """After an edit, the marked line is where its text went (the tint's cursor moved with it);
        the margin's marker and number follow."""
        if self._error_cursor is None:
            return
        line = self._error_cursor.blockNumber() + 1
        if line != self.error_line:
            self.error_line = line
            self._show_margin()

    def error_rect(self) -> QRect | None:
        """Where the error line's marker is in the margin (None: no line marked)."""
        if self.error_line is None:
            return None
        block = self.document().findBlockByNumber(self.error_line - 1)
        geometry = self.blockBoundingGeometry(block).translated(self.contentOffset())
        return QRect(0, round(geometry.top()), self._margin.width(), round(geometry.height()))

    def setPlainText(self, text: str) -> None:  # noqa: N802 - Qt's name
        """New text: no line of it is marked yet (a mark made next moves the cursor there)."""
        super().setPlainText(text)
        self.clear_error()

    def clear_error(self) -> None:
        self.mark_error(None, "")

    # ---------------------------------------------------------------- margin
    def margin_width(self) -> int:
        digits = len(str(max(1, self.blockCount())))
        return 12 + self.fontMetrics().horizontalAdvance("9") * max(2, digits)

    def _update_margin_width(self) -> None:
        self.setViewportMargins(self.margin_width(), 0, 0, 0)

    def _on_update_request(self, rect: QRect, dy: int) -> None:
        if dy:
            self._margin.scroll(0, dy)
        else:
            self._margin.update(0, rect.y(), self._margin.width(), rect.height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        r = self.contentsRect()
        self._margin.setGeometry(QRect(r.left(), r.top(), self.margin_width(), r.height()))

    def paint_margin(self, event: QPaintEvent) -> None:
        painter = QPainter(self._margin)
        painter.fillRect(event.rect(), MARGIN_BG)
        marker = self.error_rect()
        if marker is not None:
            painter.fillRect(marker, ERROR_TINT)
            painter.fillRect(QRect(marker.left(), marker.top(), ERROR_BAR, marker.height()), ERROR_TEXT)
        block = self.firstVisibleBlock()
        number = block.blockNumber()
        top = round(self.blockBoundingGeometry(block).translated(self.contentOffset()).top())
        height = self.fontMetrics().height()
        while block.isValid() and top <= event.rect().bottom():
            bottom = top + round(self.blockBoundingRect(block).height())
            if block.isVisible() and bottom >= event.rect().top():
                error = self.error_line == number + 1
                painter.setPen(ERROR_TEXT if error else MARGIN_TEXT)
                font = painter.font()
                font.setBold(error)
                painter.setFont(font)
                painter.drawText(0, top, self._margin.width() - 6, height, Qt.AlignmentFlag.AlignRight,
                                 str(number + 1))
            block, top, number = block.next(), bottom, number + 1
        painter.end()
