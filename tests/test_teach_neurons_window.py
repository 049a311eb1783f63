"""Expand to Neurons in the window and on the command line: undoable, the canvas follows, the file comes back."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import EXAMPLES

from app.commands.rewrite import CollapseLayer, ExpandLayer
from app.model.document import Document
from app.teach import neurons
from core import io
from core.rewrite import RewriteError

ROOT = Path(__file__).resolve().parent.parent


def test_expand_is_one_undo_entry_and_undo_gives_the_file_back_byte_for_byte(make_main_window, tmp_path):
    text = (EXAMPLES / "mazur.json").read_text(encoding="utf-8")
    window = make_main_window(Document.open(EXAMPLES / "mazur.json"), install=[neurons.install])
    doc = window.document
    window.document.undo_stack.push(ExpandLayer(doc, "affine1"))
    assert doc.undo_stack.undoText() == "Expand affine1 to Neurons"
    ids = {item.node_id for item in window.scene.node_items()}
    assert {"w1", "w2", "w3", "w4", "net_h1", "out_h1", "i1", "i2"} <= ids and "affine1" not in ids
    doc.undo_stack.push(ExpandLayer(doc, "affine2"))
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    doc.save(tmp_path / "back.json")
    assert (tmp_path / "back.json").read_text(encoding="utf-8") == text
    doc.undo_stack.redo()
    doc.graph.set_value("w4", 0.9)  # a changed weight goes back into the matrix
    doc.undo_stack.push(CollapseLayer(doc, "net_h2"))
    assert doc.graph.nodes["W1"].value.tolist() == [[0.15, 0.25], [0.2, 0.9]]
    assert not doc.graph.expansions


def test_the_layer_menu_expands_the_selected_layer_and_says_why_not(make_main_window):
    window = make_main_window(Document.open(EXAMPLES / "spirals.json"), install=[neurons.install])
    assert neurons.expand_selected(window).startswith("Cannot expand every layer: expanding affine1 would make 289")
    window.selected_node = lambda: "x"
    assert neurons.expand_selected(window).startswith("x is not an Affine layer")
    window.selected_node = lambda: "affine1"
    assert neurons.expand_selected(window) == (
        "Cannot expand: expanding affine1 would make 289 nodes; at most 200 are drawn (a person cannot read more)")
    assert window.document.undo_stack.count() == 0


def test_expand_with_nothing_selected_expands_every_layer_in_one_undo_entry(make_main_window, tmp_path):
    text = (EXAMPLES / "mazur.json").read_text(encoding="utf-8")
    window = make_main_window(Document.open(EXAMPLES / "mazur.json"), install=[neurons.install])
    doc = window.document
    assert window.selected_node() is None
    said = neurons.expand_selected(window)
    assert said == "Expanded affine1, affine2 into their neurons (one Undo brings the graph back)"
    assert [e["layer"] for e in doc.graph.expansions] == ["affine1", "affine2"]
    assert doc.undo_stack.count() == 1 and doc.undo_stack.undoText() == "Expand affine1, affine2 to Neurons"
    ids = {item.node_id for item in window.scene.node_items()}
    assert {"net_h1", "net_o2", "w8"} <= ids and not {"affine1", "affine2"} & ids
    doc.undo_stack.undo()
    doc.save(tmp_path / "back.json")
    assert (tmp_path / "back.json").read_text(encoding="utf-8") == text


def test_refused_rewrites_are_never_pushed(qapp):
    doc = Document(io.load(EXAMPLES / "mazur.json"))
    with pytest.raises(RewriteError, match="loss is a .* node"):
        ExpandLayer(doc, "loss")
    with pytest.raises(RewriteError, match="W1 is not part of a layer expanded"):
        CollapseLayer(doc, "W1")
    doc.close()


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True, env=env, cwd=ROOT)


def test_cli_expand_every_layer_or_one_and_refuse_with_the_count(tmp_path):
    out = tmp_path / "m.json"
    done = run_cli("expand", str(EXAMPLES / "mazur.json"), str(out))
    assert done.returncode == 0, done.stderr
    assert "expanded affine1, affine2" in done.stderr
    saved = json.loads(out.read_text(encoding="utf-8"))
    assert [e["layer"] for e in saved["expanded"]] == ["affine1", "affine2"]
    ev = run_cli("eval", str(out), "--json")
    assert json.loads(ev.stdout)["loss"] == pytest.approx(0.298371109, abs=1e-9)
    one = run_cli("expand", str(EXAMPLES / "xor.json"), str(tmp_path / "x.json"), "--node", "affine2")
    assert one.returncode == 0 and "affine2: x has 4 rows" in one.stderr
    big = run_cli("expand", str(EXAMPLES / "spirals.json"), str(tmp_path / "s.json"))
    assert big.returncode == 2 and "would make 289 nodes; at most 200" in big.stderr
    assert not (tmp_path / "s.json").exists()
