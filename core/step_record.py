"""What the stepper keeps: a :class:`Frame` per training step (values, caches, gradients), a
:class:`Record` per step (what the step changed, enough to undo it), and :class:`StopReason`, why a
run stopped before its end."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

MISSING = object()  # a table had no entry for the key before the step
BEGIN_INDEX = -1  # the record's index of the move from one training step to the next


@dataclass
class Frame:
    """Everything one training step computes."""

    values: dict[str, np.ndarray] = field(default_factory=dict)
    caches: dict[str, Any] = field(default_factory=dict)
    grads: dict[str, np.ndarray] = field(default_factory=dict)  # ∂L/∂(node output)
    sent: dict[tuple[str, int], np.ndarray] = field(default_factory=dict)  # (node, port index) → grad
    updated: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)  # param → (old, new)
    backward_done: dict[str, bool] = field(default_factory=dict)
    loss: float | None = None
    kept: dict[str, np.ndarray] = field(default_factory=dict)  # parameter gradients of the last update


@dataclass
class StopReason:
    kind: str  # breakpoint | nonfinite | question | cancelled | error | end | target
    message: str
    node: str | None = None
    step: int | None = None


class Record:
    """What one step changed: enough to undo it."""

    __slots__ = ("index", "iteration", "frame", "changes", "loss", "params", "optimizer")

    def __init__(self, index: int, iteration: int, loss: float | None) -> None:
        self.index = index
        self.iteration = iteration
        self.loss = loss
        self.frame: Frame | None = None  # the previous frame, when this step began a training step
        self.changes: list[tuple[dict[Any, Any], Any, Any]] = []
        self.params: dict[str, np.ndarray] | None = None
        self.optimizer: dict[str, Any] | None = None

    def set(self, table: dict[Any, Any], key: Any, value: Any) -> None:
        """``table[key] = value``, remembering what was there."""
        self.changes.append((table, key, table.get(key, MISSING)))
        table[key] = value

    def undo_changes(self) -> None:
        """Put back every entry the step changed, newest first."""
        for table, key, old in reversed(self.changes):
            if old is MISSING:
                table.pop(key, None)
            else:
                table[key] = old
