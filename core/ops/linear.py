"""Matrix products: MatMul (x·W) and Affine (x·W + b), as in the seed's Affine layer."""
from __future__ import annotations

import numpy as np

from .base import Op, register


def _matmul_grads(dout, x, w):
    """Gradients of ``x @ w`` for 1-D or 2-D (batched) ``x`` and 2-D ``w``."""
    dx = dout @ w.T
    if x.ndim == 1:
        dw = np.outer(x, dout)
    else:
        dw = x.T @ dout
    return dx, dw


@register
class MatMul(Op):
    type = "MatMul"
    title = "MatMul"
    family = "linear"
    symbol = "·"
    doc = "out = x · W (matrix product)"
    inputs = ("x", "W")
    forward_formula = "out = x · W = {x} · {W} = {out}"
    backward_formulas = {
        "x": "∂L/∂x = ∂L/∂out · Wᵀ = {dout} · {W}ᵀ = {dx}",
        "W": "∂L/∂W = xᵀ · ∂L/∂out = {x}ᵀ · {dout} = {dW}",
    }

    def forward(self, ins, attrs):
        return ins[0] @ ins[1], None

    def backward(self, dout, ins, out, cache, attrs):
        return list(_matmul_grads(dout, ins[0], ins[1]))


@register
class Affine(Op):
    type = "Affine"
    title = "Affine"
    family = "linear"
    symbol = "Wx+b"
    doc = "out = x · W + b (a fully connected layer; b broadcasts over the batch)"
    inputs = ("x", "W", "b")
    forward_formula = "out = x · W + b = {x} · {W} + {b} = {out}"
    backward_formulas = {
        "x": "∂L/∂x = ∂L/∂out · Wᵀ = {dout} · {W}ᵀ = {dx}",
        "W": "∂L/∂W = xᵀ · ∂L/∂out = {x}ᵀ · {dout} = {dW}",
        "b": "∂L/∂b = Σ_batch ∂L/∂out = Σ {dout} = {db}",
    }

    def forward(self, ins, attrs):
        out = ins[0] @ ins[1]
        out += ins[2]
        return out, None

    def backward(self, dout, ins, out, cache, attrs):
        dx, dw = _matmul_grads(dout, ins[0], ins[1])
        return [dx, dw, dout]
