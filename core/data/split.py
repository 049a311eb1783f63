"""The held-out split: which rows are kept out of training, chosen by a fraction and a seed."""
from __future__ import annotations

import numpy as np


def split_indices(rows: int, fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(training rows, held-out rows): ``round(rows × fraction)`` rows drawn with ``seed`` are held
    out; both index arrays are in ascending order, so the training rows keep the file's order."""
    held = round(rows * fraction)
    perm = np.random.default_rng(seed).permutation(rows)
    test = np.sort(perm[:held])
    mask = np.ones(rows, dtype=bool)
    mask[test] = False
    return np.flatnonzero(mask), test
