"""Held-out loss and accuracy during a training run: measured on the worker thread between two
updates with the trainer's current weights (one forward pass on the held-out rows, and for a
classification objective on the training rows), at most EVAL_SHARE of the training time.

The measurements are spaced by what the run has done (:func:`spacing`), not by what it plans:
a run of ten million updates stopped after ten thousand has its curve. A run's summary names a
measurement of the weights it ended with only (:func:`held_out_text`)."""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from app.training.sample import plotted_rows
from core.data.evaluate import evaluate, is_classifier
from core.trainer import Trainer

EVAL_SHARE = 0.05  # of the training time, at most, spent measuring
EVALS_PER_RUN = 200  # measurements aimed at in one run
MIN_EVALS_PER_RUN = 50  # measurements in one run however long each takes
MAX_TRAIN_ROWS = 10_000  # training rows the training accuracy is measured on (spread over the set)


@dataclass
class EvalTrace:
    """Measurements at some update numbers; ``updates`` grows last, so a reader slicing to its
    length on another thread never sees a half-added sample."""

    classifier: bool
    held_out: bool
    train_rows: int = 0  # the training rows the training accuracy is measured on
    train_total: int = 0  # of so many
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
        return {"update": float(self.updates[n - 1]), "test_loss": self.test_loss[n - 1],
                "test_accuracy": self.test_accuracy[n - 1], "train_accuracy": self.train_accuracy[n - 1]}


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
        self.train_total = data.train_rows
        self._train_rows = data.train_fields
        self._train_fields: dict[str, np.ndarray] | None = None  # taken on the thread that measures
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
        return EvalTrace(self.classifier, self.test_fields is not None, min(self.train_total, MAX_TRAIN_ROWS),
                         self.train_total)

    @property
    def train_fields(self) -> dict[str, np.ndarray]:
        """The training rows the training accuracy is measured on: all, or MAX_TRAIN_ROWS spread
        over the set (the first ones of a class-ordered file would be of one class)."""
        if self._train_fields is None:
            rows = plotted_rows(self.train_total, MAX_TRAIN_ROWS)
            whole = len(rows) == self.train_total
            self._train_fields = {k: v if whole else v[rows] for k, v in self._train_rows.items()}
        return self._train_fields

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


def spacing(done: int, planned: int, by_cost: int | None) -> int:
    """Updates from the measurement after update ``done`` (of ``planned``) to the next: ``by_cost``
    (what keeps measuring to EVAL_SHARE of the time), but at least 1/EVALS_PER_RUN of the updates
    done so far (a long run's first measurements come early: its curve appears as it goes, its
    points spread over what it did), and at most 1/MIN_EVALS_PER_RUN of those planned."""
    least = max(1, min(done, planned) // EVALS_PER_RUN)
    most = max(least, planned // MIN_EVALS_PER_RUN)
    return min(max(least, by_cost if by_cost is not None else least), most)


def held_out_text(trace: EvalTrace | None, update: int, measuring: bool = False) -> str:
    """", held-out loss 0.0841, held-out accuracy 97.2%, training accuracy 99.1%" for the summary
    of a run that ended after ``update`` updates, from a measurement of those weights only ("" for
    none, or ", measuring its final weights…" while one is being taken)."""
    last = trace.last() if trace is not None else {}
    if trace is None or not last or last["update"] != update:
        return ", measuring its final weights…" if measuring else ""
    parts = []
    if trace.held_out and math.isfinite(last["test_loss"]):
        parts.append(f"held-out loss {last['test_loss']:#.3g}")
        if math.isfinite(last["test_accuracy"]):
            parts.append(f"held-out accuracy {100 * last['test_accuracy']:.1f}%")
    if math.isfinite(last["train_accuracy"]):
        rows, total = trace.train_rows, trace.train_total
        some = f" (on {rows:,} of {total:,} rows)" if rows < total else ""
        parts.append(f"training accuracy {100 * last['train_accuracy']:.1f}%{some}")
    return ", " + ", ".join(parts) if parts else ""
