"""Datasets from files and back: a CSV file through a column mapping, NumPy ``.npy``/``.npz``
arrays, and a dataset written out as CSV (atomically)."""
from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import numpy as np

from core.data.csvfile import ColumnMapping, DataError, Layout, MissingDataFile, check_fields, read_mapped
from core.data.dataset import CsvSource, Dataset
from core.io.atomic import write_atomic


def csv_dataset(
    path: str | os.PathLike[str], mapping: ColumnMapping, test_fraction: float = 0.0, split_seed: int = 0,
    layout: Layout | None = None,
) -> Dataset:
    """The dataset the mapping makes of the CSV at ``path``; it remembers the file and the mapping
    (with the classes found), so it is saved as a reference, not as rows."""
    p = Path(os.path.normpath(Path(path).absolute()))  # shown as the dataset's file: no "graphs/../"
    fields, mapping = read_mapped(p, mapping, layout)
    check_fields(p.name, fields)
    try:
        return Dataset(fields, source=CsvSource(p, mapping), test_fraction=test_fraction, split_seed=split_seed)
    except ValueError as exc:
        raise DataError(p.name, str(exc)) from None


def numpy_fields(path: str | os.PathLike[str], name: str | None = None) -> dict[str, np.ndarray]:
    """The arrays of a ``.npy`` file (one field, called ``name`` or the file's stem) or of a
    ``.npz`` file (one field per array); each needs rows (a 1-D array is a column)."""
    p = Path(path)
    if not p.exists():
        raise MissingDataFile(p.absolute())
    try:
        loaded = np.load(p, allow_pickle=False)
    except (OSError, ValueError, zipfile.BadZipFile) as exc:
        raise DataError(p.name, f"not a NumPy .npy or .npz file ({exc})") from None
    if isinstance(loaded, np.ndarray):
        arrays = {name or p.stem: loaded}
    else:
        with loaded:
            arrays = {k: loaded[k] for k in loaded.files}
    fields: dict[str, np.ndarray] = {}
    for key, arr in arrays.items():
        if arr.dtype.kind not in "biuf":
            raise DataError(p.name, f"the array {key!r} holds {arr.dtype} values, not numbers")
        if arr.ndim == 0:
            raise DataError(p.name, f"the array {key!r} is a single number; a field needs rows")
        arr = arr.astype(float).reshape(arr.shape[0], -1) if arr.ndim != 1 else arr.astype(float).reshape(-1, 1)
        if not np.isfinite(arr).all():
            row, col = (int(i) for i in np.argwhere(~np.isfinite(arr))[0])
            raise DataError(p.name, f"the array {key!r} has {arr[row, col]} at row {row}, column {col}")
        fields[key] = arr
    check_fields(p.name, fields)
    return fields


def column_names(dataset: Dataset) -> list[str]:
    """CSV header names: ``x`` for a one-column field, ``x1``, ``x2``, ... for wider ones."""
    names: list[str] = []
    for fname, arr in dataset.fields.items():
        width = int(np.prod(arr.shape[1:])) if arr.ndim > 1 else 1
        names += [fname] if width == 1 else [f"{fname}{i + 1}" for i in range(width)]
    return names


def write_csv(dataset: Dataset, path: str | os.PathLike[str]) -> None:
    """Every field side by side, one row per line, numbers written to read back exactly."""
    table = np.hstack([arr.reshape(arr.shape[0], -1) for arr in dataset.fields.values()])
    header = ",".join(column_names(dataset)) + "\n"
    for fmt in ("%.15g", "%.17g"):  # the short form when it reads back exactly (0.1, not 0.10000000000000001)
        out = io.StringIO()
        np.savetxt(out, table, delimiter=",", fmt=fmt)
        text = out.getvalue()
        if fmt == "%.17g" or np.array_equal(np.loadtxt(io.StringIO(text), delimiter=",", ndmin=2), table):
            break
    write_atomic(path, (header + text).encode("utf-8"))
