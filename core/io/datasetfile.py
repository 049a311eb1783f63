"""The ``dataset`` part of the file format: inline rows (with, once edited from a CSV file, that
file's name and column mapping, never read), a generator, or a CSV file read through its column
mapping (a path relative to the graph file), with the held-out split; a CSV file that is not
there gives a dataset without rows that keeps the reference (``Dataset.missing``). Reading raises
:class:`core.io.jsoncheck.Bad` naming the place; :mod:`core.io.fileformat` turns it into a FormatError.
"""
from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from core.data.csvfile import ENCODINGS, ColumnMapping, LabelColumn, MissingDataFile, mapping_to_dict
from core.data.dataset import GENERATORS, CsvSource, Dataset
from core.format import brief
from core.io import jsoncheck as jc
from core.io.jsoncheck import Bad

MAX_DATASET_SIZE = 1_000_000  # rows a generator may be asked for


class DataContext:
    """Where the document's relative data paths start (the graph file's folder) and a data file
    given instead (a caller's path: relative to the current folder, like any command-line path);
    ``missing`` is where a CSV file was looked for and not found, once the document was read."""

    def __init__(self, base: Path | None, data_path: Path | None) -> None:
        self.base = base
        self.data_path = data_path.absolute() if data_path is not None else None
        self.missing: Path | None = None

    def resolve(self, path: Path) -> Path:
        """``path`` as written in the document: absolute, a relative one from the graph file's
        folder (the current folder when the document has none)."""
        return path if path.is_absolute() else Path(os.path.normpath((self.base or Path.cwd()) / path))


_SPLIT = ("test_fraction", "split_seed")


def read_dataset(raw: Any, where: str, ctx: DataContext) -> Dataset:
    obj = jc.want_object(raw, where)
    kinds = [k for k in ("fields", "generator", "csv") if k in obj]
    if len(kinds) > 1:
        raise Bad(where, f"give one of 'fields', 'generator' or 'csv', not {' and '.join(map(repr, kinds))}")
    fraction = jc.want_number(obj.get("test_fraction", 0.0), f"{where}.test_fraction")
    if not 0.0 <= fraction < 1.0:
        raise Bad(f"{where}.test_fraction", f"must be from 0 up to (not including) 1, not {fraction:g}")
    split_seed = jc.want_int(obj.get("split_seed", 0), f"{where}.split_seed")
    if split_seed < 0:
        raise Bad(f"{where}.split_seed", f"must be 0 or more, not {split_seed}")
    dataset = _read_rows(obj, where, ctx)
    if fraction or split_seed:
        try:
            dataset = replace(dataset, test_fraction=fraction, split_seed=split_seed)
        except ValueError as exc:
            raise Bad(f"{where}.test_fraction", str(exc)) from None
    return dataset


def _read_rows(obj: dict[str, Any], where: str, ctx: DataContext) -> Dataset:
    if "csv" in obj:
        return _read_csv_dataset(obj, where, ctx)
    if "generator" in obj:
        jc.fields(obj, where, ("generator", "size"), ("generator", "size", "seed", *_SPLIT))
        name = jc.want_str(obj["generator"], f"{where}.generator")
        if name not in GENERATORS:
            raise Bad(f"{where}.generator", f"unknown generator {name!r} (known: {', '.join(sorted(GENERATORS))})")
        size = jc.want_int(obj["size"], f"{where}.size")
        if not 1 <= size <= MAX_DATASET_SIZE:
            raise Bad(f"{where}.size", f"must be from 1 to {MAX_DATASET_SIZE}, not {brief(size)}")
        seed = jc.want_int(obj.get("seed", 0), f"{where}.seed")
        if seed < 0:
            raise Bad(f"{where}.seed", f"must be 0 or more, not {brief(seed)}")
        try:
            return Dataset.generate(name, size, seed)
        except ValueError as exc:
            raise Bad(where, str(exc)) from None
    if "fields" not in obj:
        raise Bad(where, "missing field 'fields' or 'generator'")
    jc.fields(obj, where, ("fields",), ("fields", "edited_from", *_SPLIT))
    place = f"{where}.fields"
    fields: dict[str, np.ndarray] = {}
    for name, value in jc.want_object(obj["fields"], place).items():
        arr = jc.want_array(value, jc.key_path(place, name))
        if arr.ndim == 0 or arr.shape[0] == 0:
            raise Bad(jc.key_path(place, name), "a field needs rows: a non-empty list")
        fields[name] = arr
    origin = _read_edited_from(obj["edited_from"], f"{where}.edited_from", ctx) if "edited_from" in obj else None
    try:
        return Dataset(fields, edited_from=origin)
    except ValueError as exc:
        raise Bad(place, str(exc)) from None


def _read_csv_dataset(obj: dict[str, Any], where: str, ctx: DataContext) -> Dataset:
    from core.data.sources import csv_dataset  # sources writes files through core.io

    jc.fields(obj, where, ("csv", "columns"), ("csv", "columns", "labels", *_SPLIT))
    path, mapping = _read_csv_reference(obj, where)
    try:
        return csv_dataset(ctx.data_path or ctx.resolve(path), mapping)
    except MissingDataFile as missing:  # the rest of the document is read; the caller says what is missing
        ctx.missing = missing.path
        return Dataset.unread(CsvSource(missing.path, mapping))


def _read_csv_reference(obj: dict[str, Any], where: str) -> tuple[Path, ColumnMapping]:
    """The CSV file's path as written and the column mapping of ``obj`` (its fields checked by the
    caller); :meth:`DataContext.resolve` makes the path absolute."""
    rel = jc.want_str(obj["csv"], f"{where}.csv")
    if not rel.strip():
        raise Bad(f"{where}.csv", "empty path")
    fields: dict[str, tuple[str, ...]] = {}
    for name, cols in jc.want_object(obj["columns"], f"{where}.columns").items():
        place = jc.key_path(f"{where}.columns", name)
        fields[name] = tuple(jc.want_str(c, f"{place}[{i}]") for i, c in enumerate(jc.want_list(cols, place)))
        if not fields[name]:
            raise Bad(place, "a field needs at least one column")
    labels: dict[str, LabelColumn] = {}
    for name, spec in jc.want_object(obj.get("labels", {}), f"{where}.labels").items():
        place = jc.key_path(f"{where}.labels", name)
        lab = jc.want_object(spec, place)
        jc.fields(lab, place, ("column",), ("column", "as", "classes"))
        encoding = jc.want_str(lab.get("as", ENCODINGS[0]), f"{place}.as")
        if encoding not in ENCODINGS:
            raise Bad(f"{place}.as", f"must be {' or '.join(map(repr, ENCODINGS))}, not {encoding!r}")
        classes = tuple(jc.want_str(c, f"{place}.classes[{i}]")
                        for i, c in enumerate(jc.want_list(lab.get("classes", []), f"{place}.classes")))
        labels[name] = LabelColumn(jc.want_str(lab["column"], f"{place}.column"), encoding, classes)
    if not fields and not labels:
        raise Bad(f"{where}.columns", "map at least one column to a field")
    return Path(rel), ColumnMapping(fields, labels)


def _read_edited_from(raw: Any, where: str, ctx: DataContext) -> CsvSource:
    """The CSV file inline rows were edited from: its name and column names only (never read)."""
    obj = jc.want_object(raw, where)
    jc.fields(obj, where, ("csv", "columns"), ("csv", "columns", "labels"))
    path, mapping = _read_csv_reference(obj, where)
    return CsvSource(ctx.resolve(path), mapping)


# ------------------------------------------------------------------ writing
def dataset_dict(dataset: Dataset, base: Path | None) -> dict[str, Any]:
    """The ``dataset`` part of a document (inline fields stay arrays; ``core.io.jsontext`` writes them)."""
    out: dict[str, Any]
    if dataset.source is not None:
        out = {"csv": _relative(dataset.source.path, base), **mapping_to_dict(dataset.source.mapping)}
    elif dataset.generator is not None:
        out = {"generator": dataset.generator, "size": dataset.size, "seed": dataset.seed}
    else:
        out = {"fields": dict(dataset.fields)}  # arrays: core.io.jsontext writes them a few rows at a time
        if dataset.edited_from is not None:
            origin = dataset.edited_from
            out["edited_from"] = {"csv": _relative(origin.path, base), **mapping_to_dict(origin.mapping)}
    if dataset.test_fraction or dataset.split_seed:
        out.update(test_fraction=dataset.test_fraction, split_seed=dataset.split_seed)
    return out


def _relative(path: Path, base: Path | None) -> str:
    """``path`` relative to ``base`` with forward slashes (absolute when there is no common root)."""
    if base is None:
        return path.as_posix()
    try:
        return Path(os.path.relpath(path, base.absolute())).as_posix()
    except ValueError:  # another drive on Windows
        return path.as_posix()
