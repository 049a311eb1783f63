"""Reading a CSV file into dataset fields: its layout (header, delimiter, decimal mark), a column
mapping (columns → fields, a label column → one-hot rows or class indices), and one-line errors
that name the file, line and column (``iris.csv: line 17, column 3: 'abc' is not a number``).

Numbers go through NumPy's C reader (``np.loadtxt``); only the label columns and the diagnosis of
a bad file read rows one by one. Nothing here imports Qt; ``read_mapped`` is the one call an
exported script or the command line needs.
"""
from __future__ import annotations

import csv
import io
import math
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ONE_HOT, INDEX = "one-hot", "index"
ENCODINGS = (ONE_HOT, INDEX)
SAMPLE_BYTES = 64 * 1024  # read to detect the layout
TARGET_NAMES = ("label", "target", "y", "class")  # a column so named is guessed as the target
FEW_CLASSES = 10  # whole numbers with at most this many distinct values (in the first rows) read as classes
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+([eE][+-]?\d+)?$")


class DataError(ValueError):
    """Data that cannot become a dataset: one line naming the file and, where known, line and column."""

    def __init__(self, source: str, reason: str, line: int | None = None, column: int | None = None) -> None:
        self.source, self.reason, self.line, self.column = source, reason, line, column
        parts = [f"line {line}" if line is not None else "", f"column {column}" if column is not None else ""]
        self.place = place = ", ".join(p for p in parts if p)
        super().__init__(f"{source}: {place}: {reason}" if place else f"{source}: {reason}")


class MissingDataFile(DataError):
    """The data file is not where the graph says; ``path`` is where it was looked for."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(path.name, f"no such file (looked for {path})")


@dataclass(frozen=True)
class Layout:
    """How a CSV file is written: its column names, delimiter and decimal mark, and a few rows."""

    path: Path
    columns: tuple[str, ...]
    delimiter: str
    decimal: str  # "." or ","
    header: bool  # the first line names the columns
    preview: tuple[tuple[str, ...], ...]  # the first data rows, as text

    def numeric(self) -> tuple[bool, ...]:
        """Per column: whether every previewed cell reads as a number."""
        return tuple(all(_is_number(row[i], self.decimal) for row in self.preview if i < len(row))
                     for i in range(len(self.columns)))


@dataclass(frozen=True)
class LabelColumn:
    """A column of class names or numbers that becomes one field: one-hot rows or class indices."""

    column: str
    encoding: str = ONE_HOT
    classes: tuple[str, ...] = ()  # the class names in order; empty: sorted as found


@dataclass(frozen=True)
class ColumnMapping:
    """Which columns feed which field: numeric fields (columns in order) and label fields."""

    fields: dict[str, tuple[str, ...]] = field(default_factory=dict)
    labels: dict[str, LabelColumn] = field(default_factory=dict)

    def names(self) -> list[str]:
        return [*self.fields, *self.labels]


# ------------------------------------------------------------------- layout
def _is_number(text: str, decimal: str = ".") -> bool:
    if decimal == ",":
        text = text.replace(",", ".")
    try:
        float(text)
    except ValueError:
        return False
    return True


def _open_text(path: Path) -> io.TextIOWrapper:
    """The file as UTF-8 text (a UTF-8 byte order mark is skipped); a clear error otherwise."""
    try:
        raw = open(path, "rb")  # noqa: SIM115 (returned wrapped)
    except FileNotFoundError:
        raise MissingDataFile(path) from None
    except IsADirectoryError:
        raise DataError(path.name, "is a folder, not a file") from None
    except OSError as exc:
        raise DataError(path.name, f"cannot read: {exc.strerror or exc}") from None
    head = raw.read(4)
    raw.seek(0)
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raw.close()
        raise DataError(path.name, "is UTF-16 text; save it as UTF-8 (CSV UTF-8) and import it again")
    return io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")


def _sample(path: Path) -> str:
    with _open_text(path) as f:
        try:
            text = f.read(SAMPLE_BYTES)
        except UnicodeDecodeError as exc:
            raise _not_utf8(path, exc) from None
    if len(text) == SAMPLE_BYTES and "\n" in text:
        text = text[: text.rindex("\n") + 1]  # whole lines only
    return text


def detect(path: str | os.PathLike[str], preview_rows: int = 20) -> Layout:
    """Read the start of a CSV file: the header, delimiter (``csv.Sniffer`` among , ; tab |) and
    decimal mark (a comma when the delimiter is not one and the numbers are written ``1,5``)."""
    p = Path(path)
    text = _sample(p)
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise DataError(p.name, "the file is empty")
    try:
        delimiter = csv.Sniffer().sniff("\n".join(lines[:50]), delimiters=",;\t|").delimiter
    except csv.Error:
        delimiter = ","
    rows = [tuple(cell.strip() for cell in r) for r in csv.reader(lines[: preview_rows + 1], delimiter=delimiter)]
    cells = [c for r in rows[1:] for c in r]
    decimal = "," if delimiter != "," and any(_DECIMAL_COMMA.match(c) for c in cells) else "."
    first = rows[0]
    header = not all(_is_number(c, decimal) for c in first)
    if header:
        _check_names(p.name, first)
        columns, data = first, rows[1:]
    else:
        columns, data = tuple(f"column {i + 1}" for i in range(len(first))), rows
    if not data:
        raise DataError(p.name, "a header but no rows of data", line=1)
    return Layout(p, tuple(columns), delimiter, decimal, header, tuple(data[:preview_rows]))


def _check_names(source: str, names: Sequence[str]) -> None:
    seen: dict[str, int] = {}
    for i, name in enumerate(names, 1):
        if not name:
            raise DataError(source, "the column has no name in the header", line=1, column=i)
        if name in seen:
            raise DataError(source, f"the column name {name!r} appears twice (first in column {seen[name]})",
                            line=1, column=i)
        seen[name] = i


# ------------------------------------------------------------------ reading
def read_mapped(
    path: str | os.PathLike[str], mapping: ColumnMapping, layout: Layout | None = None
) -> tuple[dict[str, np.ndarray], ColumnMapping]:
    """The fields ``mapping`` asks for, read from the CSV at ``path``, and the mapping with every
    label column's classes filled in (the order of their class indices and one-hot columns)."""
    layout = layout or detect(path)
    name = layout.path.name
    where = {c: i for i, c in enumerate(layout.columns)}
    for col in [c for cols in mapping.fields.values() for c in cols] + [lab.column for lab in mapping.labels.values()]:
        if col not in where:
            raise DataError(name, f"no column named {col!r} (columns: {', '.join(layout.columns)})", line=1)
    numeric = sorted({where[c] for cols in mapping.fields.values() for c in cols})
    others = [i for i in range(len(layout.columns)) if i not in numeric]
    table = _read_numbers(layout, numeric, checks_width=not others)
    texts = _read_texts(layout, [where[lab.column] for lab in mapping.labels.values()]) if others else {}
    fields: dict[str, np.ndarray] = {}
    pos = {c: k for k, c in enumerate(numeric)}
    for fname, cols in mapping.fields.items():
        take = [pos[where[c]] for c in cols]
        fields[fname] = table if take == list(range(table.shape[1])) else table[:, take]
    labels: dict[str, LabelColumn] = {}
    for fname, lab in mapping.labels.items():
        arr, classes = _encode(name, layout, where[lab.column], texts[where[lab.column]], lab)
        fields[fname] = arr
        labels[fname] = LabelColumn(lab.column, lab.encoding, classes)
    return fields, ColumnMapping(dict(mapping.fields), labels)


def _data_start(layout: Layout) -> int:
    return 2 if layout.header else 1


def _read_numbers(layout: Layout, cols: list[int], checks_width: bool) -> np.ndarray:
    """Columns ``cols`` as one float array (rows × len(cols)), with any bad cell reported."""
    if not cols:
        return np.zeros((0, 0))
    _open_text(layout.path).close()  # a missing or UTF-16 file gets its own message
    try:
        source: str | os.PathLike[str] | Iterable[str] = layout.path  # NumPy opens it, reads it in chunks
        if layout.decimal == ",":
            with _open_text(layout.path) as f:
                source = io.StringIO(f.read().replace(",", "."))
        table = np.loadtxt(
            source, delimiter=layout.delimiter, skiprows=1 if layout.header else 0, dtype=float,
            usecols=None if checks_width else cols, ndmin=2, comments=None, quotechar='"', encoding="utf-8-sig",
        )
    except (ValueError, UnicodeDecodeError):
        raise _diagnose(layout, cols) from None
    if table.shape[0] == 0:
        raise DataError(layout.path.name, "a header but no rows of data", line=1)
    if not math.isfinite(float(table.sum())) and not np.isfinite(table).all():
        row, k = (int(i) for i in np.argwhere(~np.isfinite(table))[0])
        raise _nonfinite(layout, row, k if checks_width else cols[k], table[row, k])
    return table


def _nonfinite(layout: Layout, row: int, col: int, value: float) -> DataError:
    """The error for a NaN/Inf cell at data row ``row`` (counted from 0, blank lines skipped)."""
    line = _line_of_row(layout, row)
    kind = "NaN" if math.isnan(value) else "an infinity"
    return DataError(layout.path.name, f"the cell is {kind}; every cell must be a finite number", line, col + 1)


def _rows(layout: Layout) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of every non-blank data row."""
    with _open_text(layout.path) as f:
        reader = csv.reader(f, delimiter=layout.delimiter)
        for k, row in enumerate(reader):
            if k == 0 and layout.header:
                continue
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            yield reader.line_num, row


def _line_of_row(layout: Layout, row: int) -> int:
    for k, (line, _) in enumerate(_rows(layout)):
        if k == row:
            return line
    return row + _data_start(layout)


def _full_rows(layout: Layout) -> Iterator[tuple[int, list[str]]]:
    """:func:`_rows`, each checked for the header's width; a :class:`DataError` at the first row
    of another width or the first byte that is not UTF-8."""
    width = len(layout.columns)
    try:
        for line, row in _rows(layout):
            if len(row) != width:
                raise DataError(layout.path.name, f"{len(row)} cells, but the header has {width} columns", line)
            yield line, row
    except UnicodeDecodeError as exc:
        raise _not_utf8(layout.path, exc) from None


def _not_utf8(path: Path, exc: UnicodeDecodeError) -> DataError:
    return DataError(path.name, f"not UTF-8 text (bad byte at offset {exc.start})")


def _diagnose(layout: Layout, cols: Sequence[int]) -> DataError:
    """The first problem in the file: a row of the wrong width or a cell that is not a number."""
    name = layout.path.name
    try:
        for line, row in _full_rows(layout):
            for c in cols:
                cell = row[c].strip()
                if not _is_number(cell, layout.decimal):
                    what = "an empty cell" if not cell else repr(cell)
                    return DataError(name, f"{what} is not a number", line, c + 1)
    except DataError as err:
        return err
    except csv.Error as exc:
        return DataError(name, f"bad CSV: {exc}")
    return DataError(name, "cannot be read as numbers")


def _read_texts(layout: Layout, cols: list[int]) -> dict[int, list[str]]:
    """The cells of ``cols`` as text, every row checked for the header's width."""
    out: dict[int, list[str]] = {c: [] for c in cols}
    for _, row in _full_rows(layout):
        for c in cols:
            out[c].append(row[c].strip())
    return out


def _class_key(text: str) -> tuple[int, float, str]:
    """Numbers in numeric order before names in text order."""
    try:
        return (0, float(text), "")
    except ValueError:
        return (1, 0.0, text)


def _encode(
    source: str, layout: Layout, col: int, cells: list[str], lab: LabelColumn
) -> tuple[np.ndarray, tuple[str, ...]]:
    if lab.encoding not in ENCODINGS:
        raise DataError(source, f"a label column becomes {' or '.join(ENCODINGS)}, not {lab.encoding!r}")
    values = np.array(cells)
    found, inverse = np.unique(values, return_inverse=True)
    if "" in found:
        row = int(np.flatnonzero(values == "")[0])
        raise DataError(source, "the label cell is empty", _line_of_row(layout, row), col + 1)
    if lab.classes:
        classes = tuple(lab.classes)
        index = {c: i for i, c in enumerate(classes)}
        unknown = [str(c) for c in found if c not in index]
        if unknown:
            row = int(np.flatnonzero(values == unknown[0])[0])
            known = ", ".join(classes)
            raise DataError(source, f"the class {unknown[0]!r} is not one of the graph's classes ({known})",
                            _line_of_row(layout, row), col + 1)
        codes = np.array([index[c] for c in found])[inverse]
    else:
        if len(found) < 2:
            only = str(found[0]) if len(found) else ""
            raise DataError(source, f"every row has the class {only!r}; a label column needs at least two classes",
                            column=col + 1)
        classes = tuple(sorted((str(c) for c in found), key=_class_key))
        rank = np.array([classes.index(str(c)) for c in found])
        codes = rank[inverse]
    if lab.encoding == INDEX:
        return codes.astype(float), classes
    return np.eye(len(classes))[codes], classes


# ----------------------------------------------------------------- mappings
def default_mapping(layout: Layout, label: str | None = None, encoding: str = ONE_HOT) -> ColumnMapping:
    """The guess the import dialog starts from: every other numeric column into ``x``, the target
    column (the given ``label``, else :func:`guess_target`) into ``t``: as a label column (one-hot
    rows, or ``encoding``) when it is text or class-like, as target numbers otherwise."""
    numeric = layout.numeric()
    target = label if label is not None else guess_target(layout)
    feats = tuple(c for c, num in zip(layout.columns, numeric) if num and c != target)
    fields = {"x": feats} if feats else {}
    labels: dict[str, LabelColumn] = {}
    if target is not None and (label is not None or _class_like(layout, target)):
        labels["t"] = LabelColumn(target, encoding)
    elif target is not None:
        fields["t"] = (target,)
    return ColumnMapping(fields, labels)


def guess_target(layout: Layout) -> str | None:
    """The column that is most likely the target, in this order: one named one of
    ``TARGET_NAMES`` (any case); the last column when it is text; the last column of whole
    numbers with at most ``FEW_CLASSES`` distinct values in the first rows (some repeated); None."""
    named = [c for c in layout.columns if c.strip().lower() in TARGET_NAMES]
    if named:
        return named[-1]
    numeric = layout.numeric()
    if layout.columns and not numeric[-1]:
        return layout.columns[-1]
    classes = [c for c in layout.columns if _class_like(layout, c)]
    return classes[-1] if classes else None


def _class_like(layout: Layout, column: str) -> bool:
    """Text, or whole numbers with few distinct values (some repeated) in the first rows: class labels."""
    i = layout.columns.index(column)
    cells = [row[i] for row in layout.preview if i < len(row)]
    if not cells:
        return False
    if not all(_is_number(c, layout.decimal) for c in cells):
        return True
    values = {float(c.replace(",", ".") if layout.decimal == "," else c) for c in cells}
    return all(v.is_integer() for v in values) and len(values) <= FEW_CLASSES and len(values) < len(cells)


def mapping_to_dict(mapping: ColumnMapping) -> dict[str, object]:
    out: dict[str, object] = {"columns": {f: list(cols) for f, cols in mapping.fields.items()}}
    if mapping.labels:
        out["labels"] = {
            f: {"column": lab.column, "as": lab.encoding, **({"classes": list(lab.classes)} if lab.classes else {})}
            for f, lab in mapping.labels.items()
        }
    return out


def check_fields(source: str, fields: Mapping[str, np.ndarray]) -> None:
    """Equal rows, at least one, every value finite."""
    if not fields:
        raise DataError(source, "no fields: map at least one column to a field")
    rows = {k: v.shape[0] if v.ndim else 0 for k, v in fields.items()}
    if len(set(rows.values())) > 1:
        raise DataError(source, "the arrays have different numbers of rows (" +
                        ", ".join(f"{k}: {v}" for k, v in rows.items()) + ")")
    if not next(iter(rows.values())):
        raise DataError(source, "no rows")
