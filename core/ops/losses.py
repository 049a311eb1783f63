"""Losses. Each takes a prediction and targets; targets receive no gradient.

The batch mean divides by N, the number of rows (1 for a 1-D prediction).
"""
from __future__ import annotations

import numpy as np

from .activations import softmax
from .base import Op, register

CROSS_ENTROPY_EPS = 1e-7  # keeps log(y) finite where y is 0


def batch_rows(x: np.ndarray) -> int:
    return x.shape[0] if x.ndim >= 2 else 1


def one_hot_like(t: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Targets as one-hot rows: integer class labels of shape ``x.shape[:-1]`` are expanded."""
    if t.shape == x.shape:
        return t
    if t.shape == x.shape[:-1]:
        labels = t.astype(np.intp)
        hot = np.zeros_like(x)
        np.put_along_axis(hot, labels[..., None], 1.0, axis=-1)
        return hot
    raise ValueError(f"targets of shape {t.shape} do not fit predictions of shape {x.shape}")


class Loss(Op):
    family = "losses"
    is_loss = True
    inputs = ("y", "t")
    no_grad_ports = ("t",)


@register
class SoftmaxWithLoss(Loss):
    type = "SoftmaxWithLoss"
    title = "Softmax with loss"
    symbol = "softmax+CE"
    doc = "L = −(1/N) Σ t · log softmax(x): softmax and cross-entropy in one stable node"
    inputs = ("x", "t")
    forward_formula = "L = −(1/N) Σ t·log softmax(x) = −(1/{n}) Σ {t}·log {p} = {out}"
    backward_formulas = {"x": "∂L/∂x = ∂L/∂L · (softmax(x) − t)/N = {dout} × ({p} − {t}) / {n} = {dx}"}

    def forward(self, ins, attrs):
        x, t = ins
        hot = one_hot_like(t, x)
        shifted = x - np.max(x, axis=-1, keepdims=True)
        log_sum = np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))
        log_p = shifted - log_sum
        loss = -np.sum(hot * log_p) / batch_rows(x)
        return np.asarray(loss), (np.exp(log_p), hot)

    def backward(self, dout, ins, out, cache, attrs):
        p, hot = cache
        return [(p - hot) * (dout / batch_rows(ins[0])), None]

    def formula_values(self, ins, out, dout, cache, attrs):
        return {"p": cache[0], "n": np.asarray(float(batch_rows(ins[0])))}


@register
class CrossEntropy(Loss):
    type = "CrossEntropy"
    title = "Cross-entropy"
    symbol = "CE"
    doc = "L = −(1/N) Σ t · log(y + 1e-7), for probabilities y (after a Softmax)"
    forward_formula = "L = −(1/N) Σ t·log(y + ε) = −(1/{n}) Σ {t}·log({y} + 1e-7) = {out}"
    backward_formulas = {"y": "∂L/∂y = −∂L/∂L · t / ((y + ε)·N) = −{dout} × {t} / (({y} + 1e-7)·{n}) = {dy}"}

    def forward(self, ins, attrs):
        y, t = ins
        hot = one_hot_like(t, y)
        loss = -np.sum(hot * np.log(y + CROSS_ENTROPY_EPS)) / batch_rows(y)
        return np.asarray(loss), hot

    def backward(self, dout, ins, out, cache, attrs):
        y = ins[0]
        return [-dout * cache / ((y + CROSS_ENTROPY_EPS) * batch_rows(y)), None]

    def formula_values(self, ins, out, dout, cache, attrs):
        return {"t": cache, "n": np.asarray(float(batch_rows(ins[0])))}


@register
class SquaredError(Loss):
    type = "SquaredError"
    title = "Squared error (½Σ)"
    symbol = "½Σ(t−y)²"
    doc = "L = ½ Σ (t − y)²: the seed's mean_squared_error and Mazur's total error"
    forward_formula = "L = ½ Σ (t − y)² = ½ Σ ({t} − {y})² = {out}"
    backward_formulas = {"y": "∂L/∂y = ∂L/∂L · (y − t) = {dout} × ({y} − {t}) = {dy}"}

    def forward(self, ins, attrs):
        y, t = ins
        diff = y - t
        return np.asarray(0.5 * np.sum(diff * diff)), diff

    def backward(self, dout, ins, out, cache, attrs):
        return [dout * cache, None]


@register
class MeanSquaredError(Loss):
    type = "MeanSquaredError"
    title = "Mean squared error"
    symbol = "MSE"
    doc = "L = (1/n) Σ (y − t)² over all n elements"
    forward_formula = "L = (1/n) Σ (y − t)² = (1/{n}) Σ ({y} − {t})² = {out}"
    backward_formulas = {"y": "∂L/∂y = ∂L/∂L · 2(y − t)/n = {dout} × 2({y} − {t}) / {n} = {dy}"}

    def forward(self, ins, attrs):
        y, t = ins
        diff = y - t
        return np.asarray(np.sum(diff * diff) / diff.size), diff

    def backward(self, dout, ins, out, cache, attrs):
        return [cache * (2.0 * dout / cache.size), None]

    def formula_values(self, ins, out, dout, cache, attrs):
        return {"n": np.asarray(float(cache.size))}
