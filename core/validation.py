"""Graph validation: every problem at once, each one naming its node and, for shapes, both shapes.

:func:`check` gives the problems and the output shapes it found on the way (a live view needs
both); :func:`validate` gives the problems alone.
"""
from __future__ import annotations

import math
from typing import Callable

import numpy as np

from core.custom.op import custom_nodes
from core.data.dataset import Batcher
from core.graph import Graph, Node, Problem
from core.ops.base import Shape

MAX_TENSOR_SIZE = 2**26  # numbers in one computed tensor (512 MiB of float64); see docs/file-format.md


def batch_rows(graph: Graph) -> int:
    """Rows in one mini-batch under the graph's settings (the dataset's rows for full batch)."""
    return Batcher.for_training(graph.dataset, graph.settings).batch_rows


def leaf_shape(graph: Graph, node_id: str, rows: int | None = None) -> Shape | None:
    """The shape of the value a leaf holds (inputs: ``rows`` rows of their field, by default one
    mini-batch), or ``None`` when it has none. Reads shapes only, never the data."""
    node = graph.nodes[node_id]
    if node.op_type == "Input":
        if graph.dataset is None:
            return None
        arr = graph.dataset.train_fields.get(node.attrs.get("field", ""))
        if arr is None:
            return None
        return (min(arr.shape[0], batch_rows(graph) if rows is None else rows),) + arr.shape[1:]
    return None if node.value is None else node.value.shape


Shapes = dict[str, Shape | None]
Add = Callable[[str | None, str, str], None]


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

    feeds = {node_id: graph.sources(node_id) for node_id in graph.nodes}  # read once, used by each pass
    unread = graph.dataset.missing_text() if graph.dataset is not None else ""
    if unread:
        add(None, "data", f"dataset: {unread}")
    for node in graph.nodes.values():
        if None in feeds[node.id]:
            for port, src in zip(node.inputs, feeds[node.id]):
                if src is None:
                    add(node.id, "unconnected", f"{node.label()}: input '{port}' is not connected")
        if node.op_type == "Input":
            field = node.attrs.get("field", "")
            if graph.dataset is None:
                add(node.id, "data", f"{node.label()}: the graph has no dataset to read '{field}' from")
            elif unread and graph.dataset.source is not None:
                add(node.id, "data", f"{node.label()}: reads '{field}' from {graph.dataset.source.path.name}, "
                    "which is missing")
            elif field not in graph.dataset.fields:
                known = ", ".join(graph.dataset.fields) or "none"
                add(node.id, "data", f"{node.label()}: the dataset has no field '{field}' (fields: {known})")
        if node.value is not None and not np.all(np.isfinite(node.value)):
            add(node.id, "nonfinite", f"{node.label()}: its value holds NaN or Inf")
        if node.op.runs_user_code:
            _check_code(node, add)

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
        shapes = _shapes_in_order(graph, order, problems, feeds)
        shape = shapes.get(objective) if objective is not None and not leaf_objective else None
        if objective is not None and shape is not None:
            if math.prod(shape) != 1:
                add(objective, "objective", f"{graph.nodes[objective].label()}: the objective must be a scalar, "
                    f"but its output has shape {shape}")
        _check_class_labels(graph, shapes, add)
    return problems, shapes


def _check_code(node: Node, add: Add) -> None:
    """A custom layer's code: readable as a layer class, and trusted (read, never run)."""
    from core.custom.source import source_of
    from core.custom.trust import SESSION

    code = str(node.attrs.get("code", ""))
    source = source_of(code)
    if not source.ok:
        at = f" (line {source.line})" if source.line else ""
        add(node.id, "code", f"{node.label()}: {source.error}{at}")
    elif not SESSION.is_trusted(code):
        add(node.id, "untrusted", f"{node.label()}: its Python code does not run until you trust it")


def _check_class_labels(graph: Graph, shapes: Shapes, add: Add) -> None:
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

    Each op's own :meth:`~core.ops.base.Op.out_shape` gives its output's shape from its inputs'
    shapes: nothing is computed and nothing data-sized is allocated (an op without a shape rule
    leaves its shape, and those after it, unknown). Shapes that do not fit,
    empty values and outputs past :data:`MAX_TENSOR_SIZE` are appended to ``problems``, each
    naming its node. A custom layer's code is never run here: its output shape is unknown
    (``None``), and so are the shapes after it, until a run computes them.
    """
    return _shapes_in_order(graph, graph.topological_order(), problems)


def _shapes_in_order(graph: Graph, order: list[str], problems: list[Problem] | None,
                     feeds: dict[str, list[str | None]] | None = None) -> Shapes:
    """Shapes in ``order``; ``feeds`` (each node's ``graph.sources``) saves reading them again."""

    def add(node_id: str, kind: str, message: str) -> None:
        if problems is not None:
            problems.append(Problem(node_id, message, kind))

    shapes: Shapes = {}
    usable: dict[str, bool] = {}  # a shape the nodes after it can be checked against
    rows = batch_rows(graph)
    for node_id in order:
        node = graph.nodes[node_id]
        op = node.op  # looked up once: this loop runs on every node at each live validation
        shape: Shape | None
        if op.is_leaf:
            shape = leaf_shape(graph, node_id, rows)
        else:
            srcs = feeds[node_id] if feeds is not None else graph.sources(node_id)
            if not op.infers_shape or not all(s is not None and usable.get(s) for s in srcs):
                shape = None
            else:
                ins = [shapes[s] for s in srcs if s is not None]
                shape = _out_shape(node_id, node, ins, add)  # type: ignore[arg-type]
        shapes[node_id] = shape
        usable[node_id] = shape is not None and _fits(node_id, node, shape, add)
    return shapes


def _out_shape(node_id: str, node: Node, ins: list[Shape], add: Callable[[str, str, str], None]) -> Shape | None:
    try:
        return tuple(int(n) for n in node.op.out_shape(ins, node.attrs))
    except NotImplementedError:  # an op whose shape only running it tells (user code): unknown here
        return None
    except ValueError as exc:  # the op's own words for why these shapes do not fit
        detail = ", ".join(f"{p} {s}" for p, s in zip(node.inputs, ins))
        add(node_id, "shape", f"{node.label()}: shapes do not fit: {detail} ({_short(exc)})")
        return None


def _fits(node_id: str, node: Node, shape: Shape, add: Callable[[str, str, str], None]) -> bool:
    """Whether a value of ``shape`` may flow on: not empty, and (computed) within the size limit."""
    size = math.prod(shape)
    if size == 0:
        what = "its value" if node.op_type != "Input" else f"its field '{node.attrs.get('field', '')}'"
        if not node.op.is_leaf:
            what = "its output"
        add(node_id, "shape", f"{node.label()}: {what} is empty (shape {shape}): it needs at least one number")
        return False
    if size > MAX_TENSOR_SIZE and not node.op.is_leaf:
        add(node_id, "size", f"{node.label()}: its output would hold {size:,} numbers (shape {shape}), "
            f"more than the limit of {MAX_TENSOR_SIZE:,}")
        return False
    return True


def _short(exc: Exception) -> str:
    text = str(exc).split("\n")[0]
    return text if len(text) < 120 else text[:117] + "..."


def coded_nodes(graph: Graph) -> set[str]:
    """The nodes whose output shape only a run can tell: the custom layers (their code decides it)
    and every node they feed, directly or not."""
    found = {n.id for n in custom_nodes(graph.nodes.values())}
    stack = list(found)
    while stack:
        for edge in graph.consumers(stack.pop()):
            if edge.dst not in found:
                found.add(edge.dst)
                stack.append(edge.dst)
    return found
