"""Counting the gradient check's objective evaluations (shared by the gradient-check benchmarks)."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import core.gradcheck as gradcheck


@contextmanager
def counted_evaluations() -> Iterator[list[int]]:
    """Inside: every objective evaluation of a check adds 1 to the yielded list's one item."""
    count = [0]
    original = gradcheck._Run.loss_with

    def counted(self: gradcheck._Run, node: str, value: object) -> float:
        count[0] += 1
        return original(self, node, value)  # type: ignore[arg-type]

    gradcheck._Run.loss_with = counted  # type: ignore[method-assign]
    try:
        yield count
    finally:
        gradcheck._Run.loss_with = original  # type: ignore[method-assign]
