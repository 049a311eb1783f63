"""Leaf nodes: data inputs, constants and parameters. Their value is given, not computed."""
from __future__ import annotations

from typing import Any, Sequence

from core.ops.base import Array, Attrs, AttrSpec, Op, register


class Leaf(Op):
    is_leaf = True

    def forward(self, ins: Sequence[Array], attrs: Attrs) -> tuple[Array, Any]:  # pragma: no cover
        # the engine supplies leaf values
        raise TypeError(f"{self.type} has no forward kernel: its value is given")


@register
class Input(Leaf):
    type = "Input"
    title = "Input"
    family = "data"
    symbol = "x"
    doc = "A column of the dataset, fed one mini-batch (rows) at a time."
    attrs = (AttrSpec("field", str, "x", "the dataset field this input reads"),)


@register
class Constant(Leaf):
    type = "Constant"
    title = "Constant"
    family = "parameters"
    symbol = "c"
    holds_value = True
    doc = "A fixed value; it receives no gradient."


@register
class Parameter(Leaf):
    type = "Parameter"
    title = "Parameter"
    family = "parameters"
    symbol = "w"
    holds_value = True
    start_value = 1.0  # a new weight of 1 passes its input on (0 would hide it: x · 0)
    doc = "A named array that receives a gradient; the update changes it when trainable."
    attrs = (
        AttrSpec("trainable", bool, True, "the update step changes this parameter"),
        AttrSpec("names", str, "", "names of the entries in row order, e.g. 'w1 w3 w2 w4' (empty: W1[0,1])"),
    )
