"""Opening documents: files without positions, examples as untitled copies."""
from __future__ import annotations

import json
from pathlib import Path

from app.model.document import Document
from core import io

MAZUR = Path(__file__).resolve().parent.parent / "resources" / "examples" / "mazur.json"


def test_a_file_without_positions_opens_laid_out_by_depth(tmp_path):
    data = io.to_dict(io.load(MAZUR))
    for node in data["nodes"]:
        node.pop("pos", None)
    path = tmp_path / "unplaced.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    doc = Document.open(path)
    pos = {n.id: n.pos for n in doc.graph.nodes.values()}
    assert len(set(pos.values())) == len(pos)  # nobody on top of anybody
    assert pos["x"][0] < pos["affine1"][0] < pos["sigmoid1"][0] < pos["affine2"][0] < pos["loss"][0]
    assert not doc.is_modified()


def test_a_file_with_positions_keeps_them():
    doc = Document.open(MAZUR)
    assert {n.id: n.pos for n in doc.graph.nodes.values()} == {n.id: n.pos for n in io.load(MAZUR).nodes.values()}


def test_an_example_opens_untitled_and_remembers_where_it_came_from():
    doc = Document.open_example(MAZUR)
    assert doc.path is None and doc.example == "mazur.json" and doc.title() == "mazur.json (example)"
