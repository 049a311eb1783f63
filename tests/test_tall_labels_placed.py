"""A label of more than one row (a small matrix, one row per line) is placed by its real height:
after training Mazur's example and stepping to the W1 edge's gradient, no label on the canvas
covers another (the gradient once covered the value's second row)."""
from __future__ import annotations

from test_label_overlap import _labels, _overlaps
from training_helpers import EXAMPLES, train_in_window

from app.model.document import Document


def test_mazur_after_training_no_label_covers_a_two_row_value(workbench, qtbot):
    window = workbench(Document.open(EXAMPLES / "mazur.json"), size=(1600, 1000))
    controller, scene = window.debugger.controller, window.scene
    before = controller.stepper
    train_in_window(qtbot, window, 10_000)
    qtbot.waitUntil(lambda: controller.stepper is not before and controller.can_act)  # the program after training
    tall = set()
    for k, action in enumerate([controller.step] * 13 + [controller.step_back] * 2):
        qtbot.waitUntil(lambda: controller.can_act)
        action()
        qtbot.waitUntil(lambda: not scene.label_pass.pending(), timeout=10000)
        tall.update(text for text, _ in _labels(scene) if "], [" in text)
        assert _overlaps(scene) == [], k
    assert any("0.657, 0.7546" in text for text in tall), tall  # W1's value after training, two rows
