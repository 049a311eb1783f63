"""Optimizers. ``update`` changes the given parameter arrays in place and leaves the gradients
alone; the stepper hands it copies (so history keeps the old arrays). The trainer binds the
same per-array instructions (:meth:`Optimizer.bind`) once to its own buffers and runs
:meth:`Optimizer.begin` then those instructions every update: the same arithmetic, element
for element."""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, Hashable

import numpy as np

from core.ops.base import Instr, run
from core.settings import TrainingSettings


@dataclass(frozen=True)
class Progress:
    """Where training stands: the number of updates done and the optimizer's running state,
    keyed per parameter (momentum's velocity, Adam's moments and step count). A Stepper made
    with it runs the next training step exactly as the trainer would have."""

    updates: int = 0
    optimizer: str = "sgd"
    state: dict[Any, Any] = field(default_factory=dict)


class Optimizer:
    name = ""

    def __init__(self, settings: TrainingSettings) -> None:
        self.lr = settings.learning_rate
        self.state: dict[Any, Any] = {}

    def begin(self) -> None:
        """Once per update, before the per-array instructions run (Adam counts its steps here)."""

    def bind(self, key: Hashable, w: np.ndarray, g: np.ndarray) -> list[Instr]:
        """Instructions that update ``w`` in place from the gradient ``g``, keeping any running
        state under ``key``; they use ``g`` as scratch space (it is spent afterwards). They read
        ``g`` and the state when run, so they can be bound once."""
        raise NotImplementedError

    def update(self, params: dict[str, np.ndarray], grads: dict[str, np.ndarray]) -> None:
        self.begin()
        for key, w in params.items():
            run(self.bind(key, w, np.array(grads[key])))

    def snapshot(self) -> dict[str, Any]:
        return copy.deepcopy(self.state)

    def restore(self, state: dict[str, Any]) -> None:
        self.state = state

    def describe(self) -> str:
        return f"{self.name}, η = {self.lr:g}"


class SGD(Optimizer):
    """w ← w − η·g"""

    name = "sgd"

    def bind(self, key: Hashable, w: np.ndarray, g: np.ndarray) -> list[Instr]:
        return [(np.multiply, (g, _const(self.lr, w), g)), (np.subtract, (w, g, w))]


class Momentum(Optimizer):
    """v ← μ·v − η·g; w ← w + v"""

    name = "momentum"

    def __init__(self, settings: TrainingSettings) -> None:
        super().__init__(settings)
        self.momentum = settings.momentum

    def bind(self, key: Hashable, w: np.ndarray, g: np.ndarray) -> list[Instr]:
        v = self.state.get(key)
        if v is None:
            v = self.state[key] = np.zeros_like(w)
        return [
            (np.multiply, (v, _const(self.momentum, w), v)),
            (np.multiply, (g, _const(self.lr, w), g)),
            (np.subtract, (v, g, v)),
            (np.add, (w, v, w)),
        ]

    def describe(self) -> str:
        return f"momentum {self.momentum:g}, η = {self.lr:g}"


class Adam(Optimizer):
    """m ← m + (1−β₁)(g − m); v ← v + (1−β₂)(g² − v); w ← w − η_t·m / (√v + ε),
    with η_t = η·√(1−β₂ᵗ) / (1−β₁ᵗ)."""

    name = "adam"

    def __init__(self, settings: TrainingSettings) -> None:
        super().__init__(settings)
        self.beta1, self.beta2, self.eps = settings.beta1, settings.beta2, settings.eps
        self.state["t"] = 0
        self._lr_t = np.zeros(())  # η_t of the current update, set by begin()

    def begin(self) -> None:
        self.state["t"] += 1
        t = self.state["t"]
        self._lr_t[()] = self.lr * np.sqrt(1.0 - self.beta2**t) / (1.0 - self.beta1**t)

    def bind(self, key: Hashable, w: np.ndarray, g: np.ndarray) -> list[Instr]:
        m = self.state.get(("m", key))
        if m is None:
            m = self.state[("m", key)] = np.zeros_like(w)
            self.state[("v", key)] = np.zeros_like(w)
        v = self.state[("v", key)]
        a = np.empty_like(w)
        return [
            (np.subtract, (g, m, a)),
            (np.multiply, (a, _const(1.0 - self.beta1, w), a)),
            (np.add, (m, a, m)),
            (np.multiply, (g, g, g)),
            (np.subtract, (g, v, g)),
            (np.multiply, (g, _const(1.0 - self.beta2, w), g)),
            (np.add, (v, g, v)),
            (np.sqrt, (v, a)),
            (np.add, (a, _const(self.eps, w), a)),
            (np.multiply, (self._lr_t, m, g)),
            (np.divide, (g, a, g)),
            (np.subtract, (w, g, w)),
        ]

    def describe(self) -> str:
        return f"Adam β = ({self.beta1:g}, {self.beta2:g}), η = {self.lr:g}"


def _const(value: float, like: np.ndarray) -> np.ndarray:
    """A 0-d array: NumPy combines it with an array faster than a Python float, same arithmetic."""
    return np.array(value, like.dtype)


OPTIMIZER_CLASSES: dict[str, type[Optimizer]] = {"sgd": SGD, "momentum": Momentum, "adam": Adam}


def make_optimizer(settings: TrainingSettings) -> Optimizer:
    return OPTIMIZER_CLASSES[settings.optimizer](settings)
