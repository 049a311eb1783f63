"""The debugger controller: Reset and its question, and the gradient check."""
from __future__ import annotations

import numpy as np
import pytest
from helpers import load_example
from PySide6.QtCore import Qt

from app import commands
from app.debugger.controller import DebugController
from app.debugger.debug_inspector import DebugInspector
from app.model.document import Document


@pytest.fixture
def mazur(qtbot):
    doc = Document(load_example("mazur"))
    controller = DebugController(doc)
    return doc, controller


# ------------------------------------------------------------------ reset
def test_reset_restores_the_weights_as_loaded_and_asks_before_dropping_changed_ones(mazur, monkeypatch):
    doc, c = mazur
    loaded = {p: doc.graph.nodes[p].value.copy() for p in ("W1", "W2")}
    asked: list[bool] = []
    answer = [False]

    def confirm() -> bool:
        asked.append(True)
        return answer[0]

    monkeypatch.setattr(c, "confirm_reset", confirm)
    c.run_forward()
    assert c.reset() and asked == []  # nothing to lose: no question
    c.apply_update()
    assert doc.changed_weights() == ["W1", "W2"]
    assert not c.reset() and asked == [True]  # Cancel: nothing changes
    assert c.stepper.cursor == 12 and doc.graph.nodes["W2"].value[0, 0] == pytest.approx(0.35891648, abs=1e-8)
    answer[0] = True
    assert c.reset() and len(asked) == 2
    assert c.stepper.cursor == 0 and not c.active
    for p, value in loaded.items():
        np.testing.assert_array_equal(doc.graph.nodes[p].value, value)
    assert doc.changed_weights() == []
    assert not c.action("reset").isEnabled()


def test_reset_is_enabled_when_weights_changed_even_before_stepping(mazur, monkeypatch):
    doc, c = mazur
    with doc.training_state.writing_results():  # as training writes its weights
        doc.graph.set_value("W2", np.zeros((2, 2)))
    c.watch.flush()
    assert not c.active and c.action("reset").isEnabled()
    monkeypatch.setattr(c, "confirm_reset", lambda: True)
    c.reset()
    np.testing.assert_array_equal(doc.graph.nodes["W2"].value, [[0.4, 0.5], [0.45, 0.55]])


def test_the_reset_action_says_it_resets_program_and_weights(mazur):
    doc, c = mazur
    action = c.action("reset")
    assert action.text() == "&Reset Program and Weights" and action.iconText() == "Reset Program + Weights"
    assert "weights as loaded" in action.toolTip() and "first step of the program" in action.toolTip()


def test_the_reset_question_names_the_changed_weights(mazur, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    doc, c = mazur
    c.apply_update()
    shown: list[QMessageBox] = []

    def answer(box: QMessageBox) -> int:
        shown.append(box)
        reset = next(b for b in box.buttons() if b.text() == "Reset")
        reset.click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", answer)
    assert c.reset()
    box = shown[0]
    assert box.text() == "Reset to the weights as loaded? The trained weights will be lost."
    assert box.informativeText() == "Changed since loading: W1, W2."
    assert {b.text() for b in box.buttons()} == {"Reset", "Cancel"}




# ------------------------------------------------------------ gradient check
def test_gradient_check_runs_off_the_gui_thread_and_reports_in_the_status(mazur, qtbot):
    doc, c = mazur
    with qtbot.waitSignal(c.gradientChecked) as checked:
        assert c.checks.start()
        assert c.checking and c.checks.report is None  # started, not finished: the window goes on
        assert c.status == "Checking every gradient against finite differences…"
        assert not c.action("gradient_check").isEnabled()
    report = checked.args[0]
    assert [e.name for e in report.entries] == ["W1", "W2", "affine1", "sigmoid1", "affine2", "sigmoid2", "loss"]
    assert c.status.startswith("Gradient check of 7 gradients (parameters and nodes): all agree; "
                               "largest relative error ")
    assert "(threshold 1e-6, " in c.status and not c.checking and c.action("gradient_check").isEnabled()


def test_inspector_button_checks_the_selected_parameter(mazur, qtbot):
    doc, c = mazur
    inspector = DebugInspector(c)
    qtbot.addWidget(inspector)
    inspector.show()
    assert inspector.check_button.text() == "Gradient check (all)"
    inspector.set_selected_node("W2")
    assert inspector.check_button.text() == "Check ∂L/∂W2"
    with qtbot.waitSignal(c.gradientChecked) as checked:
        qtbot.mouseClick(inspector.check_button, Qt.MouseButton.LeftButton)
    assert [e.name for e in checked.args[0].entries] == ["W2"]
    assert c.status.startswith("Gradient check of ∂L/∂W2: backprop agrees with finite differences; relative error ")
    assert inspector.check_result.text().startswith("Gradient check of ∂L/∂W2: agrees with finite differences")
    inspector.set_selected_node("b1")  # a constant has no gradient: the button checks everything
    assert inspector.check_button.text() == "Gradient check (all)"
    assert inspector.check_result.text() == "Last gradient check: only ∂L/∂W2, which passes"


def test_an_edit_drops_a_running_check(qtbot):
    doc = Document(load_example("spirals"))  # about 3 s of work
    c = DebugController(doc)
    results: list[object] = []
    c.gradientChecked.connect(results.append)
    assert c.checks.start()
    doc.undo_stack.push(commands.SetValue(doc, "b3", np.array([0.5, -0.5])))
    assert not c.checking
    c.checker.wait(10)  # its thread stops at the next element
    qtbot.wait(50)
    assert results == [] and c.checks.report is None


def test_an_update_clears_the_gradient_check_of_the_old_weights(mazur, qtbot):
    doc, c = mazur
    with qtbot.waitSignal(c.gradientChecked):
        c.checks.start()
    c.run_backward()
    assert c.checks.report is not None  # stepping changes no weight: the check holds
    with qtbot.waitSignal(c.gradientChecked) as cleared:
        c.apply_update()
    assert cleared.args[0] is None and c.checks.report is None
