"""Custom-layer classes in the notebook's style, one for each built-in op the notebook has.

A new custom layer starts from one (File's New Custom Layer, or a built-in node made custom).
The text is the NumPy-script export's class of the same op (:mod:`core.notebook_layers`, the one
source of both), with the helper functions it calls written before it, so each template gives
the built-in op's numbers (tests compare them). Where the notebook's own class differs from the
mathematics (the in-place ``Relu.backward``, the ``le-7`` and missing minus of its
cross-entropy), the table follows the mathematics.
"""
from __future__ import annotations

from core.notebook_layers import LAYERS

# the built-in ops the notebook has a class for, in the notebook's order
NOTEBOOK_OPS = ("Multiply", "Add", "Affine", "ReLU", "Sigmoid", "SoftmaxWithLoss", "SquaredError")


def template(op_type: str) -> str:
    """The class of ``op_type`` as a custom layer's code: its helper functions, then the class.

    The plain form: a custom layer's gradients are summed back to its inputs' shapes by the
    workbench, so the class need not do it."""
    layer = LAYERS[op_type]
    return "\n\n".join([*layer.helpers(True), layer.source_for(True)])


# built-in op type → the class that computes the same numbers
TEMPLATES: dict[str, str] = {op_type: template(op_type) for op_type in NOTEBOOK_OPS}

MUL = TEMPLATES["Multiply"]
ADD = TEMPLATES["Add"]
AFFINE = TEMPLATES["Affine"]
RELU = TEMPLATES["ReLU"]
SIGMOID = TEMPLATES["Sigmoid"]
SOFTMAX_WITH_LOSS = TEMPLATES["SoftmaxWithLoss"]
MSE_WITH_LOSS = TEMPLATES["SquaredError"]
