"""Pick and Join (core/ops/structure.py) in every export: a graph using them, written as a NumPy
script, a notebook and a PyTorch module, gives ``eval --json``'s loss and gradients to 1e-12, and
the script's and the module's updates give ``train``'s losses.

The graphs: Mazur's network and XOR's drawn as their neurons (a Pick per input, Joins putting the
neurons side by side; one row, so Pick gives a number, and four rows, so it gives a column), and
one built here where Pick takes a column of a product and of a weight, and Join puts a matrix
beside two columns."""
from __future__ import annotations

import json
from pathlib import Path

import export_helpers as eh
import nbformat
import numpy as np
import pytest
from helpers import load_example
from test_export_notebook import run_cells
from test_export_torch import needs_torch, torch_python

from core import io
from core.data.dataset import Dataset
from core.graph import Graph
from core.rewrite import expand_layers
from core.settings import TrainingSettings

UPDATES = 25


def columns_graph() -> Graph:
    """x·P, column 1 of it and column 2 of P joined, beside x·P, into an Affine and a softmax loss."""
    rng = np.random.default_rng(11)
    g = Graph()
    g.name = "Pick and Join"
    labels = np.array([0, 1, 1, 0])
    g.set_dataset(Dataset({"x": rng.normal(size=(4, 3)), "t": np.eye(2)[labels]}))
    g.set_settings(TrainingSettings(optimizer="momentum", learning_rate=0.1, seed=2))
    g.add_node("Input", "x", attrs={"field": "x"})
    g.add_node("Input", "t", attrs={"field": "t"})
    g.add_node("Parameter", "P", value=rng.normal(size=(4, 3)))
    g.add_node("Parameter", "W", value=rng.normal(size=(5, 2)) * 0.5)
    g.add_node("Parameter", "b", value=np.zeros(2))
    for op, node, attrs in [("Multiply", "xp", {}), ("Pick", "c", {"index": 1}), ("Pick", "d", {"index": 2}),
                            ("Join", "cd", {}), ("Join", "j", {}), ("Affine", "a", {}), ("SoftmaxWithLoss", "L", {})]:
        g.add_node(op, node, attrs=attrs)
    for src, dst, port in [("x", "xp", "x"), ("P", "xp", "y"), ("xp", "c", "x"), ("P", "d", "x"), ("c", "cd", "x"),
                           ("d", "cd", "y"), ("xp", "j", "x"), ("cd", "j", "y"), ("j", "a", "x"), ("W", "a", "W"),
                           ("b", "a", "b"), ("a", "L", "x"), ("t", "L", "t")]:
        g.connect(src, dst, port)
    return g


GRAPHS = {
    "mazur-neurons": lambda: expand_layers(load_example("mazur"))[0],
    "xor-neurons": lambda: expand_layers(load_example("xor"))[0],
    "columns": columns_graph,
}


@pytest.fixture(params=sorted(GRAPHS))
def saved(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    graph = GRAPHS[request.param]()
    ops = [n.op_type for n in graph.nodes.values()]
    assert "Pick" in ops and "Join" in ops
    path = tmp_path / f"{request.param}.json"
    io.save(graph, path)
    return path


def _eval(capsys: pytest.CaptureFixture[str], path: Path) -> dict:
    return json.loads(eh.cli_output(capsys, "eval", str(path), "--json"))


def _losses(capsys: pytest.CaptureFixture[str], path: Path) -> list[float]:
    out = eh.cli_output(capsys, "train", str(path), "--steps", str(UPDATES), "--csv", "-")
    return [float(row.split(",")[1]) for row in out.strip().splitlines()[1:]]


def _export(capsys: pytest.CaptureFixture[str], path: Path, suffix: str, *extra: str) -> Path:
    out = path.with_name("_".join([path.stem, *(a.strip("-") for a in extra)]) + suffix)
    eh.cli_output(capsys, "export", str(path), str(out), *extra)
    return out


def test_the_script_gives_the_workbench_gradients_and_losses(saved: Path, capsys) -> None:
    expected = _eval(capsys, saved)
    picked = [p for p, v in expected["params"].items() if v["grad"] is not None]
    assert picked  # some gradient flows back through Pick and Join
    eh.assert_same_step(eh.run_script(_export(capsys, saved, ".py")), expected)
    trained = eh.run_script(_export(capsys, saved, ".py", "--updates", str(UPDATES)))
    eh.assert_same_losses(eh.printed_losses(trained), _losses(capsys, saved))


def test_the_notebook_gives_the_workbench_gradients(saved: Path, capsys) -> None:
    nb = nbformat.read(_export(capsys, saved, ".ipynb"), as_version=4)
    nbformat.validate(nb)
    assert any("PickLayer" in c.source for c in nb.cells) and any("JoinLayer" in c.source for c in nb.cells)
    eh.assert_same_step(run_cells(nb), _eval(capsys, saved))


def test_the_torch_module_is_written_with_pick_and_join(saved: Path, capsys) -> None:
    text = _export(capsys, saved, ".py", "--torch").read_text(encoding="utf-8")
    assert "torch.cat([columns(" in text and "[:, " in text


@needs_torch
def test_the_torch_module_gives_the_workbench_gradients_and_losses(saved: Path, capsys) -> None:
    python = torch_python()
    assert python is not None
    eh.assert_same_step(eh.run_script(_export(capsys, saved, ".py", "--torch"), python), _eval(capsys, saved))
    trained = eh.run_script(_export(capsys, saved, ".py", "--torch", "--updates", str(UPDATES)), python)
    eh.assert_same_losses(eh.printed_losses(trained), _losses(capsys, saved))
