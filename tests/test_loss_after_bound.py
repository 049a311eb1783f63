"""The loss after a run (core.end_loss.loss_after) is computed by the forward pass of the trainer's
bound plan, in its own buffers, where it has one: the same number, every digit, as the stepper's
kernels on new arrays; the training that goes on afterwards is not changed by it; a custom layer's
plan (its passes are one call) keeps the stepper's way."""
from __future__ import annotations

import math

import numpy as np
import pytest
from test_custom_trainer_views import chain
from training_helpers import EXAMPLES

from core import io
from core.end_loss import loss_after
from core.program import forward_node, leaf_values
from core.trainer import Trainer


def on_new_arrays(trainer: Trainer) -> float:
    """The loss after by the stepper's kernels on new arrays (the way before the bound plan)."""
    program = trainer.program
    values = leaf_values(trainer.graph, program, trainer.batcher.indices(trainer.updates))
    values.update(trainer.params)
    with np.errstate(all="ignore"):
        for node in program.computed:
            values[node], _ = forward_node(program.plans[node], values)
    return float(np.sum(values[program.objective]))


@pytest.mark.parametrize(("example", "changes"), [
    ("mazur", {}), ("spirals", {}), ("xor", {"batch_size": 2}), ("iris", {"optimizer": "adam"}),
    ("sine", {"keep_gradients": True}),
])
def test_the_bound_forward_pass_gives_the_loss_after_of_new_arrays(example, changes):
    graph = io.load(EXAMPLES / f"{example}.json")
    graph.set_settings(graph.settings.with_changes(**changes))
    trainer = Trainer(graph)
    trainer.run(7)
    bound = trainer.next_loss()
    assert bound is not None and math.isfinite(bound)
    assert bound == on_new_arrays(trainer) == loss_after(trainer)


def test_a_next_mini_batch_of_a_size_not_bound_yet_keeps_the_stepper_s_way():
    """iris's 120 training rows in batches of 16: the eighth batch has 8 rows, a plan not bound yet."""
    graph = io.load(EXAMPLES / "iris.json")
    graph.set_settings(graph.settings.with_changes(batch_size=16))
    trainer = Trainer(graph)
    trainer.run(7)
    assert len(trainer.batcher.indices(7)) != 16
    assert trainer.next_loss() is None
    assert loss_after(trainer) == on_new_arrays(trainer)


def test_the_loss_after_changes_nothing_of_the_training_that_follows():
    graph = io.load(EXAMPLES / "xor.json")
    graph.set_settings(graph.settings.with_changes(batch_size=2))
    measured, plain = Trainer(graph), Trainer(io.load(EXAMPLES / "xor.json"))
    plain.graph.set_settings(graph.settings)
    plain = Trainer(plain.graph)
    measured.run(5)
    loss_after(measured)
    measured.run(6)
    plain.run(11)
    assert measured.losses == plain.losses
    for p, w in plain.weights().items():
        assert np.array_equal(measured.weights()[p], w)
    for p, g in plain.gradients().items():
        assert np.array_equal(measured.gradients()[p], g)


def test_a_custom_layers_plan_keeps_the_stepper_s_way(trust):
    code = ("class Relu:\n"
            "    def forward(self, x):\n"
            "        self.mask = x <= 0\n"
            "        return np.where(self.mask, 0.0, x)\n"
            "    def backward(self, dout):\n"
            "        return np.where(self.mask, 0.0, dout)\n")
    trust.allow([code])
    trainer = Trainer(chain(code))
    trainer.run(3)
    assert trainer.next_loss() is None
    assert loss_after(trainer) == on_new_arrays(trainer)
