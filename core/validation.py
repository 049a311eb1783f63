"""Graph validation: every problem at once, each one naming its node and, for shapes, both shapes.

:func:`check` gives the problems and the output shapes it found on the way (a live view needs
both); :func:`validate` gives the problems alone.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from core.data.dataset import Batcher
from core.graph import Graph, Problem


def batch_rows(graph: Graph) -> int:
    """Rows in one mini-batch under the graph's settings (the dataset's rows for full batch)."""
    if graph.dataset is None:
        return 1
    return Batcher(graph.dataset.train_rows, graph.settings.batch_size).batch_rows


def leaf_value(graph: Graph, node_id: str, rows: int | None = None) -> np.ndarray | None:
    """The value a leaf holds (inputs: the first ``rows`` rows of their field), or ``None``."""
    node = graph.nodes[node_id]
    if node.op_type == "Input":
        if graph.dataset is None:
            return None
        arr = graph.dataset.train_fields.get(node.attrs.get("field", ""))
        if arr is None:
            return None
        return arr[: rows if rows is not None else batch_rows(graph)]
    return node.value


Shapes = dict[str, tuple[int, ...] | None]


def validate(graph: Graph) -> list[Problem]:
    """Every problem of ``graph`` at once, each naming its node."""
    return check(graph)[0]


def check(graph: Graph) -> tuple[list[Problem], Shapes]:
    """Every problem at once, and the output shape of every node (as :func:`infer_shapes`).

    The shapes are empty when the graph has a cycle (no order to infer them in).
    """
    problems: list[Problem] = []
    shapes: Shapes = {}

    def add(node: str | None, kind: str, message: str) -> None:
        problems.append(Problem(node, message, kind))

    for node in graph.nodes.values():
        for port, src in zip(node.inputs, graph.sources(node.id)):
            if src is None:
                add(node.id, "unconnected", f"{node.label()}: input '{port}' is not connected")
        if node.op_type == "Input":
            field = node.attrs.get("field", "")
            if graph.dataset is None:
                add(node.id, "data", f"{node.label()}: the graph has no dataset to read '{field}' from")
            elif field not in graph.dataset.fields:
                known = ", ".join(graph.dataset.fields) or "none"
                add(node.id, "data", f"{node.label()}: the dataset has no field '{field}' (fields: {known})")
        if node.value is not None and not np.all(np.isfinite(node.value)):
            add(node.id, "nonfinite", f"{node.label()}: its value holds NaN or Inf")

    order, cyclic = graph.partial_order()
    if cyclic:
        for cycle in graph.cycles():
            add(cycle[0], "cycle", f"the graph has a cycle through {', '.join(cycle)}")

    objective = graph.objective_id()
    if objective is None:
        losses = [n.id for n in graph.nodes.values() if n.op.is_loss]
        if len(losses) > 1:
            add(None, "objective", f"several losses ({', '.join(losses)}): choose the objective")
        elif graph.nodes:
            sinks = graph.sinks()
            detail = f" (the graph ends in {', '.join(sinks)})" if len(sinks) > 1 else ""
            add(None, "objective",
                f"no loss: add a loss node, or end the graph in one node with a scalar output{detail}")
        else:
            add(None, "objective", "the graph is empty: add nodes from the palette")

    if objective is not None and objective not in graph.nodes:
        add(None, "objective", f"the objective {objective!r} is not a node of the graph")
        objective = None
    leaf_objective = objective is not None and graph.nodes[objective].op.is_leaf
    if leaf_objective:
        add(objective, "objective", f"{graph.nodes[objective].label()} cannot be the objective: "  # type: ignore[index]
            "choose a node whose output is computed")
    if not cyclic:
        shapes = _shapes_in_order(graph, order, problems)
        shape = shapes.get(objective) if objective is not None and not leaf_objective else None
        if objective is not None and shape is not None:
            if int(np.prod(shape)) != 1:
                add(objective, "objective", f"{graph.nodes[objective].label()}: the objective must be a scalar, "
                    f"but its output has shape {shape}")
        _check_class_labels(graph, shapes, add)
    return problems, shapes


def _check_class_labels(graph: Graph, shapes: Shapes, add: Callable[[str | None, str, str], None]) -> None:
    """Class-label targets (one number a row) of a loss must name a class: checked on the whole
    dataset field or constant, so a later mini-batch cannot fail at run time."""
    from core.ops.losses import check_labels

    for node in graph.nodes.values():
        if not node.op.is_loss or "t" not in node.inputs:
            continue
        pred, target = graph.sources(node.id)
        pred_shape = shapes.get(pred) if pred is not None else None
        target_shape = shapes.get(target) if target is not None else None
        if not pred_shape or target_shape is None or target_shape != pred_shape[:-1]:
            continue
        src = graph.nodes[target]  # type: ignore[index]
        if src.op_type == "Input" and graph.dataset is not None:
            values = graph.dataset.fields.get(src.attrs.get("field", ""))
        else:
            values = src.value if src.op.is_leaf else None
        if values is None:
            continue
        try:
            check_labels(values, pred_shape[-1])
        except ValueError as exc:
            add(node.id, "data", f"{node.label()}: targets from {target}: {exc}")


def infer_shapes(graph: Graph, problems: list[Problem] | None = None) -> Shapes:
    """Output shape of every node for one mini-batch (``None`` where it cannot be known).

    Runs each op's own forward kernel on zeros, so the shapes are exactly the engine's.
    Shape mismatches are appended to ``problems`` with both shapes.
    """
    return _shapes_in_order(graph, graph.topological_order(), problems)


def _shapes_in_order(graph: Graph, order: list[str], problems: list[Problem] | None) -> Shapes:
    shapes: Shapes = {}
    dummies: dict[str, np.ndarray | None] = {}
    rows = batch_rows(graph)
    for node_id in order:
        node = graph.nodes[node_id]
        if node.op.is_leaf:
            value = leaf_value(graph, node_id, rows)
            dummies[node_id] = None if value is None else np.zeros_like(value)
        else:
            srcs = graph.sources(node_id)
            ins = [dummies.get(s) if s is not None else None for s in srcs]
            if any(i is None for i in ins):
                dummies[node_id] = None
            else:
                dummies[node_id] = _try_forward(graph, node_id, ins, problems)  # type: ignore[arg-type]
        shapes[node_id] = None if dummies[node_id] is None else dummies[node_id].shape  # type: ignore[union-attr]
    return shapes


def _try_forward(
    graph: Graph, node_id: str, ins: list[np.ndarray], problems: list[Problem] | None
) -> np.ndarray | None:
    node = graph.nodes[node_id]
    try:
        with np.errstate(all="ignore"):
            out, _ = node.op.forward(ins, node.attrs)
        return np.asarray(out)
    except Exception as exc:  # any kernel failure on these shapes is the user's graph, not a crash
        if problems is not None:
            detail = ", ".join(f"{p} {i.shape}" for p, i in zip(node.inputs, ins))
            problems.append(Problem(node_id, f"{node.label()}: shapes do not fit: {detail} ({_short(exc)})", "shape"))
        return None


def _short(exc: Exception) -> str:
    text = str(exc).split("\n")[0]
    return text if len(text) < 120 else text[:117] + "..."
