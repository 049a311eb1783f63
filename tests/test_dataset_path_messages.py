"""A dataset's CSV path as it is shown: an empty one is named by its field (not by the folder it
would resolve to), and a data file given by a relative path with ``..`` is shown normalised, in
the dataset's source and in the message of a file that is not there."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from core import io
from core.io.fileformat import DataFileMissing, FormatError


def write_graph(folder: Path, dataset: dict[str, object]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "g.json"
    path.write_text(json.dumps({"format": "backprop-workbench", "version": 1, "nodes": [], "edges": [],
                                "dataset": dataset}), encoding="utf-8")
    return path


@pytest.mark.parametrize("dataset, place", [
    ({"csv": "", "columns": {"x": ["a"]}}, "dataset.csv"),
    ({"csv": "  ", "columns": {"x": ["a"]}}, "dataset.csv"),
    ({"fields": {"x": [[1.0]]}, "edited_from": {"csv": "", "columns": {"x": ["a"]}}}, "dataset.edited_from.csv"),
])
def test_an_empty_csv_path_is_named_by_its_field(tmp_path: Path, dataset: dict[str, object], place: str) -> None:
    path = write_graph(tmp_path / "graphs", dataset)
    with pytest.raises(FormatError) as caught:
        io.load(path)
    assert str(caught.value) == f"g.json: {place}: empty path"


def test_a_relative_data_file_with_dot_dot_is_shown_normalised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "other.csv").write_text("a\n1.5\n2.5\n", encoding="utf-8")
    path = write_graph(tmp_path / "graphs", {"csv": "data.csv", "columns": {"x": ["a"]}})
    monkeypatch.chdir(tmp_path)
    graph = io.load(path, data_path=os.path.join("graphs", "..", "other.csv"))
    assert graph.dataset is not None and graph.dataset.source is not None
    assert graph.dataset.source.path == tmp_path / "other.csv"
    assert ".." not in str(graph.dataset.source.path)
    assert graph.dataset.fields["x"].ravel().tolist() == [1.5, 2.5]

    with pytest.raises(DataFileMissing) as caught:
        io.load(path, data_path=os.path.join("graphs", "..", "gone.csv"))
    assert caught.value.path == tmp_path / "gone.csv"
    assert f"(looked for {tmp_path / 'gone.csv'})" in str(caught.value) and ".." not in str(caught.value)
