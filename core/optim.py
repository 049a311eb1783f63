"""Optimizers. ``update`` changes the given parameter arrays in place; the stepper hands it
copies (so history keeps the old arrays) and the trainer its own buffers: the same arithmetic."""
from __future__ import annotations

import copy
from typing import Any

import numpy as np

from .settings import TrainingSettings


class Optimizer:
    name = ""

    def __init__(self, settings: TrainingSettings) -> None:
        self.lr = settings.learning_rate
        self.state: dict[str, Any] = {}

    def update(self, params: dict[str, np.ndarray], grads: dict[str, np.ndarray]) -> None:
        raise NotImplementedError

    def snapshot(self) -> dict[str, Any]:
        return copy.deepcopy(self.state)

    def restore(self, state: dict[str, Any]) -> None:
        self.state = state

    def describe(self) -> str:
        return f"{self.name}, η = {self.lr:g}"


class SGD(Optimizer):
    name = "sgd"

    def update(self, params, grads):
        lr = self.lr
        for key, w in params.items():
            w -= lr * grads[key]


class Momentum(Optimizer):
    name = "momentum"

    def __init__(self, settings: TrainingSettings) -> None:
        super().__init__(settings)
        self.momentum = settings.momentum

    def update(self, params, grads):
        for key, w in params.items():
            v = self.state.get(key)
            if v is None:
                v = self.state[key] = np.zeros_like(w)
            v *= self.momentum
            v -= self.lr * grads[key]
            w += v

    def describe(self) -> str:
        return f"momentum {self.momentum:g}, η = {self.lr:g}"


class Adam(Optimizer):
    name = "adam"

    def __init__(self, settings: TrainingSettings) -> None:
        super().__init__(settings)
        self.beta1, self.beta2, self.eps = settings.beta1, settings.beta2, settings.eps
        self.state["t"] = 0

    def update(self, params, grads):
        self.state["t"] += 1
        t = self.state["t"]
        lr_t = self.lr * np.sqrt(1.0 - self.beta2**t) / (1.0 - self.beta1**t)
        for key, w in params.items():
            g = grads[key]
            m = self.state.get(("m", key))
            if m is None:
                m = self.state[("m", key)] = np.zeros_like(w)
                self.state[("v", key)] = np.zeros_like(w)
            v = self.state[("v", key)]
            m += (1.0 - self.beta1) * (g - m)
            v += (1.0 - self.beta2) * (g * g - v)
            w -= lr_t * m / (np.sqrt(v) + self.eps)

    def describe(self) -> str:
        return f"Adam β = ({self.beta1:g}, {self.beta2:g}), η = {self.lr:g}"


OPTIMIZER_CLASSES: dict[str, type[Optimizer]] = {"sgd": SGD, "momentum": Momentum, "adam": Adam}


def make_optimizer(settings: TrainingSettings) -> Optimizer:
    return OPTIMIZER_CLASSES[settings.optimizer](settings)
