"""Loss and accuracy of a graph on a set of rows (the training or the held-out rows), with given
weights: one forward pass, nothing in the graph changed. Accuracy is reported for a classification
objective (SoftmaxWithLoss, CrossEntropy): the share of rows whose largest score is the target class."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from core.graph import Graph
from core.program import Program, forward_node

CLASSIFIERS = ("SoftmaxWithLoss", "CrossEntropy")


@dataclass(frozen=True)
class Evaluation:
    loss: float
    accuracy: float | None  # a fraction in [0, 1]; None when the objective does not classify
    rows: int


def is_classifier(program: Program) -> bool:
    return program.plans[program.objective].op.type in CLASSIFIERS


def graph_classifies(graph: Graph) -> bool:
    """True when the graph's objective (chosen, or the only loss) is a classification objective."""
    objective = graph.objective_id()
    return objective is not None and objective in graph.nodes and graph.nodes[objective].op.type in CLASSIFIERS


def evaluate(program: Program, leaves: Mapping[str, np.ndarray], fields: Mapping[str, np.ndarray]) -> Evaluation:
    """The objective on the rows of ``fields`` (dataset field name → rows), every other leaf from
    ``leaves`` (node id → value: constants and the current weights)."""
    values: dict[str, np.ndarray] = dict(leaves)
    rows = 0
    for leaf, name in program.inputs.items():
        values[leaf] = fields[name]
        rows = fields[name].shape[0]
    with np.errstate(all="ignore"):
        for n in program.computed:
            values[n], _ = forward_node(program.plans[n], values)
    loss = float(np.sum(values[program.objective]))
    accuracy = None
    if is_classifier(program):
        pred, target = (values[s] for s in program.plans[program.objective].srcs)
        accuracy = class_accuracy(pred, target)
    return Evaluation(loss, accuracy, rows)


def class_accuracy(scores: np.ndarray, target: np.ndarray) -> float:
    """Share of rows whose largest score is the target's class (one-hot rows or class indices)."""
    if scores.ndim < 2 or scores.shape[0] == 0:
        return float("nan")
    guess = np.argmax(scores, axis=-1)
    truth = np.argmax(target, axis=-1) if target.shape == scores.shape else target.astype(np.intp)
    return float(np.mean(guess == truth))


def graph_leaves(
    program: Program, graph: Graph, weights: Mapping[str, np.ndarray] | None = None
) -> dict[str, np.ndarray]:
    """Every non-input leaf's value: ``weights`` where given, else the node's own value."""
    out: dict[str, np.ndarray] = {}
    for leaf in program.leaves:
        if leaf in program.inputs:
            continue
        value = weights[leaf] if weights is not None and leaf in weights else graph.nodes[leaf].value
        assert value is not None
        out[leaf] = value
    return out


def split_evaluations(program: Program, graph: Graph, weights: Mapping[str, np.ndarray] | None = None
                      ) -> tuple[Evaluation | None, Evaluation | None]:
    """(training rows, held-out rows) evaluations of ``graph`` with ``weights``; None where there are no rows."""
    data = graph.dataset
    if data is None:
        return None, None
    leaves = graph_leaves(program, graph, weights)
    train = evaluate(program, leaves, data.train_fields) if data.train_rows else None
    test = evaluate(program, leaves, data.test_fields) if data.test_rows else None
    return train, test
