"""Evaluating many rows a chunk at a time: which graphs allow it, and the chunks' bounds.

A forward pass over a million rows holds every node's output for every row at once (a 2-32-32-2
network: about 1 GB). When every node between the inputs and the objective computes row ``i`` of
its output from row ``i`` of its inputs alone (each op says how it treats rows: ``Op.rows``), and
the objective is a sum of per-row terms divided by a count (``Op.divisor``: a loss, a Sum or Mean
over everything), the rows can go through in chunks of at most ``CHUNK_ELEMENTS`` numbers a node
and the objective be put together from the chunks' values. Any other graph (a reduction over the
rows before the objective, a constant with one value per row, a custom layer) is evaluated whole.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from core.ops.base import Attrs, Op, Shape
from core.program import Program

CHUNK_ELEMENTS = 1 << 21  # numbers in one node's output for one chunk (16 MB of float64): 65,536 rows of 32


@dataclass(frozen=True)
class Chunking:
    rows: int  # rows per chunk, at least 2
    divisor: int  # the count the objective divides its sum by, for every row at once


def chunking(program: Program, leaves: Mapping[str, np.ndarray], fields: Mapping[str, np.ndarray]
             ) -> Chunking | None:
    """How to evaluate ``program`` on the rows of ``fields`` (input field name → rows; every
    other leaf's value in ``leaves``) a chunk at a time; None when the graph must see every row
    at once."""
    rows = next((fields[name].shape[0] for name in program.inputs.values()), 0)
    if rows < 2:
        return None
    shapes: dict[str, Shape] = {}
    rowed: dict[str, bool] = {}  # the node's axis 0 holds the rows, each computed from its own
    for leaf in program.leaves:
        is_input = leaf in program.inputs
        shapes[leaf] = tuple(fields[program.inputs[leaf]].shape if is_input else np.shape(leaves[leaf]))
        rowed[leaf] = is_input
    for n in program.computed:
        plan = program.plans[n]
        ins = [(shapes[s], rowed[s]) for s in plan.srcs]
        try:
            shapes[n] = tuple(plan.op.out_shape([s for s, _ in ins], plan.attrs))
        except (NotImplementedError, ValueError):  # a custom layer: its shape is known when it runs
            return None
        rowed[n] = any(r for _, r in ins)
        if not rowed[n]:
            continue  # computed from constants and weights alone: the same in every chunk
        fits = _total_of_rows if n == program.objective else _keeps_rows
        if not fits(plan.op, plan.attrs, ins, shapes[n], rows):
            return None
    if not rowed[program.objective]:
        return None
    widest = max(math.prod(shapes[n][1:]) for n in shapes if rowed[n])
    plan = program.plans[program.objective]
    divisor = plan.op.divisor([shapes[s] for s in plan.srcs], plan.attrs)
    assert divisor is not None  # _total_of_rows asked for it
    return Chunking(max(2, CHUNK_ELEMENTS // max(1, widest)), divisor)


def chunk_bounds(rows: int, step: int) -> list[tuple[int, int]]:
    """(first, end) of each chunk of ``step`` rows; the last has at least 2 rows (a 1-row chunk
    changes some shapes: a Pick of one row is a number), so it may have ``step`` + 1."""
    starts = list(range(0, rows, step))
    if len(starts) > 1 and rows - starts[-1] < 2:
        starts.pop()
    return [(a, b) for a, b in zip(starts, [*starts[1:], rows])]


def _keeps_rows(op: Op, attrs: Attrs, ins: Sequence[tuple[Shape, bool]], out: Shape, rows: int) -> bool:
    """Whether row ``i`` of the output comes from row ``i`` of the inputs marked rowed alone,
    the other inputs used whole."""
    if not out or out[0] != rows or not all(s[:1] == (rows,) for s, r in ins if r):
        return False
    kind = op.rows
    if kind == "each":
        return _broadcast_by_row(ins, out)
    if kind == "last":
        return len(out) >= 2 and all(r for _, r in ins)
    if kind == "first":
        (x, x_rowed), rest = ins[0], ins[1:]
        return x_rowed and len(x) == 2 and not any(r for _, r in rest) and _broadcast_by_row(rest[1:], out)
    if kind == "columns":
        return all(r and len(s) in (1, 2) for s, r in ins)
    if kind == "axis":
        axis = attrs.get("axis")
        return axis is not None and len(ins) == 1 and int(axis) % len(ins[0][0]) != 0
    return False


def _total_of_rows(op: Op, attrs: Attrs, ins: Sequence[tuple[Shape, bool]], out: Shape, rows: int) -> bool:
    """Whether the objective is a sum of terms, each from one row, divided by a count."""
    shapes = [s for s, _ in ins]
    if op.divisor(shapes, attrs) is None:
        return False
    if op.rows == "each":  # a term per element of the broadcast inputs
        return _keeps_rows(op, attrs, ins, np.broadcast_shapes(*shapes), rows)
    every = all(r and s[:1] == (rows,) for s, r in ins)
    if op.rows == "last":  # SoftmaxWithLoss: its targets are one-hot rows or one class label a row
        return every and len(shapes[0]) >= 2
    return op.rows == "axis" and every  # a Sum or Mean of every element


def _broadcast_by_row(ins: Sequence[tuple[Shape, bool]], out: Shape) -> bool:
    """Rowed inputs have the output's axes (their rows are its rows); the others broadcast over
    the rows (fewer axes, or one row)."""
    return all(len(s) == len(out) if r else (len(s) < len(out) or s[0] == 1) for s, r in ins)
