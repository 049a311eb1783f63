"""Checks for reading JSON documents: each returns the value in the expected type or raises
:class:`Bad` naming the place (a JSON path such as ``nodes[3].op``) and what was found."""
from __future__ import annotations

import json
import math
import re
from typing import Any, Iterable, Iterator

import numpy as np

from core.format import format_shape

MAX_DIMS = 32  # deepest nesting of lists a value may have
SURROGATE = re.compile("[\ud800-\udfff]")  # in parsed text, a surrogate is always a lone one


class Bad(Exception):
    """Raised while reading: the place and the reason, before the source is known."""

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(where, reason)
        self.where, self.reason = where, reason



def kind(obj: Any) -> str:
    if obj is None:
        return "null"
    if isinstance(obj, bool):
        return f"a boolean ({'true' if obj else 'false'})"
    if isinstance(obj, (int, float)):
        text = json.dumps(obj)
        return f"a number ({text if len(text) < 30 else text[:27] + '...'})"
    if isinstance(obj, str):
        return f"text ({obj if len(obj) < 30 else obj[:27] + '...'!r})" if obj else "empty text"
    if isinstance(obj, list):
        return f"a list of {len(obj)}"
    if isinstance(obj, dict):
        return "an object"
    return type(obj).__name__


def wrong(obj: Any, where: str, expected: str) -> Bad:
    return Bad(where, f"expected {expected}, found {kind(obj)}")


def want_object(obj: Any, where: str) -> dict[str, Any]:
    if not isinstance(obj, dict):
        raise wrong(obj, where, "an object")
    return obj


def want_list(obj: Any, where: str) -> list[Any]:
    if not isinstance(obj, list):
        raise wrong(obj, where, "a list")
    return obj


def objects(raw: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each entry of the list ``raw`` (at ``where``), checked to be an object, with its place
    (``where[i]``), in order."""
    for i, item in enumerate(want_list(raw, where)):
        place = f"{where}[{i}]"
        yield place, want_object(item, place)


def want_str(obj: Any, where: str) -> str:
    if not isinstance(obj, str):
        raise wrong(obj, where, "text")
    return obj


def want_bool(obj: Any, where: str) -> bool:
    if not isinstance(obj, bool):
        raise wrong(obj, where, "true or false")
    return obj


def want_int(obj: Any, where: str) -> int:
    if isinstance(obj, bool) or not isinstance(obj, int):
        raise wrong(obj, where, "a whole number")
    return obj


def want_number(obj: Any, where: str) -> float:
    if isinstance(obj, bool) or not isinstance(obj, (int, float)):
        raise wrong(obj, where, "a number")
    try:
        return float(obj)
    except OverflowError:
        raise Bad(where, "the number is too large") from None


def want_finite(obj: Any, where: str) -> float:
    value = want_number(obj, where)
    if not math.isfinite(value):
        raise Bad(where, f"expected a finite number, found {kind(obj)}")
    return value


def fields(obj: dict[str, Any], where: str, required: Iterable[str], allowed: Iterable[str]) -> None:
    """Raise for the first missing required field, then (when ``allowed`` is given) an unknown one."""
    for name in required:
        if name not in obj:
            raise Bad(where, f"missing field {name!r}")
    allowed = tuple(allowed)
    if allowed:
        for name in obj:
            if name not in allowed:
                raise Bad(where, f"unknown field {name!r} (fields: {', '.join(allowed)})")


def key_path(where: str, key: str) -> str:
    simple = key.isidentifier()
    if simple and not where:
        return key
    return f"{where}.{key}" if simple else f"{where}[{json.dumps(key, ensure_ascii=False)}]"


def want_array(obj: Any, where: str) -> np.ndarray:
    """A number or a rectangular nested list of numbers, as a float array."""
    value_shape(obj, where, 0)
    try:
        return np.array(obj, dtype=float)
    except (OverflowError, ValueError):
        raise Bad(where, "a number is too large") from None


def value_shape(obj: Any, where: str, depth: int) -> tuple[int, ...]:
    if not isinstance(obj, list):
        want_number(obj, where)
        return ()
    if depth >= MAX_DIMS:
        raise Bad(where, f"lists nested deeper than {MAX_DIMS} levels")
    if not obj:
        return (0,)
    if all(type(v) in (int, float) for v in obj):
        return (len(obj),)
    first = value_shape(obj[0], f"{where}[0]", depth + 1)
    for i in range(1, len(obj)):
        shape = value_shape(obj[i], f"{where}[{i}]", depth + 1)
        if shape != first:
            raise Bad(f"{where}[{i}]", f"ragged: this is {describe(shape)} but {where}[0] is {describe(first)}")
    return (len(obj),) + first


def describe(shape: tuple[int, ...]) -> str:
    if not shape:
        return "a number"
    if len(shape) == 1:
        return f"a list of {shape[0]}"
    return f"a {format_shape(shape)} nested list"


def no_lone_surrogates(obj: Any, where: str = "") -> None:
    """Raise for the first text (a value or a key) holding a lone UTF-16 surrogate such as
    ``"\\ud800"``: JSON can escape one, but no UTF-8 file can hold it, so it could never be saved."""
    stack: list[tuple[Any, str]] = [(obj, where)]
    while stack:
        item, place = stack.pop()
        if isinstance(item, str):
            _refuse_surrogate(item, place, "text")
        elif isinstance(item, dict):
            for key, value in reversed(list(item.items())):
                _refuse_surrogate(key, place, "a key")
                stack.append((value, key_path(place, key)))
        elif isinstance(item, list):
            stack.extend((value, f"{place}[{i}]") for i, value in reversed(list(enumerate(item))))


def _refuse_surrogate(text: str, where: str, what: str) -> None:
    found = SURROGATE.search(text)
    if found is not None:
        raise Bad(where, f"{what} holds a lone surrogate ({ascii(found.group())[1:-1]}) at character "
                  f"{found.start()}: UTF-8 cannot store it, so the file could not be saved; remove it")
