"""Validation: every problem at once, each naming its node; the shapes found on the way."""
from __future__ import annotations

import numpy as np
from engine_fixtures import cyclic_graph, product_graph

from core.data.dataset import Dataset
from core.graph import Graph
from core.validation import check, infer_shapes, validate


def problems_by_kind(g: Graph) -> dict[str, list]:
    out: dict[str, list] = {}
    for p in validate(g):
        out.setdefault(p.kind, []).append(p)
    return out


def test_a_valid_graph_has_no_problems():
    assert validate(product_graph()) == []


def test_validate_returns_every_problem_at_once():
    g = Graph()
    g.set_dataset(Dataset({"x": np.zeros((4, 3))}))
    g.add_node("Input", "x", attrs={"field": "x"})
    g.add_node("Input", "label", attrs={"field": "labels"})
    g.add_node("Parameter", "W", value=np.ones((2, 2)))
    g.add_node("Parameter", "bad", value=[1.0, np.nan])
    g.add_node("Constant", "huge", value=np.inf)
    g.add_node("MatMul", "mm")
    g.connect("x", "mm", "x")
    g.connect("W", "mm", "W")
    g.add_node("Add", "lonely")
    g.connect("bad", "lonely", "x")
    g.add_node("SquaredError", "loss1")
    g.add_node("SoftmaxWithLoss", "loss2")
    g.connect("mm", "loss1", "y")
    g.connect("label", "loss1", "t")
    g.connect("huge", "loss2", "t")

    found = problems_by_kind(g)
    by_node = {(p.kind, p.node): p.message for p in validate(g)}

    assert by_node[("unconnected", "lonely")] == "lonely (Add): input 'y' is not connected"
    assert by_node[("unconnected", "loss2")] == "loss2 (Softmax with loss): input 'x' is not connected"
    assert len(found["unconnected"]) == 2
    assert by_node[("data", "label")] == "label (Input): the dataset has no field 'labels' (fields: x)"
    assert by_node[("nonfinite", "bad")] == "bad (Parameter): its value holds NaN or Inf"
    assert by_node[("nonfinite", "huge")] == "huge (Constant): its value holds NaN or Inf"
    assert "several losses (loss1, loss2)" in found["objective"][0].message
    shape = by_node[("shape", "mm")]
    assert "mm (MatMul)" in shape and "(4, 3)" in shape and "(2, 2)" in shape
    assert set(found) == {"unconnected", "data", "nonfinite", "objective", "shape"}


def test_validate_names_the_nodes_of_a_cycle():
    problems = problems_by_kind(cyclic_graph())
    (cycle,) = problems["cycle"]
    assert cycle.node == "s1"
    assert cycle.message.endswith("cycle through s1, s2")


def test_validate_reports_no_loss():
    g = product_graph()
    g.add_node("Tanh", "s1")
    g.add_node("Tanh", "s2")
    g.connect("mul", "s1", "x")
    g.connect("mul", "s2", "x")
    (problem,) = validate(g)
    assert problem.kind == "objective" and problem.node is None
    assert problem.message.startswith("no loss") and "s1, s2" in problem.message


def test_validate_reports_an_empty_graph():
    (problem,) = validate(Graph())
    assert "empty" in problem.message


def test_validate_reports_an_input_without_a_dataset():
    g = product_graph()
    g.add_node("Input", "x", attrs={"field": "pixels"})
    (problem,) = validate(g)
    assert problem.node == "x" and "no dataset to read 'pixels'" in problem.message


def test_validate_reports_a_non_scalar_objective_with_its_shape():
    g = product_graph()
    g.set_value("a", [1.0, 2.0])
    (problem,) = validate(g)
    assert problem.node == "mul" and problem.kind == "objective"
    assert "must be a scalar" in problem.message and "(2,)" in problem.message


def test_validate_reports_a_leaf_objective():
    g = product_graph()
    g.set_objective("a")
    problems = validate(g)
    assert [(p.node, p.kind) for p in problems] == [("a", "objective")]
    assert "computed" in problems[0].message


def test_validate_uses_the_batch_size_for_input_shapes():
    g = Graph()
    g.set_dataset(Dataset({"x": np.zeros((10, 3)), "t": np.zeros((10, 2))}))
    g.set_settings(g.settings.with_changes(batch_size=4))
    g.add_node("Input", "x", attrs={"field": "x"})
    g.add_node("Input", "t", attrs={"field": "t"})
    g.add_node("Parameter", "W", value=np.zeros((3, 2)))
    g.add_node("MatMul", "mm")
    g.add_node("SquaredError", "loss")
    for src, dst, port in [("x", "mm", "x"), ("W", "mm", "W"), ("mm", "loss", "y"), ("t", "loss", "t")]:
        g.connect(src, dst, port)
    assert validate(g) == []
    assert infer_shapes(g) == {"x": (4, 3), "t": (4, 2), "W": (3, 2), "mm": (4, 2), "loss": ()}


def test_validate_turns_a_failing_kernel_into_a_problem():
    g = Graph()
    g.add_node("Parameter", "w", value=[1.0, 2.0])
    g.add_node("Constant", "labels", value=[[0.0, 1.0, 0.0]])
    g.add_node("SoftmaxWithLoss", "loss")
    g.connect("w", "loss", "x")
    g.connect("labels", "loss", "t")
    (problem,) = validate(g)
    assert problem.node == "loss" and problem.kind == "shape"
    assert "x (2,)" in problem.message and "t (1, 3)" in problem.message


def test_validate_reports_an_objective_that_names_no_node():
    g = product_graph()
    g.objective = "ghost"  # as a loader might set it
    (problem,) = validate(g)
    assert problem.kind == "objective" and "'ghost' is not a node" in problem.message


def test_check_gives_the_problems_of_validate_and_the_shapes_of_infer_shapes():
    g = product_graph()
    g.add_node("Constant", "row", value=[[1.0, 2.0, 3.0]])
    g.add_node("Parameter", "col", value=[[1.0], [2.0]])
    g.add_node("MatMul", "bad")
    g.connect("row", "bad", "x")
    g.connect("col", "bad", "W")
    problems, shapes = check(g)
    assert problems == validate(g) and problems
    assert [(p.node, p.kind) for p in problems if p.kind == "shape"] == [("bad", "shape")]
    assert shapes == infer_shapes(g) == {"a": (), "b": (), "mul": (), "row": (1, 3), "col": (2, 1), "bad": None}


def test_check_gives_no_shapes_for_a_cyclic_graph():
    problems, shapes = check(cyclic_graph())
    assert "cycle" in {p.kind for p in problems}
    assert shapes == {}
