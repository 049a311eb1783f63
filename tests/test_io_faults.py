"""Files that fight back: lone surrogates are refused at load naming the place, long numbers
are cut in messages, and temporary files left by a killed save go at the next save."""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from helpers import EXAMPLES, load_example

from core.format import brief
from core.io import atomic
from core.io import fileformat as io


def mazur_doc() -> dict:
    return json.loads((EXAMPLES / "mazur.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("place, change, where", [
    ("name", lambda d: d.update(name="ab\ud800"), "name"),
    ("description", lambda d: d.update(description="\udfff"), "description"),
    ("an attribute", lambda d: d["nodes"][0]["attrs"].update(field="x\udc00"), "nodes[0].attrs.field"),
    ("a key", lambda d: d["nodes"][0].update({"\ud801": 1}), "nodes[0]"),
    ("a node id", lambda d: d["nodes"][0].update(id="\ud800x"), "nodes[0].id"),
])
def test_a_lone_surrogate_is_refused_naming_the_place(place, change, where, tmp_path):
    doc = mazur_doc()
    change(doc)
    path = tmp_path / "lone.json"
    path.write_text(json.dumps(doc), encoding="utf-8")  # ensure_ascii: the file holds "\ud800" escapes
    with pytest.raises(io.FormatError) as caught:
        io.load(path)
    assert caught.value.where == where
    assert "lone surrogate (\\u" in caught.value.reason and "could not be saved" in caught.value.reason
    str(caught.value).encode("utf-8")  # the message itself can be printed anywhere


def test_text_with_proper_surrogate_pairs_and_other_characters_loads_and_saves(tmp_path):
    doc = mazur_doc()
    doc["name"] = "Mazur 😀 – café \\ud800 (a backslash, not an escape)"
    graph = io.loads(json.dumps(doc), source="pair.json")  # 😀 is written as the pair \ud83d\ude00
    io.save(graph, tmp_path / "out.json")
    assert io.load(tmp_path / "out.json").name == doc["name"]


def test_the_cli_refuses_a_lone_surrogate_with_one_line(tmp_path, capsys):
    from app.cli.main import main

    doc = mazur_doc()
    doc["name"] = "\ud800"
    src = tmp_path / "lone.json"
    src.write_text(json.dumps(doc), encoding="utf-8")
    assert main(["save-as", str(src), str(tmp_path / "out.json")]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("backprop-workbench: error: lone.json: name: text holds a lone surrogate (\\ud800)")
    assert not (tmp_path / "out.json").exists()


def test_long_numbers_are_cut_in_messages():
    doc = mazur_doc()
    doc["version"] = 10**3999
    with pytest.raises(io.FormatError) as caught:
        io.loads(json.dumps(doc), source="long.json")
    assert str(caught.value) == ("long.json: version: written by a newer version "
                                 "(1000000000000000…0000 (4,000 digits)); this one reads up to 1")
    for field, value in (("version", -(10**3999)), ("training.seed", -(10**500)), ("training.steps", 10**600)):
        doc = mazur_doc()
        parent, _, key = field.rpartition(".")
        (doc[parent] if parent else doc)[key] = value
        with pytest.raises(io.FormatError) as caught:
            io.loads(json.dumps(doc), source="long.json")
        assert len(str(caught.value)) < 200, field
    assert brief(12345) == "12345" and brief("x" * 100) == "'" + "x" * 22 + "…"


def test_the_cli_cuts_a_long_number_argument(tmp_path, capsys):
    from app.cli.main import main

    assert main(["train", str(EXAMPLES / "mazur.json"), "--steps", "9" * 5000]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line == ("backprop-workbench: error: train: argument --steps: "
                    "steps must be a whole number, not '9999999999999999999999…")


def leave_temporary(path: Path, hex_digits: str, age: float) -> Path:
    """A temporary file as a save killed before its rename leaves it, last written ``age`` seconds ago."""
    tmp = path.parent / f".{path.name}.{hex_digits}.tmp"
    tmp.write_bytes(b'{"format": "backprop-wor')
    then = time.time() - age
    os.utime(tmp, (then, then))
    return tmp


def test_the_next_save_removes_temporaries_a_killed_save_left(tmp_path):
    path = tmp_path / "work.json"
    io.save(load_example("apple"), path)
    stale = [leave_temporary(path, h, 3600) for h in ("0a1b2c3d", "deadbeef")]
    fresh = leave_temporary(path, "01234567", 1)  # a save still going on in another process
    other = leave_temporary(tmp_path / "other.json", "0a1b2c3d", 3600)  # another file's: not ours to remove
    unlike = tmp_path / ".work.json.notes.tmp"
    unlike.write_text("kept")
    io.save(load_example("mazur"), path)
    assert not any(p.exists() for p in stale)
    assert fresh.exists() and other.exists() and unlike.exists()
    assert io.load(path).name == load_example("mazur").name
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [".work.json.01234567.tmp", ".other.json.0a1b2c3d.tmp", ".work.json.notes.tmp", "work.json"])


def test_removing_stale_temporaries_reports_them(tmp_path):
    path = tmp_path / "work.json"
    stale = leave_temporary(path, "abcdef01", atomic.STALE_AFTER + 1)
    assert atomic.remove_stale_temporaries(path) == [str(stale)]
    assert atomic.remove_stale_temporaries(path) == []
