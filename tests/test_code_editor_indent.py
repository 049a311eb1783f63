"""The layer code editor keeps indentation as a code editor does, driven by key events: Return
keeps the line's indentation (one level more after ``:``, one less after ``return``), Tab
indents with spaces, Backspace in the leading spaces removes one level; each is one undo step."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.code.editor import CodeEditor, new_line_indent


@pytest.fixture
def editor(qtbot) -> CodeEditor:
    editor = CodeEditor()
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    editor.setFocus()
    return editor


def type_lines(qtbot, editor: CodeEditor, *lines: str) -> None:
    """Type each line after the indentation the editor gave, then Return."""
    for line in lines:
        qtbot.keyClicks(editor, line)
        qtbot.keyClick(editor, Qt.Key.Key_Return)


def test_return_keeps_and_deepens_the_indentation(qtbot, editor: CodeEditor) -> None:
    type_lines(qtbot, editor, "class Layer:", "def forward(self, x):", "out = x * 2", "return out")
    qtbot.keyClicks(editor, "def backward(self, dout):  # no tabs")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor, "return dout")
    assert editor.toPlainText() == ("class Layer:\n"
                                    "    def forward(self, x):\n"
                                    "        out = x * 2\n"
                                    "        return out\n"
                                    "    def backward(self, dout):  # no tabs\n"
                                    "        return dout")


def test_backspace_in_the_leading_spaces_removes_one_level(qtbot, editor: CodeEditor) -> None:
    type_lines(qtbot, editor, "if x:", "if y:")
    assert editor.textCursor().positionInBlock() == 8
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    assert editor.textCursor().block().text() == "    "
    qtbot.keyClicks(editor, "z = 1")
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)  # inside text: one character, as always
    assert editor.toPlainText() == "if x:\n    if y:\n    z = "
    editor.undo()  # the Backspace of one level is one undo step as well
    editor.undo()
    assert editor.toPlainText().endswith("\n    ")


def test_tab_indents_with_spaces_to_the_next_level(qtbot, editor: CodeEditor) -> None:
    qtbot.keyClicks(editor, "ab")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert editor.toPlainText() == "ab  "
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert editor.toPlainText() == "ab  \n    "


def test_return_is_one_undo_step_and_ctrl_return_is_left_to_apply(qtbot, editor: CodeEditor) -> None:
    type_lines(qtbot, editor, "def f():")
    assert editor.toPlainText() == "def f():\n    "
    editor.undo()
    assert editor.toPlainText() == "def f():"


@pytest.mark.parametrize("before, indent", [
    ("x = 1", 0), ("    x = 1", 4), ("    for i in range(3):", 8), ("        return x", 4), ("    pass", 0),
    ("    returned = 1", 4), ("    s = 'a:'", 4), ("    if x:  # note", 8), ("raise ValueError", 0),
])
def test_new_line_indent(before: str, indent: int) -> None:
    assert new_line_indent(before) == indent
