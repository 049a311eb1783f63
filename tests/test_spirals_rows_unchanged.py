"""The spirals generator writes its rows in place (a million rows in tens of milliseconds) and still
makes, bit for bit, the rows of the generator it replaced: that one is kept here as the reference
(stacked points, concatenated, noise added, doubled, one-hot rows by indexing an identity matrix).
The epoch order a Batcher draws is shared between Batchers of the same rows and seed, unchanged
and read-only."""
from __future__ import annotations

import hashlib

import numpy as np
import pytest

from core.data.dataset import Batcher, Dataset

MILLION = 1_000_000


def reference_spirals(n: int, seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    first, second = n - n // 2, n // 2
    theta = np.sqrt(rng.uniform(0.0, 1.0, first)) * 3.0 * np.pi
    r = theta / (3.0 * np.pi)
    a = np.stack([r * np.cos(theta), r * np.sin(theta)], axis=1)
    b = -a[:second]
    x = np.concatenate([a, b]) + rng.normal(0.0, 0.02, (n, 2))
    y = np.concatenate([np.zeros(first, dtype=int), np.ones(second, dtype=int)])
    return {"x": x * 2.0, "t": np.eye(2)[y]}


def digest(fields: dict[str, np.ndarray]) -> str:
    h = hashlib.sha256()
    for name, arr in fields.items():
        h.update(f"{name} {arr.shape} {arr.dtype}".encode())
        h.update(np.ascontiguousarray(arr).tobytes())
    return h.hexdigest()


@pytest.mark.parametrize("rows, seed", [(1, 0), (2, 0), (3, 1), (7, 5), (200, 0), (201, 9), (MILLION, 0),
                                        (MILLION, 3)])
def test_spirals_rows_are_bit_identical_to_the_reference_generator(rows: int, seed: int):
    made = Dataset.generate("spirals", rows, seed)
    expected = reference_spirals(rows, seed)
    assert list(made.fields) == ["x", "t"] and made.rows == rows
    for name in expected:
        assert made.fields[name].dtype == expected[name].dtype == np.float64
        assert made.fields[name].shape == expected[name].shape == (rows, 2)
    assert digest(made.fields) == digest(expected)
    assert made.fields["t"][: rows - rows // 2, 0].all() and not made.fields["t"][rows - rows // 2 :, 0].any()


def test_batchers_of_the_same_rows_and_seed_share_one_read_only_order():
    a, b = Batcher(MILLION, 128, seed=4), Batcher(MILLION, 128, seed=4)
    first = a.indices(0)
    assert np.array_equal(first, np.random.default_rng([4, 0]).permutation(MILLION)[:128])
    assert np.shares_memory(first, b.indices(0))
    with pytest.raises(ValueError):
        first[0] = 0
    later = a.indices(a.batches_per_epoch)  # epoch 1: its own order
    assert np.array_equal(later, np.random.default_rng([4, 1]).permutation(MILLION)[:128])
    assert not np.array_equal(later, first)
    other = Batcher(MILLION, 128, seed=5).indices(0)
    assert np.array_equal(other, np.random.default_rng([5, 0]).permutation(MILLION)[:128])
