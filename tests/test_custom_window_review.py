"""The custom-layer window after a new-user review: making a node a custom layer checks the final
graph, unknown shapes show "?", the convert action says when it cannot be used, errors are marked
at their line, and check rows say which ∂L/∂out they used."""
from __future__ import annotations

from pathlib import Path

import pytest

from app import debugger, training
from app.code import room
from app.code.checker import CHECKING, PASSED
from app.document import Document
from app.editor.scene import UNKNOWN_SHAPE
from core import io
from core.custom.runner import set_executor

APPLE = Path(__file__).resolve().parents[1] / "resources" / "examples" / "apple.json"


@pytest.fixture
def open_window(make_main_window, tmp_path: Path, trust):
    def make(graph, name: str = "custom.json"):
        path = tmp_path / name
        io.save(graph, path)
        install = [debugger.install, training.install, lambda w: room.install(w, w.debugger)]
        return make_main_window(Document.open(path), install=install)

    yield make
    set_executor(None)


def apple_window(open_window):
    return open_window(io.load(APPLE))


def test_making_a_node_custom_checks_the_connected_graph(open_window, qtbot) -> None:
    window = apple_window(open_window)
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
