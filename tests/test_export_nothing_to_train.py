"""A graph with no update step (Buying apples: its parameters are not trainable) exports its forward
and backward pass, and the script and the notebook say there is nothing to train in the sentence
the window and ``train`` use (``Program.nothing_to_train``); asked to train N updates, the export
refuses with ``train``'s one line."""
from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from export_helpers import assert_same_step, run_script, workbench_eval
from helpers import EXAMPLES, load_example
from test_export_notebook import run_cells

from app.cli.main import main
from core.export import ExportError, export_notebook, export_script, export_torch
from core.program import Program

APPLE = EXAMPLES / "apple.json"
WHY = "no trainable parameter (apple, apple_num and tax are not trainable), so the Program has no update step"
SAID = f"nothing to train: {WHY}"


def test_the_sentence_is_the_programs():
    assert Program(load_example("apple")).nothing_to_train() == WHY


def test_script_computes_the_passes_and_says_there_is_nothing_to_train(tmp_path: Path, capsys) -> None:
    out = tmp_path / "apple.py"
    assert main(["export", str(APPLE), str(out)]) == 0
    printed = run_script(out)
    assert_same_step(printed, workbench_eval(capsys, "apple"))
    lines = printed.strip().splitlines()
    assert lines[0] == "forward pass: mul_tax = 220.00000000000003"
    assert SAID in lines
    docstring = " ".join(out.read_text(encoding="utf-8").split('"""')[1].split())
    assert "training step" not in docstring and "backward pass, update" not in docstring
    assert f"It runs the forward pass and the backward pass, and prints the loss and every parameter's gradient; " \
           f"there is nothing to train: {WHY}." in docstring


def test_notebook_computes_the_passes_and_says_there_is_nothing_to_train(tmp_path: Path, capsys) -> None:
    out = tmp_path / "apple.ipynb"
    assert main(["export", str(APPLE), str(out)]) == 0
    nb = nbformat.read(out, as_version=4)
    printed = run_cells(nb)
    assert_same_step(printed, workbench_eval(capsys, "apple"))
    assert SAID in printed.splitlines()
    intro = nb.cells[0].source
    assert "training step" not in intro and "and the update" not in intro
    assert WHY in intro


def test_clearing_the_gradients_speaks_of_the_backward_pass_not_an_update() -> None:
    text = export_script(load_example("apple"))
    assert "this update computes them anew" not in text
    assert "the backward pass computes them anew" in text
    assert "this update computes them anew" in export_script(load_example("mazur"))


def test_asked_for_updates_the_export_refuses_with_trains_line(tmp_path: Path, capsys) -> None:
    assert main(["train", str(APPLE)]) == 2
    refused = capsys.readouterr().err.strip()
    assert refused.endswith(f"apple.json: cannot train: {WHY}")
    for extra in ([], ["--torch"]):
        out = tmp_path / "apple.py"
        assert main(["export", str(APPLE), str(out), "--updates", "3", *extra]) == 2
        err = capsys.readouterr().err.strip()
        assert len(err.splitlines()) == 1 and err.endswith(f"export apple.json: cannot train: {WHY}")
        assert not out.exists()


@pytest.mark.parametrize("make", [export_script, export_torch])
def test_the_engine_refuses_updates_of_a_graph_with_nothing_to_train(make) -> None:
    with pytest.raises(ExportError) as refused:
        make(load_example("apple"), 3)
    assert str(refused.value) == f"cannot train: {WHY}"
    assert "cannot train" not in make(load_example("mazur"), 3)


def test_torch_module_says_there_is_nothing_to_train() -> None:
    text = export_torch(load_example("apple"))
    compile(text, "apple_torch.py", "exec")
    assert f'print("{SAID}")' in text
    docstring = " ".join(text.split('"""')[1].split())
    assert "training step" not in docstring and WHY in docstring
    assert export_notebook(load_example("mazur")).count("nothing to train") == 0
