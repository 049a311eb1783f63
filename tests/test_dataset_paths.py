"""A document's data paths resolve by one rule (``DataContext.resolve``): a relative path from the
graph file's folder, normalised; an absolute one as written; no file: the current folder. A data
file given instead replaces the CSV the dataset reads, never the file inline rows were edited from."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from core import io


def document(dataset: dict[str, object]) -> str:
    return json.dumps({"format": "backprop-workbench", "version": 1, "nodes": [], "edges": [], "dataset": dataset})


EDITED = {"fields": {"x": [[1.0], [2.0]]}, "edited_from": {"csv": "../data/a.csv", "columns": {"x": ["a"]}}}


def write_csv(path: Path, rows: list[float]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("a\n" + "".join(f"{r}\n" for r in rows), encoding="utf-8")


def test_edited_from_is_read_from_the_graph_file_s_folder(tmp_path: Path) -> None:
    graph = io.loads(document(EDITED), base=tmp_path / "graphs")
    assert graph.dataset is not None and graph.dataset.edited_from is not None
    assert graph.dataset.edited_from.path == tmp_path / "data" / "a.csv"


def test_without_a_file_the_current_folder_is_the_base(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "graphs").mkdir()
    monkeypatch.chdir(tmp_path / "graphs")
    graph = io.loads(document(EDITED))
    assert graph.dataset.edited_from.path == tmp_path / "data" / "a.csv"  # type: ignore[union-attr]


def test_an_absolute_path_is_kept(tmp_path: Path) -> None:
    far = tmp_path / "elsewhere" / "b.csv"
    dataset = {**EDITED, "edited_from": {"csv": str(far), "columns": {"x": ["a"]}}}
    graph = io.loads(document(dataset), base=tmp_path / "graphs")
    assert graph.dataset.edited_from.path == far  # type: ignore[union-attr]


def test_a_csv_dataset_reads_the_same_place_and_a_data_file_given_replaces_it(tmp_path: Path) -> None:
    write_csv(tmp_path / "data" / "a.csv", [1.5, 2.5, 3.5])
    write_csv(tmp_path / "other.csv", [9.0, 8.0])
    dataset = {"csv": "../data/a.csv", "columns": {"x": ["a"]}}
    graph = io.loads(document(dataset), base=tmp_path / "graphs")
    assert graph.dataset is not None and graph.dataset.source is not None
    assert graph.dataset.source.path == tmp_path / "data" / "a.csv"
    assert graph.dataset.fields["x"].ravel().tolist() == [1.5, 2.5, 3.5]
    given = io.loads(document(dataset), base=tmp_path / "graphs", data_path=tmp_path / "other.csv")
    assert given.dataset.fields["x"].ravel().tolist() == [9.0, 8.0]  # type: ignore[union-attr]
    edited = io.loads(document(EDITED), base=tmp_path / "graphs", data_path=tmp_path / "other.csv")
    assert edited.dataset.edited_from.path == tmp_path / "data" / "a.csv"  # type: ignore[union-attr]
