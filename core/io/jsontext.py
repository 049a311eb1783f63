"""JSON text that reads well in a diff: short objects and rows of numbers on one line,
floats in their shortest form that reads back to the same bits.

The text is made a piece at a time (:func:`chunks`), so a big document is written without ever
holding its whole text, and arrays (``np.ndarray`` values in the object) are turned into numbers a
few rows at a time: no single call (a ``tolist`` of a big array, a join of the whole text, its
encoding) holds the interpreter lock for long, and no list of lists the size of the data is built
for the GUI thread's collector to walk. A save on a worker thread so leaves the window its turns,
and can be stopped between two chunks (its ``progress`` returns False: :class:`WriteCancelled`).
"""
from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import numpy.typing as npt

from core.io.atomic import WriteCancelled

WIDTH = 100  # an object or list goes on one line when it fits in this many columns
CHUNK = 16_384  # numbers turned into a list at a time (see :func:`as_lists`)
CHUNK_BYTES = 1 << 18  # about this many bytes of text at a time (see :func:`chunks`)
FITS = WIDTH // 2  # an array of more numbers never fits on one line (a number and ", " take 3 columns)
Progress = Callable[[int, int], bool]  # (numbers written, numbers in all): False stops the writing


class _Tally:
    """How many numbers of the document's big arrays have been turned into text (see :func:`numbers_in`)."""

    def __init__(self) -> None:
        self.done = 0


def to_text(obj: Any) -> str:
    """``obj`` (dicts, lists, arrays, numbers, text) as indented JSON text ending in a newline."""
    return "".join(_emit(obj, "", "", "", _Tally()))


def chunks(obj: Any, progress: Progress | None = None, size: int | None = None) -> Iterator[bytes]:
    """:func:`to_text`'s text encoded as UTF-8, about ``size`` bytes (:data:`CHUNK_BYTES`) at a
    time. Before each chunk ``progress(done, total)`` is told how many of the numbers of ``obj``'s
    arrays are made (:func:`numbers_in`); when it returns False, :class:`WriteCancelled` is raised
    (``write_atomic`` then keeps the old file)."""
    size = CHUNK_BYTES if size is None else size
    tally, total = _Tally(), numbers_in(obj)
    pieces: list[str] = []
    length = 0
    for piece in _emit(obj, "", "", "", tally):
        pieces.append(piece)
        length += len(piece)
        if length >= size:
            yield _chunk(pieces, tally, total, progress)
            pieces, length = [], 0
    if pieces:
        yield _chunk(pieces, tally, total, progress)


def _chunk(pieces: list[str], tally: _Tally, total: int, progress: Progress | None) -> bytes:
    if progress is not None and not progress(tally.done, total):
        raise WriteCancelled()
    return "".join(pieces).encode("utf-8")


def numbers_in(obj: Any) -> int:
    """How many numbers the arrays (``np.ndarray``) among ``obj``'s values hold, counting those
    of more than :data:`FITS` numbers (the ones written in pieces: all the work in a big document)."""
    if isinstance(obj, np.ndarray):
        return int(obj.size) if obj.size > FITS else 0
    if isinstance(obj, dict):
        return sum(numbers_in(v) for v in obj.values())
    if isinstance(obj, list):
        return sum(numbers_in(v) for v in obj)
    return 0


def plain(obj: Any) -> Any:
    """``obj`` with its arrays turned into nested lists (:func:`as_lists`)."""
    if isinstance(obj, np.ndarray):
        return as_lists(obj)
    if isinstance(obj, dict):
        return {k: plain(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [plain(v) for v in obj]
    return obj


def _emit(obj: Any, indent: str, head: str, tail: str, tally: _Tally) -> Iterator[str]:
    """The lines of ``obj`` (each ending in a newline; a long row in several pieces): ``head``
    before it on its first line, ``tail`` after it."""
    if isinstance(obj, np.ndarray):
        if obj.size > FITS:
            yield from _emit_array(obj, indent, head, tail, tally)
            return
        obj = obj.tolist()
    flat_row = isinstance(obj, list) and not any(isinstance(v, (list, dict, np.ndarray)) for v in obj)
    if not isinstance(obj, (dict, list)) or flat_row:
        flat: str | None = _flat(obj)  # a scalar or a row of numbers: always one line
    else:
        flat = _flat_within(obj, WIDTH - len(indent) - len(head) - len(tail))
    if flat is not None:
        yield f"{indent}{head}{flat}{tail}\n"
        return
    inner = indent + "  "
    if isinstance(obj, dict):
        yield f"{indent}{head}{{\n"
        items = list(obj.items())
        for i, (key, value) in enumerate(items):
            yield from _emit(value, inner, f"{_text(key)}: ", "," if i < len(items) - 1 else "", tally)
        yield f"{indent}}}{tail}\n"
    else:
        yield f"{indent}{head}[\n"
        for i, value in enumerate(obj):
            yield from _emit(value, inner, "", "," if i < len(obj) - 1 else "", tally)
        yield f"{indent}]{tail}\n"


def _emit_array(array: npt.NDArray[Any], indent: str, head: str, tail: str, tally: _Tally) -> Iterator[str]:
    """An array of more than :data:`FITS` numbers, as :func:`_emit` writes its nested lists, turned
    into numbers about :data:`CHUNK` at a time."""
    if array.ndim == 1:  # a row of numbers: one line, made in pieces
        yield f"{indent}{head}["
        for start in range(0, array.shape[0], CHUNK):
            part = array[start:start + CHUNK].tolist()
            yield (", " if start else "") + ", ".join(map(_flat, part))
            tally.done += len(part)
        yield f"]{tail}\n"
        return
    yield f"{indent}{head}[\n"
    inner, last = indent + "  ", array.shape[0] - 1
    row_size = array.size // array.shape[0]
    if row_size > FITS:
        for i in range(array.shape[0]):
            yield from _emit_array(array[i], inner, "", "," if i < last else "", tally)
    elif array.ndim == 2:  # rows of numbers, one line each: from one flat list (no list per row kept)
        rows = max(1, CHUNK // row_size)
        for start in range(0, array.shape[0], rows):
            numbers = array[start:start + rows].ravel().tolist()
            for k in range(0, len(numbers), row_size):
                comma = "," if start + k // row_size < last else ""
                yield f"{inner}[{', '.join(map(_flat, numbers[k:k + row_size]))}]{comma}\n"
            tally.done += len(numbers)
    else:
        rows = max(1, CHUNK // row_size)
        for start in range(0, array.shape[0], rows):
            for i, row in enumerate(array[start:start + rows].tolist(), start):
                yield from _emit(row, inner, "", "," if i < last else "", tally)
            tally.done += min(rows, array.shape[0] - start) * row_size
    yield f"{indent}]{tail}\n"


def _flat_within(obj: Any, budget: int) -> str | None:
    """``obj`` on one line if that takes at most ``budget`` characters, else ``None`` (found early)."""
    if isinstance(obj, np.ndarray):
        return None if obj.size > FITS else _flat_within(obj.tolist(), budget)
    if not isinstance(obj, (dict, list)):
        text = _flat(obj)
        return text if len(text) <= budget else None
    parts: list[str] = []
    used = 2  # the brackets
    for key, value in obj.items() if isinstance(obj, dict) else enumerate(obj):
        prefix = f"{_text(str(key))}: " if isinstance(obj, dict) else ""
        used += len(prefix) + (2 if parts else 0)
        part = _flat_within(value, budget - used)
        if part is None:
            return None
        parts.append(prefix + part)
        used += len(part)
    return ("{" if isinstance(obj, dict) else "[") + ", ".join(parts) + ("}" if isinstance(obj, dict) else "]")


def _flat(obj: Any) -> str:
    if isinstance(obj, float):  # the most common by far: first
        return _number_text(obj)
    if isinstance(obj, dict):
        return "{" + ", ".join(f"{_text(k)}: {_flat(v)}" for k, v in obj.items()) + "}"
    if isinstance(obj, list):
        return "[" + ", ".join(_flat(v) for v in obj) + "]"
    if obj is None:
        return "null"
    if isinstance(obj, bool):
        return "true" if obj else "false"
    if isinstance(obj, int):
        return _number_text(obj)
    return _text(str(obj))


def _text(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _number_text(x: int | float) -> str:
    """Shortest text that reads back to the same bits; whole floats without '.0'."""
    if isinstance(x, int):
        return str(x)
    if not math.isfinite(x):
        return json.dumps(x)
    if x.is_integer() and abs(x) < 1e15 and math.copysign(1.0, x) > 0:
        return str(int(x))
    return repr(x)


def as_lists(array: npt.NDArray[Any]) -> Any:
    """``array.tolist()`` a few rows at a time: one ``tolist`` of a big array holds the interpreter
    lock throughout (200 ms for 440,000 numbers on a busy machine)."""
    if array.ndim == 0 or array.size <= CHUNK:
        return array.tolist()
    rows = max(1, CHUNK // max(1, array.size // array.shape[0]))
    out: list[Any] = []
    for start in range(0, array.shape[0], rows):
        out.extend(array[start:start + rows].tolist())
    return out
