"""Loss and accuracy of a graph on a set of rows (the training or the held-out rows), with given
weights: one forward pass, nothing in the graph changed. Accuracy is reported for a classification
objective (SoftmaxWithLoss, CrossEntropy): the share of rows whose largest score is the target class."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from core.data.chunks import chunk_bounds, chunking
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
    ``leaves`` (node id → value: constants and the current weights).

    A big set of rows goes through a chunk at a time where the graph allows it
    (:mod:`core.data.chunks`): memory stays bounded whatever the rows. The accuracy is the same
    count of rows either way; the loss is put together from the chunks' losses in float64 (the
    terms summed in another order: equal to the whole set's to about 1e-15 of it, not to the bit).
    A set that fits in one chunk is evaluated whole, as before."""
    rows = next((fields[name].shape[0] for name in program.inputs.values()), 0)
    chunks = chunking(program, leaves, fields)
    if chunks is None or chunks.rows >= rows:
        return _evaluate_rows(program, leaves, fields)
    total, hits, scored = 0.0, 0, is_classifier(program)
    plan = program.plans[program.objective]
    for a, b in chunk_bounds(rows, chunks.rows):
        values = forward_values(program, leaves, {name: v[a:b] for name, v in fields.items()})
        terms = plan.op.divisor([values[s].shape for s in plan.srcs], plan.attrs)
        assert terms is not None  # chunking allows chunks only then
        total += float(np.sum(values[program.objective])) * terms
        if scored:
            scores, target = (values[s] for s in plan.srcs)
            scored = scores.ndim >= 2  # else no accuracy, as class_accuracy says
            hits += class_hits(scores, target)
    accuracy = (hits / rows if scored else float("nan")) if is_classifier(program) else None
    return Evaluation(total / chunks.divisor, accuracy, rows)


def _evaluate_rows(program: Program, leaves: Mapping[str, np.ndarray], fields: Mapping[str, np.ndarray]
                   ) -> Evaluation:
    """The objective on every row of ``fields`` at once."""
    values = forward_values(program, leaves, fields)
    rows = next((fields[name].shape[0] for name in program.inputs.values()), 0)
    loss = float(np.sum(values[program.objective]))
    accuracy = None
    if is_classifier(program):
        pred, target = (values[s] for s in program.plans[program.objective].srcs)
        accuracy = class_accuracy(pred, target)
    return Evaluation(loss, accuracy, rows)


def forward_values(program: Program, leaves: Mapping[str, np.ndarray], fields: Mapping[str, np.ndarray]
                   ) -> dict[str, np.ndarray]:
    """The forward pass on the rows of ``fields``: the objective's value and its inputs' (a
    node's value is let go of after its last reader, so only a few are held at a time)."""
    values: dict[str, np.ndarray] = dict(leaves)
    for leaf, name in program.inputs.items():
        values[leaf] = fields[name]
    keep = {program.objective, *program.plans[program.objective].srcs}
    last = {s: n for n in program.computed for s in program.plans[n].srcs}  # each value's last reader
    with np.errstate(all="ignore"):
        for n in program.computed:
            values[n], _ = forward_node(program.plans[n], values)
            for s in program.plans[n].srcs:
                if last[s] == n and s not in keep and s in program.plans:
                    values.pop(s, None)  # a node read twice by n (x · x) is let go of once
    return values


def class_accuracy(scores: np.ndarray, target: np.ndarray) -> float:
    """Share of rows whose largest score is the target's class (one-hot rows or class indices)."""
    if scores.ndim < 2 or scores.shape[0] == 0:
        return float("nan")
    return class_hits(scores, target) / int(scores.shape[0])


def class_hits(scores: np.ndarray, target: np.ndarray) -> int:
    """Rows whose largest score is the target's class (one-hot rows or class indices)."""
    if scores.ndim < 2:
        return 0
    guess = np.argmax(scores, axis=-1)
    truth = np.argmax(target, axis=-1) if target.shape == scores.shape else target.astype(np.intp)
    return int(np.count_nonzero(guess == truth))


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
