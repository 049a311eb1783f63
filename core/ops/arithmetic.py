"""Element-wise arithmetic and reductions. NumPy broadcasting applies to every binary op."""
from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np

from core.format import brief
from core.ops.base import Array, Attrs, AttrSpec, Instr, Op, Shape, reduce_into, register
from core.ops.kernel import ElementwiseOp, scratch


@register
class Add(ElementwiseOp):
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

    def bind_forward(self, ins: Sequence[Array], out: Array, attrs: Attrs) -> tuple[list[Instr], Any]:
        return [(np.add, (ins[0], ins[1], out))], None

    def bind_backward(
        self, dout: Array, ins: Sequence[Array], out: Array, cache: Any, attrs: Attrs, grads: Sequence[Array | None]
    ) -> list[Instr]:
        return [i for g in grads if g is not None for i in reduce_into(dout, g)]


@register
class Subtract(ElementwiseOp):
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

    def bind_forward(self, ins: Sequence[Array], out: Array, attrs: Attrs) -> tuple[list[Instr], Any]:
        return [(np.subtract, (ins[0], ins[1], out))], None

    def bind_backward(
        self, dout: Array, ins: Sequence[Array], out: Array, cache: Any, attrs: Attrs, grads: Sequence[Array | None]
    ) -> list[Instr]:
        dx, dy = grads
        instrs = [] if dx is None else reduce_into(dout, dx)
        if dy is not None:
            full, post = scratch(dy, dout.shape)
            instrs += [(np.negative, (dout, full)), *post]
        return instrs


@register
class Multiply(ElementwiseOp):
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

    def bind_forward(self, ins: Sequence[Array], out: Array, attrs: Attrs) -> tuple[list[Instr], Any]:
        return [(np.multiply, (ins[0], ins[1], out))], None

    def bind_backward(
        self, dout: Array, ins: Sequence[Array], out: Array, cache: Any, attrs: Attrs, grads: Sequence[Array | None]
    ) -> list[Instr]:
        instrs: list[Instr] = []
        for g, other in zip(grads, (ins[1], ins[0])):
            if g is not None:
                full, post = scratch(g, dout.shape)
                instrs += [(np.multiply, (dout, other, full)), *post]
        return instrs


@register
class Divide(ElementwiseOp):
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

    def bind_forward(self, ins: Sequence[Array], out: Array, attrs: Attrs) -> tuple[list[Instr], Any]:
        return [(np.divide, (ins[0], ins[1], out))], None

    def bind_backward(
        self, dout: Array, ins: Sequence[Array], out: Array, cache: Any, attrs: Attrs, grads: Sequence[Array | None]
    ) -> list[Instr]:
        (x, y), (dx, dy) = ins, grads
        instrs: list[Instr] = []
        if dx is not None:
            full, post = scratch(dx, dout.shape)
            instrs += [(np.divide, (dout, y, full)), *post]
        if dy is not None:
            full, post = scratch(dy, dout.shape)
            yy = np.empty(y.shape, full.dtype)
            instrs += [(np.negative, (dout, full)), (np.multiply, (full, x, full)), (np.multiply, (y, y, yy)),
                       (np.divide, (full, yy, full)), *post]
        return instrs


_REDUCE_ATTRS = (
    AttrSpec("axis", int, None, "the axis to reduce; empty reduces all", optional=True),
    AttrSpec("keepdims", bool, False, "keep the reduced axis with length 1"),
)


def _axis(attrs: Attrs) -> int | None:
    axis: int | None = attrs.get("axis")
    return axis


class Reduction(Op):
    """Sum or mean over one axis (``axis``) or over all of them (``axis`` empty)."""

    inputs = ("x",)
    attrs = _REDUCE_ATTRS
    rows = "axis"

    def out_shape(self, shapes: Sequence[Shape], attrs: Attrs) -> Shape:
        shape, axis, keep = tuple(shapes[0]), _axis(attrs), bool(attrs.get("keepdims", False))
        if axis is None:
            return (1,) * len(shape) if keep else ()
        if not -len(shape) <= axis < len(shape):
            raise ValueError(f"axis {brief(axis)} is out of bounds for an input of {len(shape)} axes")
        axis %= len(shape)
        return shape[:axis] + ((1,) if keep else ()) + shape[axis + 1 :]


def _expand(dout: Array, x: Array, attrs: Attrs) -> Array:
    """Broadcast ``dout`` of a reduction back to the shape of its input."""
    axis = _axis(attrs)
    if axis is not None and not attrs.get("keepdims", False):
        dout = np.expand_dims(dout, axis)
    return np.broadcast_to(dout, x.shape).copy()


@register
class Sum(Reduction):
    type = "Sum"
    title = "Sum"
    family = "arithmetic"
    symbol = "Σ"
    doc = "out = Σ x (over one axis or all)"
    forward_formula = "out = Σ x = Σ {x} = {out}"
    backward_formulas = {"x": "∂L/∂x = ∂L/∂out · 1 = {dout} × 1 = {dx}"}

    def forward(self, ins: Sequence[Array], attrs: Attrs) -> tuple[Array, Any]:
        return np.asarray(np.sum(ins[0], axis=_axis(attrs), keepdims=attrs.get("keepdims", False))), None

    def backward(
        self, dout: Array, ins: Sequence[Array], out: Array, cache: Any, attrs: Attrs
    ) -> list[Array | None]:
        return [_expand(dout, ins[0], attrs)]

    def divisor(self, shapes: Sequence[Shape], attrs: Attrs) -> int | None:
        return 1 if _axis(attrs) is None else None


@register
class Mean(Reduction):
    type = "Mean"
    title = "Mean"
    family = "arithmetic"
    symbol = "μ"
    doc = "out = mean of x (over one axis or all)"
    forward_formula = "out = (1/n) Σ x = (1/{n}) Σ {x} = {out}"
    backward_formulas = {"x": "∂L/∂x = ∂L/∂out · 1/n = {dout} / {n} = {dx}"}

    def forward(self, ins: Sequence[Array], attrs: Attrs) -> tuple[Array, Any]:
        return np.asarray(np.mean(ins[0], axis=_axis(attrs), keepdims=attrs.get("keepdims", False))), None

    def backward(
        self, dout: Array, ins: Sequence[Array], out: Array, cache: Any, attrs: Attrs
    ) -> list[Array | None]:
        n = self._count(ins[0], attrs)
        return [_expand(dout, ins[0], attrs) / n]

    def divisor(self, shapes: Sequence[Shape], attrs: Attrs) -> int | None:
        return math.prod(shapes[0]) if _axis(attrs) is None else None

    @staticmethod
    def _count(x: Array, attrs: Attrs) -> int:
        axis = _axis(attrs)
        return x.size if axis is None else int(x.shape[axis])

    def formula_values(
        self, ins: Sequence[Array], out: Array, dout: Array | None, cache: Any, attrs: Attrs
    ) -> dict[str, Array]:
        return {"n": np.asarray(float(self._count(ins[0], attrs)))}


@register
class Exp(ElementwiseOp):
    type = "Exp"
    title = "Exp"
    family = "arithmetic"
    symbol = "exp"
    doc = "out = exp(x)"
    inputs = ("x",)
    forward_formula = "out = exp(x) = exp({x}) = {out}"
    backward_formulas = {"x": "∂L/∂x = ∂L/∂out · exp(x) = {dout} × {out} = {dx}"}

    def bind_forward(self, ins: Sequence[Array], out: Array, attrs: Attrs) -> tuple[list[Instr], Any]:
        return [(np.exp, (ins[0], out))], None

    def bind_backward(
        self, dout: Array, ins: Sequence[Array], out: Array, cache: Any, attrs: Attrs, grads: Sequence[Array | None]
    ) -> list[Instr]:
        return [] if grads[0] is None else [(np.multiply, (dout, out, grads[0]))]


@register
class Log(ElementwiseOp):
    type = "Log"
    title = "Log"
    family = "arithmetic"
    symbol = "log"
    doc = "out = ln(x); NaN where x < 0"
    inputs = ("x",)
    forward_formula = "out = ln(x) = ln({x}) = {out}"
    backward_formulas = {"x": "∂L/∂x = ∂L/∂out · 1/x = {dout} / {x} = {dx}"}

    def bind_forward(self, ins: Sequence[Array], out: Array, attrs: Attrs) -> tuple[list[Instr], Any]:
        return [(np.log, (ins[0], out))], None

    def bind_backward(
        self, dout: Array, ins: Sequence[Array], out: Array, cache: Any, attrs: Attrs, grads: Sequence[Array | None]
    ) -> list[Instr]:
        return [] if grads[0] is None else [(np.divide, (dout, ins[0], grads[0]))]
