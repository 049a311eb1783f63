"""Values as Python source that reads back to the very same floats.

``repr`` of a Python float is the shortest text that parses to the same double, so an array
written here and read by NumPy is equal bit for bit to the workbench's.
"""
from __future__ import annotations

from typing import Any

import numpy as np


def number(x: float) -> str:
    """``0.15``, ``100.0``, ``float('inf')`` (text that evaluates to exactly ``x``)."""
    x = float(x)
    if x != x or x in (float("inf"), float("-inf")):
        return f"float({str(x)!r})"
    return repr(x)


def nested(value: Any) -> str:
    """A list of lists of floats as text, for ``np.array(...)`` or ``torch.tensor(...)``."""
    arr = np.asarray(value, dtype=float)
    if arr.ndim == 0:
        return number(float(arr))
    return "[" + ", ".join(nested(row) for row in arr) + "]"


def array(value: Any, wrap: str = "np.array") -> str:
    """A scalar as a plain float, an array as ``np.array([...])`` (``wrap`` names the maker)."""
    arr = np.asarray(value, dtype=float)
    if arr.ndim == 0:
        return number(float(arr))
    return f"{wrap}({nested(arr)})"


def rows(value: Any, wrap: str = "np.array", indent: str = "    ") -> str:
    """Like :func:`array`, one row per line for a matrix with more than one row."""
    arr = np.asarray(value, dtype=float)
    if arr.ndim < 2 or arr.shape[0] <= 1:
        return array(arr, wrap)
    body = (",\n" + indent).join(nested(r) for r in arr)
    return f"{wrap}([\n{indent}{body},\n])"


def tensor(value: Any, indent: str = "    ") -> str:
    """``torch.tensor(...)`` of ``value``, a single number included."""
    if np.ndim(value) == 0:
        return f"torch.tensor({number(float(np.asarray(value)))})"
    return rows(value, "torch.tensor", indent)
