"""Published references that fight back: an index that names no single entry, and a training step
too far to reach, end in a line of output or a one-line message, never a traceback or a hang."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import EXAMPLES

from app.cli.main import main
from core.io import fileformat as io


def _mazur_with(tmp_path: Path, **changes) -> Path:
    doc = json.loads((EXAMPLES / "mazur.json").read_text(encoding="utf-8"))
    doc["references"][0].update(changes)  # affine1's net_h1, a 1×2 value
    path = tmp_path / "mazur.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


@pytest.mark.parametrize("index", [[0], [0, 0, 0]])
def test_eval_with_an_index_of_the_wrong_length_says_it_has_no_number(tmp_path, capsys, index):
    path = _mazur_with(tmp_path, index=index)
    assert main(["eval", str(path)]) == 0
    out = capsys.readouterr().out
    label = "affine1[" + ",".join(map(str, index)) + "] (value)"
    (line,) = [line for line in out.splitlines() if label in line]
    assert line.endswith("ours is not computed yet")


def test_a_reference_after_more_updates_than_the_limit_is_refused_at_load(tmp_path, capsys):
    path = _mazur_with(tmp_path, after_updates=2**53 + 1)
    with pytest.raises(io.FormatError) as refused:
        io.load(path)
    assert str(refused.value) == ("mazur.json: references[0].after_updates: must be at most 1,000, "
                                  "not 9007199254740993")
    assert main(["eval", str(path)]) == 2
    assert capsys.readouterr().err == f"backprop-workbench: error: {refused.value}\n"


def test_a_reference_at_the_limit_loads(tmp_path):
    assert io.load(_mazur_with(tmp_path, after_updates=1_000)).references[0]["after_updates"] == 1_000
