"""The gradient check at every magnitude, 1e-300 to 1e300: correct ops (ln x, exp of a small
x, x², 1/x, √x) as custom layers never fail, planted wrong backwards (a sign, a factor
1 + 1e-5, a missing term) always fail where the check can measure them; an op whose forward is
not finite on random inputs is checked on positive ones, and the tester's graphs (a weight of
1e-8, 1e-300, the largest float) get no false FAIL."""
from __future__ import annotations

import math

import numpy as np
import pytest
from engine_fixtures import build_overflowing_square
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.custom.check import check_layer
from core.gradcheck import check_gradients
from core.graph import Graph


def layer(forward: str, backward: str) -> str:
    """A one-input custom layer: ``out = forward(x)``, ``dx = dout * backward(x)``."""
    return (
        "import numpy as np\n\n\n"
        "class Op:\n"
        "    def __init__(self):\n"
        "        self.x = None\n\n"
        "    def forward(self, x):\n"
        "        self.x = x\n"
        f"        return {forward}\n\n"
        "    def backward(self, dout):\n"
        "        x = self.x\n"
        f"        return dout * ({backward})\n"
    )


# name → (forward, correct local derivative, the magnitudes where value and derivative are floats)
CORRECT = {
    "log": ("np.log(x)", "1.0 / x", (-300, 300)),
    "exp_small": ("np.exp(x)", "np.exp(x)", (-300, -1)),
    "square": ("x * x", "2.0 * x", (-150, 150)),
    "reciprocal": ("1.0 / x", "-1.0 / (x * x)", (-150, 150)),
    "sqrt": ("np.sqrt(x)", "0.5 / np.sqrt(x)", (-300, 300)),
    "x_plus_log": ("x + np.log(x)", "1.0 + 1.0 / x", (-300, 300)),
}
WRONG = {  # name → (forward, wrong local derivative)
    "log_sign": ("np.log(x)", "-1.0 / x"),
    "log_factor": ("np.log(x)", "(1.0 + 1e-5) / x"),
    "reciprocal_sign": ("1.0 / x", "1.0 / (x * x)"),
    "square_factor": ("x * x", "2.0 * (1.0 + 1e-5) * x"),
    "sqrt_factor": ("np.sqrt(x)", "(1.0 + 1e-5) * 0.5 / np.sqrt(x)"),
    "missing_term": ("x + np.log(x)", "1.0 / x"),  # drops the 1 (checked where it matters: x ≥ 1e-4)
}
WRONG_RANGE = {"missing_term": (-4, 300), "log_sign": (-300, 300), "log_factor": (-300, 300),
               "sqrt_factor": (-300, 300)}
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def magnitudes(low: int, high: int) -> st.SearchStrategy[float]:
    return st.builds(lambda e, m: m * 10.0**e, st.integers(low, high), st.floats(1.0, 9.99))


@pytest.mark.parametrize("name", sorted(CORRECT))
def test_a_correct_layer_never_fails(name, trust):
    forward, backward, (low, high) = CORRECT[name]
    code = layer(forward, backward)
    trust.allow([code])

    @SETTINGS
    @given(magnitudes(low, high))
    def check(x: float) -> None:
        result = check_layer(code, [np.array([x])], random_cases=0)
        assert result.passed and result.checkable, (x, result.summary())

    check()


@pytest.mark.parametrize("name", sorted(WRONG))
def test_a_wrong_layer_always_fails(name, trust):
    forward, backward = WRONG[name]
    code = layer(forward, backward)
    trust.allow([code])
    low, high = WRONG_RANGE.get(name, (-150, 150))

    @SETTINGS
    @given(magnitudes(low, high))
    def check(x: float) -> None:
        result = check_layer(code, [np.array([x])], random_cases=0)
        assert not result.passed, (x, result.summary())

    check()


def test_a_correct_log_layer_is_checked_on_positive_inputs(trust):
    code = layer("np.log(x)", "1.0 / x")
    trust.allow([code])
    result = check_layer(code, [np.array([[0.5, 2.0, 1e-8]])], node="log")
    assert result.passed and result.checkable, result.summary()
    assert result.cases == 4
    assert "random inputs gave NaN or Inf in forward: checked on positive ones" in result.notes


def test_a_wrong_log_layer_is_still_flagged_on_positive_inputs(trust):
    code = layer("np.log(x)", "(1.0 + 1e-5) / x")
    trust.allow([code])
    result = check_layer(code, [np.array([[0.5, 2.0, 1e-8]])], node="log")
    assert not result.passed
    assert result.summary().startswith("log: backward is wrong for x")


def test_a_layer_never_finite_is_not_checkable(trust):
    code = layer("np.log(-np.abs(x) - 1.0)", "1.0 / x")
    trust.allow([code])
    result = check_layer(code, [np.array([1.0, 2.0])], node="bad")
    assert result.passed and not result.checkable
    assert result.summary().startswith("bad: not checkable here")


def log_sum(value: float) -> Graph:
    g = Graph()
    g.add_node("Parameter", "p", value=[value])
    g.add_node("Log", "log")
    g.add_node("Sum", "s")
    g.connect("p", "log", "x")
    g.connect("log", "s", "x")
    return g


@pytest.mark.parametrize("x", [1e-8, 1e-300, 2.5e-200, 1e300])
def test_log_of_a_tiny_or_huge_weight_passes(x):
    report = check_gradients(log_sum(x))
    p = report.entry("p")
    assert p.verdict == "PASS", (p.error, p.numeric)
    assert p.numeric[0] == pytest.approx(1.0 / x, rel=1e-8)


def test_the_largest_float_weight_is_measured_one_sided():
    g = Graph()
    g.add_node("Parameter", "p", value=[float(np.finfo(np.float64).max)])
    g.add_node("Sum", "s")
    g.connect("p", "s", "x")
    p = check_gradients(g).entry("p")
    assert p.verdict == "PASS" and p.numeric[0] == pytest.approx(1.0, rel=1e-9)


def test_a_weight_whose_loss_overflows_is_not_checkable():
    report = check_gradients(build_overflowing_square())
    assert report.entry("p").verdict == "not checkable here"
    assert math.isnan(report.entry("p").error) and report.failures() == []


@SETTINGS
@given(magnitudes(-300, 300))
def test_the_graph_check_of_log_passes_at_every_magnitude(x):
    p = check_gradients(log_sum(x)).entry("p")
    assert p.verdict == "PASS", (x, p.error, p.numeric)


@pytest.mark.parametrize("factor", [1.0 + 1e-5, -1.0])
def test_the_graph_check_of_a_wrong_log_fails_at_every_magnitude(monkeypatch, factor):
    from core.ops import get_op

    op = get_op("Log")
    original = op.bind_backward

    def wrong(dout, ins, out, cache, attrs, grads):  # the right gradient, then times factor
        instrs = list(original(dout, ins, out, cache, attrs, grads))
        return instrs + [(np.multiply, (grads[0], factor, grads[0]))] if grads[0] is not None else instrs

    monkeypatch.setattr(op, "bind_backward", wrong)

    @SETTINGS
    @given(magnitudes(-300, 300))
    def check(x: float) -> None:
        p = check_gradients(log_sum(x)).entry("p")
        assert p.verdict == "FAIL", (x, p.error, p.numeric)

    check()
