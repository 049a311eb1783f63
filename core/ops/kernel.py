"""Ops whose kernels write into given arrays.

A :class:`KernelOp` defines its arithmetic once, as bound NumPy calls with ``out=`` arrays
(:meth:`~core.ops.base.Op.bind_forward`, :meth:`~core.ops.base.Op.bind_backward`).
``forward`` and ``backward`` allocate fresh arrays and run those same calls (``backward`` at
each port's full shape; :func:`~core.ops.base.unbroadcast` then runs the reduction a bound
kernel runs), so the stepper (fresh arrays every step) and the trainer (its own buffers,
bound once) compute the same floating-point operations in the same order.

Kernels may choose their calls by the inputs' shapes and memory layout, never by their values.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from core.ops.base import Array, Attrs, Instr, Op, Shape, reduce_into, run


def float_type(*arrays: Array) -> np.dtype:
    return np.result_type(*arrays, np.float64)


def const(value: float, like: Array) -> Array:
    """``value`` as a 0-d array of ``like``'s type: NumPy combines it with an array faster than
    a Python float, and the arithmetic is the same."""
    return np.array(value, float_type(like))


def scratch(buf: Array, shape: tuple[int, ...]) -> tuple[Array, list[Instr]]:
    """Where a kernel writes a gradient of the full ``shape``: ``buf`` itself when the shapes
    agree, else a new array plus the instructions that reduce it into ``buf``."""
    if buf.shape == shape:
        return buf, []
    full = np.empty(shape, buf.dtype)
    return full, reduce_into(full, buf)


class KernelOp(Op):
    """An op defined by its bound kernels; subclasses give ``out_shape`` and the two ``bind_*``."""

    def grad_shape(self, index: int, ins: Sequence[Array], out: Array) -> tuple[int, ...]:
        """The shape ``backward`` returns for port ``index`` (before any broadcast reduction)."""
        return ins[index].shape

    def forward(self, ins: Sequence[Array], attrs: Attrs) -> tuple[Array, Any]:
        out = np.empty(self.out_shape([x.shape for x in ins], attrs), float_type(*ins))
        instrs, cache = self.bind_forward(ins, out, attrs)
        run(instrs)
        return out, cache

    def backward(self, dout: Array, ins: Sequence[Array], out: Array, cache: Any, attrs: Attrs) -> list[Array | None]:
        dout = np.asarray(dout)
        grads: list[Array | None] = [
            None if port in self.no_grad_ports else np.empty(self.grad_shape(i, ins, out), float_type(ins[i], dout))
            for i, port in enumerate(self.inputs)
        ]
        run(self.bind_backward(dout, ins, out, cache, attrs, grads))
        return grads


class ElementwiseOp(KernelOp):
    """Inputs broadcast against each other; a port's full gradient has the output's shape."""

    elementwise = True
    rows = "each"

    def out_shape(self, shapes: Sequence[Shape], attrs: Attrs) -> Shape:
        return np.broadcast_shapes(*shapes)

    def grad_shape(self, index: int, ins: Sequence[Array], out: Array) -> tuple[int, ...]:
        return out.shape
