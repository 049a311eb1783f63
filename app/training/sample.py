"""Which rows of a dataset a plot draws: all of a small one, a fixed random sample of a big one.

A plot of a million points is slow to build and no more readable than one of a few thousand, so
the dataset plots draw at most PLOT_ROWS rows, the same ones every time (seeded), in row order.
"""
from __future__ import annotations

import numpy as np

PLOT_ROWS = 5_000


def plotted_rows(count: int, limit: int = PLOT_ROWS) -> np.ndarray:
    """Indices (sorted) of the rows of a ``count``-row dataset that a plot draws."""
    if count <= limit:
        return np.arange(count)
    return np.sort(np.random.default_rng(0).choice(count, size=limit, replace=False))


def sample_note(count: int, limit: int = PLOT_ROWS) -> str:
    """'' for a dataset drawn whole, else a short note that says how many rows are drawn."""
    return "" if count <= limit else f"{limit:,} of {count:,} rows drawn"
