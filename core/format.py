"""Number, shape and array formatting: the one place every view writes numbers.

The rules:

- a number is rounded to ``digits`` significant digits (8 by default, never fewer than 3) and
  written without trailing zeros, so floating-point noise disappears (``110.00000000000001`` →
  ``110``) while distinct values stay distinct (``0.75136507``); very large or very small
  magnitudes use a short exponent (``1.5e-7``);
- a shape is written ``3×2`` (a vector ``5``, a single number ``scalar``);
- a small array is written out as nested lists: ``[0.75, 0.77]``, ``[[0.4, 0.5], [0.45, 0.55]]``;
- a larger one as its shape and range in brackets: ``[4×2: 0 … 1]``;
- a value a message quotes (:func:`brief`) is cut when long: ``1000000000…0000 (4,000 digits)``.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

NUMBER_DIGITS = 8
ELEMENT_DIGITS = 4
EDGE_DIGITS = 6
MIN_DIGITS = 3  # fewer digits turn 0.000995 into 0.001
SUMMARY_DIGITS = 3  # the range of a summary
SMALL_ARRAY = 8  # arrays with at most this many elements are written out in full


def format_number(x: Any, digits: int = NUMBER_DIGITS) -> str:
    """One number with at most ``digits`` (at least MIN_DIGITS) significant digits and no trailing noise."""
    v = float(x)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Inf" if v > 0 else "-Inf"
    if v == 0.0:
        return "0"
    text = f"{v:.{max(MIN_DIGITS, digits)}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        return f"{mantissa}e{int(exponent)}"
    return text


def format_change(before: float, after: float, digits: int = 7) -> tuple[str, str]:
    """``before`` and ``after`` with ``digits`` significant digits, or more until they read
    differently (0.2983711 and 0.2910278; 0.49999991 and 0.49999989); equal numbers read alike."""
    for d in range(digits, 18):
        a, b = format_number(before, d), format_number(after, d)
        if a != b or before == after:
            return a, b
    return format_number(before, 17), format_number(after, 17)


BRIEF_LIMIT = 24  # characters of a quoted value before it is cut


def brief(value: Any, limit: int = BRIEF_LIMIT) -> str:
    """``repr(value)`` for a message, cut when longer than ``limit``: a long whole number keeps
    its first and last digits and says how many it has, a long text its start."""
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            text = str(value)
        except ValueError:  # past the digits Python converts to text (4,300 by default)
            return f"{'-' if value < 0 else ''}a number of about {int(value.bit_length() * math.log10(2)):,} digits"
        digits = len(text.lstrip("-"))
        if len(text) <= limit:
            return text
        return f"{text[: limit - 8]}…{text[-4:]} ({digits:,} digits)"
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def cut(text: str, limit: int) -> str:
    """``text``, or when longer than ``limit`` its start and its last words around "…" (a message
    that quotes a 100,000-character name from a file stays one readable line)."""
    if len(text) <= limit:
        return text
    tail = limit // 4
    return f"{text[: limit - tail - 1]}…{text[-tail:]}"


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 step``, ``2 steps``; ``many`` for words whose plural is not word + s."""
    return f"{count:,} {word if count == 1 else (many or word + 's')}"


def _as_array(a: Any) -> np.ndarray:
    arr = np.asarray(a)
    if arr.dtype.kind not in "fc":
        arr = arr.astype(float)
    return arr


def format_shape(shape: tuple[int, ...]) -> str:
    """A shape as every view writes it: ``3×2``, ``5`` (a vector), ``scalar`` for ``()``."""
    return "×".join(str(int(n)) for n in shape) if len(shape) else "scalar"


def grid_shape(shape: tuple[int, ...]) -> tuple[int, int]:
    """Rows × columns a table shows an array as: a scalar 1×1, a vector one row, more
    dimensions as rows of the last axis."""
    if not shape:
        return 1, 1
    if len(shape) == 1:
        return 1, int(shape[0])
    return math.prod(int(n) for n in shape[:-1]), int(shape[-1])


def format_nested(a: Any, digits: int) -> str:
    """Every element, as nested lists: ``[[0.4, 0.5], [0.45, 0.55]]`` (a number for a 0-d array)."""
    arr = _as_array(a)
    if arr.ndim == 0:
        return format_number(arr, digits)
    return "[" + ", ".join(format_nested(part, digits) for part in arr) + "]"




SAMPLE_ELEMENTS = 1 << 16  # a summary of a bigger array reads at most this many evenly spaced elements


def sample_steps(shape: tuple[int, ...], limit: int = SAMPLE_ELEMENTS) -> tuple[slice, ...]:
    """Evenly spaced steps along the axes (the first axis first) that keep at most ``limit``
    elements of an array of ``shape``; every step is 1 for an array of at most ``limit``."""
    steps: list[slice] = []
    kept = math.prod(int(n) for n in shape)
    for n in shape:
        step = min(int(n), -(-kept // limit)) if kept > limit and n else 1
        steps.append(slice(None, None, step))
        kept = kept // max(int(n), 1) * -(-int(n) // step)
    return tuple(steps)


def sample(a: Any, limit: int = SAMPLE_ELEMENTS) -> tuple[np.ndarray, bool]:
    """``a`` itself when it has at most ``limit`` elements, else a strided view of evenly spaced
    elements (nothing copied); and whether it is such a sample."""
    arr = np.asarray(a)
    if arr.size <= limit:
        return arr, False
    return arr[sample_steps(arr.shape, limit)], True


def format_range(a: Any, digits: int = ELEMENT_DIGITS, sampled: bool = False) -> str:
    """``min … max`` of the finite elements, with a note when some are NaN or Inf.

    Of an array past SAMPLE_ELEMENTS (or one ``sampled`` already) it is the range of evenly
    spaced elements, marked ``≈``: a view never reads a million-row tensor whole.
    """
    part, cut = sample(a)
    arr = _as_array(part)
    approx = "≈ " if cut or sampled else ""
    if arr.size:
        lo, hi = extremes(arr)  # NaN or Inf anywhere shows here: then the slower path below
        if np.isfinite(lo) and np.isfinite(hi):
            return f"{approx}{format_number(lo, digits)} … {format_number(hi, digits)}"
    finite = arr[np.isfinite(arr)]
    bad = arr.size - finite.size
    note = (", some NaN/Inf" if approx else f", {bad} NaN/Inf") if bad else ""
    if finite.size == 0:
        return f"{approx}all NaN/Inf"
    lo, hi = extremes(finite)
    return f"{approx}{format_number(lo, digits)} … {format_number(hi, digits)}{note}"


def extremes(arr: np.ndarray) -> tuple[Any, Any]:
    """The smallest and largest element: the one place a summary reads an array's elements."""
    return arr.min(), arr.max()


def format_summary(a: Any, digits: int = SUMMARY_DIGITS, shape: tuple[int, ...] | None = None) -> str:
    """An array too large to write out: ``[4×2: 0 … 1]`` (its shape and range).

    With ``shape``, ``a`` is evenly spaced rows of an array of that shape (its range is marked ``≈``).
    """
    arr = np.asarray(a)
    full = arr.shape if shape is None else shape
    if arr.size == 0:
        return f"[{format_shape(full)}: empty]"
    return f"[{format_shape(full)}: {format_range(arr, digits, sampled=shape is not None and full != arr.shape)}]"


def is_small(a: Any, max_elements: int = SMALL_ARRAY) -> bool:
    """True when :func:`format_array` writes the value out in full (no heat strip needed)."""
    arr = np.asarray(a)
    return arr.size <= 1 or (arr.size <= max_elements and arr.ndim <= 2)


def format_array(
    a: Any,
    digits: int = ELEMENT_DIGITS,
    scalar_digits: int = NUMBER_DIGITS,
    max_elements: int = SMALL_ARRAY,
) -> str:
    """A value compactly: size-1 as a number, small arrays in full, larger ones as a summary."""
    arr = _as_array(a)
    if arr.size == 1:
        return format_number(arr.reshape(()), scalar_digits)
    if arr.size > 0 and is_small(arr, max_elements):
        return format_nested(arr, digits)
    return format_summary(arr, min(digits, ELEMENT_DIGITS))


def edge_array(a: Any) -> np.ndarray:
    """What an edge label shows of a value: a batch of one row is that row (the node shows the shape)."""
    arr = _as_array(a)
    return arr[0] if arr.ndim == 2 and arr.shape[0] == 1 else arr


def format_edge_label(a: Any, digits: int = ELEMENT_DIGITS) -> str:
    """The text on a canvas edge: a scalar (6 digits), a small array in full, else a summary."""
    arr = edge_array(a)
    if arr.size == 1:
        return format_number(arr.reshape(()), EDGE_DIGITS)
    if arr.size > 0 and is_small(arr):
        return format_nested(arr, digits)
    return format_summary(arr)
