"""A new Input node gets a field it can run on at once: a graph built from scratch steps
without touching JSON (issue "The first ten minutes", point 1)."""
from __future__ import annotations

import numpy as np
import pytest

from app import commands as cmd
from core.data.dataset import Dataset
from core.graph import Graph
from core.stepper import Stepper
from core.validation import validate


def test_input_multiply_squared_error_built_from_scratch_steps() -> None:
    g = Graph()
    done = []
    for op in ("Input", "Parameter", "Multiply", "Input", "SquaredError"):
        c = cmd.AddNode(g, op)
        c.redo()
        done.append(c)
    assert [g.nodes[n].attrs["field"] for n in ("input1", "input2")] == ["x", "t"]
    assert g.dataset is not None
    assert {k: v.tolist() for k, v in g.dataset.fields.items()} == {"x": [[1.0]], "t": [[1.0]]}
    for src, dst, port in (("input1", "multiply1", "x"), ("parameter1", "multiply1", "y"),
                           ("multiply1", "squarederror1", "y"), ("input2", "squarederror1", "t")):
        g.connect(src, dst, port)
    assert validate(g) == []
    stepper = Stepper(g)
    stepper.run_backward()
    assert stepper.frame.loss == 0.0  # 1 · 1 against 1
    for c in reversed(done):
        c.undo()
    assert g.dataset is None and not g.nodes  # undo takes the fields away with their Inputs


def test_a_new_input_reads_an_existing_field_and_adds_a_missing_one_with_the_rows() -> None:
    g = Graph()
    g.set_dataset(Dataset({"x": np.arange(6.0).reshape(3, 2)}))
    first = cmd.AddNode(g, "Input")
    first.redo()
    assert g.nodes["input1"].attrs["field"] == "x" and list(g.dataset.fields) == ["x"]  # type: ignore[union-attr]
    second = cmd.AddNode(g, "Input")
    second.redo()
    assert g.nodes["input2"].attrs["field"] == "t"
    assert g.dataset is not None and g.dataset.fields["t"].tolist() == [[1.0], [1.0], [1.0]]
    second.undo()
    assert list(g.dataset.fields) == ["x"]


@pytest.mark.parametrize("given", ["y"])
def test_an_input_given_a_field_keeps_it(given: str) -> None:
    g = Graph()
    c = cmd.AddNode(g, "Input", attrs={"field": given})
    c.redo()
    assert g.nodes["input1"].attrs["field"] == given and g.dataset is not None and given in g.dataset.fields
