"""The dataset as code: a ``dataset`` dictionary of NumPy arrays holding the training rows.

Rows the graph holds (typed in, imported, or made by a generator) are written inline, exactly;
a CSV-backed dataset is read from its file with the standard library's ``csv`` (the same
layout, columns and classes the workbench read), and the held-out rows are set aside with the
workbench's seeded split, so the script trains on the very rows the workbench trains on.
"""
from __future__ import annotations

import json

from core.data.csvfile import INDEX, detect
from core.data.dataset import Dataset
from core.export import literals
from core.format import plural

READ_CSV = '''\
def read_csv(path, columns, labels, delimiter=",", decimal=".", header=True):
    """The fields of a dataset from the CSV file at `path`: `columns` maps a field to its numeric
    columns; `labels` maps a field to (column, classes, one_hot): class names become one-hot rows
    or class numbers."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = [r for r in csv.reader(f, delimiter=delimiter) if r and not (len(r) == 1 and not r[0].strip())]
    names = [name.strip() for name in rows.pop(0)] if header else [f"column {i + 1}" for i in range(len(rows[0]))]
    at = {name: i for i, name in enumerate(names)}
    fields = {}
    for field, cols in columns.items():
        fields[field] = np.array([[float(r[at[c]].replace(decimal, ".")) for c in cols] for r in rows])
    for field, (column, classes, one_hot) in labels.items():
        codes = np.array([classes.index(r[at[column]].strip()) for r in rows])
        fields[field] = np.eye(len(classes))[codes] if one_hot else codes.astype(float)
    return fields
'''

TRAINING_ROWS = '''\
def training_rows(rows, held_out, seed):
    """The rows training uses, in the file's order: round(rows × held_out) rows, drawn with
    `seed`, are held out for testing."""
    held = np.sort(np.random.default_rng(seed).permutation(rows)[:round(rows * held_out)])
    keep = np.ones(rows, dtype=bool)
    keep[held] = False
    return np.flatnonzero(keep)
'''


def dataset_code(ds: Dataset, fields: list[str]) -> tuple[list[str], list[str], set[str]]:
    """(helper sources, lines that make ``dataset``, standard modules they import)."""
    if ds.source is not None:
        return _csv_code(ds, fields)
    made = f" (the workbench's {ds.generator!r} generator, seed {ds.seed})" if ds.generator else ""
    held = f"; {plural(ds.test_rows, 'row')} held out for testing are left out" if ds.test_rows else ""
    lines = [f"# the dataset: {plural(ds.train_rows, 'training row')}{made}{held}", "dataset = {"]
    for f in fields:
        lines.append(f"    {json.dumps(f)}: {literals.rows(ds.train_fields[f], indent=' ' * 8)},")
    lines.append("}")
    return [], lines, set()


def _csv_code(ds: Dataset, fields: list[str]) -> tuple[list[str], list[str], set[str]]:
    source = ds.source
    assert source is not None
    layout = detect(source.path)
    mapping = source.mapping
    columns = {f: list(cols) for f, cols in mapping.fields.items() if f in fields}
    labels = {f: (lab.column, list(lab.classes), lab.encoding != INDEX) for f, lab in mapping.labels.items()
              if f in fields}
    options = []
    if layout.delimiter != ",":
        options.append(f"delimiter={layout.delimiter!r}")
    if layout.decimal != ".":
        options.append(f"decimal={layout.decimal!r}")
    if not layout.header:
        options.append("header=False")
    extra = "".join(f", {o}" for o in options)
    lines = [f"# the dataset: {plural(ds.rows, 'row')} read from its CSV file (move the file: change the path)",
             f"DATA_FILE = {json.dumps(str(source.path))}",
             f"COLUMNS = {json.dumps(columns)}  # field: its numeric columns",
             f"LABELS = {_labels_text(labels)}  # field: (column, classes, one-hot)",
             f"dataset = read_csv(DATA_FILE, COLUMNS, LABELS{extra})"]
    helpers = [READ_CSV]
    if ds.test_rows:
        helpers.append(TRAINING_ROWS)
        lines += [f"keep = training_rows({ds.rows}, {literals.number(ds.test_fraction)}, {ds.split_seed})"
                  f"  # {plural(ds.test_rows, 'row')} held out for testing",
                  "dataset = {name: rows[keep] for name, rows in dataset.items()}"]
    return helpers, lines, {"csv"}


def _labels_text(labels: dict[str, tuple[str, list[str], bool]]) -> str:
    parts = [f"{json.dumps(f)}: ({json.dumps(col)}, {json.dumps(classes)}, {one_hot})"
             for f, (col, classes, one_hot) in labels.items()]
    return "{" + ", ".join(parts) + "}"
