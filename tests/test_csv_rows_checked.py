"""Every reading of a CSV file's rows checks them by one rule (the header's width, UTF-8 text):
the numbers and the label column's text give the same one-line error at the same place, also
past the part of the file read to detect its layout."""
from __future__ import annotations

from pathlib import Path

import pytest

from core.data.csvfile import INDEX, SAMPLE_BYTES, ColumnMapping, DataError, LabelColumn, read_mapped

ROWS = SAMPLE_BYTES // 8 + 100  # "12,3,a\n" and longer: the file goes past the sample


def write(path: Path, bad: bytes) -> int:
    """A CSV file with ``bad`` as its second-to-last row; returns that row's byte offset."""
    body = b"a,b,kind\n" + b"".join(b"%d,%d,%s\n" % (i, i + 1, b"xy"[i % 2:i % 2 + 1]) for i in range(ROWS))
    path.write_bytes(body + bad + b"1,2,x\n")
    return len(body)


MAPPINGS = {
    "numbers": ColumnMapping({"x": ("a", "b")}),
    "numbers and labels": ColumnMapping({"x": ("a", "b")}, {"t": LabelColumn("kind", INDEX, ("x", "y"))}),
    # no number column: NumPy's reader does not run, so the label column's reader meets the bad row first
    "labels only": ColumnMapping({}, {"t": LabelColumn("kind", INDEX, ("x", "y"))}),
}


@pytest.mark.parametrize("read", sorted(MAPPINGS))
def test_a_row_of_another_width_is_named_by_its_line(tmp_path: Path, read: str) -> None:
    path = tmp_path / "data.csv"
    write(path, b"5,6\n")
    with pytest.raises(DataError, match=rf"^data\.csv: line {ROWS + 2}: 2 cells, but the header has 3 columns$"):
        read_mapped(path, MAPPINGS[read])


@pytest.mark.parametrize("read", sorted(MAPPINGS))
def test_a_byte_that_is_not_utf8_is_named_by_its_offset(tmp_path: Path, read: str) -> None:
    path = tmp_path / "data.csv"
    offset = write(path, b"5,6,\xe9\n")
    assert offset > SAMPLE_BYTES
    with pytest.raises(DataError, match=r"^data\.csv: not UTF-8 text \(bad byte at offset \d+\)$"):
        read_mapped(path, MAPPINGS[read])
