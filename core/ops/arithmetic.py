"""Element-wise arithmetic and reductions. NumPy broadcasting applies to every binary op."""
from __future__ import annotations

import numpy as np

from .base import AttrSpec, Op, register


@register
class Add(Op):
    type = "Add"
    title = "Add"
    family = "arithmetic"
    symbol = "+"
    doc = "out = x + y"
    inputs = ("x", "y")
    forward_formula = "out = x + y = {x} + {y} = {out}"
    backward_formulas = {
        "x": "∂L/∂x = ∂L/∂out · 1 = {dout} × 1 = {dx}",
        "y": "∂L/∂y = ∂L/∂out · 1 = {dout} × 1 = {dy}",
    }

    def forward(self, ins, attrs):
        return ins[0] + ins[1], None

    def backward(self, dout, ins, out, cache, attrs):
        return [dout, dout]


@register
class Subtract(Op):
    type = "Subtract"
    title = "Subtract"
    family = "arithmetic"
    symbol = "−"
    doc = "out = x − y"
    inputs = ("x", "y")
    forward_formula = "out = x − y = {x} − {y} = {out}"
    backward_formulas = {
        "x": "∂L/∂x = ∂L/∂out · 1 = {dout} × 1 = {dx}",
        "y": "∂L/∂y = ∂L/∂out · (−1) = {dout} × (−1) = {dy}",
    }

    def forward(self, ins, attrs):
        return ins[0] - ins[1], None

    def backward(self, dout, ins, out, cache, attrs):
        return [dout, -dout]


@register
class Multiply(Op):
    type = "Multiply"
    title = "Multiply"
    family = "arithmetic"
    symbol = "×"
    doc = "out = x · y (element-wise)"
    inputs = ("x", "y")
    forward_formula = "out = x · y = {x} × {y} = {out}"
    backward_formulas = {
        "x": "∂L/∂x = ∂L/∂out · y = {dout} × {y} = {dx}",
        "y": "∂L/∂y = ∂L/∂out · x = {dout} × {x} = {dy}",
    }

    def forward(self, ins, attrs):
        return ins[0] * ins[1], None

    def backward(self, dout, ins, out, cache, attrs):
        return [dout * ins[1], dout * ins[0]]


@register
class Divide(Op):
    type = "Divide"
    title = "Divide"
    family = "arithmetic"
    symbol = "÷"
    doc = "out = x / y (element-wise)"
    inputs = ("x", "y")
    forward_formula = "out = x / y = {x} / {y} = {out}"
    backward_formulas = {
        "x": "∂L/∂x = ∂L/∂out · 1/y = {dout} / {y} = {dx}",
        "y": "∂L/∂y = ∂L/∂out · (−x/y²) = {dout} × (−{x} / {y}²) = {dy}",
    }

    def forward(self, ins, attrs):
        return ins[0] / ins[1], None

    def backward(self, dout, ins, out, cache, attrs):
        x, y = ins
        return [dout / y, -dout * x / (y * y)]


def _axis(attrs):
    return attrs.get("axis")


def _expand(dout, x, attrs):
    """Broadcast ``dout`` of a reduction back to the shape of its input."""
    axis = _axis(attrs)
    if axis is not None and not attrs.get("keepdims", False):
        dout = np.expand_dims(dout, axis)
    return np.broadcast_to(dout, x.shape).copy()


_REDUCE_ATTRS = (
    AttrSpec("axis", int, None, "the axis to reduce; empty reduces all", optional=True),
    AttrSpec("keepdims", bool, False, "keep the reduced axis with length 1"),
)


@register
class Sum(Op):
    type = "Sum"
    title = "Sum"
    family = "arithmetic"
    symbol = "Σ"
    doc = "out = Σ x (over one axis or all)"
    inputs = ("x",)
    attrs = _REDUCE_ATTRS
    forward_formula = "out = Σ x = Σ {x} = {out}"
    backward_formulas = {"x": "∂L/∂x = ∂L/∂out · 1 = {dout} × 1 = {dx}"}

    def forward(self, ins, attrs):
        return np.sum(ins[0], axis=_axis(attrs), keepdims=attrs.get("keepdims", False)), None

    def backward(self, dout, ins, out, cache, attrs):
        return [_expand(dout, ins[0], attrs)]


@register
class Mean(Op):
    type = "Mean"
    title = "Mean"
    family = "arithmetic"
    symbol = "μ"
    doc = "out = mean of x (over one axis or all)"
    inputs = ("x",)
    attrs = _REDUCE_ATTRS
    forward_formula = "out = (1/n) Σ x = (1/{n}) Σ {x} = {out}"
    backward_formulas = {"x": "∂L/∂x = ∂L/∂out · 1/n = {dout} / {n} = {dx}"}

    def forward(self, ins, attrs):
        return np.mean(ins[0], axis=_axis(attrs), keepdims=attrs.get("keepdims", False)), None

    def backward(self, dout, ins, out, cache, attrs):
        n = self._count(ins[0], attrs)
        return [_expand(dout, ins[0], attrs) / n]

    @staticmethod
    def _count(x, attrs):
        axis = _axis(attrs)
        return x.size if axis is None else x.shape[axis]

    def formula_values(self, ins, out, dout, cache, attrs):
        return {"n": np.asarray(float(self._count(ins[0], attrs)))}


@register
class Exp(Op):
    type = "Exp"
    title = "Exp"
    family = "arithmetic"
    symbol = "exp"
    doc = "out = exp(x)"
    inputs = ("x",)
    forward_formula = "out = exp(x) = exp({x}) = {out}"
    backward_formulas = {"x": "∂L/∂x = ∂L/∂out · exp(x) = {dout} × {out} = {dx}"}

    def forward(self, ins, attrs):
        return np.exp(ins[0]), None

    def backward(self, dout, ins, out, cache, attrs):
        return [dout * out]


@register
class Log(Op):
    type = "Log"
    title = "Log"
    family = "arithmetic"
    symbol = "log"
    doc = "out = ln(x); NaN where x < 0"
    inputs = ("x",)
    forward_formula = "out = ln(x) = ln({x}) = {out}"
    backward_formulas = {"x": "∂L/∂x = ∂L/∂out · 1/x = {dout} / {x} = {dx}"}

    def forward(self, ins, attrs):
        return np.log(ins[0]), None

    def backward(self, dout, ins, out, cache, attrs):
        return [dout / ins[0]]
