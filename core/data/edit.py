"""Edits of a dataset as pure functions (dataset in, new dataset out; arrays that do not change
are shared) and one in-place cell write that returns what it overwrote, for undo. An edited
dataset is no longer the CSV file's or the generator's rows, so it forgets where it came from
(a CSV file's column names and name stay, as ``edited_from``, for the table and the summary);
its held-out fraction and seed stay (renaming a field keeps the CSV file, with the mapping renamed)."""
from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np

from core.data.csvfile import ColumnMapping
from core.data.dataset import CsvSource, Dataset

NEW_FIELD_VALUE = 1.0  # a new field's cells (1 passes a value on through a product; 0 would hide it)
FIELD_NAMES = ("x", "t")


def _rebuild(old: Dataset | None, fields: Mapping[str, np.ndarray]) -> Dataset:
    if old is None:
        return Dataset(dict(fields))
    origin = old.csv_origin
    try:
        return Dataset(dict(fields), test_fraction=old.test_fraction, split_seed=old.split_seed, edited_from=origin)
    except ValueError:  # too few rows left to hold any out
        return Dataset(dict(fields), split_seed=old.split_seed, edited_from=origin)


def detached(dataset: Dataset) -> Dataset:
    """The same rows (arrays shared) and split, no longer tied to a CSV file or a generator (a CSV
    file's column names stay, as ``edited_from``)."""
    return Dataset(dataset.fields, test_fraction=dataset.test_fraction, split_seed=dataset.split_seed,
                   edited_from=dataset.csv_origin)


def free_field(dataset: Dataset | None, taken: Iterable[str]) -> str:
    """A field name for a new Input: x, then t, then x2, x3, ... (one no other Input reads)."""
    used = set(taken)
    for name in FIELD_NAMES:
        if name not in used:
            return name
    i = 2
    while f"x{i}" in used:
        i += 1
    return f"x{i}"


def with_field(dataset: Dataset | None, name: str, width: int = 1) -> Dataset:
    """``dataset`` with a field ``name`` of ``width`` columns (one row when there is no dataset yet)."""
    rows = dataset.rows if dataset is not None and dataset.fields else 1
    fields = dict(dataset.fields) if dataset is not None else {}
    fields[name] = np.full((rows, width), NEW_FIELD_VALUE)
    return _rebuild(dataset, fields)


def rename_field(dataset: Dataset, old: str, new: str) -> Dataset:
    """Field ``old`` called ``new`` (the order of the fields kept)."""
    if not new or not new.strip() or new != new.strip():
        raise ValueError(f"a field name needs letters and no spaces at either end, not {new!r}")
    if new in dataset.fields and new != old:
        raise ValueError(f"the dataset has a field {new!r} already")
    fields = {new if k == old else k: v for k, v in dataset.fields.items()}
    origin = dataset.csv_origin
    if origin is None:
        return _rebuild(dataset, fields)
    mapping = origin.mapping  # the mapping names the new field (still the CSV file's rows, or their names)
    renamed = CsvSource(origin.path, ColumnMapping({new if k == old else k: v for k, v in mapping.fields.items()},
                                                   {new if k == old else k: v for k, v in mapping.labels.items()}))
    if dataset.source is None:
        return Dataset(fields, test_fraction=dataset.test_fraction, split_seed=dataset.split_seed, edited_from=renamed)
    return Dataset(fields, source=renamed, test_fraction=dataset.test_fraction, split_seed=dataset.split_seed)


def set_width(dataset: Dataset, name: str, width: int) -> Dataset:
    """Field ``name`` with ``width`` columns: the first ones kept, new ones zero."""
    if width < 1:
        raise ValueError(f"a field needs at least one column, not {width}")
    old = dataset.fields[name].reshape(dataset.rows, -1)
    new = np.zeros((dataset.rows, width))
    keep = min(width, old.shape[1])
    new[:, :keep] = old[:, :keep]
    return _rebuild(dataset, {**dataset.fields, name: new})


def add_rows(dataset: Dataset, at: int, count: int = 1) -> Dataset:
    """``count`` new rows (copies of the row before ``at``, or zeros at the start) inserted at ``at``."""
    fields = {}
    for name, arr in dataset.fields.items():
        fill = arr[at - 1 : at] if at > 0 else np.zeros((1, *arr.shape[1:]))
        fields[name] = np.insert(arr, at, np.repeat(fill, count, axis=0), axis=0)
    return _rebuild(dataset, fields)


def remove_rows(dataset: Dataset, rows: Iterable[int]) -> Dataset:
    """Without ``rows``; at least one row must stay."""
    drop = sorted(set(rows))
    if len(drop) >= dataset.rows:
        raise ValueError("a dataset keeps at least one row")
    return _rebuild(dataset, {name: np.delete(arr, drop, axis=0) for name, arr in dataset.fields.items()})


def with_split(dataset: Dataset, fraction: float, seed: int) -> Dataset:
    """The same rows (arrays shared, source kept) with another held-out fraction and seed."""
    return Dataset(dataset.fields, dataset.generator, dataset.seed, dataset.size, dataset.source,
                   fraction, seed, dataset.edited_from, dataset.missing)


def write_cell(dataset: Dataset, name: str, row: int, col: int, value: float) -> float:
    """Write one cell in place and return the value it held (the cached split is refreshed)."""
    arr = dataset.fields[name].reshape(dataset.rows, -1)
    old = float(arr[row, col])
    arr[row, col] = value
    dataset.changed()
    return old
