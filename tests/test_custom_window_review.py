"""The custom-layer window after a new-user review: making a node a custom layer checks the final
graph, unknown shapes show "?", the convert action says when it cannot be used, errors are marked
at their line, and check rows say which ∂L/∂out they used."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QTextCursor
from test_custom_window import open_window  # noqa: F401  # the fixture

from app.code.checker import CHECKING, PASSED
from app.code.editor import ERROR_TEXT
from app.editor.marks import UNKNOWN_SHAPE
from core import io

APPLE = Path(__file__).resolve().parents[1] / "resources" / "examples" / "apple.json"


@pytest.fixture
def apple(open_window):  # noqa: F811  # the fixture imported above
    """The Apple example in a window with the code room."""
    return open_window(io.load(APPLE))


def test_making_a_node_custom_checks_the_connected_graph(apple, qtbot) -> None:
    window = apple
    code_room = window.code
    window.scene.select_nodes(["mul_apple"])
    code_room.convert_action.trigger()
    code = window.document.graph.nodes["mul_apple"].attrs["code"]
    qtbot.waitUntil(lambda: "mul_apple" in code_room.checker.results
                    and code_room.checker.state("mul_apple", code) != CHECKING, timeout=20000)
    result, why = code_room.checker.result("mul_apple", code)
    assert why == ""
    assert code_room.checker.state("mul_apple", code) == PASSED
    assert "not run yet" not in code_room.panel.details.text()
    window.scene.validate_now()
    assert window.scene.problems == []
    for node in ("mul_apple", "mul_tax"):
        item = window.scene.node_item(node)
        assert item.shape_text == "?"
        assert UNKNOWN_SHAPE in item.toolTip()
    assert window.scene.node_item("apple").shape_text == "scalar"


def test_the_convert_action_says_when_it_cannot_be_used(apple, qtbot) -> None:
    window = apple
    action = window.code.convert_action
    window.scene.select_nodes([])
    assert not action.isEnabled()
    assert action.toolTip() == "Select an op node (such as Multiply or Sigmoid) to make it a custom layer"
    window.scene.select_nodes(["apple"])
    assert not action.isEnabled()
    assert action.toolTip().startswith("apple (Parameter): there is no layer class for Parameter (there is for ")
    window.scene.select_nodes(["mul_apple", "mul_tax"])
    assert not action.isEnabled()
    assert action.toolTip() == "Select just one op node to make it a custom layer (several are selected)"
    window.scene.select_nodes(["mul_apple"])
    assert action.isEnabled()
    action.trigger()
    assert not action.isEnabled()
    assert "is already a custom layer" in action.toolTip()
    window.document.undo_stack.undo()
    window.scene.select_nodes(["mul_apple"])
    assert window.document.graph.nodes["mul_apple"].op_type == "Multiply"
    assert action.isEnabled()


def marked_block(editor) -> int:
    """The block the error tint is on, after checking the margin's marker is on the same line."""
    (tint,) = editor.extraSelections()
    block = tint.cursor.blockNumber()
    assert editor.error_line == block + 1
    assert editor.textCursor().blockNumber() == block  # the cursor went there
    marker = editor.error_rect()
    top = editor.blockBoundingGeometry(editor.document().findBlockByNumber(block)).translated(
        editor.contentOffset()).top()
    assert marker is not None and marker.top() == round(top)
    picture = editor._margin.grab().toImage()
    assert picture.pixelColor(1, marker.center().y()).name() == ERROR_TEXT.name()  # the red bar
    assert picture.pixelColor(1, marker.bottom() + 3).name() != ERROR_TEXT.name()  # on that line only
    return block


def custom_mul_apple(window):
    window.scene.select_nodes(["mul_apple"])
    window.code.convert_action.trigger()
    return window.code.panel


def test_a_syntax_error_is_marked_at_its_line(apple, qtbot) -> None:
    panel = custom_mul_apple(apple)
    lines = panel.editor.toPlainText().splitlines()
    at = next(i for i, text in enumerate(lines) if text.strip().startswith("def backward"))
    lines[at] = lines[at].rstrip(":")
    panel.editor.setPlainText("\n".join(lines))
    panel.editor.moveCursor(QTextCursor.MoveOperation.Start)
    assert panel.apply()
    assert marked_block(panel.editor) == at
    assert panel.error.text() == f"Line {at + 1}: syntax error: expected ':'"


def test_an_error_in_backward_is_marked_at_its_line(apple, qtbot) -> None:
    panel = custom_mul_apple(apple)
    lines = panel.editor.toPlainText().splitlines()
    at = next(i for i, text in enumerate(lines) if text.strip().startswith("dx = dout * self.y"))
    lines[at] = lines[at].replace("self.y", "self.z")
    panel.editor.setPlainText("\n".join(lines))
    assert panel.apply()
    panel.editor.moveCursor(QTextCursor.MoveOperation.Start)
    with qtbot.waitSignal(apple.debugger.controller.layerFailed, timeout=20000):
        apple.debugger.controller.run_backward()
    assert marked_block(panel.editor) == at
    assert panel.error.text().startswith("Last run: mul_apple (MulLayer.backward, line ")


def test_install_returns_the_room_and_the_window_keeps_it(make_main_window, workbench) -> None:
    from app import debugger
    from app.code import room

    window = make_main_window()
    stepping = debugger.install(window)
    assert window.code is None  # declared by the window, set by whoever installs
    made = room.install(window, stepping)
    assert isinstance(made, room.CodeRoom) and window.code is None
    whole = workbench()
    assert isinstance(whole.code, room.CodeRoom) and whole.code.window is whole
