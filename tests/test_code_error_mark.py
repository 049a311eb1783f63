"""The layer code's error mark follows the text (pytest-qt): after lines are added above the
marked line, the tint, the margin's red marker and its number are on the line the text moved to;
code with a syntax error keeps the last class name in the dock's header."""
from __future__ import annotations

from pathlib import Path

from custom_helpers import customised
from PySide6.QtGui import QTextCursor
from test_custom_window import open_window  # noqa: F401  # the fixture

from app.code.editor import CodeEditor
from core import io
from core.custom.templates import SIGMOID

MAZUR = Path(__file__).resolve().parents[1] / "resources" / "examples" / "mazur.json"

TEXT = "\n".join(f"line{k}" for k in range(1, 16))


def _tinted_line(editor: CodeEditor) -> int:
    (selection,) = editor.extraSelections()
    return selection.cursor.blockNumber() + 1


def test_the_margin_marker_moves_with_the_tinted_line(qtbot) -> None:
    editor = CodeEditor()
    qtbot.addWidget(editor)
    editor.resize(400, 400)
    editor.show()
    editor.setPlainText(TEXT)
    editor.mark_error(11, "boom")
    assert (editor.error_line, _tinted_line(editor)) == (11, 11)
    cursor = QTextCursor(editor.document().findBlockByNumber(2))
    cursor.insertText("new a\nnew b\n")
    block = editor.document().findBlockByNumber(editor.error_line - 1)
    assert block.text() == "line11"
    assert (editor.error_line, _tinted_line(editor)) == (13, 13)
    top = round(editor.blockBoundingGeometry(block).translated(editor.contentOffset()).top())
    assert editor.error_rect().top() == top
    assert editor._margin.toolTip() == "Line 13: boom"
    cursor = QTextCursor(editor.document().findBlockByNumber(0))
    cursor.movePosition(QTextCursor.MoveOperation.Down, QTextCursor.MoveMode.KeepAnchor, 3)
    cursor.removeSelectedText()  # three lines above it go
    assert editor.document().findBlockByNumber(editor.error_line - 1).text() == "line11"
    assert (editor.error_line, _tinted_line(editor)) == (10, 10)


def test_the_header_keeps_the_last_class_name_on_a_syntax_error(open_window, trust) -> None:  # noqa: F811
    trust.allow([SIGMOID])
    window = open_window(customised(io.load(MAZUR), {"sigmoid2": SIGMOID}))
    window.scene.select_nodes(["sigmoid2"])
    panel = window.code.panel
    panel.show_node("sigmoid2")
    assert panel.title.text() == "sigmoid2 — class Sigmoid"
    broken = SIGMOID.replace("def forward(self, x):", "def forward(self, x)", 1)
    assert broken != SIGMOID
    panel.editor.setPlainText(broken)
    assert panel.apply()
    assert window.document.graph.nodes["sigmoid2"].attrs["code"] == broken
    assert panel.title.text() == "sigmoid2 — class Sigmoid (syntax error)"
