"""After training, the stepper goes on with the next training step exactly as the trainer would."""
from __future__ import annotations

import numpy as np
import pytest
from engine_fixtures import build_classifier

from core.optim import Progress
from core.settings import TrainingSettings
from core.stepper import Stepper
from core.trainer import Trainer
from core.training_state import TrainingState


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
@pytest.mark.parametrize("batch_size", [0, 3])
def test_the_stepper_continues_the_trainers_run(optimizer, batch_size):
    trained = build_classifier(optimizer, batch_size)
    trainer = Trainer(trained)
    trainer.run(7)
    trainer.write_back()
    stepper = Stepper(trained, progress=trainer.progress())
    assert stepper.iteration == 7
    stepper.apply_update()

    reference = Trainer(build_classifier(optimizer, batch_size))
    result = reference.run(8)
    assert stepper.loss == result.losses[-1]
    for p, w in reference.weights().items():
        assert np.array_equal(trained.nodes[p].value, w), p


def test_progress_of_another_optimizer_is_not_taken():
    g = build_classifier("adam", 0)
    trainer = Trainer(g)
    trainer.run(3)
    g.set_settings(TrainingSettings(optimizer="momentum", learning_rate=0.05))
    stepper = Stepper(g, progress=trainer.progress())
    assert stepper.iteration == 0 and stepper.optimizer.state == {}


def test_reset_goes_back_to_the_first_training_step():
    g = build_classifier("momentum", 3)
    trainer = Trainer(g)
    trainer.run(5)
    stepper = Stepper(g, progress=trainer.progress())
    stepper.step()
    stepper.reset()
    assert stepper.iteration == 0 and stepper.cursor == 0


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
@pytest.mark.parametrize("batch_size", [0, 3])
def test_the_trainer_continues_the_steppers_updates(optimizer, batch_size):
    g = build_classifier(optimizer, batch_size)
    stepper = Stepper(g)
    for _ in range(5):
        stepper.apply_update()
    trainer = Trainer(g, progress=stepper.progress())
    assert trainer.updates == 5
    losses = trainer.run(6).losses

    reference = Trainer(build_classifier(optimizer, batch_size))
    assert np.array_equal(losses, reference.run(11).losses[5:])
    for p, w in reference.weights().items():
        assert np.array_equal(trainer.weights()[p], w), p


def test_training_state_records_and_counts_nested_result_writes():
    state = TrainingState()
    ended: list[bool] = []
    state.results_written.connect(lambda: ended.append(state.writing))
    assert state.progress is None and not state.writing
    with state.writing_results():
        with state.writing_results():
            assert state.writing
        assert state.writing and ended == []  # only the outermost block ends the writing
    assert not state.writing and ended == [False]
    state.record(Progress(updates=5, optimizer="sgd"))
    assert state.progress is not None and state.progress.updates == 5
    state.start_over()
    assert state.progress is None
