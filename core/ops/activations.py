"""Activations: Sigmoid, Tanh, ReLU and Softmax."""
from __future__ import annotations

from functools import partial
from typing import Any, Sequence

import numpy as np

from core.ops.base import Array, Attrs, Instr, Shape, product, register
from core.ops.kernel import KernelOp, const


def row_summer(x: np.ndarray) -> np.ndarray:
    """A column of ones: ``np.dot(x, row_summer(x))`` sums over the last axis, keeping it."""
    return np.ones((x.shape[-1], 1), x.dtype)


def bind_row_max(x: np.ndarray, peak: np.ndarray) -> list[Instr]:
    """Instructions for the maximum over the last axis into ``peak`` (that axis kept, length 1).

    A batch of short rows is copied column-major first, where NumPy reduces it several times
    faster; the maximum is exact, so the result is the same either way."""
    if x.ndim == 2 and x.shape[1] <= 64 < x.shape[0] * x.shape[1]:
        columns = np.empty(x.shape, x.dtype, order="F")
        return [(np.copyto, (columns, x)), (np.maximum.reduce, (columns, 1, None, peak.reshape(-1)))]
    return [(np.maximum.reduce, (x, -1, None, peak, True))]


class UnaryOp(KernelOp):
    inputs = ("x",)

    def out_shape(self, shapes: Sequence[Shape], attrs: Attrs) -> Shape:
        return tuple(shapes[0])


@register
class Sigmoid(UnaryOp):
    type = "Sigmoid"
    title = "Sigmoid"
    family = "activations"
    symbol = "σ"
    doc = "out = 1 / (1 + exp(−x))"
    inputs = ("x",)
    elementwise = True
    rows = "each"
    forward_formula = "out = 1 / (1 + exp(−x)) = 1 / (1 + exp(−{x})) = {out}"
    backward_formulas = {
        "x": "∂L/∂x = ∂L/∂out · out·(1 − out) = {dout} × {local} = {dx}",
    }

    def bind_forward(self, ins: Sequence[Array], out: Array, attrs: Attrs) -> tuple[list[Instr], Any]:
        return [(np.negative, (ins[0], out)), (np.exp, (out, out)), (np.add, (out, const(1.0, out), out)),
                (np.reciprocal, (out, out))], None

    def bind_backward(
        self, dout: Array, ins: Sequence[Array], out: Array, cache: Any, attrs: Attrs, grads: Sequence[Array | None]
    ) -> list[Instr]:
        dx = grads[0]
        if dx is None:
            return []
        return [(np.subtract, (const(1.0, dx), out, dx)), (np.multiply, (dout, dx, dx)), (np.multiply, (dx, out, dx))]

    def formula_values(
        self, ins: Sequence[Array], out: Array, dout: Array | None, cache: Any, attrs: Attrs
    ) -> dict[str, Array]:
        return {"local": (1.0 - out) * out}


@register
class Tanh(UnaryOp):
    type = "Tanh"
    title = "Tanh"
    family = "activations"
    symbol = "tanh"
    doc = "out = tanh(x)"
    inputs = ("x",)
    elementwise = True
    rows = "each"
    forward_formula = "out = tanh(x) = tanh({x}) = {out}"
    backward_formulas = {"x": "∂L/∂x = ∂L/∂out · (1 − out²) = {dout} × {local} = {dx}"}

    def bind_forward(self, ins: Sequence[Array], out: Array, attrs: Attrs) -> tuple[list[Instr], Any]:
        return [(np.tanh, (ins[0], out))], None

    def bind_backward(
        self, dout: Array, ins: Sequence[Array], out: Array, cache: Any, attrs: Attrs, grads: Sequence[Array | None]
    ) -> list[Instr]:
        dx = grads[0]
        if dx is None:
            return []
        return [(np.multiply, (out, out, dx)), (np.subtract, (const(1.0, dx), dx, dx)), (np.multiply, (dout, dx, dx))]

    def formula_values(
        self, ins: Sequence[Array], out: Array, dout: Array | None, cache: Any, attrs: Attrs
    ) -> dict[str, Array]:
        return {"local": 1.0 - out * out}


@register
class ReLU(UnaryOp):
    type = "ReLU"
    title = "ReLU"
    family = "activations"
    symbol = "relu"
    doc = "out = max(0, x); the gradient passes where x > 0"
    inputs = ("x",)
    elementwise = True
    rows = "each"
    forward_formula = "out = max(0, x) = max(0, {x}) = {out}"
    backward_formulas = {"x": "∂L/∂x = ∂L/∂out · [x > 0] = {dout} × {local} = {dx}"}

    def bind_forward(self, ins: Sequence[Array], out: Array, attrs: Attrs) -> tuple[list[Instr], Any]:
        zero = np.zeros(ins[0].shape, out.dtype)  # an array, not 0.0: NumPy's faster loop
        return [(partial(np.maximum, out=out), (ins[0], zero))], None

    def bind_backward(
        self, dout: Array, ins: Sequence[Array], out: Array, cache: Any, attrs: Attrs, grads: Sequence[Array | None]
    ) -> list[Instr]:
        dx = grads[0]
        if dx is None:
            return []
        mask = np.empty(ins[0].shape, bool)
        return [(np.greater, (ins[0], const(0.0, ins[0]), mask)), (np.multiply, (dout, mask, dx))]

    def formula_values(
        self, ins: Sequence[Array], out: Array, dout: Array | None, cache: Any, attrs: Attrs
    ) -> dict[str, Array]:
        return {"local": (ins[0] > 0).astype(float)}


@register
class Softmax(UnaryOp):
    type = "Softmax"
    title = "Softmax"
    family = "activations"
    symbol = "softmax"
    doc = "out = exp(x) / Σ exp(x) over the last axis"
    inputs = ("x",)
    rows = "last"
    forward_formula = "out = exp(x) / Σ exp(x) = softmax({x}) = {out}"
    backward_formulas = {
        "x": "∂L/∂x = out · (∂L/∂out − Σ ∂L/∂out·out) = {out} × ({dout} − {s}) = {dx}",
    }

    def out_shape(self, shapes: Sequence[Shape], attrs: Attrs) -> Shape:
        if not shapes[0]:
            raise ValueError("softmax needs at least one axis")
        return tuple(shapes[0])

    def bind_forward(self, ins: Sequence[Array], out: Array, attrs: Attrs) -> tuple[list[Instr], Any]:
        x = ins[0]
        peak = np.empty(x.shape[:-1] + (1,), out.dtype)
        total = np.empty_like(peak)
        return [
            *bind_row_max(x, peak),
            (np.subtract, (x, peak, out)),
            (np.exp, (out, out)),
            product(out, row_summer(x), total),
            (np.divide, (out, total, out)),
        ], None

    def bind_backward(
        self, dout: Array, ins: Sequence[Array], out: Array, cache: Any, attrs: Attrs, grads: Sequence[Array | None]
    ) -> list[Instr]:
        dx = grads[0]
        if dx is None:
            return []
        s = np.empty(out.shape[:-1] + (1,), dx.dtype)
        return [
            (np.multiply, (dout, out, dx)),
            product(dx, row_summer(out), s),
            (np.subtract, (dout, s, dx)),
            (np.multiply, (out, dx, dx)),
        ]

    def formula_values(
        self, ins: Sequence[Array], out: Array, dout: Array | None, cache: Any, attrs: Attrs
    ) -> dict[str, Array]:
        if dout is None:
            return {}
        return {"s": np.sum(dout * out, axis=-1, keepdims=True)}
