"""Datasets, their generators, and the seeded mini-batches of the Batcher."""
from __future__ import annotations

import numpy as np
import pytest

from core.data.dataset import GENERATORS, Batcher, Dataset


# ------------------------------------------------------------------- Batcher
def epoch_batches(b: Batcher, epoch: int) -> list[np.ndarray]:
    first = epoch * b.batches_per_epoch
    return [b.indices(k) for k in range(first, first + b.batches_per_epoch)]


@pytest.mark.parametrize("rows, size", [(8, 2), (8, 3), (10, 3), (7, 6), (5, 1), (100, 32)])
def test_every_row_comes_exactly_once_per_epoch(rows: int, size: int):
    b = Batcher(rows, size, seed=4)
    assert b.batches_per_epoch == -(-rows // size) and b.batch_rows == size
    for epoch in range(4):
        batches = epoch_batches(b, epoch)
        assert all(len(x) == size for x in batches[:-1])
        assert 1 <= len(batches[-1]) <= size
        assert np.array_equal(np.sort(np.concatenate(batches)), np.arange(rows))


def test_epochs_are_shuffled_differently():
    b = Batcher(20, 5, seed=1)
    orders = [np.concatenate(epoch_batches(b, e)) for e in range(3)]
    assert not np.array_equal(orders[0], orders[1])
    assert not np.array_equal(orders[1], orders[2])
    assert not np.array_equal(orders[0], np.arange(20))


def test_the_same_seed_gives_the_same_batches_and_another_seed_others():
    a, b, c = Batcher(12, 5, seed=7), Batcher(12, 5, seed=7), Batcher(12, 5, seed=8)
    seq_a = [a.indices(k) for k in range(9)]
    seq_b = [b.indices(k) for k in range(9)]
    seq_c = [c.indices(k) for k in range(9)]
    assert all(np.array_equal(x, y) for x, y in zip(seq_a, seq_b))
    assert not all(np.array_equal(x, y) for x, y in zip(seq_a, seq_c))


def test_batches_are_a_function_of_the_update_number_alone():
    sequential = Batcher(10, 4, seed=3)
    expected = {k: sequential.indices(k).copy() for k in range(12)}
    jumping = Batcher(10, 4, seed=3)
    for k in [7, 0, 11, 3, 3, 8, 1, 10, 2]:
        assert np.array_equal(jumping.indices(k), expected[k])


@pytest.mark.parametrize("size", [0, 8, 50])
def test_full_batch_is_none(size: int):
    b = Batcher(8, size, seed=0)
    assert b.full and b.batches_per_epoch == 1 and b.batch_rows == 8
    assert b.indices(0) is None and b.indices(5) is None


# ------------------------------------------------------------------- Dataset
@pytest.mark.parametrize("name", sorted(GENERATORS))
@pytest.mark.parametrize("n", [1, 4, 7, 64])
def test_generators_give_the_asked_rows(name: str, n: int):
    ds = Dataset.generate(name, n, seed=2)
    assert ds.rows == n and ds.size == n
    assert ds.generator == name and ds.seed == 2
    assert set(ds.fields) == {"x", "t"}
    for arr in ds.fields.values():
        assert arr.dtype == np.float64 and arr.shape[0] == n and np.all(np.isfinite(arr))


def test_xor_is_the_four_corners_with_one_hot_labels():
    ds = Dataset.generate("xor", 8)
    assert np.array_equal(ds.fields["x"][:4], [[0, 0], [0, 1], [1, 0], [1, 1]])
    assert np.array_equal(ds.fields["x"][4:], ds.fields["x"][:4])
    assert np.array_equal(ds.fields["t"][:4], [[1, 0], [0, 1], [0, 1], [1, 0]])


def test_spirals_are_balanced_one_hot_and_seeded():
    a = Dataset.generate("spirals", 101, seed=5)
    b = Dataset.generate("spirals", 101, seed=5)
    c = Dataset.generate("spirals", 101, seed=6)
    assert a.fields["x"].shape == (101, 2) and a.fields["t"].shape == (101, 2)
    assert np.array_equal(a.fields["x"], b.fields["x"])
    assert not np.array_equal(a.fields["x"], c.fields["x"])
    counts = a.fields["t"].sum(axis=0)
    assert counts.tolist() == [51.0, 50.0]
    assert np.array_equal(a.fields["t"].sum(axis=1), np.ones(101))
    assert np.abs(a.fields["x"]).max() < 2.2


def test_sine_is_sin_of_evenly_spaced_x():
    ds = Dataset.generate("sine", 9)
    x = ds.fields["x"]
    assert x.shape == (9, 1) and ds.fields["t"].shape == (9, 1)
    assert x[0, 0] == -np.pi and x[-1, 0] == np.pi
    assert np.allclose(np.diff(x[:, 0]), 2 * np.pi / 8, rtol=0, atol=1e-15)
    assert np.array_equal(ds.fields["t"], np.sin(x))


def test_dataset_fields_become_float_arrays():
    ds = Dataset({"x": [[1, 2], [3, 4]], "label": [0, 1]})
    assert ds.rows == 2 and ds.size == 2
    assert ds.fields["x"].dtype == np.float64 and ds.fields["label"].shape == (2,)


def test_dataset_refuses_fields_of_different_rows():
    with pytest.raises(ValueError, match=r"different numbers of rows \(x: 3, t: 2\)"):
        Dataset({"x": np.zeros((3, 2)), "t": np.zeros((2, 1))})


def test_dataset_refuses_a_single_number_field():
    with pytest.raises(ValueError, match="'x' must have rows"):
        Dataset({"x": 3.0})


def test_generate_refuses_unknown_names_and_empty_sizes():
    with pytest.raises(ValueError, match=r"unknown dataset generator 'moons' \(known: sine, spirals, xor\)"):
        Dataset.generate("moons", 10)
    with pytest.raises(ValueError, match="at least 1"):
        Dataset.generate("xor", 0)
