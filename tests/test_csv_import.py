"""CSV import in core: layout detection, column mapping, label columns, and one line naming the
file, line and column for every kind of bad data the issue lists."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from core.data.csvfile import (
    INDEX,
    ColumnMapping,
    DataError,
    LabelColumn,
    MissingDataFile,
    default_mapping,
    detect,
    read_mapped,
)
from core.data.sources import csv_dataset, numpy_fields, write_csv

DATA = Path(__file__).resolve().parent.parent / "resources" / "data"
IRIS_COLUMNS = ("sepal_length", "sepal_width", "petal_length", "petal_width", "species")


def _write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return p


def _read(path: Path) -> dict[str, np.ndarray]:
    return read_mapped(path, default_mapping(detect(path)))[0]


def test_iris_reads_as_150_rows_of_4_features_and_3_one_hot_classes() -> None:
    layout = detect(DATA / "iris.csv")
    assert layout.columns == IRIS_COLUMNS and layout.delimiter == "," and layout.decimal == "."
    fields, mapping = read_mapped(DATA / "iris.csv", default_mapping(layout))
    assert fields["x"].shape == (150, 4) and fields["t"].shape == (150, 3)
    assert fields["x"][0].tolist() == [5.1, 3.5, 1.4, 0.2]
    assert mapping.labels["t"].classes == ("setosa", "versicolor", "virginica")
    assert fields["t"].sum(axis=0).tolist() == [50.0, 50.0, 50.0]
    assert fields["t"][-1].tolist() == [0.0, 0.0, 1.0]  # the last row is a virginica


def test_digits_label_column_as_class_indices() -> None:
    mapping = ColumnMapping({"x": tuple(f"p{i}" for i in range(64))}, {"t": LabelColumn("digit", INDEX)})
    fields, mapping = read_mapped(DATA / "digits.csv", mapping)
    assert fields["x"].shape == (1797, 64) and fields["t"].shape == (1797,)
    assert fields["t"][:10].tolist() == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
    assert mapping.labels["t"].classes == tuple(str(i) for i in range(10))  # numeric order, not text order


def test_semicolons_and_decimal_commas_are_detected(tmp_path: Path) -> None:
    p = _write(tmp_path, "eu.csv", "a;b;c\n1,5;2;x\n-3,25;4,0;y\n")
    layout = detect(p)
    assert (layout.delimiter, layout.decimal) == (";", ",")
    fields = _read(p)
    assert fields["x"].tolist() == [[1.5, 2.0], [-3.25, 4.0]] and fields["t"].tolist() == [[1, 0], [0, 1]]


def test_tabs_and_a_utf8_bom_are_read(tmp_path: Path) -> None:
    p = _write(tmp_path, "bom.csv", b"\xef\xbb\xbfa\tb\n1\t2\n3\t4\n")
    layout = detect(p)
    assert layout.columns == ("a", "b") and layout.delimiter == "\t"  # the BOM is not part of 'a'
    assert _read(p)["x"].tolist() == [[1, 2], [3, 4]]


def test_a_file_without_a_header_names_its_columns(tmp_path: Path) -> None:
    p = _write(tmp_path, "bare.csv", "1,2\n3,4\n")
    layout = detect(p)
    assert not layout.header and layout.columns == ("column 1", "column 2")
    assert _read(p)["x"].tolist() == [[1, 2], [3, 4]]


def test_columns_go_to_the_fields_the_mapping_names(tmp_path: Path) -> None:
    p = _write(tmp_path, "m.csv", "a,b,c,d\n1,2,3,4\n5,6,7,8\n")
    fields, _ = read_mapped(p, ColumnMapping({"x": ("c", "a"), "t": ("d",)}))
    assert fields["x"].tolist() == [[3, 1], [7, 5]] and fields["t"].tolist() == [[4], [8]]


BAD = [
    ("missing.csv", None, "missing.csv: no such file"),
    ("ragged.csv", "a,b,c\n1,2,3\n4,5\n", "ragged.csv: line 3: 2 cells, but the header has 3 columns"),
    ("word.csv", "a,b,c\n" + "1,2,3\n" * 15 + "4,5,abc\n", "word.csv: line 17, column 3: 'abc' is not a number"),
    ("blank.csv", "a,b\n1,2\n3,\n", "blank.csv: line 3, column 2: an empty cell is not a number"),
    ("nan.csv", "a,b\n1,2\n3,nan\n", "nan.csv: line 3, column 2: the cell is NaN; every cell must be a finite number"),
    ("inf.csv", "a,b\n1,-inf\n",
     "inf.csv: line 2, column 2: the cell is an infinity; every cell must be a finite number"),
    ("empty.csv", "", "empty.csv: the file is empty"),
    ("header.csv", "a,b,c\n", "header.csv: line 1: a header but no rows of data"),
    ("dup.csv", "a,b,a\n1,2,3\n", "dup.csv: line 1, column 3: the column name 'a' appears twice (first in column 1)"),
    ("noname.csv", "a,,c\n1,2,3\n", "noname.csv: line 1, column 2: the column has no name in the header"),
    ("oneclass.csv", "a,label\n1,cat\n2,cat\n",
     "oneclass.csv: column 2: every row has the class 'cat'; a label column needs at least two classes"),
    ("utf16.csv", "a,b\n1,2\n".encode("utf-16"),
     "utf16.csv: is UTF-16 text; save it as UTF-8 (CSV UTF-8) and import it again"),
    ("latin.csv", b"a,b\n1,2\n\xe9,3\n", "latin.csv: not UTF-8 text (bad byte at offset 8)"),
]


@pytest.mark.parametrize("name,text,message", BAD, ids=[b[0] for b in BAD])
def test_bad_data_gives_one_line_naming_file_line_and_column(tmp_path: Path, name: str, text, message: str) -> None:
    p = tmp_path / name if text is None else _write(tmp_path, name, text)
    with pytest.raises(DataError) as err:
        layout = detect(p)
        every = name in ("word.csv", "blank.csv")  # map every column: the bad cell is beyond the preview
        read_mapped(p, ColumnMapping({"x": layout.columns}) if every else default_mapping(layout))
    assert str(err.value).split(" (looked for")[0] == message
    assert "\n" not in str(err.value)
    if text is None:
        assert isinstance(err.value, MissingDataFile)


def test_a_missing_column_of_the_mapping_is_named(tmp_path: Path) -> None:
    p = _write(tmp_path, "nine.csv", ",".join(f"c{i}" for i in range(9)) + "\n" + ",".join("1" * 9) + "\n")
    mapping = ColumnMapping({"x": tuple(f"c{i}" for i in range(10))})
    with pytest.raises(DataError, match=r"^nine.csv: line 1: no column named 'c9' \(columns: c0, c1"):
        read_mapped(p, mapping)


def test_a_million_rows_that_do_not_fit_the_declared_shape(tmp_path: Path) -> None:
    """A million-row file with one short row near the end: the line is found, nothing returned."""
    rows = np.arange(2_000_000, dtype=float).reshape(-1, 2)
    p = tmp_path / "big.csv"
    with open(p, "w") as f:
        f.write("a,b\n")
        np.savetxt(f, rows[:999_990], fmt="%d", delimiter=",")
        f.write("7\n")
        np.savetxt(f, rows[999_990:], fmt="%d", delimiter=",")
    with pytest.raises(DataError, match=r"^big.csv: line 999992: 1 cells, but the header has 2 columns$"):
        read_mapped(p, ColumnMapping({"x": ("a", "b")}))


def test_class_order_from_the_graph_is_kept_and_unknown_classes_are_named(tmp_path: Path) -> None:
    p = _write(tmp_path, "c.csv", "a,kind\n1,b\n2,a\n3,c\n")
    lab = LabelColumn("kind", INDEX, ("c", "b", "a"))
    fields, _ = read_mapped(p, ColumnMapping({"x": ("a",)}, {"t": lab}))
    assert fields["t"].tolist() == [1, 2, 0]
    unknown = r"^c.csv: line 4, column 2: the class 'c' is not one of the graph's classes \(b, a\)$"
    with pytest.raises(DataError, match=unknown):
        read_mapped(p, ColumnMapping({"x": ("a",)}, {"t": LabelColumn("kind", INDEX, ("b", "a"))}))


def test_npy_and_npz_import(tmp_path: Path) -> None:
    np.save(tmp_path / "feat.npy", np.arange(6.0).reshape(3, 2))
    assert numpy_fields(tmp_path / "feat.npy")["feat"].tolist() == [[0, 1], [2, 3], [4, 5]]
    np.savez(tmp_path / "d.npz", x=np.ones((4, 3)), t=np.arange(4))
    fields = numpy_fields(tmp_path / "d.npz")
    assert fields["x"].shape == (4, 3) and fields["t"].tolist() == [[0], [1], [2], [3]]
    np.savez(tmp_path / "bad.npz", x=np.ones((4, 3)), t=np.arange(5))
    with pytest.raises(DataError, match=r"^bad.npz: the arrays have different numbers of rows \(x: 4, t: 5\)$"):
        numpy_fields(tmp_path / "bad.npz")
    np.save(tmp_path / "nan.npy", np.array([[1.0, np.nan]]))
    with pytest.raises(DataError, match=r"^nan.npy: the array 'nan' has nan at row 0, column 1$"):
        numpy_fields(tmp_path / "nan.npy")


def test_export_writes_a_csv_that_reads_back_exactly(tmp_path: Path) -> None:
    ds = csv_dataset(DATA / "iris.csv", default_mapping(detect(DATA / "iris.csv")))
    out = tmp_path / "out.csv"
    write_csv(ds, out)
    assert out.read_text().splitlines()[:2] == ["x1,x2,x3,x4,t1,t2,t3", "5.1,3.5,1.4,0.2,1,0,0"]
    back, _ = read_mapped(out, ColumnMapping({"x": ("x1", "x2", "x3", "x4"), "t": ("t1", "t2", "t3")}))
    assert np.array_equal(back["x"], ds.fields["x"]) and np.array_equal(back["t"], ds.fields["t"])
