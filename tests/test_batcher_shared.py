"""One Batcher for training: the stepper, the trainer, the gradient check, validation and the
exports draw their mini-batches from ``Batcher.for_training`` (the training rows, the settings'
batch size and seed), and the stepper and the gradient check read a step's leaves through one
``leaf_values``."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from engine_fixtures import build_classifier

from core.data.dataset import Batcher
from core.gradcheck import _leaf_values
from core.graph import Graph
from core.program import Program
from core.settings import TrainingSettings
from core.stepper import Stepper
from core.trainer import Trainer
from core.validation import batch_rows


def held_out_classifier(batch_size: int) -> Graph:
    """XOR with 20 rows, a quarter held out: 15 training rows."""
    g = build_classifier("sgd", batch_size, rows=20)
    assert g.dataset is not None
    g.set_dataset(replace(g.dataset, test_fraction=0.25, split_seed=3))
    return g


def test_it_draws_from_the_training_rows_with_the_settings_batch_size_and_seed() -> None:
    g = held_out_classifier(4)
    b = Batcher.for_training(g.dataset, g.settings)
    assert (b.rows, b.batch_size, b.seed) == (15, 4, 11)
    assert b.batches_per_epoch == 4 and not b.full


def test_without_a_dataset_it_is_one_row_in_full() -> None:
    b = Batcher.for_training(None, TrainingSettings(batch_size=8, seed=5))
    assert (b.rows, b.batch_size, b.seed) == (1, 8, 5)
    assert b.full and b.batch_rows == 1 and b.indices(3) is None


def test_the_stepper_and_the_trainer_draw_the_same_batches() -> None:
    g = held_out_classifier(4)
    expected = Batcher(15, 4, 11)
    for batcher in (Stepper(g).batcher, Trainer(g).batcher):
        for k in range(9):
            assert np.array_equal(batcher.indices(k), expected.indices(k))


def test_a_trainer_given_other_settings_draws_by_those() -> None:
    g = held_out_classifier(4)
    trainer = Trainer(g, settings=g.settings.with_changes(batch_size=6, seed=2))
    assert (trainer.batcher.rows, trainer.batcher.batch_size, trainer.batcher.seed) == (15, 6, 2)


def test_the_gradient_check_feeds_the_first_batch_the_stepper_feeds() -> None:
    g = held_out_classifier(4)
    values, _, _ = _leaf_values(g, Program(g), None)  # the whole first batch
    frame = Stepper(g).frame.values
    assert values["x"].shape == (4, 2)
    assert np.array_equal(values["x"], frame["x"]) and np.array_equal(values["t"], frame["t"])


@pytest.mark.parametrize("size, rows", [(4, 4), (0, 15), (40, 15)])
def test_validation_counts_a_batch_s_rows_the_same_way(size: int, rows: int) -> None:
    g = held_out_classifier(size)
    assert batch_rows(g) == rows == Batcher.for_training(g.dataset, g.settings).batch_rows


def test_leaf_values_are_the_batch_s_rows_and_the_graph_s_own_values() -> None:
    from core.program import leaf_values

    g = held_out_classifier(4)
    program = Program(g)
    rows = np.array([3, 0, 7])
    values = leaf_values(g, program, rows)
    assert list(values) == program.leaves
    assert np.array_equal(values["x"], g.dataset.train_fields["x"][rows])  # type: ignore[union-attr]
    assert values["W1"] is g.nodes["W1"].value
    assert leaf_values(g, program, None)["t"].shape == (15, 2)


def test_both_exports_draw_the_workbench_s_batches() -> None:
    from core.export import export_script, export_torch

    g = held_out_classifier(4)
    line = "ROWS, BATCH_SIZE, SEED = 15, 4, 11"
    assert line in export_script(g).splitlines() and line in export_torch(g).splitlines()
    full = held_out_classifier(0)
    assert "BATCH_SIZE" not in export_script(full) and "BATCH_SIZE" not in export_torch(full)
