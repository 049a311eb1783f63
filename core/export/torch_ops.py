"""Each op kind as a PyTorch expression, in one table keyed by op name (as :mod:`layers`, and
for the same reason: the words are the export's, the facts stay on the op classes).

A template names the op's ports in braces (``{x} @ {W} + {b}``) and, where the op has them,
its attributes (``{dim}``). PyTorch's autograd computes the gradients.
"""
from __future__ import annotations

from typing import Any, Mapping

BATCH_SIZE = '''\
def batch_size(a):
    """N of a loss's batch mean: the rows of a batch, 1 for a single row."""
    return a.shape[0] if a.dim() >= 2 else 1
'''

ONE_HOT = '''\
def one_hot(t, like):
    """Targets as one-hot rows: class labels become rows of 0 and 1 (one-hot targets stay)."""
    if t.shape == like.shape:
        return t
    return torch.nn.functional.one_hot(t.long(), like.shape[-1]).to(like.dtype)
'''

COLUMNS = '''\
def columns(a):
    """`a` as rows: a number is 1×1, a column of n numbers n×1."""
    return a.reshape(1, 1) if a.dim() == 0 else a.reshape(-1, 1) if a.dim() == 1 else a
'''

EXPRESSIONS: dict[str, str] = {
    "Add": "{x} + {y}",
    "Subtract": "{x} - {y}",
    "Multiply": "{x} * {y}",
    "Divide": "{x} / {y}",
    "Exp": "torch.exp({x})",
    "Log": "torch.log({x})",
    "Sigmoid": "torch.sigmoid({x})",
    "Tanh": "torch.tanh({x})",
    "ReLU": "torch.relu({x})",
    "Softmax": "torch.softmax({x}, dim=-1)",
    "Sum": "torch.sum({x}{dim})",
    "Mean": "torch.mean({x}{dim})",
    "Pick": "{x}[:, {index}] if {x}.shape[0] > 1 else {x}[0, {index}]",
    "Join": "torch.cat([columns({x}), columns({y})], dim=1)",
    "MatMul": "{x} @ {W}",
    "Affine": "{x} @ {W} + {b}",
    "SoftmaxWithLoss": "-torch.sum(one_hot({t}, {x}) * torch.log_softmax({x}, dim=-1)) / batch_size({x})",
    "CrossEntropy": "-torch.sum(one_hot({t}, {y}) * torch.log({y} + 1e-7)) / batch_size({y})",
    "SquaredError": "0.5 * torch.sum(({y} - {t}) * ({y} - {t}))",
    "MeanSquaredError": "torch.mean(({y} - {t}) * ({y} - {t}))",
}


def expression(op_type: str, ports: Mapping[str, str], attrs: Mapping[str, Any]) -> str:
    """The PyTorch expression of one node, its ports named after the values feeding them."""
    dim = ""
    if attrs.get("axis") is not None:
        dim = f", dim={int(attrs['axis'])}" + (", keepdim=True" if attrs.get("keepdims") else "")
    return EXPRESSIONS[op_type].format(**ports, dim=dim, index=int(attrs.get("index", 0)))


def helpers(op_types: list[str]) -> list[str]:
    text = " ".join(EXPRESSIONS[t] for t in op_types)
    calls = ((BATCH_SIZE, "batch_size("), (ONE_HOT, "one_hot("), (COLUMNS, "columns("))
    return [h for h, call in calls if call in text]
