"""The numbers the rest of the suite does not pin: each optimizer's first three updates of a
small weight against its documented formula, worked out here in plain Python floats, and
ReLU's gradient at exactly 0 (0, as the notebook's mask ``x <= 0`` gives it).

The weight is w = (0.5, −0.3) under L = ½ Σ (w − t)² with t = (0.2, 0.4), so the gradient of
each update is g = w − t, from the weight that update starts with.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from engine_fixtures import wire

from core.graph import Graph
from core.ops import get_op
from core.settings import TrainingSettings
from core.stepper import Stepper
from core.trainer import Trainer

START = (0.5, -0.3)
TARGET = (0.2, 0.4)


def half_squared_distance(settings: TrainingSettings) -> Graph:
    g = Graph()
    g.set_settings(settings)
    g.add_node("Parameter", "w", value=list(START))
    g.add_node("Constant", "t", value=list(TARGET))
    g.add_node("SquaredError", "loss")
    wire(g, ("w", "loss", "y"), ("t", "loss", "t"))
    return g


def by_hand(settings: TrainingSettings, updates: int = 3) -> list[tuple[float, ...]]:
    """The weight after each update, from the formulas in core/optim.py's docstrings:
    SGD      w ← w − η·g
    momentum v ← μ·v − η·g; w ← w + v
    Adam     m ← m + (1−β₁)(g − m); v ← v + (1−β₂)(g² − v);
             w ← w − η_t·m / (√v + ε), η_t = η·√(1−β₂ᵗ) / (1−β₁ᵗ)   (ε added to √v, not to √v̂)
    """
    eta, mu, b1, b2, eps = settings.learning_rate, settings.momentum, settings.beta1, settings.beta2, settings.eps
    after = []
    for w, t in zip(START, TARGET):
        vel = m = v = 0.0
        path = []
        for step in range(1, updates + 1):
            g = w - t
            if settings.optimizer == "sgd":
                w = w - eta * g
            elif settings.optimizer == "momentum":
                vel = mu * vel - eta * g
                w = w + vel
            else:
                m = m + (1 - b1) * (g - m)
                v = v + (1 - b2) * (g * g - v)
                eta_t = eta * math.sqrt(1 - b2**step) / (1 - b1**step)
                w = w - eta_t * m / (math.sqrt(v) + eps)
            path.append(w)
        after.append(path)
    return [tuple(column) for column in zip(*after)]


SETTINGS = [
    TrainingSettings(optimizer="sgd", learning_rate=0.1),
    TrainingSettings(optimizer="momentum", learning_rate=0.1, momentum=0.9),
    TrainingSettings(optimizer="adam", learning_rate=0.1),  # β = (0.9, 0.999), ε = 1e-8
    # ε as large as the gradients' scale: where ε is added (√v or √v̂) changes every update
    TrainingSettings(optimizer="adam", learning_rate=0.05, beta1=0.8, beta2=0.99, eps=0.1),
]
IDS = ["sgd", "momentum", "adam", "adam-large-eps"]


@pytest.mark.parametrize("settings", SETTINGS, ids=IDS)
def test_the_first_three_updates_through_the_stepper(settings):
    expected = by_hand(settings)
    stepper = Stepper(half_squared_distance(settings))
    for k in range(3):
        assert stepper.apply_update() is None
        np.testing.assert_allclose(stepper.graph.nodes["w"].value, expected[k], rtol=1e-13, atol=0)


@pytest.mark.parametrize("settings", SETTINGS, ids=IDS)
def test_the_first_three_updates_through_the_trainer(settings):
    expected = by_hand(settings)
    trainer = Trainer(half_squared_distance(settings))
    for k in range(3):
        trainer.run(1)
        np.testing.assert_allclose(trainer.weights()["w"], expected[k], rtol=1e-13, atol=0)


def test_the_hand_values_of_the_first_updates():
    """The first update of each rule, written out (g = w − t = (0.3, −0.7)): SGD and momentum
    move by −η·g; Adam's first step is −η·g / (|g| + ε/√(1−β₂))."""
    sgd, momentum, adam = (by_hand(s, 1)[0] for s in SETTINGS[:3])
    assert sgd == pytest.approx((0.5 - 0.03, -0.3 + 0.07), rel=1e-15)
    assert momentum == sgd
    # Adam, t = 1: m = 0.1·g, v = 0.001·g², η_t = 0.1·√0.001 / 0.1; the step is η·g/(|g| + ε/√0.001)
    step = [0.1 * g / (abs(g) + 1e-8 / math.sqrt(0.001)) for g in (0.3, -0.7)]
    assert adam == pytest.approx((0.5 - step[0], -0.3 - step[1]), rel=1e-12)


@pytest.mark.parametrize("path", ["stepper", "trainer", "op"])
def test_relu_passes_no_gradient_at_exactly_zero(path):
    x = np.array([-1.0, -0.0, 0.0, 1e-300, 2.0])
    expected = [0.0, 0.0, 0.0, 1.0, 1.0]
    if path == "op":
        relu = get_op("ReLU")
        out, cache = relu.forward([x], {})
        (dx,) = relu.backward(np.ones(5), [x], out, cache, {})
        np.testing.assert_array_equal(dx, expected)
        np.testing.assert_array_equal(relu.formula_values([x], out, np.ones(5), cache, {})["local"], expected)
        return
    g = Graph()
    g.set_settings(TrainingSettings(learning_rate=1.0))
    g.add_node("Parameter", "x", value=x)
    g.add_node("ReLU", "relu")
    g.add_node("Sum", "s")
    wire(g, ("x", "relu", "x"), ("relu", "s", "x"))
    if path == "stepper":
        stepper = Stepper(g)
        stepper.run_backward()
        np.testing.assert_array_equal(stepper.frame.grads["x"], expected)
    else:
        trainer = Trainer(g)
        trainer.run(1)
        np.testing.assert_array_equal(trainer.gradients()["x"], expected)
