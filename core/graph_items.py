"""The graph's parts: a node, an edge, a validation finding, the error an edit raises, and the
small helpers on values and messages that :mod:`core.graph` and its readers share.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from core.ops import Op, get_op


class GraphError(ValueError):
    """An edit the graph refuses (a cycle, a missing node, a bad port); the message says why."""


@dataclass
class Node:
    id: str
    op_type: str
    attrs: dict[str, Any] = field(default_factory=dict)
    pos: tuple[float, float] = (0.0, 0.0)
    value: np.ndarray | None = None  # Constant and Parameter only

    @property
    def op(self) -> Op:
        return get_op(self.op_type)

    @property
    def inputs(self) -> tuple[str, ...]:
        return self.op.ports(self.attrs)

    @property
    def is_parameter(self) -> bool:
        return self.op_type == "Parameter"

    @property
    def trainable(self) -> bool:
        return self.is_parameter and bool(self.attrs.get("trainable", True))

    def label(self) -> str:
        return f"{self.id} ({self.op.title_of(self.attrs)})"


@dataclass(frozen=True)
class Edge:
    src: str
    dst: str
    port: str

    def __str__(self) -> str:
        return f"{self.src} → {self.dst}.{self.port}"


@dataclass(frozen=True)
class Problem:
    """One validation finding. ``node`` is the node it concerns, or ``None`` for the graph."""

    node: str | None
    message: str
    kind: str

    def __str__(self) -> str:
        return self.message


# a name, optionally followed by the index of one entry of a matrix: W1, W1[0,1]
ID_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*(\[[0-9]+(,[0-9]+)*\])?$")


def as_value(value: Any) -> np.ndarray:
    return np.array(value, dtype=float, order="C")


def adopt_value(value: Any) -> np.ndarray:
    """``value`` as a row-major float array; such an array is kept as the very same object (no copy).

    Row-major always: the trainer's copies are, and a column-major weight would round differently.
    """
    arr = np.asarray(value, dtype=float)
    return arr if arr.flags.c_contiguous else arr.copy(order="C")


def plural_edges(n: int) -> str:
    return f"{n} edge" if n == 1 else f"{n} edges"


def describe_cycles(cycles: list[list[str]]) -> str:
    """'a cycle through a, b' or 'cycles through a, b; c, d'."""
    listed = "; ".join(", ".join(c) for c in cycles)
    return f"{'a cycle' if len(cycles) == 1 else 'cycles'} through {listed}"
