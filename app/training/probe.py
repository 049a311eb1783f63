"""What the extra plots need from a graph, computed with the engine's own kernels.

:func:`detect_task` recognises a 2-D classifier (decision regions) or a 1-D regression (prediction
against target). :class:`Probe` evaluates the prediction on any input rows with given weights.
Plain NumPy: the worker thread and the GUI thread may both call it. What the GUI thread reads of
the dataset here is bounded: the class-label test and the grid's range look at the rows the plots
draw (:func:`app.training.sample.plotted_rows`), however many rows the file has.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.training.sample import PLOT_ROWS, plotted_rows
from core.graph import Graph
from core.program import Program, forward_node

CLASSIFICATION, REGRESSION = "classification", "regression"


@dataclass(frozen=True)
class Task:
    kind: str  # CLASSIFICATION (2 input features, k ≥ 2 classes) | REGRESSION (1 input, 1 output)
    feature: str  # the Input node that feeds the features
    feature_field: str
    target_field: str
    prediction: str  # the node whose output is the prediction (the loss's first input)
    probabilities: str  # how outputs become probabilities: "softmax" | "given" | "none"


def _loss_inputs(graph: Graph, program: Program) -> tuple[str, str] | None:
    node = graph.nodes[program.objective]
    if not node.op.is_loss:
        return None
    pred, target = graph.sources(program.objective)
    if pred is None or target is None:
        return None
    return pred, target


def detect_task(graph: Graph, program: Program) -> Task | None:
    """The kind of plot that fits ``graph``, or ``None`` (no dataset, several inputs, ...)."""
    data = graph.dataset
    pair = _loss_inputs(graph, program)
    if data is None or pair is None:
        return None
    if program.runs_user_code:
        return None  # the plots predict on the GUI thread: a custom layer's code never runs there
    pred, target = pair
    if target not in program.inputs:
        return None
    feeding = (graph.ancestors(pred) | {pred}) & set(program.inputs)
    if len(feeding) != 1:
        return None
    feature = feeding.pop()
    x = data.fields[program.inputs[feature]]
    t = data.fields[program.inputs[target]]
    width = 1 if x.ndim == 1 else x.shape[1]
    how = graph.nodes[program.objective].op.probabilities
    if width == 2 and x.ndim == 2 and _class_targets(_drawn(t)):
        return Task(CLASSIFICATION, feature, program.inputs[feature], program.inputs[target], pred, how)
    if width == 1 and (t.ndim == 1 or t.shape[1] == 1) and how != "softmax":  # logits are no regression
        return Task(REGRESSION, feature, program.inputs[feature], program.inputs[target], pred, "none")
    return None


def _drawn(a: np.ndarray) -> np.ndarray:
    """The rows of ``a`` the plots draw: all of a small dataset, a fixed sample of a big one."""
    return a if len(a) <= PLOT_ROWS else a[plotted_rows(len(a))]


def _class_targets(t: np.ndarray) -> bool:
    """Integer class labels, or one-hot rows over two or more classes (in the rows handed in)."""
    if t.ndim == 1:
        return bool(np.all(t == np.round(t)) and np.all(t >= 0))
    if t.ndim != 2 or t.shape[1] < 2:
        return False
    return bool(np.all((t == 0) | (t == 1)) and np.all(t.sum(axis=1) == 1))


def softmax_rows(y: np.ndarray) -> np.ndarray:
    shifted = y - np.max(y, axis=-1, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=-1, keepdims=True)


class Probe:
    """Forward passes outside the Trainer, on weights handed in."""

    def __init__(self, graph: Graph, program: Program | None = None) -> None:
        """``program``: the graph's Program when one is at hand (a Trainer's), else one is built."""
        self.graph = graph
        self.program = program if program is not None else Program(graph)
        self.task = detect_task(graph, self.program)
        prog = self.program
        self.trainable = list(prog.trainable)
        self._static = {
            leaf: np.asarray(graph.nodes[leaf].value)
            for leaf in prog.leaves if leaf not in prog.inputs and leaf not in self.trainable
        }
        if self.task is not None:
            needed = graph.ancestors(self.task.prediction) | {self.task.prediction}
            self._pred_plans = [prog.plans[n] for n in prog.computed if n in needed]
        else:
            self._pred_plans = []

    def predict(self, weights: dict[str, np.ndarray], x: np.ndarray) -> np.ndarray:
        """The prediction node's output for input rows ``x`` (needs a task)."""
        if self.task is None:
            raise ValueError("this graph has no single input feeding its prediction")
        values: dict[str, np.ndarray] = dict(self._static)
        values.update(weights)
        values[self.task.feature] = x
        with np.errstate(all="ignore"):
            for plan in self._pred_plans:
                values[plan.id], _ = forward_node(plan, values)
        return values[self.task.prediction]

    def probabilities(self, weights: dict[str, np.ndarray], x: np.ndarray) -> np.ndarray:
        """Class scores in [0, 1] per row for a classifier."""
        y = self.predict(weights, x)
        assert self.task is not None
        if self.task.probabilities == "softmax":
            return softmax_rows(y)
        return y

    def grid_inputs(self, n: int = 96, margin: float = 0.15) -> tuple[np.ndarray, tuple[float, float, float, float]]:
        """An n × n grid over the range of the features' drawn rows (with a margin), as rows; and
        its (x0, y0, w, h)."""
        assert self.task is not None
        x = _drawn(self.graph.dataset.fields[self.task.feature_field])  # type: ignore[union-attr]
        lo, hi = x.min(axis=0), x.max(axis=0)
        pad = (hi - lo) * margin + 1e-9
        lo, hi = lo - pad, hi + pad
        gx = np.linspace(lo[0], hi[0], n)
        gy = np.linspace(lo[1], hi[1], n)
        xx, yy = np.meshgrid(gx, gy, indexing="ij")
        rows = np.stack([xx.ravel(), yy.ravel()], axis=1)
        return rows, (float(lo[0]), float(lo[1]), float(hi[0] - lo[0]), float(hi[1] - lo[1]))
