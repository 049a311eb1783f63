"""Exports taken mid-training hold the weights as they are now, say so, and state only numbers
computed from those weights: the script prints the loss its docstring gives, the notebook says the
same, and the lesson's nodes show the values its edges and formulas use."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
from helpers import EXAMPLES
from pdf_text import page_boxes, page_texts, squeeze

from app.model.document import Document
from core.export import export_script


def _mid_training(workbench):
    """Mazur after one update and one step of the next training step."""
    window = workbench(Document.open(EXAMPLES / "mazur.json"))
    controller = window.debugger.controller
    controller.apply_update()
    controller.step()
    assert window.document.changed_weights() == ["W1", "W2"]
    return window


def _export(window, kind: str, target: Path) -> str:
    window._ask_export_path = lambda caption, suggested, file_filter: str(target)
    window.exports.ask_lesson_steps = lambda count: list(range(1, count + 1))
    assert window.exports.export(kind) is True
    return target.read_text("utf-8") if kind != "pdf" else ""


STATED = re.compile(r"With these weights the forward pass\s+gives loss\s+=\s+([0-9.e-]+)\.")


def test_the_script_prints_the_loss_its_docstring_states(workbench, tmp_path: Path) -> None:
    window = _mid_training(workbench)
    text = _export(window, "py", tmp_path / "mid.py")
    docstring = text.split('"""')[1]
    assert "These are the weights after 1 update" in " ".join(docstring.split())
    stated = STATED.search(docstring)
    assert stated is not None, docstring
    run = subprocess.run([sys.executable, str(tmp_path / "mid.py")], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    printed = re.search(r"forward pass: loss = (\S+)", run.stdout).group(1)
    assert printed == stated.group(1) == "0.29102777369359933"  # Mazur's loss after one update, every digit
    # the script holds the weights the window holds
    w1 = np.asarray(window.document.graph.nodes["W1"].value)
    assert w1[0, 0] != 0.15 and repr(float(w1[0, 0])) in text.split("W1 = np.array(")[1].split(")")[0]


def test_the_notebook_says_which_weights_with_the_same_loss(workbench, tmp_path: Path) -> None:
    window = _mid_training(workbench)
    _export(window, "ipynb", tmp_path / "mid.ipynb")
    intro = nbformat.read(tmp_path / "mid.ipynb", as_version=4).cells[0].source
    assert "weights after 1 update" in intro
    assert STATED.search(intro).group(1) == "0.29102777369359933"


def test_exports_of_the_file_as_loaded_say_nothing_of_updates(workbench, tmp_path: Path) -> None:
    window = workbench(Document.open(EXAMPLES / "mazur.json"))
    text = _export(window, "py", tmp_path / "start.py")
    assert "weights after" not in text and STATED.search(text) is None
    window.debugger.controller.step()  # a forward step changes no weight
    assert "weights after" not in _export(window, "py", tmp_path / "start2.py")


def test_the_lesson_shows_one_set_of_weights(workbench, tmp_path: Path) -> None:
    window = _mid_training(workbench)
    _export(window, "pdf", tmp_path / "mid.pdf")
    data = (tmp_path / "mid.pdf").read_bytes()
    assert set(page_boxes(data)) == {(0.0, 0.0, 960.0, 540.0)}  # File ▸ Export ▸ Lesson (PDF): landscape slides
    texts = [squeeze(t) for t in page_texts(data)]
    assert "weightsafter1update" in texts[0]
    assert "forwardpassgivesloss=0.29102777369359933" in texts[0]
    first = texts[1]  # forward affine1: W1's node and the edge from it, and the formula
    updated = "[[0.1498,0.2498],[0.1996,0.2995]]"
    assert first.count(updated) == 2  # the node's value and its edge's label
    assert "[[0.15,0.25],[0.2,0.3]]" not in first  # no page shows the starting weights
    assert "[[0.14978072,0.24975114],[0.19956143,0.29950229]]" in first  # the formula's, in full
    loss_page = next(t for t in texts if t.startswith("Step5of12"))
    assert "0.29102777" in loss_page


def test_the_note_counts_the_updates_and_gives_the_loss_of_the_weights_held() -> None:
    from core import io

    graph = io.load(EXAMPLES / "mazur.json")  # the file's weights, said to be results of 3 updates
    docstring = " ".join(export_script(graph, after_updates=3).split('"""')[1].split())
    assert "weights after 3 updates" in docstring
    assert "gives loss = 0.2983711087600027." in docstring  # Mazur's error of the weights the script holds
