"""The gradient check's step per entry: silent on correct ops near a singularity (ln x at
x = 1e-4, whose fixed-step central difference is 10000.333 against the exact 1e4), and still
loud on wrong ones."""
from __future__ import annotations

import math

import numpy as np
import pytest
from engine_fixtures import wire

from core import io
from core.finitediff import derivative, round_off
from core.gradcheck import check_gradients
from core.graph import Graph
from core.ops import get_op


def log_sum(values: list[float]) -> Graph:
    """Parameter → Log → Sum: ∂L/∂p = 1/p exactly."""
    g = Graph()
    g.add_node("Parameter", "p", value=values)
    g.add_node("Log", "log")
    g.add_node("Sum", "s")
    wire(g, ("p", "log", "x"), ("log", "s", "x"))
    return g


def test_a_fixed_step_central_difference_is_wrong_here():
    # what the check used to do: (ln(x + h) − ln(x − h)) / 2h with h = 1e-6 at x = 1e-4
    x, h = 1e-4, 1e-6
    assert (math.log(x + h) - math.log(x - h)) / (2 * h) == pytest.approx(10000.333, abs=1e-3)


@pytest.mark.parametrize("x", [1e-4, 1e-6, 1e-7, 3.0, 1e6])
def test_log_near_its_singularity_passes(x):
    report = check_gradients(log_sum([x, 2 * x]))
    assert report.passed, [(e.name, e.error) for e in report.entries]
    p = report.entry("p")
    np.testing.assert_allclose(p.numeric, [1 / x, 1 / (2 * x)], rtol=1e-8)
    assert p.error < 1e-8


def test_the_command_line_check_is_silent_on_it(tmp_path, capsys):
    from app.cli.main import main

    path = tmp_path / "log.json"
    io.save(log_sum([1e-4]), path)
    assert main(["check", str(path)]) == 0
    assert "FAIL" not in capsys.readouterr().out


@pytest.mark.parametrize("factor", [1.0 + 1e-5, 2.0, -1.0])
def test_a_wrong_log_backward_near_the_singularity_still_fails(monkeypatch, factor):
    op = get_op("Log")
    original = op.bind_backward

    def wrong(dout, ins, out, cache, attrs, grads):
        instrs = list(original(dout, ins, out, cache, attrs, grads))
        return instrs + [(np.multiply, (grads[0], factor, grads[0]))] if grads[0] is not None else instrs

    monkeypatch.setattr(op, "bind_backward", wrong)
    report = check_gradients(log_sum([1e-4, 3.0]))
    assert not report.entry("p").passed and report.entry("p").error > 1e-6


def test_a_smooth_function_takes_one_central_difference_and_a_curved_one_more():
    calls: list[float] = []

    def cube(v: float) -> float:
        calls.append(v)
        return v**3

    value, noise = derivative(cube, 2.0, 1e-6, 8.0)
    assert value == pytest.approx(12.0, rel=1e-9) and len(calls) == 2  # D(h) alone: f(x ± h)
    assert noise == round_off(8.0, 2e-6)
    calls.clear()
    value, noise = derivative(lambda v: cube(math.log(v)) if v > 0 else math.nan, 1e-4, 1e-6, 0.0)
    assert value == pytest.approx(3 * math.log(1e-4) ** 2 / 1e-4, rel=1e-9)
    assert len(calls) > 2 and noise > round_off(1.0, 1e-6)  # refined with smaller steps
