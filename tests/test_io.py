"""The file format: round trips bit for bit, readable text, fragments, the documented example.

Atomic saving is in test_io_atomic.py, malformed documents in test_io_malformed.py.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from helpers import assert_graphs_equal, build_mazur, example_names, load_example

from core import io
from core.data.dataset import Dataset
from core.graph import Graph
from core.settings import TrainingSettings
from core.stepper import Stepper
from core.validation import validate


# ------------------------------------------------------------ round trips
@pytest.mark.parametrize("name", example_names())
def test_every_example_survives_save_and_load(name: str, tmp_path: Path) -> None:
    graph = load_example(name)
    out = tmp_path / f"{name}.json"
    io.save(graph, out)
    again = io.load(out)
    assert_graphs_equal(graph, again)
    assert io.dumps(again, base=tmp_path) == out.read_text(encoding="utf-8")


def _tricky_graph() -> Graph:
    g = Graph()
    g.name = "tricky — ünïcode"
    g.description = 'quotes " and \\ backslash\nand a new line'
    g.set_dataset(Dataset.generate("spirals", 50, seed=7))
    g.set_settings(TrainingSettings(optimizer="adam", learning_rate=0.003, steps=17, batch_size=5,
                                    seed=3, momentum=0.5, beta1=0.8, beta2=0.99, eps=1e-7))
    odd = [0.1 + 0.2, 1 / 3, -0.0, 5e-324, 1e300, -2.5e-17, 123456789.123456789, 2.0**60, np.nextafter(1.0, 2.0)]
    g.add_node("Input", "x", attrs={"field": "x"}, pos=(-12.375, 1 / 3))
    g.add_node("Parameter", "W", value=np.array(odd[:8]).reshape(2, 4), pos=(220.0, 0.1))
    g.add_node("Constant", "c", value=odd[8], attrs={}, pos=(1e6, -0.0))
    g.add_node("Constant", "weird", value=[float("nan"), float("inf"), -float("inf")])
    g.add_node("Parameter", "frozen", value=[[[1.0]], [[2.0]]], attrs={"trainable": False})
    g.add_node("MatMul", "mm")
    g.add_node("Sum", "total", attrs={"axis": None, "keepdims": True})
    g.add_node("Mean", "avg", attrs={"axis": 1})
    g.connect("x", "mm", "x")
    g.connect("W", "mm", "W")
    g.connect("mm", "total", "x")
    g.connect("mm", "avg", "x")
    g.set_objective("total")
    return g


def test_a_graph_built_in_code_comes_back_bit_for_bit(tmp_path: Path) -> None:
    graph = _tricky_graph()
    path = tmp_path / "tricky.json"
    io.save(graph, path)
    again = io.load(path)
    assert_graphs_equal(graph, again)
    assert again.objective == "total"
    assert again.nodes["W"].value[0, 2].tobytes() == np.float64(-0.0).tobytes()
    assert again.nodes["W"].value[0, 3] == 5e-324
    weird = again.nodes["weird"].value
    assert np.isnan(weird[0]) and weird[1] == np.inf and weird[2] == -np.inf
    assert again.nodes["frozen"].value.shape == (2, 1, 1)


def test_mazur_round_trip_keeps_every_part() -> None:
    graph = build_mazur()
    graph.set_objective("loss")
    again = io.loads(io.dumps(graph))
    assert_graphs_equal(graph, again)
    assert again.dataset is not None and again.dataset.generator is None
    assert again.dataset.fields["t"].tolist() == [[0.01, 0.99]]


def test_a_generated_dataset_is_saved_as_its_recipe() -> None:
    graph = Graph()
    graph.set_dataset(Dataset.generate("sine", 300, seed=4))
    doc = io.to_dict(graph)
    assert doc["dataset"] == {"generator": "sine", "size": 300, "seed": 4}
    again = io.from_dict(json.loads(json.dumps(doc)))
    assert again.dataset is not None and again.dataset.generator == "sine"
    assert np.array_equal(again.dataset.fields["t"], graph.dataset.fields["t"])


def test_the_text_is_readable_and_diff_friendly() -> None:
    text = io.dumps(build_mazur())
    lines = text.splitlines()
    assert lines[0] == "{" and lines[1] == '  "format": "backprop-workbench",' and lines[2] == '  "version": 1,'
    assert '    {"from": "x", "to": "affine1", "port": "x"},' in lines
    assert '    {"id": "b1", "op": "Constant", "pos": [0, 240], "value": 0.35},' in lines
    assert text.endswith("}\n")
    big = Graph()
    big.add_node("Parameter", "W", value=np.arange(60.0).reshape(3, 20) / 7)
    rows = [line.strip().rstrip(",") for line in io.dumps(big).splitlines() if line.strip().startswith("[")]
    assert [json.loads(r) for r in rows] == (np.arange(60.0).reshape(3, 20) / 7).tolist()


def test_a_fragment_holds_the_chosen_nodes_and_the_edges_between_them() -> None:
    graph = build_mazur()
    graph.set_objective("loss")
    doc = io.to_dict(graph, ["affine2", "W2", "sigmoid2", "loss"])
    assert [n["id"] for n in doc["nodes"]] == ["W2", "affine2", "sigmoid2", "loss"]
    assert doc["edges"] == [
        {"from": "W2", "to": "affine2", "port": "W"},
        {"from": "affine2", "to": "sigmoid2", "port": "x"},
        {"from": "sigmoid2", "to": "loss", "port": "y"},
    ]
    assert doc["objective"] == "loss"
    assert "dataset" not in doc and "training" not in doc
    part = io.from_dict(doc)
    assert list(part.nodes) == ["W2", "affine2", "sigmoid2", "loss"]
    assert "objective" not in io.to_dict(graph, ["W1", "affine1"])


# ------------------------------------------------------ the documented example
def test_the_documented_example_loads_validates_and_runs() -> None:
    docs = Path(__file__).resolve().parent.parent / "docs" / "file-format.md"
    text = docs.read_text(encoding="utf-8")
    block = text.split("```json\n", 1)[1].split("```", 1)[0]
    graph = io.loads(block, source="file-format.md")
    assert validate(graph) == []
    assert graph.objective == "loss" and graph.settings.steps == 100
    stepper = Stepper(graph)
    stepper.run_forward()
    assert stepper.loss is not None and stepper.loss > 0
