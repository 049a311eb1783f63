"""Graph validation: every problem at once, each one naming its node and, for shapes, both shapes.

:func:`check` gives the problems and the output shapes it found on the way (a live view needs
both); :func:`validate` gives the problems alone. :func:`check` is two parts: what the graph's
structure tells (:func:`check_structure`, which ``core.derived_cache`` keeps per graph state)
and what reading the values' contents tells (:func:`value_problems`: NaN or Inf in a value,
class labels), read again at every question since training and the dataset editor write values
in place.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from core.custom.op import custom_nodes
from core.data.dataset import Batcher
from core.graph import Graph, Node, Problem
from core.graph_facts import GraphFacts, read_facts
from core.ops.base import Op, Shape

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


@dataclass(frozen=True)
class Finite:
    """Where a value's contents are checked (NaN or Inf): at each reading of the problems, since
    training writes values in place and nothing about the graph's structure tells."""

    node: str


@dataclass(frozen=True)
class Labels:
    """A loss whose class-label targets are read at each reading of the problems (the values of a
    leaf or the rows of a dataset field can change in place)."""

    loss: str
    target: str
    field: str | None  # the dataset field the target reads, or None: the target leaf's value
    classes: int
    label: str  # the loss node's label, which its message starts with


Finding = Problem | Finite | Labels


@dataclass(frozen=True)
class Structure:
    """What validation finds from the graph's structure alone (nodes, ops, attributes, edges,
    value shapes, the dataset's fields and shapes, settings, trust): problems in their order,
    with a :class:`Finite` or :class:`Labels` where one reading the values goes; the shapes; and
    the facts read (a Program made of the same graph reads them again)."""

    findings: tuple[Finding, ...]
    shapes: Shapes
    facts: GraphFacts

    @property
    def sound(self) -> bool:
        """No problem found in the structure (the values may still have some)."""
        return not any(isinstance(f, Problem) for f in self.findings)


def validate(graph: Graph) -> list[Problem]:
    """Every problem of ``graph`` at once, each naming its node."""
    return check(graph)[0]


def check(graph: Graph, facts: GraphFacts | None = None) -> tuple[list[Problem], Shapes]:
    """Every problem at once, and the output shape of every node (as :func:`infer_shapes`).

    The shapes are empty when the graph has a cycle (no order to infer them in). ``facts``: the
    graph's :func:`~core.graph_facts.read_facts`, when already read.
    """
    structure = check_structure(graph, facts)
    return value_problems(graph, structure), structure.shapes


def value_problems(graph: Graph, structure: Structure) -> list[Problem]:
    """The problems of ``graph``: those of its ``structure`` (made of this graph, or of one with
    the same structure) with the values read now, in :func:`check`'s order."""
    problems: list[Problem] = []
    nodes = graph.nodes
    for found in structure.findings:
        if isinstance(found, Problem):
            problems.append(found)
        elif isinstance(found, Finite):
            node = nodes[found.node]
            if node.value is not None and not np.all(np.isfinite(node.value)):
                problems.append(Problem(found.node, f"{node.label()}: its value holds NaN or Inf", "nonfinite"))
        else:
            problem = _label_problem(graph, found)
            if problem is not None:
                problems.append(problem)
    return problems


def check_structure(graph: Graph, facts: GraphFacts | None = None) -> Structure:
    """The structural part of :func:`check`: everything but reading the values' contents."""
    facts = read_facts(graph) if facts is None else facts
    findings: list[Finding] = []
    shapes: Shapes = {}

    def add(node: str | None, kind: str, message: str) -> None:
        findings.append(Problem(node, message, kind))

    feeds, ops = facts.feeds, facts.ops
    unread = graph.dataset.missing_text() if graph.dataset is not None else ""
    if unread:
        add(None, "data", f"dataset: {unread}")
    for node_id, node in graph.nodes.items():
        if None in feeds[node_id]:
            for port, src in zip(facts.ports[node_id], feeds[node_id]):
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
        if node.value is not None:
            findings.append(Finite(node.id))
        if ops[node_id].runs_user_code:
            _check_code(node, add)

    cyclic = facts.cyclic
    if cyclic:
        for cycle in graph.cycles():
            add(cycle[0], "cycle", f"the graph has a cycle through {', '.join(cycle)}")

    objective = facts.objective_id(graph)
    if objective is None:
        losses = [n for n, op in ops.items() if op.is_loss]
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
    leaf_objective = objective is not None and ops[objective].is_leaf
    if leaf_objective:
        add(objective, "objective", f"{graph.nodes[objective].label()} cannot be the objective: "  # type: ignore[index]
            "choose a node whose output is computed")
    if not cyclic:
        shapes = _shapes_in_order(graph, facts.order, facts, add)
        shape = shapes.get(objective) if objective is not None and not leaf_objective else None
        if objective is not None and shape is not None:
            if math.prod(shape) != 1:
                add(objective, "objective", f"{graph.nodes[objective].label()}: the objective must be a scalar, "
                    f"but its output has shape {shape}")
        findings.extend(_class_labels(graph, shapes, facts))
    return Structure(tuple(findings), shapes, facts)


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


def _class_labels(graph: Graph, shapes: Shapes, facts: GraphFacts) -> list[Labels]:
    """Class-label targets (one number a row) of a loss must name a class: checked on the whole
    dataset field or constant, so a later mini-batch cannot fail at run time. Which losses read
    which targets is structure; the labels themselves are read by :func:`_label_problem`."""
    found: list[Labels] = []
    for node_id, op in facts.ops.items():
        if not op.is_loss or "t" not in facts.ports[node_id]:
            continue
        pred, target = facts.feeds[node_id]
        pred_shape = shapes.get(pred) if pred is not None else None
        target_shape = shapes.get(target) if target is not None else None
        if not pred_shape or target_shape is None or target_shape != pred_shape[:-1]:
            continue
        src = graph.nodes[target]  # type: ignore[index]
        field: str | None = None
        if src.op_type == "Input" and graph.dataset is not None:
            field = src.attrs.get("field", "")
            if field not in graph.dataset.fields:
                continue
        elif src.value is None or not facts.ops[src.id].is_leaf:
            continue
        found.append(Labels(node_id, src.id, field, pred_shape[-1], graph.nodes[node_id].label()))
    return found


def _label_problem(graph: Graph, labels: Labels) -> Problem | None:
    from core.ops.losses import check_labels

    if labels.field is not None:
        assert graph.dataset is not None  # a structure with a field has a dataset
        values = graph.dataset.fields[labels.field]
    else:
        values = graph.nodes[labels.target].value  # type: ignore[assignment]
    try:
        check_labels(values, labels.classes)
    except ValueError as exc:
        return Problem(labels.loss, f"{labels.label}: targets from {labels.target}: {exc}", "data")
    return None


def infer_shapes(graph: Graph, problems: list[Problem] | None = None, rows: int | None = None) -> Shapes:
    """Output shape of every node for one mini-batch (``None`` where it cannot be known), or for
    ``rows`` rows of the inputs when given (the gradient check's first rows of a big batch).

    Each op's own :meth:`~core.ops.base.Op.out_shape` gives its output's shape from its inputs'
    shapes: nothing is computed and nothing data-sized is allocated (an op without a shape rule
    leaves its shape, and those after it, unknown). Shapes that do not fit,
    empty values and outputs past :data:`MAX_TENSOR_SIZE` are appended to ``problems``, each
    naming its node. A custom layer's code is never run here: its output shape is unknown
    (``None``), and so are the shapes after it, until a run computes them.
    """
    facts = read_facts(graph)
    if facts.cyclic:
        graph.topological_order()  # raises GraphError naming the cycles

    def add(node_id: str, kind: str, message: str) -> None:
        if problems is not None:
            problems.append(Problem(node_id, message, kind))
    return _shapes_in_order(graph, facts.order, facts, add, rows)


AddAt = Callable[[str, str, str], None]


def _shapes_in_order(graph: Graph, order: list[str], facts: GraphFacts, add: AddAt,
                     rows: int | None = None) -> Shapes:
    """Shapes in ``order``, each node's op and sources read from ``facts`` (inputs: ``rows`` rows,
    one mini-batch by default)."""
    shapes: Shapes = {}
    usable: dict[str, bool] = {}  # a shape the nodes after it can be checked against
    rows = batch_rows(graph) if rows is None else rows
    nodes, ops, feeds = graph.nodes, facts.ops, facts.feeds
    for node_id in order:
        node, op = nodes[node_id], ops[node_id]
        shape: Shape | None
        if op.is_leaf:
            shape = leaf_shape(graph, node_id, rows)
        else:
            ins = _usable_shapes(feeds[node_id], usable, shapes) if op.infers_shape else None
            shape = None if ins is None else _out_shape(node, op, facts.ports[node_id], ins, add)
        shapes[node_id] = shape
        usable[node_id] = shape is not None and _fits(node, op, shape, add)
    return shapes


def _usable_shapes(srcs: list[str | None], usable: dict[str, bool], shapes: Shapes) -> list[Shape] | None:
    """The shapes of ``srcs``, or None unless every port has a source whose shape is usable."""
    ins: list[Shape] = []
    for s in srcs:
        if s is None or not usable.get(s):
            return None
        ins.append(shapes[s])  # type: ignore[arg-type]  # usable: known
    return ins


def _out_shape(node: Node, op: Op, ports: tuple[str, ...], ins: list[Shape], add: AddAt) -> Shape | None:
    try:
        return tuple([int(n) for n in op.out_shape(ins, node.attrs)])
    except NotImplementedError:  # an op whose shape only running it tells (user code): unknown here
        return None
    except ValueError as exc:  # the op's own words for why these shapes do not fit
        detail = ", ".join(f"{p} {s}" for p, s in zip(ports, ins))
        add(node.id, "shape", f"{node.label()}: shapes do not fit: {detail} ({_short(exc)})")
        return None


def _fits(node: Node, op: Op, shape: Shape, add: AddAt) -> bool:
    """Whether a value of ``shape`` may flow on: not empty, and (computed) within the size limit."""
    size = math.prod(shape)
    if size == 0:
        what = "its value" if node.op_type != "Input" else f"its field '{node.attrs.get('field', '')}'"
        if not op.is_leaf:
            what = "its output"
        add(node.id, "shape", f"{node.label()}: {what} is empty (shape {shape}): it needs at least one number")
        return False
    if size > MAX_TENSOR_SIZE and not op.is_leaf:
        add(node.id, "size", f"{node.label()}: its output would hold {size:,} numbers (shape {shape}), "
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
