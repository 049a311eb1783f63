"""Evaluating many rows a chunk at a time (core.data.chunks, core.data.evaluate): the loss and the
accuracy equal those of the whole set at once (the accuracy exactly, a count of rows; the loss to
1e-13 of it, its terms summed in another order), memory stays bounded by the chunk, and a graph
that mixes rows is evaluated whole."""
from __future__ import annotations

import json
import tracemalloc
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from core import io
from core.data import chunks
from core.data.chunks import chunk_bounds, chunking
from core.data.evaluate import _evaluate_rows, evaluate, graph_leaves
from core.graph import Graph
from core.program import Program

EXAMPLES = Path(__file__).resolve().parent.parent / "resources" / "examples"
ROWS = 12_345  # chunks of 997 rows: 12 of them and a last one of 379


def _example(name: str, rows: int, **dataset: Any) -> Graph:
    data = json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    data["dataset"].update(size=rows, **dataset)
    return io.loads(json.dumps(data))


def _graph(nodes: list[dict[str, Any]], edges: list[tuple[str, str, str]], fields: dict[str, np.ndarray],
           objective: str | None = None) -> Graph:
    """A graph from its nodes, (from, to, port) edges and dataset fields."""
    data: dict[str, Any] = {
        "format": "backprop-workbench", "version": 1, "nodes": nodes,
        "edges": [{"from": a, "to": b, "port": p} for a, b, p in edges],
        "dataset": {"fields": {k: v.tolist() for k, v in fields.items()}},
    }
    if objective is not None:
        data["objective"] = objective
    return io.loads(json.dumps(data))


def _inputs(*names: str) -> list[dict[str, Any]]:
    return [{"id": n, "op": "Input", "attrs": {"field": n}} for n in names]


def _param(name: str, value: np.ndarray) -> dict[str, Any]:
    return {"id": name, "op": "Parameter", "attrs": {"trainable": True}, "value": value.tolist()}


def _both(graph: Graph) -> tuple[Any, Any, Any]:
    """(chunking, chunked evaluation, whole-set evaluation) of the graph's training rows."""
    program = Program(graph)
    leaves = graph_leaves(program, graph)
    fields = graph.dataset.train_fields  # type: ignore[union-attr]
    return chunking(program, leaves, fields), evaluate(program, leaves, fields), _evaluate_rows(program, leaves, fields)


@pytest.fixture
def small_chunks(monkeypatch):
    """Chunks of 997 rows for a 32-wide network (an odd size: the chunks' bounds are uneven)."""
    monkeypatch.setattr(chunks, "CHUNK_ELEMENTS", 32 * 997)


def _rng() -> np.random.Generator:
    return np.random.default_rng(7)


def _regression_fields(rows: int) -> dict[str, np.ndarray]:
    rng = _rng()
    x = rng.normal(size=(rows, 3))
    return {"x": x, "t": np.sin(x[:, :1]) + 0.1 * x[:, 1:2]}


def _class_fields(rows: int, labels: bool = False) -> dict[str, np.ndarray]:
    rng = _rng()
    x = rng.normal(size=(rows, 3))
    k = (x[:, 0] + 0.5 * x[:, 1] > 0).astype(int) + (x[:, 2] > 1).astype(int)
    return {"x": x, "t": k.astype(float) if labels else np.eye(3)[k]}


def _layer(rng: np.random.Generator, width: int = 32, out: int = 3) -> list[dict[str, Any]]:
    return [_param("W1", rng.normal(size=(3, width))), _param("b1", rng.normal(size=width)),
            {"id": "a1", "op": "Affine"}, {"id": "h", "op": "Tanh"},
            _param("W2", rng.normal(size=(width, out))), _param("b2", rng.normal(size=out)),
            {"id": "a2", "op": "Affine"}]


LAYER_EDGES = [("x", "a1", "x"), ("W1", "a1", "W"), ("b1", "a1", "b"), ("a1", "h", "x"),
               ("h", "a2", "x"), ("W2", "a2", "W"), ("b2", "a2", "b")]


def _classifier(loss: str, labels: bool = False, rows: int = ROWS) -> Graph:
    rng = _rng()
    nodes = _inputs("x", "t") + _layer(rng)
    edges = list(LAYER_EDGES)
    if loss == "CrossEntropy":  # probabilities from a Softmax node
        nodes.append({"id": "p", "op": "Softmax"})
        edges += [("a2", "p", "x"), ("p", "loss", "y")]
    else:
        edges.append(("a2", "loss", "x"))
    nodes.append({"id": "loss", "op": loss})
    edges.append(("t", "loss", "t"))
    return _graph(nodes, edges, _class_fields(rows, labels))


def _regression(loss: str) -> Graph:
    rng = _rng()
    nodes = _inputs("x", "t") + _layer(rng, out=1) + [{"id": "loss", "op": loss}]
    return _graph(nodes, LAYER_EDGES + [("a2", "loss", "y"), ("t", "loss", "t")], _regression_fields(ROWS))


def _reduced(op: str) -> Graph:
    """The objective a Sum or a Mean of every element of (a2 − t)²."""
    rng = _rng()
    nodes = _inputs("x", "t") + _layer(rng, out=1) + [{"id": "d", "op": "Subtract"}, {"id": "sq", "op": "Multiply"},
                                                      {"id": "total", "op": op, "attrs": {"axis": None}}]
    edges = LAYER_EDGES + [("a2", "d", "x"), ("t", "d", "y"), ("d", "sq", "x"), ("d", "sq", "y"), ("sq", "total", "x")]
    return _graph(nodes, edges, _regression_fields(ROWS))


def _picked() -> Graph:
    """x's columns picked one by one and joined again (a layer drawn as its neurons), then a SoftmaxWithLoss."""
    rng = _rng()
    nodes = _inputs("x", "t") + [{"id": "p0", "op": "Pick", "attrs": {"index": 0}},
                                 {"id": "p2", "op": "Pick", "attrs": {"index": 2}}, {"id": "j", "op": "Join"},
                                 _param("W", rng.normal(size=(2, 3))), _param("b", rng.normal(size=3)),
                                 {"id": "a", "op": "Affine"}, {"id": "loss", "op": "SoftmaxWithLoss"}]
    edges = [("x", "p0", "x"), ("x", "p2", "x"), ("p0", "j", "x"), ("p2", "j", "y"), ("j", "a", "x"),
             ("W", "a", "W"), ("b", "a", "b"), ("a", "loss", "x"), ("t", "loss", "t")]
    return _graph(nodes, edges, _class_fields(ROWS))


CHUNKED = {
    "softmax with loss": lambda: _classifier("SoftmaxWithLoss"),
    "softmax with loss, class labels": lambda: _classifier("SoftmaxWithLoss", labels=True),
    "softmax then cross-entropy": lambda: _classifier("CrossEntropy"),
    "mean squared error": lambda: _regression("MeanSquaredError"),
    "squared error": lambda: _regression("SquaredError"),
    "sum": lambda: _reduced("Sum"),
    "mean": lambda: _reduced("Mean"),
    "pick and join": _picked,
}


@pytest.mark.parametrize("make", CHUNKED.values(), ids=list(CHUNKED))
def test_a_chunked_evaluation_equals_the_whole_sets(make, small_chunks) -> None:
    found, chunked, whole = _both(make())
    assert found is not None and found.rows < ROWS  # it did go through in chunks
    assert chunked.rows == whole.rows == ROWS
    assert chunked.loss == pytest.approx(whole.loss, rel=1e-13, abs=0)
    assert chunked.loss != 0 and np.isfinite(chunked.loss)
    if whole.accuracy is None:
        assert chunked.accuracy is None
    else:  # a count of rows: the same number, every digit
        assert 0.2 < whole.accuracy < 1.0 and chunked.accuracy == whole.accuracy


def test_the_spirals_example_goes_through_in_chunks_of_65536_rows() -> None:
    graph = _example("spirals", 196_609)  # 3 × 65,536 + 1: the last chunk would have one row
    program = Program(graph)
    found = chunking(program, graph_leaves(program, graph), graph.dataset.train_fields)
    assert found is not None and found.rows == 65_536 and found.divisor == 196_609
    assert chunk_bounds(196_609, 65_536) == [(0, 65_536), (65_536, 131_072), (131_072, 196_609)]  # it joins
    assert chunk_bounds(7, 2) == [(0, 2), (2, 4), (4, 7)] and chunk_bounds(5, 10) == [(0, 5)]


def test_held_out_rows_are_chunked_too(small_chunks) -> None:
    from core.data.evaluate import split_evaluations

    graph = _example("spirals", 20_000, test_fraction=0.25)
    program = Program(graph)
    train, test = split_evaluations(program, graph)
    leaves = graph_leaves(program, graph)
    whole = _evaluate_rows(program, leaves, graph.dataset.test_fields)
    assert test is not None and test.rows == whole.rows == 5_000 and train is not None and train.rows == 15_000
    assert test.loss == pytest.approx(whole.loss, rel=1e-13) and test.accuracy == whole.accuracy


def _mixing_graphs() -> dict[str, Graph]:
    rng = _rng()
    fields = _regression_fields(ROWS)
    centred = _graph(  # x − mean(x over the rows): every row depends on all of them
        _inputs("x", "t") + [{"id": "m", "op": "Mean", "attrs": {"axis": 0, "keepdims": True}},
                             {"id": "c", "op": "Subtract"}, _param("W", rng.normal(size=(3, 1))),
                             {"id": "y", "op": "MatMul"}, {"id": "loss", "op": "MeanSquaredError"}],
        [("x", "m", "x"), ("x", "c", "x"), ("m", "c", "y"), ("c", "y", "x"), ("W", "y", "W"),
         ("y", "loss", "y"), ("t", "loss", "t")], fields)
    column = _graph(  # a constant with a value per row (the rows' count): it cannot be cut with them
        _inputs("x", "t") + [{"id": "k", "op": "Constant", "value": rng.normal(size=(ROWS, 1)).tolist()},
                             _param("W", rng.normal(size=(3, 1))), {"id": "y", "op": "MatMul"},
                             {"id": "s", "op": "Add"}, {"id": "loss", "op": "MeanSquaredError"}],
        [("x", "y", "x"), ("W", "y", "W"), ("y", "s", "x"), ("k", "s", "y"), ("s", "loss", "y"),
         ("t", "loss", "t")], fields)
    outer = _graph(  # a column of rows against a row of rows: (N, N), each row from every row
        _inputs("x", "t") + [_param("W", rng.normal(size=(3, 1))), {"id": "y", "op": "MatMul"},
                             {"id": "p", "op": "Pick", "attrs": {"index": 0}}, {"id": "s", "op": "Add"},
                             {"id": "loss", "op": "SquaredError"}],
        [("x", "y", "x"), ("W", "y", "W"), ("y", "p", "x"), ("y", "s", "x"), ("p", "s", "y"),
         ("s", "loss", "y"), ("t", "loss", "t")], {k: v[:300] for k, v in fields.items()})
    return {"mean over the rows": centred, "a constant column": column, "rows against rows": outer}


@pytest.mark.parametrize("name", list(_mixing_graphs()))
def test_a_graph_that_mixes_rows_is_evaluated_whole(name, small_chunks, monkeypatch) -> None:
    monkeypatch.setattr(chunks, "CHUNK_ELEMENTS", 16)  # chunks of a few rows, were they allowed
    found, chunked, whole = _both(_mixing_graphs()[name])
    assert found is None
    assert chunked.loss == whole.loss and np.isfinite(whole.loss)


def _peak(run) -> int:
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_is_bounded_by_the_chunk_not_the_rows(monkeypatch) -> None:
    monkeypatch.setattr(chunks, "CHUNK_ELEMENTS", 32 * 2_048)  # 512 KB a node's output
    graph = _example("spirals", 60_000)  # a node's output for every row: 15 MB
    program = Program(graph)
    leaves = graph_leaves(program, graph)
    fields = graph.dataset.train_fields
    chunk_bytes = 32 * 2_048 * 8
    chunked = _peak(lambda: evaluate(program, leaves, fields))
    whole = _peak(lambda: _evaluate_rows(program, leaves, fields))
    assert chunked < 8 * chunk_bytes, f"{chunked:,} bytes at most held for chunks of {chunk_bytes:,}"
    assert whole > 2 * 60_000 * 32 * 8  # the whole set holds several 60,000 × 32 outputs at once
