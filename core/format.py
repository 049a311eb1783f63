"""Number formatting for the debugger: scalars as in the book's figures, arrays compactly.

The rule: a number is rounded to ``digits`` significant digits (8 by default) and written
without trailing zeros, so floating-point noise disappears (``110.00000000000001`` → ``110``,
``3.3000000000000003`` → ``3.3``) while distinct values in the examples stay distinct
(``0.75136507``). Very large or very small magnitudes use a short exponent (``1.5e-7``).
Array elements use fewer digits (4) so a small vector fits on an edge.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

NUMBER_DIGITS = 8
ELEMENT_DIGITS = 4
EDGE_DIGITS = 6
SMALL_ARRAY = 6  # arrays with at most this many elements are written out in full


def format_number(x: Any, digits: int = NUMBER_DIGITS) -> str:
    """One number with at most ``digits`` significant digits and no trailing noise."""
    v = float(x)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Inf" if v > 0 else "-Inf"
    if v == 0.0:
        return "0"
    text = f"{v:.{max(1, digits)}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        return f"{mantissa}e{int(exponent)}"
    return text


def _as_array(a: Any) -> np.ndarray:
    arr = np.asarray(a)
    if arr.dtype.kind not in "fc":
        arr = arr.astype(float)
    return arr


def _nested(arr: np.ndarray, digits: int) -> str:
    if arr.ndim == 1:
        return "[" + ", ".join(format_number(v, digits) for v in arr) + "]"
    return "[" + ", ".join(_nested(row, digits) for row in arr) + "]"


def format_shape(shape: tuple[int, ...]) -> str:
    """A shape as Python writes it: ``(128, 256)``, ``(5,)``."""
    return str(tuple(int(n) for n in shape))


def format_dims(shape: tuple[int, ...]) -> str:
    """A shape as a caption writes it: ``3×2``, ``4``; ``scalar`` for ``()``."""
    return "×".join(str(int(n)) for n in shape) if len(shape) else "scalar"


def format_rows(a: Any, digits: int) -> str:
    """A small array in the editor's compact style: ``[a b; c d]`` (a vector is one row)."""
    arr = _as_array(a)
    rows = arr.reshape(-1, arr.shape[-1]) if arr.ndim > 1 else arr.reshape(1, -1)
    return "[" + "; ".join(" ".join(format_number(x, digits) for x in row) for row in rows) + "]"


def format_range(a: Any, digits: int = ELEMENT_DIGITS) -> str:
    """``min … max`` of the finite elements, with a note when some are NaN or Inf."""
    arr = _as_array(a)
    finite = arr[np.isfinite(arr)]
    bad = arr.size - finite.size
    note = f", {bad} NaN/Inf" if bad else ""
    if finite.size == 0:
        return "all NaN/Inf"
    return f"{format_number(finite.min(), digits)} … {format_number(finite.max(), digits)}{note}"


def format_array(
    a: Any,
    digits: int = ELEMENT_DIGITS,
    scalar_digits: int = NUMBER_DIGITS,
    max_elements: int = SMALL_ARRAY,
) -> str:
    """A value compactly: size-1 as a number, small arrays in full, larger ones as shape and range."""
    arr = _as_array(a)
    if arr.size == 1:
        return format_number(arr.reshape(()), scalar_digits)
    if arr.size == 0:
        return f"empty {format_shape(arr.shape)}"
    if arr.size <= max_elements and arr.ndim <= 2:
        return _nested(arr, digits)
    return f"{format_shape(arr.shape)} {format_range(arr, digits)}"


def is_small(a: Any, max_elements: int = SMALL_ARRAY) -> bool:
    """True when :func:`format_array` writes the value out in full (no heat strip needed)."""
    arr = np.asarray(a)
    return arr.size <= 1 or (arr.size <= max_elements and arr.ndim <= 2)


def format_edge_label(a: Any) -> str:
    """The text on a canvas edge: a scalar (6 digits), a small array, or just the shape.

    A batch of one row is written as that row (the node shows the full shape).
    """
    arr = _as_array(a)
    if arr.ndim == 2 and arr.shape[0] == 1:
        arr = arr[0]
    if arr.size == 1:
        return format_number(arr.reshape(()), EDGE_DIGITS)
    if is_small(arr):
        return _nested(arr, ELEMENT_DIGITS)
    return format_shape(arr.shape)
