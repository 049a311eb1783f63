"""Matrix products: MatMul (x·W) and Affine (x·W + b), as in the seed's Affine layer.

``x`` is one row (1-D) or a batch of rows (2-D); ``W`` is 2-D.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from core.ops.base import Array, Attrs, Instr, Shape, product, reduce_into, register
from core.ops.kernel import KernelOp


def _product_shape(x: Shape, w: Shape) -> Shape:
    if len(x) not in (1, 2) or len(w) != 2:
        raise ValueError(f"x must be a row or a batch of rows and W a matrix, not x {x} and W {w}")
    if x[-1] != w[0]:
        raise ValueError(f"x has {x[-1]} columns but W has {w[0]} rows")
    return tuple(x[:-1]) + tuple(w[1:])


def _product_grads(dout: Array, x: Array, w: Array, dx: Array | None, dw: Array | None) -> list[Instr]:
    """dx = dout · Wᵀ and dW = xᵀ · dout (the outer product for a single row)."""
    instrs: list[Instr] = []
    if dx is not None:
        instrs.append(product(dout, w.T, dx))
    if dw is not None:
        if x.ndim == 1:
            instrs.append((np.multiply, (x[:, None], dout[None, :], dw)))
        else:
            instrs.append(product(x.T, dout, dw))
    return instrs


@register
class MatMul(KernelOp):
    type = "MatMul"
    title = "MatMul"
    family = "linear"
    symbol = "·"
    doc = "out = x · W (matrix product)"
    inputs = ("x", "W")
    rows = "first"
    forward_formula = "out = x · W = {x} · {W} = {out}"
    backward_formulas = {
        "x": "∂L/∂x = ∂L/∂out · Wᵀ = {dout} · {W}ᵀ = {dx}",
        "W": "∂L/∂W = xᵀ · ∂L/∂out = {x}ᵀ · {dout} = {dW}",
    }

    def out_shape(self, shapes: Sequence[Shape], attrs: Attrs) -> Shape:
        return _product_shape(shapes[0], shapes[1])

    def bind_forward(self, ins: Sequence[Array], out: Array, attrs: Attrs) -> tuple[list[Instr], Any]:
        return [product(ins[0], ins[1], out)], None

    def bind_backward(
        self, dout: Array, ins: Sequence[Array], out: Array, cache: Any, attrs: Attrs, grads: Sequence[Array | None]
    ) -> list[Instr]:
        return _product_grads(dout, ins[0], ins[1], grads[0], grads[1])


@register
class Affine(KernelOp):
    type = "Affine"
    title = "Affine"
    family = "linear"
    symbol = "Wx+b"
    doc = "out = x · W + b (a fully connected layer; b broadcasts over the batch)"
    inputs = ("x", "W", "b")
    rows = "first"
    forward_formula = "out = x · W + b = {x} · {W} + {b} = {out}"
    backward_formulas = {
        "x": "∂L/∂x = ∂L/∂out · Wᵀ = {dout} · {W}ᵀ = {dx}",
        "W": "∂L/∂W = xᵀ · ∂L/∂out = {x}ᵀ · {dout} = {dW}",
        "b": "∂L/∂b = Σ_batch ∂L/∂out = Σ {dout} = {db}",
    }

    def out_shape(self, shapes: Sequence[Shape], attrs: Attrs) -> Shape:
        shape = _product_shape(shapes[0], shapes[1])
        try:
            fits = np.broadcast_shapes(shape, shapes[2]) == shape
        except ValueError:
            fits = False
        if not fits:
            raise ValueError(f"b {tuple(shapes[2])} does not broadcast to x·W {shape}")
        return shape

    def bind_forward(self, ins: Sequence[Array], out: Array, attrs: Attrs) -> tuple[list[Instr], Any]:
        return [product(ins[0], ins[1], out), (np.add, (out, ins[2], out))], None

    def bind_backward(
        self, dout: Array, ins: Sequence[Array], out: Array, cache: Any, attrs: Attrs, grads: Sequence[Array | None]
    ) -> list[Instr]:
        instrs = _product_grads(dout, ins[0], ins[1], grads[0], grads[1])
        db = grads[2]
        if db is None:
            return instrs
        if dout.ndim == 2 and db.shape in ((dout.shape[1],), (1, dout.shape[1])):
            ones = np.ones(db.shape[:-1] + dout.shape[:1], db.dtype)  # Σ over the batch as a product
            return instrs + [product(ones, dout, db)]
        return instrs + reduce_into(dout, db)
