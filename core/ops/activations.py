"""Activations: Sigmoid, Tanh, ReLU and Softmax."""
from __future__ import annotations

import numpy as np

from .base import Op, register


@register
class Sigmoid(Op):
    type = "Sigmoid"
    title = "Sigmoid"
    family = "activations"
    symbol = "σ"
    doc = "out = 1 / (1 + exp(−x))"
    inputs = ("x",)
    forward_formula = "out = 1 / (1 + exp(−x)) = 1 / (1 + exp(−{x})) = {out}"
    backward_formulas = {
        "x": "∂L/∂x = ∂L/∂out · out·(1 − out) = {dout} × {local} = {dx}",
    }

    def forward(self, ins, attrs):
        out = np.exp(-ins[0])
        out += 1.0
        np.reciprocal(out, out=out)
        return out, None

    def backward(self, dout, ins, out, cache, attrs):
        return [dout * (1.0 - out) * out]

    def formula_values(self, ins, out, dout, cache, attrs):
        return {"local": (1.0 - out) * out}


@register
class Tanh(Op):
    type = "Tanh"
    title = "Tanh"
    family = "activations"
    symbol = "tanh"
    doc = "out = tanh(x)"
    inputs = ("x",)
    forward_formula = "out = tanh(x) = tanh({x}) = {out}"
    backward_formulas = {"x": "∂L/∂x = ∂L/∂out · (1 − out²) = {dout} × {local} = {dx}"}

    def forward(self, ins, attrs):
        return np.tanh(ins[0]), None

    def backward(self, dout, ins, out, cache, attrs):
        return [dout * (1.0 - out * out)]

    def formula_values(self, ins, out, dout, cache, attrs):
        return {"local": 1.0 - out * out}


@register
class ReLU(Op):
    type = "ReLU"
    title = "ReLU"
    family = "activations"
    symbol = "relu"
    doc = "out = max(0, x); the gradient passes where x > 0"
    inputs = ("x",)
    forward_formula = "out = max(0, x) = max(0, {x}) = {out}"
    backward_formulas = {"x": "∂L/∂x = ∂L/∂out · [x > 0] = {dout} × {local} = {dx}"}

    def forward(self, ins, attrs):
        return np.maximum(ins[0], 0.0), None

    def backward(self, dout, ins, out, cache, attrs):
        return [dout * (ins[0] > 0)]

    def formula_values(self, ins, out, dout, cache, attrs):
        return {"local": (ins[0] > 0).astype(float)}


def softmax(x: np.ndarray) -> np.ndarray:
    """Softmax over the last axis, shifted by the maximum so exp never overflows."""
    shifted = x - np.max(x, axis=-1, keepdims=True)
    e = np.exp(shifted)
    e /= np.sum(e, axis=-1, keepdims=True)
    return e


@register
class Softmax(Op):
    type = "Softmax"
    title = "Softmax"
    family = "activations"
    symbol = "softmax"
    doc = "out = exp(x) / Σ exp(x) over the last axis"
    inputs = ("x",)
    forward_formula = "out = exp(x) / Σ exp(x) = softmax({x}) = {out}"
    backward_formulas = {
        "x": "∂L/∂x = out · (∂L/∂out − Σ ∂L/∂out·out) = {out} × ({dout} − {s}) = {dx}",
    }

    def forward(self, ins, attrs):
        return softmax(ins[0]), None

    def backward(self, dout, ins, out, cache, attrs):
        s = np.sum(dout * out, axis=-1, keepdims=True)
        return [out * (dout - s)]

    def formula_values(self, ins, out, dout, cache, attrs):
        if dout is None:
            return {}
        return {"s": np.sum(dout * out, axis=-1, keepdims=True)}
