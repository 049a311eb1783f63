"""Custom layers in the window: the trust bar, the code dock (apply = one undo entry, error line,
check badges and failing entries), an endless forward stopped while the window answers, the
notebook's Relu flagged in the inspector, training asks first on a failing layer, templates."""
from __future__ import annotations

import re
from pathlib import Path

import notebook_classes as nb
import numpy as np
import pytest
from custom_helpers import customised
from engine_fixtures import build_apple_orange
from PySide6.QtCore import Qt, QTimer

from app import debugger, training
from app.code import room
from app.code.checker import FAILED, PASSED, UNTRUSTED
from app.code.trust_bar import trust_store
from app.model.document import Document
from core import io
from core.custom.runner import set_executor, set_time_limit
from core.custom.templates import MUL

APPLE = {"apple_price": nb.MUL_LAYER, "orange_price": nb.MUL_LAYER, "all_price": nb.ADD_LAYER, "price": nb.MUL_LAYER}
WRONG_MUL = nb.MUL_LAYER.replace("dx = dout * self.y", "dx = dout * self.x")


@pytest.fixture
def open_window(make_main_window, tmp_path: Path, trust):
    def make(graph, name: str = "custom.json"):
        path = tmp_path / name
        io.save(graph, path)
        install = [debugger.install, training.install, lambda w: room.install(w, w.debugger)]
        return make_main_window(Document.open(path), install=install)

    yield make
    set_executor(None)


def wait_checked(qtbot, window, node: str, state: str) -> None:
    code = window.document.graph.nodes[node].attrs["code"]
    qtbot.waitUntil(lambda: window.code.checker.state(node, code) == state, timeout=20000)


def test_opening_code_asks_and_runs_nothing_until_yes(open_window, tmp_path: Path, qtbot) -> None:
    target = tmp_path / "written.txt"
    code = MUL.replace("class MulLayer:\n", f"class MulLayer:\n    open({str(target)!r}, 'w')\n", 1)
    window = open_window(customised(build_apple_orange(), {**APPLE, "price": code}))
    bar, controller = window.code.bar, window.debugger.controller
    assert window.code.bar_holder.isVisible()
    assert bar.label.text() == ("This graph contains Python code (custom layers apple_price, orange_price, "
                                "all_price, price). Run it?")
    assert controller.stepper is None and "does not run until you trust it" in controller.problem
    assert window.scene.node_item("price").code_badge == UNTRUSTED
    window.files.save()
    assert window.files.finish_saving()
    assert not target.exists()

    qtbot.mouseClick(bar.run_button, Qt.MouseButton.LeftButton)
    assert not window.code.bar_holder.isVisible()
    assert controller.stepper is not None
    controller.run_backward()
    assert controller.stepper.frame.loss == pytest.approx(715)
    assert target.exists()
    assert trust_store().knows([code, nb.MUL_LAYER, nb.ADD_LAYER])  # remembered by hash
    wait_checked(qtbot, window, "price", PASSED)
    assert window.scene.node_item("price").code_badge == PASSED


def test_remembered_code_opens_trusted(open_window, trust) -> None:
    trust_store().remember([nb.MUL_LAYER, nb.ADD_LAYER])
    window = open_window(customised(build_apple_orange(), APPLE), "other-name.json")
    assert not window.code.bar_holder.isVisible()
    assert window.debugger.controller.stepper is not None


def test_apply_is_one_undo_entry_and_a_wrong_backward_fails_its_check(open_window, qtbot, trust) -> None:
    trust.allow([nb.MUL_LAYER, nb.ADD_LAYER])
    window = open_window(customised(build_apple_orange(), APPLE))
    panel, stack = window.code.panel, window.document.undo_stack
    window.scene.select_nodes(["apple_price"])
    assert panel.node == "apple_price" and panel.editor.toPlainText() == nb.MUL_LAYER
    assert not panel.apply_button.isEnabled()
    panel.editor.setPlainText(WRONG_MUL)
    assert panel.apply_button.isEnabled()
    before = stack.count()
    panel.apply_button.click()
    assert stack.count() == before + 1 and stack.undoText() == "Edit the code of apple_price"
    assert window.document.graph.nodes["apple_price"].attrs["code"] == WRONG_MUL
    wait_checked(qtbot, window, "apple_price", FAILED)
    assert window.scene.node_item("apple_price").code_badge == FAILED
    assert panel.state.text() == "Gradient check: FAILED"
    details = panel.details.text().splitlines()
    assert details[0].startswith("∂L/∂x: worst relative error") and details[0].endswith("FAILED")
    match = re.fullmatch(r"    x \(the node's inputs, ∂L/∂out = 1\): expected (\S+), backward returned (\S+)",
                         details[1])
    assert match is not None, details[1]
    expected, returned = (float(v) for v in match.groups())
    assert (expected, returned) == (2, 100)  # ∂out/∂x = y = 2, but backward returned x = 100
    assert any(line.startswith("∂L/∂y:") and line.endswith("passed") for line in details)
    stack.undo()
    assert window.document.graph.nodes["apple_price"].attrs["code"] == nb.MUL_LAYER
    assert panel.editor.toPlainText() == nb.MUL_LAYER


def test_stepping_a_failing_layer_is_allowed_training_asks_first(open_window, qtbot, trust) -> None:
    trust.allow([nb.MUL_LAYER, nb.ADD_LAYER, WRONG_MUL])
    graph = customised(build_apple_orange(), {**APPLE, "apple_price": WRONG_MUL})
    graph.nodes["apple"].attrs["trainable"] = True  # something to train: the question comes before a run
    window = open_window(graph)
    wait_checked(qtbot, window, "apple_price", FAILED)
    controller = window.debugger.controller
    controller.run_backward()
    assert controller.stepper.frame.grads["apple"] == pytest.approx(1.1 * 100)  # the wrong number travels
    asked: list[list[str]] = []
    window.code.ask_train_failing = lambda failing: asked.append(failing) or False
    assert window.training.session.train() is None
    assert asked == [["apple_price"]]


def test_an_endless_forward_is_stopped_and_the_window_answers(open_window, qtbot, trust) -> None:
    endless = nb.MUL_LAYER.replace("out = x * y", "while True: pass")
    trust.allow([nb.MUL_LAYER, nb.ADD_LAYER, endless])
    window = open_window(customised(build_apple_orange(), {**APPLE, "price": endless}))
    controller = window.debugger.controller
    ticks: list[int] = []
    timer = QTimer(window)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(10)
    old = set_time_limit(0.5)
    try:
        with qtbot.waitSignal(controller.layerFailed, timeout=20000) as failed:
            controller.run_forward()
    finally:
        set_time_limit(old)
        timer.stop()
    assert ticks  # the GUI thread ran its event loop while the layer looped
    error = failed.args[0]
    assert (error.node, error.line, error.kind) == ("price", 9, "timeout")
    assert controller.last_stop.kind == "error"
    assert controller.status.startswith("Stopped: price (MulLayer.forward, line 9): forward did not return")
    assert controller.stepper.cursor == 3  # the three nodes before it ran; the failed step left nothing
    window.scene.select_nodes(["price"])
    panel = window.code.panel
    assert panel.editor.error_line == 9 and panel.error.text().startswith("Last run: price (MulLayer.forward")


def test_the_notebooks_relu_is_flagged_in_the_inspector(open_window, trust) -> None:
    from test_custom_notebook import relu_graph

    trust.allow([nb.RELU])
    window = open_window(relu_graph(nb.RELU))
    controller = window.debugger.controller
    controller.run_backward()
    window.scene.select_nodes(["relu"])
    shown = window.debugger.inspector.formulas.text()
    assert "<b>Your code</b><br>⚠ backward changed dout in place" in shown


def test_templates_and_made_custom_layers_give_the_same_numbers(open_window, qtbot) -> None:
    window = open_window(build_apple_orange())
    for node in ("apple_price", "orange_price", "all_price", "price"):
        window.scene.select_nodes([node])
        window.code.convert_action.trigger()
        assert window.document.graph.nodes[node].op_type == "CustomLayer"
    controller = window.debugger.controller
    controller.run_backward()
    grads = controller.stepper.frame.grads
    np.testing.assert_allclose([grads[n] for n in ("apple", "apple_num", "orange", "orange_num", "tax")],
                               [2.2, 110, 3.3, 165, 650], rtol=1e-12)
    for _ in range(4):
        window.document.undo_stack.undo()
    assert window.document.graph.nodes["price"].op_type == "Multiply"
    new = window.code.new_layer("Sigmoid")
    assert window.document.graph.nodes[new].attrs["code"].startswith("class Sigmoid:")
    assert window.code.panel.node == new


def test_a_shape_only_a_run_can_see_stops_the_debugger_at_the_node(open_window, trust) -> None:
    widen = nb.ADD_LAYER.replace("out = x + y", "out = np.array([x + y, x + y, x + y])")
    trust.allow([nb.MUL_LAYER, widen])
    graph = customised(build_apple_orange(), {"all_price": widen})
    graph.add_node("Constant", "w", value=[1.0, 2.0])  # price = all_price · w: (3,) against (2,)
    graph.disconnect("price", "y")
    graph.connect("w", "price", "y")
    graph.add_node("Sum", "total")
    graph.connect("price", "total", "x")
    window = open_window(graph)
    controller = window.debugger.controller
    controller.run_forward()
    stop = controller.last_stop
    assert stop.kind == "error" and stop.node == "price"
    assert stop.message.startswith("forward price: ")
    assert controller.status.startswith("Stopped: forward price: ")


def test_a_layer_whose_code_fails_fails_its_check(open_window, qtbot, trust) -> None:
    bad = nb.MUL_LAYER.replace("out = x * y", "out = x * z")
    trust.allow([nb.MUL_LAYER, nb.ADD_LAYER, bad])
    window = open_window(customised(build_apple_orange(), {**APPLE, "price": bad}))
    wait_checked(qtbot, window, "price", FAILED)
    window.scene.select_nodes(["price"])
    assert window.code.panel.details.text() == ("The code failed while being checked: price (MulLayer.forward, "
                                                "line 9): NameError: name 'z' is not defined")
