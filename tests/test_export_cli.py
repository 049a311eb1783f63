"""``backprop-workbench export``: what it refuses (an existing file without --force, a wrong
suffix, options for another kind, a graph the format cannot express), each in one line with
exit status 2 and nothing written; and every op the registry knows can be exported."""
from __future__ import annotations

from pathlib import Path

import pytest
from helpers import EXAMPLES

from app.cli.main import main
from core import notebook_layers as layers
from core.export import torch_ops
from core.ops import all_ops

MAZUR = str(EXAMPLES / "mazur.json")


def _refused(capsys, argv: list[str], words: str) -> None:
    capsys.readouterr()
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert words in err, err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_an_existing_file_is_kept_without_force(tmp_path: Path, capsys) -> None:
    out = tmp_path / "m.py"
    out.write_text("mine", encoding="utf-8")
    _refused(capsys, ["export", MAZUR, str(out)], "the file exists (add --force to overwrite it)")
    assert out.read_text(encoding="utf-8") == "mine"
    assert main(["export", MAZUR, str(out), "--force"]) == 0
    assert out.read_text(encoding="utf-8").startswith('"""Mazur')


@pytest.mark.parametrize("argv, words", [
    (["m.txt"], "must end in .py, .ipynb or .pdf"),
    (["m.pdf", "--torch"], "--torch writes a .py file"),
    (["m.pdf", "--updates", "3"], "--updates is for a .py file"),
    (["m.py", "--updates", "0"], "updates must be 1 or more"),
    (["pages", "--png", "--torch"], "--png writes lesson pages"),
    (["no-such-folder/m.py"], "does not exist"),
])
def test_mistakes_are_one_line(tmp_path: Path, capsys, argv: list[str], words: str) -> None:
    _refused(capsys, ["export", MAZUR, str(tmp_path / argv[0]), *argv[1:]], words)
    assert list(tmp_path.iterdir()) == []


def test_a_graph_the_format_cannot_express_is_refused(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.delitem(layers.LAYERS, "Sigmoid")
    _refused(capsys, ["export", MAZUR, str(tmp_path / "m.py")],
             "node sigmoid1 (Sigmoid): no NumPy layer can be written for this op")
    monkeypatch.delitem(torch_ops.EXPRESSIONS, "Affine")
    _refused(capsys, ["export", MAZUR, str(tmp_path / "t.py"), "--torch"],
             "node affine1 (Affine): no PyTorch code can be written for this op")
    assert list(tmp_path.iterdir()) == []


def test_every_computed_op_has_a_layer_and_a_torch_expression() -> None:
    computed = {op.type for op in all_ops() if not op.is_leaf and not op.runs_user_code}
    assert computed - set(layers.LAYERS) == set()
    assert computed - set(torch_ops.EXPRESSIONS) == set()
