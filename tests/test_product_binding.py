"""Matrix products are bound by size: small ones to np.dot (least overhead: Mazur's network), big
ones to np.matmul (it keeps other threads, the window's among them, waiting for the interpreter lock
milliseconds where np.dot kept them waiting seconds on a 1,000,000-row batch)."""
from __future__ import annotations

import numpy as np

from core.graph import Graph
from core.ops.base import BIG_PRODUCT, product
from core.program import Program
from core.settings import TrainingSettings
from core.stepper import Stepper
from core.trainer import Trainer


def products_in(instrs) -> list:
    return [fn for fn, _ in instrs if fn in (np.dot, np.matmul)]


def test_the_size_chooses_the_function() -> None:
    small, out = np.ones((2, 2)), np.empty((2, 2))
    assert product(small, small, out)[0] is np.dot
    rows = BIG_PRODUCT // 2
    big, w, out = np.ones((rows, 2)), np.ones((2, 3)), np.empty((rows, 3))
    assert product(big, w, out)[0] is np.matmul
    assert product(big, w, out)[1] == (big, w, out)


def affine_graph(rows: int) -> Graph:
    g = Graph()
    rng = np.random.default_rng(0)
    g.add_node("Constant", "x", value=rng.normal(size=(rows, 4)))
    g.add_node("Parameter", "W", value=rng.normal(size=(4, 3)))
    g.add_node("Parameter", "b", value=np.zeros(3))
    g.add_node("Affine", "a")
    g.add_node("Sum", "s")
    g.connect("x", "a", "x")
    g.connect("W", "a", "W")
    g.connect("b", "a", "b")
    g.connect("a", "s", "x")
    g.set_settings(TrainingSettings(learning_rate=1e-3))
    return g


def test_a_big_batch_binds_matmul_and_agrees_with_a_small_one_row_by_row() -> None:
    big = affine_graph(BIG_PRODUCT)  # x holds 4 × 65,536 elements: over the bound
    plan = Program(big).plans["a"]
    forward, _ = plan.op.bind_forward([np.empty((BIG_PRODUCT, 4)), np.empty((4, 3)), np.empty(3)],
                                     np.empty((BIG_PRODUCT, 3)), plan.attrs)
    assert products_in(forward) == [np.matmul]
    small = affine_graph(8)
    forward, _ = plan.op.bind_forward([np.empty((8, 4)), np.empty((4, 3)), np.empty(3)], np.empty((8, 3)),
                                     plan.attrs)
    assert products_in(forward) == [np.dot]
    # the same numbers either way: the first 8 rows of the big graph's forward are the small graph's
    small.nodes["x"].value[:] = big.nodes["x"].value[:8]
    small.nodes["W"].value[:] = big.nodes["W"].value
    stepper_big, stepper_small = Stepper(big), Stepper(small)
    stepper_big.run_forward()
    stepper_small.run_forward()
    np.testing.assert_allclose(stepper_big.frame.values["a"][:8], stepper_small.frame.values["a"], rtol=1e-15)
    # and the trainer's update on the big batch equals the stepper's
    trainer = Trainer(affine_graph(BIG_PRODUCT))
    trainer.run(1)
    stepper = Stepper(affine_graph(BIG_PRODUCT))
    stepper.run_forward()
    stepper.run_backward()
    stepper.apply_update()
    np.testing.assert_allclose(trainer.weights()["W"], stepper.graph.nodes["W"].value, rtol=1e-12)
