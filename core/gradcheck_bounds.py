"""How much of a big batch the gradient check looks at, and the words that say so.

A finite-difference check verifies the derivative a kernel implements; every row of a batch goes
through the same kernels, so a wrong derivative shows on a few hundred rows as surely as on a
million. The check's cost grows with rows twice over: each row adds elements to every node's
output (each one moved and the objective evaluated again), and each evaluation runs the nodes
after it on every row. So by default:

- rows: the first :data:`MAX_ROWS` rows of the batch of update 0 (256: above the largest batch a
  shipped example checks, spirals' 200 rows, so their results do not change; a 2-32-32-2 network
  is checked in seconds at that size, where a 1,000,000-row batch held gigabytes and ran for
  hours). A graph whose leaves are sized to the whole batch (a Constant with a row per row)
  cannot run on fewer rows; it is checked on the whole batch.
- elements: at most :data:`MAX_ELEMENTS` of each entry (8,192: above the largest entry of a
  shipped example, spirals' 200 × 32 node outputs), a seeded sample without repeats, the same
  at every run. Elements beyond are not moved: their numerical derivative is NaN and they are
  not counted as "not checkable".

:data:`EVERY` asks for everything (the command line's ``--all``).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.format import plural

MAX_ROWS = 256
MAX_ELEMENTS = 8192
SAMPLE_SEED = 0


@dataclass(frozen=True)
class Bounds:
    """The most rows of the batch and elements of one entry a check moves (None: all)."""

    rows: int | None = MAX_ROWS
    elements: int | None = MAX_ELEMENTS

    def __post_init__(self) -> None:
        for name, value in (("rows", self.rows), ("elements", self.elements)):
            if value is not None and value < 1:
                raise ValueError(f"the check's {name} bound must be at least 1, not {value!r}")


DEFAULT = Bounds()
EVERY = Bounds(None, None)


def first_rows(rows: np.ndarray | None, batch_rows: int, limit: int | None) -> np.ndarray | None:
    """The batch's first ``limit`` rows (``rows``: the batch's indices, None for every row in
    order); ``rows`` itself when the batch is no larger."""
    if limit is None or batch_rows <= limit:
        return rows
    return np.arange(limit) if rows is None else rows[:limit]


def sample(size: int, limit: int | None) -> np.ndarray | None:
    """The flat indices, in increasing order, of the elements checked of an entry of ``size``
    elements: None for all of them; else ``limit`` drawn without repeats by a generator seeded by
    :data:`SAMPLE_SEED` and the size (so the same entry gives the same sample at every run)."""
    if limit is None or size <= limit:
        return None
    rng = np.random.default_rng([SAMPLE_SEED, size])
    return np.sort(rng.choice(size, size=limit, replace=False))


def scope_text(rows: int, batch_rows: int, sampled: list[tuple[str, int, int]]) -> str:
    """What a check covered when it did not cover everything: "checked on the first 256 of
    1,000,000 rows of the batch; sampled 8,192 of 32,000 elements of affine1, …"; "" when it
    covered all. ``sampled`` holds (name, elements checked, elements) of the sampled entries."""
    parts = []
    if rows < batch_rows:
        parts.append(f"checked on the first {rows:,} of {plural(batch_rows, 'row')} of the batch")
    if sampled:
        groups: dict[tuple[int, int], list[str]] = {}
        for name, checked, size in sampled:
            groups.setdefault((checked, size), []).append(name)
        parts.append("sampled " + "; ".join(f"{checked:,} of {size:,} elements of {', '.join(names)}"
                                            for (checked, size), names in groups.items()))
    return "; ".join(parts)


def progress_words(done: int, total: int, entry: str) -> str:
    """How far a check is: "3,700 of 34,499 elements (affine1)" (the command line's progress
    line and the window's status line say it alike)."""
    return f"{done:,} of {total:,} elements" + (f" ({entry})" if entry else "")
