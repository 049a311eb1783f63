"""A file's long texts are cut where a message quotes them: one readable line that keeps its start
and its last words, whether the loader, the command line or the window says it."""
from __future__ import annotations

import json

from helpers import EXAMPLES

from app.cli.main import main
from core.format import cut
from core.io import fileformat as io

LONG = "a" * 100_000


def test_cut_keeps_short_text_and_the_ends_of_long_text():
    assert cut("abc", 3) == "abc"
    assert cut("0123456789", 8) == "01234…89" and len(cut(LONG, 300)) == 300


def test_a_dangling_edge_of_100000_characters_is_cut_in_the_message(tmp_path, capsys):
    doc = json.loads((EXAMPLES / "mazur.json").read_text(encoding="utf-8"))
    doc["edges"][0]["to"] = LONG
    path = tmp_path / "mazur.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    try:
        io.load(path)
    except io.FormatError as exc:
        message = str(exc)
    assert message.startswith("mazur.json: edges[0].to: there is no node 'aaaa")
    assert message.endswith("aaaa'") and "…" in message and len(message) < 340
    assert main(["save-as", str(path), str(tmp_path / "out.json")]) == 2
    assert capsys.readouterr().err == f"backprop-workbench: error: {message}\n"
