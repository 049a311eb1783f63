"""Held-out loss and accuracy during a training run: measured on the worker thread between two
updates with the trainer's current weights (one forward pass on the held-out rows, and for a
classification objective on the training rows), at most EVAL_SHARE of the training time."""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from core.data.evaluate import evaluate, is_classifier
from core.trainer import Trainer

EVAL_SHARE = 0.05  # of the training time, at most, spent measuring
EVALS_PER_RUN = 200  # measurements aimed at in one run
MIN_EVALS_PER_RUN = 50  # measurements in one run however long each takes
MAX_TRAIN_ROWS = 10_000  # training rows the training accuracy is measured on (the first ones)


@dataclass
class EvalTrace:
    """Measurements at some update numbers; ``updates`` grows last, so a reader slicing to its
    length on another thread never sees a half-added sample."""

    classifier: bool
    held_out: bool
    updates: list[int] = field(default_factory=list)
    test_loss: list[float] = field(default_factory=list)
    test_accuracy: list[float] = field(default_factory=list)
    train_accuracy: list[float] = field(default_factory=list)

    def arrays(self) -> dict[str, np.ndarray]:
        n = len(self.updates)
        return {"updates": np.asarray(self.updates[:n], dtype=float),
                "test_loss": np.asarray(self.test_loss[:n]), "test_accuracy": np.asarray(self.test_accuracy[:n]),
                "train_accuracy": np.asarray(self.train_accuracy[:n])}

    def last(self) -> dict[str, float]:
        n = len(self.updates)
        if not n:
            return {}
        return {"test_loss": self.test_loss[n - 1], "test_accuracy": self.test_accuracy[n - 1],
                "train_accuracy": self.train_accuracy[n - 1]}


class Evaluator:
    """Measures one trainer's weights; ``None`` from :meth:`for_trainer` when there is nothing
    to measure (no held-out rows and no classification objective)."""

    def __init__(self, trainer: Trainer) -> None:
        graph, program = trainer.graph, trainer.program
        data = graph.dataset
        assert data is not None
        self.trainer = trainer
        self.classifier = is_classifier(program)
        self.test_fields = data.test_fields if data.test_rows else None
        self.train_fields = {k: v[:MAX_TRAIN_ROWS] for k, v in data.train_fields.items()}
        self.static: dict[str, np.ndarray] = {}
        for leaf in program.leaves:
            value = graph.nodes[leaf].value
            if leaf not in program.inputs and leaf not in trainer.params and value is not None:
                self.static[leaf] = value

    @classmethod
    def for_trainer(cls, trainer: Trainer) -> "Evaluator | None":
        data = trainer.graph.dataset
        if data is None or not (data.test_rows or is_classifier(trainer.program)):
            return None
        return cls(trainer)

    def new_trace(self) -> EvalTrace:
        return EvalTrace(self.classifier, self.test_fields is not None)

    def measure(self, trace: EvalTrace, update: int) -> None:
        if trace.updates and trace.updates[-1] == update:
            return
        leaves = {**self.static, **self.trainer.params}
        program = self.trainer.program
        nan = math.nan
        test = evaluate(program, leaves, self.test_fields) if self.test_fields is not None else None
        train = evaluate(program, leaves, self.train_fields) if self.classifier else None
        trace.test_loss.append(test.loss if test is not None else nan)
        trace.test_accuracy.append(test.accuracy if test is not None and test.accuracy is not None else nan)
        trace.train_accuracy.append(train.accuracy if train is not None and train.accuracy is not None else nan)
        trace.updates.append(update)


def held_out_text(trace: EvalTrace | None) -> str:
    """", held-out loss 0.0841, accuracy 97.2% (training 99.1%)" for a run's summary; "" without one."""
    last = trace.last() if trace is not None else {}
    if not last:
        return ""
    parts = []
    if trace is not None and trace.held_out and math.isfinite(last["test_loss"]):
        parts.append(f"held-out loss {last['test_loss']:#.3g}")
        if math.isfinite(last["test_accuracy"]):
            parts.append(f"held-out accuracy {100 * last['test_accuracy']:.1f}%")
    if math.isfinite(last["train_accuracy"]):
        parts.append(f"training accuracy {100 * last['train_accuracy']:.1f}%")
    return ", " + ", ".join(parts) if parts else ""
