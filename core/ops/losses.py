"""Losses. Each takes a prediction and targets; targets receive no gradient.

The batch mean divides by N, the number of rows (1 for a 1-D prediction).
"""
from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np

from core.ops.activations import bind_row_max, row_summer
from core.ops.base import Array, Attrs, Instr, Shape, product, register
from core.ops.kernel import KernelOp, const, scratch

CROSS_ENTROPY_EPS = 1e-7  # keeps log(y) finite where y is 0


def batch_rows(x: np.ndarray) -> int:
    return rows_of(x.shape)


def rows_of(shape: Shape) -> int:
    """N, the rows a batch mean divides by: the first axis of rows (2-D or more), 1 for a single row."""
    return shape[0] if len(shape) >= 2 else 1


def one_hot_like(t: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Targets as one-hot rows: integer class labels of shape ``x.shape[:-1]`` are expanded."""
    hot, instrs = _bind_targets(t, x)
    for f, args in instrs:
        f(*args)
    return hot


def targets_are_labels(t: Shape, x: Shape) -> bool:
    """Whether targets of shape ``t`` are class labels (one a row) for predictions of shape
    ``x``, rather than one-hot rows of ``x``'s shape; raises ``ValueError`` when they are neither."""
    if tuple(t) == tuple(x):
        return False
    if x and tuple(t) == tuple(x[:-1]):
        return True
    raise ValueError(f"targets of shape {tuple(t)} do not fit predictions of shape {tuple(x)}")


def _bind_targets(t: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, list[Instr]]:
    """The one-hot targets: ``t`` itself when it has the predictions' shape, else an array
    that the returned instructions fill from the class labels in ``t``."""
    if not targets_are_labels(t.shape, x.shape):
        return t, []
    hot = np.empty(x.shape, x.dtype)
    return hot, [(_fill_one_hot, (t, hot))]


def _fill_one_hot(t: np.ndarray, hot: np.ndarray) -> None:
    check_labels(t, hot.shape[-1])
    hot.fill(0.0)
    np.put_along_axis(hot, t.astype(np.intp)[..., None], 1.0, axis=-1)


def check_labels(t: np.ndarray, classes: int) -> None:
    """Raise ``ValueError`` unless every class label is a whole number from 0 to classes − 1."""
    if t.size == 0:
        return
    bad = (t != np.floor(t)) | (t < 0) | (t >= classes) | ~np.isfinite(t)
    if np.any(bad):
        first = tuple(int(i) for i in np.argwhere(bad)[0])
        where = first[0] if len(first) == 1 else first
        raise ValueError(f"class labels must be whole numbers from 0 to {classes - 1}; "
                         f"label {where} is {float(t[first]):g}")


def _bind_total(a: np.ndarray, b: np.ndarray, work: np.ndarray, out: np.ndarray) -> list[Instr]:
    """Instructions for ``out = Σ a·b`` over every element; ``work`` (b's shape) may be written.

    A dot product of the flattened arrays when both are contiguous (the stepper and the
    trainer see the same layouts), else a product and a sum."""
    if a.shape == b.shape and a.flags.c_contiguous and b.flags.c_contiguous:
        return [product(a.reshape(-1), b.reshape(-1), out)]
    return [(np.multiply, (a, b, work)), (np.add.reduce, (work, None, None, out))]


def _scalar(out: np.ndarray) -> np.ndarray:
    return np.empty(out.shape, out.dtype)


class Loss(KernelOp):
    family = "losses"
    is_loss = True
    inputs = ("y", "t")
    no_grad_ports = ("t",)
    rows = "each"  # its terms: one per element of the broadcast inputs

    def divisor(self, shapes: Sequence[Shape], attrs: Attrs) -> int | None:
        return rows_of(shapes[0])  # −(1/N) Σ over the rows

    def out_shape(self, shapes: Sequence[Shape], attrs: Attrs) -> Shape:
        targets_are_labels(shapes[1], shapes[0])
        return ()


@register
class SoftmaxWithLoss(Loss):
    type = "SoftmaxWithLoss"
    title = "Softmax with loss"
    symbol = "softmax+CE"
    probabilities = "softmax"
    doc = "L = −(1/N) Σ t · log softmax(x): softmax and cross-entropy in one stable node"
    inputs = ("x", "t")
    rows = "last"
    forward_formula = "out = −(1/N) Σ t·log softmax(x) = −(1/{n}) Σ {t}·log {p} = {out}"
    backward_formulas = {"x": "∂L/∂x = ∂L/∂out · (softmax(x) − t)/N = {dout} × ({p} − {t}) / {n} = {dx}"}

    def out_shape(self, shapes: Sequence[Shape], attrs: Attrs) -> Shape:
        if not shapes[0]:
            raise ValueError("softmax needs at least one axis")
        return super().out_shape(shapes, attrs)

    def bind_forward(self, ins: Sequence[Array], out: Array, attrs: Attrs) -> tuple[list[Instr], Any]:
        x, t = ins
        hot, instrs = _bind_targets(t, x)
        log_p = np.empty(x.shape, out.dtype)
        p = np.empty_like(log_p)
        peak = np.empty(x.shape[:-1] + (1,), out.dtype)
        log_sum = np.empty_like(peak)
        mass = np.empty_like(peak)  # Σt of each row: 1 for one-hot targets
        instrs += [
            *bind_row_max(x, peak),
            (np.subtract, (x, peak, log_p)),  # shifted
            (np.exp, (log_p, p)),
            product(p, row_summer(x), log_sum),
            (np.log, (log_sum, log_sum)),
            (np.subtract, (log_p, log_sum, log_p)),
            *_bind_total(hot, log_p, p, out),
            (np.divide, (out, const(-batch_rows(x), out), out)),  # −Σ/N: s/(−N) is exactly −(s/N)
            (np.exp, (log_p, p)),
            product(hot, row_summer(x), mass),
        ]
        return instrs, (p, hot, mass)

    def bind_backward(
        self, dout: Array, ins: Sequence[Array], out: Array, cache: Any, attrs: Attrs, grads: Sequence[Array | None]
    ) -> list[Instr]:
        dx = grads[0]
        if dx is None:
            return []
        p, hot, mass = cache
        scale = _scalar(dout)
        # ∂L/∂x = (p·Σt − t)/N: (p − t)/N for one-hot rows (p·1 is p, bit for bit)
        return [(np.divide, (dout, const(batch_rows(ins[0]), dout), scale)), (np.multiply, (p, mass, dx)),
                (np.subtract, (dx, hot, dx)), (np.multiply, (dx, scale, dx))]

    def formula_values(
        self, ins: Sequence[Array], out: Array, dout: Array | None, cache: Any, attrs: Attrs
    ) -> dict[str, Array]:
        return {"p": cache[0], "n": np.asarray(float(batch_rows(ins[0])))}


@register
class CrossEntropy(Loss):
    type = "CrossEntropy"
    title = "Cross-entropy"
    symbol = "CE"
    probabilities = "given"
    doc = "L = −(1/N) Σ t · log(y + 1e-7), for probabilities y (after a Softmax)"
    forward_formula = "out = −(1/N) Σ t·log(y + ε) = −(1/{n}) Σ {t}·log({y} + 1e-7) = {out}"
    backward_formulas = {"y": "∂L/∂y = −∂L/∂out · t / ((y + ε)·N) = −{dout} × {t} / (({y} + 1e-7)·{n}) = {dy}"}

    def bind_forward(self, ins: Sequence[Array], out: Array, attrs: Attrs) -> tuple[list[Instr], Any]:
        y, t = ins
        hot, instrs = _bind_targets(t, y)
        log_y = np.empty(y.shape, out.dtype)
        instrs += [
            (np.add, (y, const(CROSS_ENTROPY_EPS, y), log_y)),
            (np.log, (log_y, log_y)),
            *_bind_total(hot, log_y, log_y, out),
            (np.divide, (out, const(-batch_rows(y), out), out)),  # −Σ/N: s/(−N) is exactly −(s/N)
        ]
        return instrs, hot

    def bind_backward(
        self, dout: Array, ins: Sequence[Array], out: Array, cache: Any, attrs: Attrs, grads: Sequence[Array | None]
    ) -> list[Instr]:
        dy = grads[0]
        if dy is None:
            return []
        y = ins[0]
        minus = _scalar(dout)
        denom = np.empty(y.shape, dy.dtype)
        return [
            (np.negative, (dout, minus)),
            (np.multiply, (minus, cache, dy)),
            (np.add, (y, const(CROSS_ENTROPY_EPS, y), denom)),
            (np.multiply, (denom, const(batch_rows(y), denom), denom)),
            (np.divide, (dy, denom, dy)),
        ]

    def formula_values(
        self, ins: Sequence[Array], out: Array, dout: Array | None, cache: Any, attrs: Attrs
    ) -> dict[str, Array]:
        return {"t": cache, "n": np.asarray(float(batch_rows(ins[0])))}


class SquaredDifferenceLoss(Loss):
    """A loss over the element-wise (y − t)² of the broadcast prediction and targets."""

    def out_shape(self, shapes: Sequence[Shape], attrs: Attrs) -> Shape:
        np.broadcast_shapes(shapes[0], shapes[1])
        return ()

    def grad_shape(self, index: int, ins: Sequence[Array], out: Array) -> tuple[int, ...]:
        return np.broadcast_shapes(ins[0].shape, ins[1].shape)

    @staticmethod
    def bind_sum_of_squares(ins: Sequence[Array], out: Array) -> tuple[list[Instr], Array]:
        """Instructions for ``out = Σ (y − t)²``, and the array that holds y − t afterwards."""
        shape = np.broadcast_shapes(ins[0].shape, ins[1].shape)
        diff, square = np.empty(shape, out.dtype), np.empty(shape, out.dtype)
        return [
            (np.subtract, (ins[0], ins[1], diff)),
            (np.multiply, (diff, diff, square)),
            (np.add.reduce, (square, None, None, out)),
        ], diff


@register
class SquaredError(SquaredDifferenceLoss):
    type = "SquaredError"
    title = "Squared error (½Σ)"
    symbol = "½Σ(t−y)²"
    doc = "L = ½ Σ (t − y)²: the seed's mean_squared_error and Mazur's total error"
    forward_formula = "out = ½ Σ (t − y)² = ½ Σ ({t} − {y})² = {out}"
    backward_formulas = {"y": "∂L/∂y = ∂L/∂out · (y − t) = {dout} × ({y} − {t}) = {dy}"}

    def divisor(self, shapes: Sequence[Shape], attrs: Attrs) -> int | None:
        return 1  # ½ Σ: a sum

    def bind_forward(self, ins: Sequence[Array], out: Array, attrs: Attrs) -> tuple[list[Instr], Any]:
        instrs, diff = self.bind_sum_of_squares(ins, out)
        return [*instrs, (np.multiply, (out, const(0.5, out), out))], diff

    def bind_backward(
        self, dout: Array, ins: Sequence[Array], out: Array, cache: Any, attrs: Attrs, grads: Sequence[Array | None]
    ) -> list[Instr]:
        if grads[0] is None:
            return []
        full, post = scratch(grads[0], cache.shape)
        return [(np.multiply, (dout, cache, full)), *post]


@register
class MeanSquaredError(SquaredDifferenceLoss):
    type = "MeanSquaredError"
    title = "Mean squared error"
    symbol = "MSE"
    doc = "L = (1/n) Σ (y − t)² over all n elements"
    forward_formula = "out = (1/n) Σ (y − t)² = (1/{n}) Σ ({y} − {t})² = {out}"
    backward_formulas = {"y": "∂L/∂y = ∂L/∂out · 2(y − t)/n = {dout} × 2({y} − {t}) / {n} = {dy}"}

    def divisor(self, shapes: Sequence[Shape], attrs: Attrs) -> int | None:
        return math.prod(np.broadcast_shapes(shapes[0], shapes[1]))  # over all n elements

    def bind_forward(self, ins: Sequence[Array], out: Array, attrs: Attrs) -> tuple[list[Instr], Any]:
        instrs, diff = self.bind_sum_of_squares(ins, out)
        return [*instrs, (np.divide, (out, const(diff.size, out), out))], diff

    def bind_backward(
        self, dout: Array, ins: Sequence[Array], out: Array, cache: Any, attrs: Attrs, grads: Sequence[Array | None]
    ) -> list[Instr]:
        if grads[0] is None:
            return []
        scale = _scalar(dout)
        full, post = scratch(grads[0], cache.shape)
        return [(np.multiply, (dout, const(2.0, dout), scale)), (np.divide, (scale, const(cache.size, scale), scale)),
                (np.multiply, (cache, scale, full)), *post]

    def formula_values(
        self, ins: Sequence[Array], out: Array, dout: Array | None, cache: Any, attrs: Attrs
    ) -> dict[str, Array]:
        return {"n": np.asarray(float(cache.size))}
