"""JSON text that reads well in a diff: short objects and rows of numbers on one line,
floats in their shortest form that reads back to the same bits."""
from __future__ import annotations

import json
import math
from typing import Any

import numpy.typing as npt

WIDTH = 100  # an object or list goes on one line when it fits in this many columns


def to_text(obj: Any) -> str:
    """``obj`` (dicts, lists, numbers, text) as indented JSON text ending in a newline."""
    lines: list[str] = []
    _emit(obj, "", lines, "")
    return "\n".join(lines) + "\n"


def _emit(obj: Any, indent: str, lines: list[str], head: str, tail: str = "") -> None:
    """Append ``obj`` to ``lines``: ``head`` before it on its first line, ``tail`` after it."""
    flat_row = isinstance(obj, list) and not any(isinstance(v, (list, dict)) for v in obj)
    if not isinstance(obj, (dict, list)) or flat_row:
        flat: str | None = _flat(obj)  # a scalar or a row of numbers: always one line
    else:
        flat = _flat_within(obj, WIDTH - len(indent) - len(head) - len(tail))
    if flat is not None:
        lines.append(f"{indent}{head}{flat}{tail}")
        return
    inner = indent + "  "
    if isinstance(obj, dict):
        lines.append(f"{indent}{head}{{")
        items = list(obj.items())
        for i, (key, value) in enumerate(items):
            _emit(value, inner, lines, f"{_text(key)}: ", "," if i < len(items) - 1 else "")
        lines.append(f"{indent}}}{tail}")
    else:
        lines.append(f"{indent}{head}[")
        for i, value in enumerate(obj):
            _emit(value, inner, lines, "", "," if i < len(obj) - 1 else "")
        lines.append(f"{indent}]{tail}")


def _flat_within(obj: Any, budget: int) -> str | None:
    """``obj`` on one line if that takes at most ``budget`` characters, else ``None`` (found early)."""
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
    if isinstance(obj, dict):
        return "{" + ", ".join(f"{_text(k)}: {_flat(v)}" for k, v in obj.items()) + "}"
    if isinstance(obj, list):
        return "[" + ", ".join(_flat(v) for v in obj) + "]"
    if obj is None:
        return "null"
    if isinstance(obj, bool):
        return "true" if obj else "false"
    if isinstance(obj, (int, float)):
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


CHUNK = 16_384  # numbers turned into a list at a time (see :func:`as_lists`)


def as_lists(array: npt.NDArray[Any]) -> Any:
    """``array.tolist()`` a few rows at a time: one ``tolist`` of a big array holds the interpreter
    lock throughout (200 ms for 440,000 numbers on a busy machine), so a save written on a worker
    thread would stall the GUI thread that long; between chunks the GUI thread gets its turn."""
    if array.ndim == 0 or array.size <= CHUNK:
        return array.tolist()
    rows = max(1, CHUNK // max(1, array.size // array.shape[0]))
    out: list[Any] = []
    for start in range(0, array.shape[0], rows):
        out.extend(array[start:start + rows].tolist())
    return out
