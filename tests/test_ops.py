"""Every registered op: backward against central finite differences (broadcasting included),
formula templates that can be filled, and the losses' exact definitions."""
from __future__ import annotations

import string
from typing import Any, Callable

import numpy as np
import pytest

from core.ops import all_ops, get_op
from core.ops.losses import CROSS_ENTROPY_EPS
from core.program import NodePlan, backward_node, forward_node

EPS = 1e-6
TOLERANCE = 1e-6

Maker = Callable[[np.random.Generator], list[np.ndarray]]


# ------------------------------------------------------------------ input makers
def normal(*shapes: tuple[int, ...]) -> Maker:
    return lambda rng: [rng.normal(size=s) for s in shapes]


def away_from_zero(shape: tuple[int, ...]) -> np.ndarray:
    """Values in ±[0.2, 1.2]: no kink (ReLU) or pole (Divide) within a finite-difference step."""
    rng = np.random.default_rng(99)
    return rng.choice([-1.0, 1.0], size=shape) * rng.uniform(0.2, 1.2, size=shape)


def signed(shape: tuple[int, ...]) -> Maker:
    return lambda rng: [away_from_zero(shape)]


def positive(shape: tuple[int, ...]) -> Maker:
    return lambda rng: [rng.uniform(0.5, 2.0, size=shape)]


def divide(xs: tuple[int, ...], ys: tuple[int, ...]) -> Maker:
    return lambda rng: [rng.normal(size=xs), away_from_zero(ys)]


def one_hot(rows: tuple[int, ...], classes: int, rng: np.random.Generator) -> np.ndarray:
    labels = rng.integers(0, classes, size=rows)
    return np.eye(classes)[labels]


def logits_and_hot(shape: tuple[int, ...]) -> Maker:
    return lambda rng: [rng.normal(size=shape), one_hot(shape[:-1], shape[-1], rng)]


def logits_and_labels(shape: tuple[int, ...]) -> Maker:
    return lambda rng: [rng.normal(size=shape), rng.integers(0, shape[-1], size=shape[:-1]).astype(float)]


def probabilities(shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
    e = np.exp(rng.normal(size=shape))
    return e / e.sum(axis=-1, keepdims=True)


def probs_and_hot(shape: tuple[int, ...]) -> Maker:
    return lambda rng: [probabilities(shape, rng), one_hot(shape[:-1], shape[-1], rng)]


def probs_and_labels(shape: tuple[int, ...]) -> Maker:
    return lambda rng: [probabilities(shape, rng), rng.integers(0, shape[-1], size=shape[:-1]).astype(float)]


def probs_and_probs(shape: tuple[int, ...]) -> Maker:
    return lambda rng: [probabilities(shape, rng), probabilities(shape, rng)]


UNARY_SHAPES = [(), (3,), (4, 3)]
BINARY_SHAPES = [
    ((4, 3), (4, 3)),
    ((4, 3), (3,)),
    ((3,), (4, 3)),
    ((4, 3), ()),
    ((), (4, 3)),
    ((4, 1), (1, 3)),
    ((2, 4, 3), (4, 1)),
]

REDUCTIONS = [  # Sum and Mean: all, one axis, keepdims
    ("all (4, 3)", normal((4, 3)), {}),
    ("all (3,)", normal((3,)), {}),
    ("axis 0", normal((4, 3)), {"axis": 0}),
    ("axis 1 keepdims", normal((4, 3)), {"axis": 1, "keepdims": True}),
]
CASES: dict[str, list[tuple[str, Maker, dict[str, Any]]]] = {
    "Sigmoid": [(f"x{s}", normal(s), {}) for s in UNARY_SHAPES],
    "Tanh": [(f"x{s}", normal(s), {}) for s in UNARY_SHAPES],
    "Exp": [(f"x{s}", normal(s), {}) for s in UNARY_SHAPES],
    "ReLU": [(f"x{s}", signed(s), {}) for s in UNARY_SHAPES],
    "Log": [(f"x{s}", positive(s), {}) for s in UNARY_SHAPES],
    "Softmax": [(f"x{s}", normal(s), {}) for s in [(3,), (4, 3), (2, 4, 3)]],
    "Add": [(f"{a}+{b}", normal(a, b), {}) for a, b in BINARY_SHAPES],
    "Subtract": [(f"{a}-{b}", normal(a, b), {}) for a, b in BINARY_SHAPES],
    "Multiply": [(f"{a}*{b}", normal(a, b), {}) for a, b in BINARY_SHAPES],
    "Divide": [(f"{a}/{b}", divide(a, b), {}) for a, b in BINARY_SHAPES],
    "Sum": [*REDUCTIONS, ("axis -1 of 3-D", normal((2, 4, 3)), {"axis": -1})],
    "Mean": [*REDUCTIONS, ("axis -2 of 3-D", normal((2, 4, 3)), {"axis": -2})],
    "MatMul": [
        ("x 1-D", normal((3,), (3, 2)), {}),
        ("x 2-D", normal((4, 3), (3, 2)), {}),
        ("x row", normal((1, 3), (3, 5)), {}),
    ],
    "Affine": [
        ("x 1-D, b vector", normal((3,), (3, 2), (2,)), {}),
        ("x 1-D, scalar b", normal((3,), (3, 2), ()), {}),
        ("x 2-D, b vector", normal((4, 3), (3, 2), (2,)), {}),
        ("x 2-D, scalar b", normal((4, 3), (3, 2), ()), {}),
        ("x 2-D, b row", normal((4, 3), (3, 2), (1, 2)), {}),
    ],
    "SoftmaxWithLoss": [
        ("batch one-hot", logits_and_hot((4, 3)), {}),
        ("batch labels", logits_and_labels((4, 3)), {}),
        ("1-D one-hot", logits_and_hot((3,)), {}),
        ("1-D label", logits_and_labels((3,)), {}),
    ],
    "CrossEntropy": [
        ("batch one-hot", probs_and_hot((4, 3)), {}),
        ("batch labels", probs_and_labels((4, 3)), {}),
        ("1-D one-hot", probs_and_hot((3,)), {}),
        ("soft targets", probs_and_probs((4, 3)), {}),
    ],
    "SquaredError": [
        ("1-D", normal((2,), (2,)), {}),
        ("batch", normal((4, 3), (4, 3)), {}),
        ("scalar", normal((), ()), {}),
    ],
    "MeanSquaredError": [
        ("1-D", normal((2,), (2,)), {}),
        ("batch", normal((4, 3), (4, 3)), {}),
        ("column", normal((5, 1), (5, 1)), {}),
    ],
    "Pick": [
        ("one row", normal((1, 3)), {"index": 1}),
        ("batch", normal((4, 3)), {"index": 2}),
    ],
    "Join": [
        ("two numbers", normal((), ()), {}),
        ("columns", normal((4,), (4,)), {}),
        ("rows and a column", normal((4, 2), (4,)), {}),
        ("row and a number", normal((1, 2), ()), {}),
    ],
}

COMPUTED = [op for op in all_ops() if not op.is_leaf and not op.runs_user_code]  # custom: test_custom_check.py
PARAMS = [
    pytest.param(op_type, maker, attrs, id=f"{op_type}-{case}")
    for op_type, cases in CASES.items()
    for case, maker, attrs in cases
]


def test_every_computed_op_has_gradient_cases():
    assert {op.type for op in COMPUTED} <= set(CASES)


def test_the_issue_lists_ops_are_registered():
    required = {
        "Add", "Subtract", "Multiply", "Divide", "MatMul", "Affine", "Sum", "Mean", "Sigmoid", "Tanh", "ReLU",
        "Softmax", "SoftmaxWithLoss", "CrossEntropy", "SquaredError", "MeanSquaredError",
    }
    assert required <= {op.type for op in all_ops()}


# ---------------------------------------------------------- finite differences
def make_plan(op_type: str, attrs: dict[str, Any]) -> NodePlan:
    op = get_op(op_type)
    merged = {**op.default_attrs(), **attrs}
    srcs = tuple(f"in_{p}" for p in op.inputs)
    grad_ports = tuple(i for i, p in enumerate(op.inputs) if p in op.grad_ports())
    return NodePlan("node", op, merged, srcs, grad_ports)


def run_forward(plan: NodePlan, ins: list[np.ndarray]) -> tuple[dict[str, np.ndarray], Any]:
    values = dict(zip(plan.srcs, ins))
    out, cache = forward_node(plan, values)
    values[plan.id] = out
    return values, cache


def objective(plan: NodePlan, ins: list[np.ndarray], weights: np.ndarray) -> float:
    """A scalar of the op's output whose gradient with respect to the output is ``weights``."""
    values, _ = run_forward(plan, ins)
    return float(np.sum(values[plan.id] * weights))


def numeric_gradient(plan: NodePlan, ins: list[np.ndarray], port: int, weights: np.ndarray) -> np.ndarray:
    grad = np.zeros_like(ins[port])
    flat = grad.reshape(-1)
    for k in range(ins[port].size):
        plus = [a.copy() for a in ins]
        minus = [a.copy() for a in ins]
        plus[port].reshape(-1)[k] += EPS
        minus[port].reshape(-1)[k] -= EPS
        flat[k] = (objective(plan, plus, weights) - objective(plan, minus, weights)) / (2 * EPS)
    return grad


def relative_error(analytic: np.ndarray, numeric: np.ndarray) -> float:
    scale = max(np.linalg.norm(analytic), np.linalg.norm(numeric), 1e-12)
    return float(np.linalg.norm(analytic - numeric) / scale)


@pytest.mark.parametrize("op_type, maker, attrs", PARAMS)
def test_backward_matches_central_differences(op_type: str, maker: Maker, attrs: dict[str, Any]):
    rng = np.random.default_rng(7)
    ins = [np.asarray(a, dtype=np.float64) for a in maker(rng)]
    plan = make_plan(op_type, attrs)
    values, cache = run_forward(plan, ins)
    out = values[plan.id]
    assert out.dtype == np.float64
    weights = rng.normal(size=out.shape)
    sent = dict(backward_node(plan, values, cache, weights))
    assert set(sent) == set(plan.grad_ports)
    for port in plan.grad_ports:
        analytic = sent[port]
        assert analytic.shape == ins[port].shape, f"gradient of {plan.op.inputs[port]} not reduced to its shape"
        numeric = numeric_gradient(plan, ins, port, weights)
        err = relative_error(analytic, numeric)
        assert err < TOLERANCE, f"{op_type}.{plan.op.inputs[port]}: relative error {err:.2e}"


@pytest.mark.parametrize("op_type, maker, attrs", PARAMS)
def test_kernels_leave_their_inputs_untouched(op_type: str, maker: Maker, attrs: dict[str, Any]):
    rng = np.random.default_rng(11)
    ins = [np.asarray(a, dtype=np.float64) for a in maker(rng)]
    before = [a.copy() for a in ins]
    plan = make_plan(op_type, attrs)
    values, cache = run_forward(plan, ins)
    out_before = values[plan.id].copy()
    dout = rng.normal(size=values[plan.id].shape)
    dout_before = dout.copy()
    backward_node(plan, values, cache, dout)
    for a, b in zip(ins, before):
        assert np.array_equal(a, b)
    assert np.array_equal(values[plan.id], out_before)
    assert np.array_equal(dout, dout_before)


def test_mazur_scalar_bias_gradient_is_reduced_to_a_scalar():
    plan = make_plan("Add", {})
    x = np.array([0.3775, 0.39249999])
    values, cache = run_forward(plan, [x, np.array(0.35)])
    sent = dict(backward_node(plan, values, cache, np.array([0.5, -0.25])))
    assert sent[1].shape == ()
    assert sent[1] == pytest.approx(0.25, abs=1e-15)
    assert np.array_equal(sent[0], [0.5, -0.25])


def test_affine_scalar_bias_gets_the_sum_over_batch_and_units():
    plan = make_plan("Affine", {})
    x = np.arange(6.0).reshape(2, 3)
    w = np.ones((3, 2))
    values, cache = run_forward(plan, [x, w, np.array(0.5)])
    assert np.array_equal(values["node"], x @ w + 0.5)
    dout = np.array([[1.0, 2.0], [3.0, 4.0]])
    sent = dict(backward_node(plan, values, cache, dout))
    assert sent[2].shape == ()
    assert float(sent[2]) == 10.0
    assert np.array_equal(sent[1], x.T @ dout)
    assert np.array_equal(sent[0], dout @ w.T)


# ------------------------------------------------------------------ formulas
FIELD_RE = string.Formatter()


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in FIELD_RE.parse(template) if name is not None}


@pytest.mark.parametrize("op", COMPUTED, ids=lambda op: op.type)
def test_every_op_has_forward_and_backward_formulas(op):
    assert op.forward_formula.strip(), f"{op.type} has no forward formula"
    assert set(op.backward_formulas) == set(op.grad_ports()), (
        f"{op.type}: backward formulas for {sorted(op.backward_formulas)}, gradient ports {op.grad_ports()}"
    )
    for port, template in op.backward_formulas.items():
        assert f"{{d{port}}}" in template, f"{op.type}: the formula for {port} never shows its result"
    assert "{out}" in op.forward_formula


@pytest.mark.parametrize("op_type, maker, attrs", PARAMS)
def test_formula_placeholders_can_all_be_filled(op_type: str, maker: Maker, attrs: dict[str, Any]):
    rng = np.random.default_rng(3)
    ins = [np.asarray(a, dtype=np.float64) for a in maker(rng)]
    plan = make_plan(op_type, attrs)
    op = plan.op
    values, cache = run_forward(plan, ins)
    out = values[plan.id]
    dout = np.ones_like(out)
    ports = set(op.inputs)
    before = ports | {"out"} | set(op.formula_values(ins, out, None, cache, plan.attrs))
    missing = placeholders(op.forward_formula) - before
    assert not missing, f"{op_type} forward formula cannot fill {missing}"
    after = ports | {"out", "dout"} | {f"d{p}" for p in op.grad_ports()}
    after |= set(op.formula_values(ins, out, dout, cache, plan.attrs))
    for port, template in op.backward_formulas.items():
        missing = placeholders(template) - after
        assert not missing, f"{op_type} backward formula for {port} cannot fill {missing}"
    filled = {name: np.asarray(v) for name, v in op.formula_values(ins, out, dout, cache, plan.attrs).items()}
    assert all(np.all(np.isfinite(v)) for v in filled.values())


# -------------------------------------------------------------------- losses
def loss_of(op_type: str, y: Any, t: Any) -> float:
    out, _ = get_op(op_type).forward([np.asarray(y, dtype=float), np.asarray(t, dtype=float)], {})
    return float(out)


def log_sum_exp_loss(x: np.ndarray, labels: np.ndarray) -> float:
    m = x.max(axis=-1, keepdims=True)
    lse = m[:, 0] + np.log(np.exp(x - m).sum(axis=-1))
    return float(np.mean(lse - x[np.arange(len(x)), labels]))


def test_softmax_with_loss_is_stable_for_huge_logits():
    x = np.array([[1000.0, 0.0, -1000.0], [1000.0, 1000.0, 999.0], [-1000.0, 1000.0, 0.0]])
    labels = np.array([1, 2, 1])
    expected = log_sum_exp_loss(x, labels)
    assert np.isfinite(expected) and expected > 300
    hot = np.eye(3)[labels]
    for t in (hot, labels.astype(float)):
        op = get_op("SoftmaxWithLoss")
        out, cache = op.forward([x, t], {})
        assert np.isfinite(out)
        assert float(out) == pytest.approx(expected, rel=1e-14)
        (dx, dt) = op.backward(np.array(1.0), [x, t], out, cache, {})
        assert dt is None
        assert np.all(np.isfinite(dx))
        assert np.allclose(dx.sum(axis=1), 0.0, atol=1e-15)


def test_softmax_is_stable_for_huge_logits():
    out, _ = get_op("Softmax").forward([np.array([1000.0, 1000.0, -1000.0])], {})
    assert np.array_equal(out, [0.5, 0.5, 0.0])


def test_softmax_with_loss_is_the_batch_mean():
    x = np.array([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]])
    labels = np.array([0, 1])
    assert loss_of("SoftmaxWithLoss", x, np.eye(3)[labels]) == pytest.approx(log_sum_exp_loss(x, labels), rel=1e-14)


def test_cross_entropy_epsilon_and_sign():
    assert CROSS_ENTROPY_EPS == 1e-7
    y = np.array([[0.7, 0.2, 0.1], [0.0, 1.0, 0.0]])
    t = np.array([[1.0, 0.0, 0.0], [1.0, 0.0, 0.0]])
    expected = -(np.log(0.7 + 1e-7) + np.log(0.0 + 1e-7)) / 2
    assert expected > 0
    assert loss_of("CrossEntropy", y, t) == pytest.approx(expected, rel=1e-14)
    assert loss_of("CrossEntropy", [0.0, 1.0], [1.0, 0.0]) == pytest.approx(-np.log(1e-7), rel=1e-14)
    assert loss_of("CrossEntropy", y, [0.0, 0.0]) == pytest.approx(expected, rel=1e-14)


def test_cross_entropy_gradient_at_zero_probability_is_finite():
    op = get_op("CrossEntropy")
    y, t = np.array([0.0, 1.0]), np.array([1.0, 0.0])
    out, cache = op.forward([y, t], {})
    dy, _ = op.backward(np.array(1.0), [y, t], out, cache, {})
    assert np.array_equal(dy, [-1e7, -0.0])


def test_squared_error_is_half_the_sum_of_squares():
    assert loss_of("SquaredError", [1.0, 2.0], [0.0, 0.0]) == 2.5
    assert loss_of("SquaredError", [[1.0, 2.0], [3.0, 0.0]], [[0.0, 0.0], [0.0, 1.0]]) == 7.5
    mazur = loss_of("SquaredError", [0.75136507, 0.772928465], [0.01, 0.99])
    assert mazur == pytest.approx(0.298371109, abs=1e-9)


def test_mean_squared_error_is_the_mean_over_elements():
    assert loss_of("MeanSquaredError", [[1.0, 2.0], [3.0, 0.0]], [[0.0, 0.0], [0.0, 1.0]]) == 15.0 / 4


def test_targets_receive_no_gradient():
    for op in COMPUTED:
        if op.is_loss:
            assert op.grad_ports() == (op.inputs[0],)


def test_targets_that_do_not_fit_are_a_value_error():
    with pytest.raises(ValueError, match=r"\(3,\).*\(4, 3\)"):
        get_op("SoftmaxWithLoss").forward([np.zeros((4, 3)), np.zeros(3)], {})
