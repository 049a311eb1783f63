"""Structure ops that move numbers without arithmetic: Pick one column, Join columns.

They let a layer be drawn as its neurons (:mod:`core.rewrite.neurons`): Pick takes input
``j`` of a row (a number for one row, a column of numbers for a batch), Join puts neuron
outputs side by side again. Both only copy, so the numbers through them are exact.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from core.ops.base import Array, Attrs, AttrSpec, Instr, Shape, register
from core.ops.kernel import KernelOp


def _entry(a: Array, j: int) -> Array:
    """A view of column ``j`` of the rows ``a``: 0-d for one row, 1-d for a batch."""
    return a[0:1, j].reshape(()) if a.shape[0] == 1 else a[:, j]


def _as_columns(a: Array) -> Array:
    """``a`` as a 2-d view of rows: a number is 1×1, a column of n numbers is n×1."""
    if a.ndim == 0:
        return a.reshape(1, 1)
    if a.ndim == 1:
        return a.reshape(-1, 1)
    return a


def _column_shape(shape: Shape) -> Shape:
    """The shape :func:`_as_columns` gives an array of ``shape``."""
    shape = tuple(shape)
    return (1, 1) if not shape else (shape[0], 1) if len(shape) == 1 else shape


@register
class Pick(KernelOp):
    type = "Pick"
    title = "Pick"
    family = "structure"
    symbol = "x[j]"
    doc = "out = column j of the rows x (a number for one row): one input of a neuron"
    inputs = ("x",)
    rows = "columns"
    attrs = (AttrSpec("index", int, 0, "the column it takes, counted from 0"),)
    forward_formula = "out = x[:, j] = {out}"
    backward_formulas = {"x": "∂L/∂x = ∂L/∂out in column j, 0 elsewhere = {dx}"}

    def out_shape(self, shapes: Sequence[Shape], attrs: Attrs) -> Shape:
        x, j = tuple(shapes[0]), int(attrs["index"])
        if len(x) != 2:
            raise ValueError(f"x must be rows (2-d), not {x}")
        if not 0 <= j < x[1]:
            raise ValueError(f"index {j} is outside x's {x[1]} columns")
        return () if x[0] == 1 else (x[0],)

    def bind_forward(self, ins: Sequence[Array], out: Array, attrs: Attrs) -> tuple[list[Instr], Any]:
        return [(np.copyto, (out, _entry(ins[0], int(attrs["index"]))))], None

    def bind_backward(self, dout: Array, ins: Sequence[Array], out: Array, cache: Any, attrs: Attrs,
                      grads: Sequence[Array | None]) -> list[Instr]:
        dx = grads[0]
        if dx is None:
            return []
        return [(np.copyto, (dx, np.zeros((), dx.dtype))), (np.copyto, (_entry(dx, int(attrs["index"])), dout))]


@register
class Join(KernelOp):
    type = "Join"
    title = "Join"
    family = "structure"
    symbol = "[x, y]"
    doc = "out = the columns of x, then those of y (a number counts as one column)"
    inputs = ("x", "y")
    rows = "columns"
    forward_formula = "out = [x, y] = [{x}, {y}] = {out}"
    backward_formulas = {
        "x": "∂L/∂x = the first columns of ∂L/∂out = {dx}",
        "y": "∂L/∂y = the last columns of ∂L/∂out = {dy}",
    }

    def out_shape(self, shapes: Sequence[Shape], attrs: Attrs) -> Shape:
        x, y = (_column_shape(s) for s in shapes)
        if len(x) != 2 or len(y) != 2:
            raise ValueError(f"x and y must be numbers, columns or rows, not {tuple(shapes[0])} and {tuple(shapes[1])}")
        if x[0] != y[0]:
            raise ValueError(f"x has {x[0]} rows but y has {y[0]}")
        return (x[0], x[1] + y[1])

    def grad_shape(self, index: int, ins: Sequence[Array], out: Array) -> tuple[int, ...]:
        return tuple(ins[index].shape)

    def bind_forward(self, ins: Sequence[Array], out: Array, attrs: Attrs) -> tuple[list[Instr], Any]:
        x, y = (_as_columns(a) for a in ins)
        k = x.shape[1]
        return [(np.copyto, (out[:, :k], x)), (np.copyto, (out[:, k:], y))], None

    def bind_backward(self, dout: Array, ins: Sequence[Array], out: Array, cache: Any, attrs: Attrs,
                      grads: Sequence[Array | None]) -> list[Instr]:
        k = _as_columns(ins[0]).shape[1]
        parts = (dout[:, :k], dout[:, k:])
        return [(np.copyto, (_as_columns(g), part)) for g, part in zip(grads, parts) if g is not None]
