"""Apply Update is enabled exactly when running to the end of this training step's update is
possible and changes a weight; otherwise its tooltip says why."""
from __future__ import annotations

import pytest
from helpers import load_example

from app.debugger.controller import DebugController
from app.model.document import Document


def _controller(name: str) -> DebugController:
    return DebugController(Document(load_example(name)))


def _state(c: DebugController) -> tuple[bool, str]:
    action = c.actions["apply_update"]
    return action.isEnabled(), action.toolTip()


@pytest.mark.parametrize("name", ["mazur", "xor"])
def test_enabled_until_the_update_has_run_then_disabled_saying_why(qtbot, name):
    c = _controller(name)
    total = len(c.stepper.program.steps)
    assert _state(c) == (True, "Run to the end of the training step, update included")
    for _ in range(total - 1):  # up to the update, the next step: still enabled
        c.step()
        assert _state(c)[0], c.stepper.cursor
    c.step()  # the update has run: the end of the training step
    assert c.stepper.cursor == total
    enabled, tip = _state(c)
    assert not enabled and "update of this training step has run" in tip
    c.step_back()
    assert _state(c)[0]
    c.apply_update()
    assert c.stepper.cursor == total and not _state(c)[0]
    c.step()  # the next training step begins: enabled again
    assert c.stepper.cursor == 1 and _state(c)[0]


def test_disabled_with_the_reason_when_no_weight_is_trainable(qtbot):
    c = _controller("apple")
    assert not c.stepper.program.trainable_with_gradient()
    total = len(c.stepper.program.steps)
    for cursor in range(total + 1):
        assert c.stepper.cursor == cursor
        enabled, tip = _state(c)
        assert not enabled and tip.endswith("Disabled: nothing to update: the program has no trainable parameter")
        if cursor < total:
            c.step()
