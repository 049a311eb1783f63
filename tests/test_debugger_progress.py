"""The debugger's next training step follows a training run: update number, batch, optimizer state."""
from __future__ import annotations

import numpy as np
from engine_fixtures import build_classifier

from app.debugger.controller import DebugController
from app.model.document import Document
from core.trainer import Trainer


def _trained(optimizer: str, updates: int) -> tuple[Document, DebugController]:
    doc = Document(build_classifier(optimizer, 3))
    trainer = Trainer(doc.graph)
    trainer.run(updates)
    doc.training_state.record(trainer.progress())  # as the training dock does before writing back
    with doc.training_state.writing_results():
        trainer.write_back()
    controller = DebugController(doc)
    controller._rebuild()
    return doc, controller


def test_after_training_the_debugger_steps_the_next_training_step(qtbot):
    doc, controller = _trained("adam", 6)
    assert controller.stepper.iteration == 6
    controller.apply_update()
    reference = Trainer(build_classifier("adam", 3))
    losses = reference.run(7).losses
    assert controller.stepper.loss == losses[-1]
    for p, w in reference.weights().items():
        assert np.array_equal(doc.graph.nodes[p].value, w), p
    assert doc.training_state.progress is not None and doc.training_state.progress.updates == 7


def test_reset_goes_back_to_the_first_training_step_and_forgets_the_run(qtbot):
    doc, controller = _trained("momentum", 4)
    controller.confirm_reset = lambda: True
    assert controller.reset()
    assert controller.stepper.iteration == 0 and doc.training_state.progress is None
    controller._rebuild()
    assert controller.stepper.iteration == 0


def test_a_second_run_goes_on_with_adams_state_when_not_starting_over(qtbot):
    from training_helpers import EXAMPLES, WAIT_MS, make_ui, open_example, reference

    ui = make_ui(qtbot, open_example("spirals"))
    ui.panel.steps.setValue(40)
    ui.panel.from_initial.setChecked(False)
    for _ in range(2):
        with qtbot.waitSignal(ui.session.runFinished, timeout=WAIT_MS) as done:
            ui.session.train()
    expected = reference(EXAMPLES / "spirals.json", 80).losses[40:]
    assert np.array_equal(done.args[0].history, np.array(expected))
    progress = ui.document.training_state.progress
    assert progress is not None and progress.updates == 80


def test_a_run_goes_on_from_the_debuggers_updates(qtbot):
    from training_helpers import EXAMPLES, WAIT_MS, make_ui, open_example, reference

    ui = make_ui(qtbot, open_example("spirals"))
    controller = DebugController(ui.document)
    for _ in range(3):  # three updates stepped in the debugger (Adam keeps moments and a step count)
        controller.apply_update()
    assert ui.document.training_state.progress.updates == 3
    ui.panel.steps.setValue(20)
    ui.panel.from_initial.setChecked(False)
    with qtbot.waitSignal(ui.session.runFinished, timeout=WAIT_MS) as done:
        ui.session.train()
    expected = reference(EXAMPLES / "spirals.json", 23).losses[3:]
    assert np.array_equal(done.args[0].history, np.array(expected))
    assert ui.document.training_state.progress.updates == 23
    controller._rebuild()  # and the debugger goes on from the run
    assert controller.stepper.iteration == 23

