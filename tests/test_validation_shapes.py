"""Validation by shapes only: each op's ``out_shape`` agrees with its kernels, nothing data-sized
is allocated, empty values and outputs past the size limit are refused naming the node."""
from __future__ import annotations

import tracemalloc
import warnings
from pathlib import Path
from typing import Any, Callable, Sequence, TypeVar

import numpy as np
import pytest

from core import io
from core.data.dataset import Dataset
from core.graph import Graph
from core.ops import all_ops, register, unregister
from core.ops.base import Attrs, Op
from core.trainer import Trainer
from core.validation import MAX_TENSOR_SIZE, check, infer_shapes, validate

T = TypeVar("T")
EXAMPLES = Path(__file__).resolve().parent.parent / "resources" / "examples"

# input shapes each op is tried on: fitting ones (the kernel runs) and ones that do not fit
CASES: dict[str, list[tuple[tuple[int, ...], ...]]] = {
    "binary": [((3, 4), (4,)), ((2, 1), (1, 5)), ((), (3,)), ((3, 4), (3,)), ((2, 3), (3, 2))],
    "unary": [((),), ((5,),), ((3, 4),), ((2, 3, 4),)],
    "MatMul": [((4, 3), (3, 2)), ((3,), (3, 5)), ((4, 3), (2, 2)), ((3,), (3,)), ((2, 2, 2), (2, 2))],
    "Affine": [((4, 3), (3, 2), (2,)), ((3,), (3, 5), (5,)), ((4, 3), (3, 2), (4, 2)), ((4, 3), (3, 2), (3,)),
               ((4, 3), (3, 2), (1, 2))],
    "loss_labels": [((4, 3), (4, 3)), ((4, 3), (4,)), ((3,), (3,)), ((3,), ()), ((4, 3), (3,)), ((), ())],
    "loss_broadcast": [((4, 3), (4, 3)), ((4, 3), (3,)), ((4, 3), (2,))],
}


def cases_for(op_type: str, n_inputs: int) -> list[tuple[tuple[int, ...], ...]]:
    if op_type in ("MatMul", "Affine"):
        return CASES[op_type]
    if op_type in ("SoftmaxWithLoss", "CrossEntropy"):
        return CASES["loss_labels"]
    if op_type in ("SquaredError", "MeanSquaredError"):
        return CASES["loss_broadcast"]
    return CASES["binary"] if n_inputs == 2 else CASES["unary"]


ATTRS = [{}, {"axis": 0}, {"axis": -1, "keepdims": True}, {"axis": 3}, {"keepdims": True}]


@pytest.mark.parametrize("op", [op for op in all_ops() if not op.is_leaf and op.infers_shape], ids=lambda op: op.type)
def test_out_shape_is_the_shape_the_kernel_gives_or_refuses(op):
    rng = np.random.default_rng(0)
    attr_sets = ATTRS if any(a.name == "axis" for a in op.attrs) else [{}]
    tried = refused = 0
    for shapes in cases_for(op.type, len(op.inputs)):
        for extra in attr_sets:
            attrs = {**op.default_attrs(), **extra}
            if shapes == ((),) and attrs.get("axis") is not None:
                # NumPy takes some axes of a single number; validation refuses every one
                assert pytest.raises(ValueError, op.out_shape, shapes, attrs)
                continue
            ins = [rng.uniform(0.5, 1.5, s) for s in shapes]
            if op.type in ("SoftmaxWithLoss", "CrossEntropy") and len(shapes[1]) < len(shapes[0]):
                ins[1] = np.zeros(shapes[1])  # class labels
            try:  # the shape a forward and a backward pass both run with
                out, cache = op.forward(ins, attrs)
                op.backward(np.ones(np.shape(out)), ins, np.asarray(out), cache, attrs)
                expected = np.shape(out)
            except (ValueError, IndexError, np.exceptions.AxisError):
                expected = None
            try:
                shape = tuple(op.out_shape(shapes, attrs))
            except ValueError:
                shape = None
            assert shape == expected, (op.type, shapes, attrs)
            tried += 1
            refused += shape is None
    assert tried > refused > 0 or op.type in ("Exp", "Log", "Sigmoid", "Tanh", "ReLU", "Softmax", "Sum", "Mean")


def with_peak_memory(fn: Callable[[Graph], T], graph: Graph) -> tuple[T, int]:
    """``fn(graph)`` and the peak of the memory allocated while it ran (bytes, tracemalloc)."""
    tracemalloc.start()
    try:
        return fn(graph), tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def wide_sum_graph(rows: int) -> Graph:
    """A ``rows``×1 Constant column plus a 1×``rows`` Parameter row into Add, then Mean: a small
    file whose Add output has rows² numbers."""
    g = Graph()
    g.add_node("Constant", "column", value=np.ones((rows, 1)))
    g.add_node("Parameter", "row", value=np.ones((1, rows)))
    g.add_node("Add", "wide")
    g.add_node("Mean", "mean")
    for src, dst, port in (("column", "wide", "x"), ("row", "wide", "y"), ("wide", "mean", "x")):
        g.connect(src, dst, port)
    return g


def test_an_output_past_the_size_limit_is_refused_naming_the_node_and_its_size():
    (problems, shapes), peak = with_peak_memory(check, wide_sum_graph(20_000))
    (problem,) = problems
    assert problem.node == "wide" and problem.kind == "size"
    assert problem.message == (f"wide (Add): its output would hold 400,000,000 numbers (shape (20000, 20000)), "
                               f"more than the limit of {MAX_TENSOR_SIZE:,}")
    assert shapes["wide"] == (20_000, 20_000) and shapes["mean"] is None  # nothing after it is checked
    assert peak < 1_000_000  # bytes: no array of the output's size was made (it would be 3.2 GB)


def test_an_output_within_the_limit_passes():
    g = wide_sum_graph(8_000)  # 64,000,000 numbers: just under 2**26
    assert 8_000**2 <= MAX_TENSOR_SIZE
    assert validate(g) == []
    assert infer_shapes(g)["mean"] == ()


def test_validating_a_million_row_dataset_allocates_nothing_of_its_size():
    graph = io.load(EXAMPLES / "spirals.json")
    graph.set_dataset(Dataset.generate("spirals", 1_000_000))
    (problems, shapes), peak = with_peak_memory(check, graph)
    assert problems == []
    assert shapes["tanh2"] == (1_000_000, 32) and shapes["loss"] == ()
    # only the class-label check reads the targets (16 MB); a hidden layer's output is 256 MB
    assert peak < 5_000_000


@pytest.mark.parametrize("op_type", ["Mean", "Sum"])
def test_an_empty_parameter_is_refused_naming_the_node(op_type):
    g = Graph()
    g.add_node("Parameter", "w", value=[])
    g.add_node(op_type, "m")
    g.connect("w", "m", "x")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # NumPy's "mean of empty slice" would be an error here
        problems = validate(g)
    assert [(p.node, p.kind, p.message) for p in problems] == [
        ("w", "shape", "w (Parameter): its value is empty (shape (0,)): it needs at least one number")
    ]


def test_an_empty_dataset_column_is_refused_at_the_input():
    g = Graph()
    g.set_dataset(Dataset({"x": np.zeros((4, 0)), "t": np.zeros((4, 1))}))
    g.add_node("Input", "x", attrs={"field": "x"})
    g.add_node("Sum", "s")
    g.connect("x", "s", "x")
    (problem,) = validate(g)
    assert problem.node == "x"
    assert problem.message == "x (Input): its field 'x' is empty (shape (4, 0)): it needs at least one number"


def test_an_empty_value_in_a_file_is_refused_by_the_cli(tmp_path, capsys):
    from app.cli.main import main

    path = tmp_path / "empty.json"
    path.write_text('{"format": "backprop-workbench", "version": 1, "nodes": ['
                    '{"id": "w", "op": "Parameter", "value": []}, {"id": "m", "op": "Mean"}],'
                    '"edges": [{"from": "w", "to": "m", "port": "x"}]}')
    assert main(["eval", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["backprop-workbench: error: empty.json: invalid graph (1 problem): "
                   "w (Parameter): its value is empty (shape (0,)): it needs at least one number"]


def test_shapes_of_an_axis_reduction_out_of_range_are_named():
    g = Graph()
    g.add_node("Parameter", "w", value=[1.0, 2.0])
    g.add_node("Sum", "s", attrs={"axis": 1})
    g.connect("w", "s", "x")
    (problem,) = validate(g)
    assert problem.node == "s" and problem.kind == "shape"
    assert problem.message == "s (Sum): shapes do not fit: x (2,) (axis 1 is out of bounds for an input of 1 axes)"


class Halve(Op):
    """out = x / 2, with kernels but no shape rule (as an op running user code has none)."""

    type = "TestHalve"
    title = "Halve"
    family = "experiments"
    inputs = ("x",)

    def forward(self, ins: Sequence[np.ndarray], attrs: Attrs) -> tuple[np.ndarray, Any]:
        return ins[0] / 2.0, None

    def backward(self, dout: np.ndarray, ins: Sequence[np.ndarray], out: np.ndarray, cache: Any,
                 attrs: Attrs) -> list[np.ndarray | None]:
        return [dout / 2.0]


def test_an_op_without_a_shape_rule_leaves_shapes_unknown_and_still_trains():
    register(Halve)
    try:
        g = Graph()
        g.add_node("Parameter", "w", value=[1.0, 3.0])
        g.add_node("TestHalve", "half")
        g.add_node("Sum", "s")
        g.connect("w", "half", "x")
        g.connect("half", "s", "x")
        problems, shapes = check(g)
        assert problems == [] and shapes == {"w": (2,), "half": None, "s": None}
        trainer = Trainer(g)
        trainer.run(2)  # ∂s/∂w = 1/2: w − 2 · 0.1 · 0.5
        np.testing.assert_allclose(trainer.weights()["w"], [0.9, 2.9])
    finally:
        unregister("TestHalve")
