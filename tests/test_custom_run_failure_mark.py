"""A training run that fails inside a custom layer marks the failing line in the Layer code dock
and brings the dock forward when it is shown, as a debugger step that fails there does; a dock the
person closed stays closed, and the line is marked when the node's code is next shown."""
from __future__ import annotations

import notebook_classes as nb
from custom_helpers import customised
from engine_fixtures import build_mazur
from test_custom_window import open_window, wait_checked  # noqa: F401  # the fixture

from app.code.checker import FAILED
from app.training.runs import FAILED as RUN_FAILED
from app.training.runs import summary_text

# Sigmoid layers whose backward fails at update 3 of Mazur's training: sigmoid2's first output is
# 0.7514, 0.7421 and then 0.7325 at updates 1, 2 and 3
RAISES = nb.SIGMOID.replace(
    "        dx = dout * (1 - self.out) * self.out\n",
    "        if self.out[0, 0] < 0.74:\n"
    "            raise ValueError('the output fell below 0.74')\n"
    "        dx = dout * (1 - self.out) * self.out\n")  # the raise is line 13
WRONG_SHAPE = nb.SIGMOID.replace("        return dx\n", "        return dx if self.out[0, 0] > 0.74 else dx[:, :1]\n")


def in_front(dock) -> bool:
    """A tab of a tabified dock is "visible" behind another tab too; in front, it is on screen."""
    return dock.isVisible() and not dock.visibleRegion().isEmpty()


def failed_run(qtbot, window):
    wait_checked(qtbot, window, "sigmoid2", FAILED)  # its check fails too: training asks first
    window.code.ask_train_failing = lambda failing: True
    window.training.panel.steps.setValue(10)
    with qtbot.waitSignal(window.training.session.runFinished, timeout=60_000) as finished:
        window.training.session.train()
    run = finished.args[0]
    assert run.status == RUN_FAILED and run.count == 2  # updates 1 and 2 done, update 3 failed
    return run


def test_a_run_failing_in_a_backward_marks_its_line_and_brings_the_code_forward(open_window, qtbot, trust) -> None:  # noqa: F811
    trust.allow([RAISES])
    window = open_window(customised(build_mazur(), {"sigmoid2": RAISES}))
    window.scene.select_nodes(["sigmoid2"])
    code = window.code
    code.dock.show()
    window.inspector_dock.raise_()  # the code dock is the tab behind the inspector
    qtbot.waitUntil(lambda: not in_front(code.dock) and in_front(window.inspector_dock))
    assert code.panel.node == "sigmoid2" and code.panel.editor.error_line is None

    run = failed_run(qtbot, window)
    said = "sigmoid2 (Sigmoid.backward, line 13): ValueError: the output fell below 0.74"
    assert summary_text(run).startswith(f"Run {run.number} failed: {said}")
    assert code.panel.editor.error_line == 13
    assert code.panel.editor.document().findBlockByNumber(12).text().strip().startswith("raise ValueError")
    assert code.panel.error.text() == f"Last run: {said}"
    qtbot.waitUntil(lambda: in_front(code.dock))  # brought forward over the inspector


def test_a_wrong_shape_marks_its_line_and_a_closed_dock_stays_closed(open_window, qtbot, trust) -> None:  # noqa: F811
    trust.allow([WRONG_SHAPE])
    window = open_window(customised(build_mazur(), {"sigmoid2": WRONG_SHAPE}))
    code = window.code
    code.dock.hide()
    window.scene.select_nodes(["sigmoid1"])
    failed_run(qtbot, window)
    assert code.dock.isHidden()
    window.scene.select_nodes(["sigmoid2"])  # its code shown: the line of the failed update is marked
    assert code.panel.editor.error_line == 14
    assert code.panel.error.text() == ("Last run: sigmoid2 (Sigmoid.backward, line 14): the gradient for x has "
                                       "shape 1×1, but x has shape 1×2")


def test_the_debugger_marks_the_same_line_at_the_same_update(open_window, qtbot, trust) -> None:  # noqa: F811
    trust.allow([RAISES])
    window = open_window(customised(build_mazur(), {"sigmoid2": RAISES}))
    window.scene.select_nodes(["sigmoid2"])
    controller = window.debugger.controller
    for _ in range(2):
        controller.continue_()  # to the end of a backward pass
        controller.apply_update()
    with qtbot.waitSignal(controller.layerFailed, timeout=20_000) as failed:
        controller.continue_()
    assert (failed.args[0].node, failed.args[0].line) == ("sigmoid2", 13)
    assert window.code.panel.editor.error_line == 13
