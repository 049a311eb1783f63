"""core.format (number formatting) and core.formulas (the filled-in formulas of a node)."""
from __future__ import annotations

import numpy as np
import pytest
from helpers import example_names, load_example

from core.format import (
    format_array,
    format_edge_label,
    format_nested,
    format_number,
    format_range,
    format_shape,
    format_summary,
    grid_shape,
    is_small,
    plural,
)
from core.formulas import CHAIN_RULE_HEADING, node_report
from core.graph import Graph
from core.ops import all_ops
from core.settings import TrainingSettings
from core.stepper import Stepper


# ---------------------------------------------------------------------------- format
@pytest.mark.parametrize(
    "value, text",
    [
        (220.00000000000003, "220"),
        (110.00000000000001, "110"),
        (3.3000000000000003, "3.3"),
        (715.0000000000001, "715"),
        (1.1, "1.1"),
        (0.75136507, "0.75136507"),
        (0.35891647967297596, "0.35891648"),
        (0.2983711080102912, "0.29837111"),
        (-0.21707153, "-0.21707153"),
        (0.0, "0"),
        (-0.0, "0"),
        (1e-7, "1e-7"),
        (-2.5e12, "-2.5e12"),
        (12345678, "12345678"),
        (float("nan"), "NaN"),
        (float("inf"), "Inf"),
        (float("-inf"), "-Inf"),
        (np.float32(0.5), "0.5"),
        (np.int64(3), "3"),
    ],
)
def test_format_number_drops_float_noise_and_keeps_the_figures(value, text):
    assert format_number(value) == text


def test_format_number_digits_tell_close_values_apart():
    assert format_number(0.12345678) != format_number(0.12345679)
    assert format_number(0.123456789, digits=4) == "0.1235"


def test_format_number_never_drops_below_three_digits():
    assert format_number(0.000995, 2) == "0.000995"  # two digits would make it 0.001
    assert format_number(0.00099549, 1) == "0.000995"
    assert format_number(0.123456789, 3) == "0.123"
    assert format_number(-3e6, 3) == "-3e6"


def test_format_array_scalars_small_and_large():
    assert format_array(np.array(2.2)) == "2.2"
    assert format_array(np.array([[0.75136507]])) == "0.75136507"
    assert format_array(np.array([0.75136507, 0.77292847])) == "[0.7514, 0.7729]"
    assert format_array(np.array([[0.15, 0.25], [0.2, 0.3]])) == "[[0.15, 0.25], [0.2, 0.3]]"
    assert format_array([1, 2, 3], digits=8) == "[1, 2, 3]"
    four_by_two = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
    assert format_array(four_by_two) == "[[0, 0], [0, 1], [1, 0], [1, 1]]"  # 8 elements: written out
    big = np.linspace(-0.5, 1.25, 128 * 256).reshape(128, 256)
    assert format_array(big) == "[128×256: -0.5 … 1.25]"
    assert format_array(np.zeros((3, 3))) == "[3×3: 0 … 0]"
    assert format_array(np.zeros((2, 2, 2))) == "[2×2×2: 0 … 0]"
    assert format_array(np.zeros((0, 3))) == "[0×3: empty]"


def test_format_range_counts_nonfinite_elements():
    assert format_range(np.array([1.0, np.nan, 3.0, np.inf])) == "1 … 3, 2 NaN/Inf"
    assert format_range(np.array([np.nan, np.nan])) == "all NaN/Inf"
    assert format_summary(np.array([1.0, np.nan, 3.0, np.inf, 2.0, 2.0, 2.0, 2.0, 2.0])) == "[9: 1 … 3, 2 NaN/Inf]"


def test_format_edge_label_is_short():
    assert format_edge_label(np.array(0.2983711080102912)) == "0.298371"
    assert format_edge_label(np.array([[0.7414, -0.2171]])) == "[0.7414, -0.2171]"  # one batch row
    assert format_edge_label(np.array([[1.0, 2.0], [3.0, 4.0]])) == "[[1, 2], [3, 4]]"
    assert format_edge_label(np.arange(8.0).reshape(4, 2)) == "[[0, 1], [2, 3], [4, 5], [6, 7]]"
    assert format_edge_label(np.linspace(-1, 2, 128 * 256).reshape(128, 256)) == "[128×256: -1 … 2]"
    assert is_small(np.zeros(8)) and not is_small(np.zeros(9)) and not is_small(np.zeros((1, 1, 2)))


def test_one_notation_for_shapes_and_arrays():
    assert format_shape(()) == "scalar" and format_shape((3,)) == "3" and format_shape((3, 2)) == "3×2"
    assert grid_shape(()) == (1, 1) and grid_shape((4,)) == (1, 4) and grid_shape((2, 3, 5)) == (6, 5)
    assert format_nested(np.array([[0.15, 0.25], [0.2, 0.3]]), 3) == "[[0.15, 0.25], [0.2, 0.3]]"
    assert format_nested(np.array([1 / 3, np.nan, -2e-9]), 2) == "[0.333, NaN, -2e-9]"
    assert format_nested(np.array(0.5), 4) == "0.5"


def test_plural():
    assert plural(1, "step") == "1 step" and plural(11, "step") == "11 steps" and plural(0, "step") == "0 steps"
    assert plural(1, "step image") == "1 step image" and plural(2500, "update") == "2,500 updates"


# --------------------------------------------------------------------------- formulas
def _run_to(stepper: Stepper, label: str) -> None:
    while stepper.next_step.label != label:
        stepper.step()
    stepper.step()


def test_no_formula_before_the_forward_step():
    s = Stepper(load_example("apple_orange"))
    r = node_report(s, "mul_apple")
    assert r.state == "pending" and r.value is None
    assert r.forward_formula is None and r.backward_formulas == {} and r.chain == []


def test_forward_formula_only_until_the_backward_step():
    s = Stepper(load_example("apple_orange"))
    _run_to(s, "forward mul_apple")
    r = node_report(s, "mul_apple")
    assert r.forward_formula == "out = x · y = 100 × 2 = 200"
    assert r.state == "forward" and r.grad is None
    assert r.backward_formulas == {} and r.chain == [] and r.sent == {}
    _run_to(s, "backward mul_orange")
    r = node_report(s, "mul_apple")
    assert float(r.grad) == pytest.approx(1.1) and r.grad_complete
    assert r.backward_formulas == {}  # its own backward step has not run


def test_backward_formulas_and_chain_rule_of_mul_apple():
    s = Stepper(load_example("apple_orange"))
    _run_to(s, "backward mul_apple")
    r = node_report(s, "mul_apple")
    assert r.state == "backward"
    assert r.backward_formulas["x"] == "∂L/∂x = ∂L/∂out · y = 1.1 × 2 = 2.2"
    assert r.backward_formulas["y"] == "∂L/∂y = ∂L/∂out · x = 1.1 × 100 = 110"
    assert float(r.sent["x"]) == pytest.approx(2.2) and float(r.sent["y"]) == pytest.approx(110)
    chain = {c.port: c for c in r.chain}
    assert float(chain["x"].local) == 2.0 and float(chain["y"].local) == 100.0
    assert chain["x"].text == "∂L/∂x = ∂L/∂out × ∂out/∂x = 1.1 × 2 = 2.2"
    assert chain["y"].text == "∂L/∂y = ∂L/∂out × ∂out/∂y = 1.1 × 100 = 110"
    sections = dict(r.sections())
    assert sections[CHAIN_RULE_HEADING] == [chain["x"].text, chain["y"].text]
    assert "chain rule" not in " ".join(sections[CHAIN_RULE_HEADING]).lower()  # said once, in the heading
    assert r.as_text().lower().count("chain rule") == 1


def test_parameter_gradients_of_apple_orange():
    s = Stepper(load_example("apple_orange"))
    s.run_backward()
    grads = {n: float(node_report(s, n).grad) for n in ("apple", "apple_num", "orange", "orange_num", "tax")}
    assert grads == pytest.approx({"apple": 2.2, "apple_num": 110, "orange": 3.3, "orange_num": 165, "tax": 650})
    s.apply_update()
    assert node_report(s, "apple").update is None  # not trainable: no update to show


def _fan_out_graph() -> Graph:
    """a feeds two multiplications: its gradient is the sum of two contributions."""
    g = Graph()
    g.add_node("Parameter", "a", value=3.0)
    g.add_node("Parameter", "b", value=5.0)
    g.add_node("Multiply", "m1")
    g.add_node("Multiply", "m2")
    g.add_node("Add", "s")
    for src, dst, port in [("a", "m1", "x"), ("b", "m1", "y"), ("a", "m2", "x"), ("a", "m2", "y"),
                           ("m1", "s", "x"), ("m2", "s", "y")]:
        g.connect(src, dst, port)
    g.set_settings(TrainingSettings(learning_rate=0.1))
    return g


def test_contributions_that_add_up_at_a_node():
    s = Stepper(_fan_out_graph())
    assert [st.label for st in s.steps][-3:] == ["backward m1", "backward m2", "update"]
    _run_to(s, "backward m1")
    r = node_report(s, "a")
    assert [(c.consumer, c.port) for c in r.contributions] == [("m1", "x"), ("m2", "x"), ("m2", "y")]
    assert not r.grad_complete and float(r.grad) == 5.0
    assert r.contribution_sum == "∂L/∂a so far = 5 (from m1.x) = 5 (1 of 3 contributions arrived)"
    _run_to(s, "backward m2")
    r = node_report(s, "a")
    assert r.grad_complete and float(r.grad) == 11.0
    assert r.contribution_sum == "∂L/∂a = 5 (from m1.x) + 3 (from m2.x) + 3 (from m2.y) = 11"
    assert node_report(s, "b").contribution_sum is None  # one consumer: nothing to add up


def test_sgd_update_report_shows_eta_delta_and_new_value():
    s = Stepper(_fan_out_graph())
    s.apply_update()
    u = node_report(s, "a").update
    assert u is not None and u.kind == "sgd" and u.lr == 0.1
    assert float(u.delta) == pytest.approx(-1.1) and float(u.new) == pytest.approx(1.9)
    assert u.lines == ["Δa = −η·∂L/∂a = −0.1 × 11 = -1.1", "a ← a + Δa = 3 + (-1.1) = 1.9"]
    assert dict(node_report(s, "a").sections())["Update (sgd, η = 0.1)"] == u.lines


def test_momentum_update_report_names_the_optimizer():
    g = _fan_out_graph()
    g.set_settings(TrainingSettings(optimizer="momentum", learning_rate=0.1, momentum=0.9))
    s = Stepper(g)
    s.apply_update()
    u = node_report(s, "a").update
    assert u is not None and u.kind == "momentum" and "momentum 0.9" in u.optimizer
    assert u.lines[0].startswith("Δa = new − old = 1.9 − 3 = -1.1")


def test_mazur_forward_backward_and_update():
    s = Stepper(load_example("mazur"))
    s.run_forward()
    out = node_report(s, "sigmoid2")
    assert out.value == pytest.approx(np.array([[0.75136507, 0.77292847]]))
    assert out.forward_formula.endswith("= [[0.75136507, 0.77292847]]")
    assert node_report(s, "loss").forward_formula.endswith("= 0.29837111")
    s.run_backward()
    fc2 = node_report(s, "affine2")
    assert set(fc2.backward_formulas) == {"x", "W"}  # b2 is a constant: no gradient sent
    assert fc2.backward_formulas["W"].endswith("= [[0.082167041, -0.02260254], [0.082667628, -0.022740242]]")
    assert [c.local for c in fc2.chain] == [None, None]  # a matrix product: no diagonal local
    s.apply_update()
    w2 = node_report(s, "W2")
    assert w2.update is not None
    assert w2.update.lines[-1].endswith("= [[0.35891648, 0.51130127], [0.40866619, 0.56137012]]")
    assert "0.35891648" in w2.as_text()


def test_broadcast_chain_rule_sums_over_the_broadcast_axes():
    g = Graph()
    g.add_node("Parameter", "v", value=[1.0, 2.0])
    g.add_node("Parameter", "c", value=0.5)
    g.add_node("Add", "add")
    g.add_node("Sum", "total")
    g.connect("v", "add", "x")
    g.connect("c", "add", "y")
    g.connect("add", "total", "x")
    s = Stepper(g)
    s.run_backward()
    chain = {c.port: c for c in node_report(s, "add").chain}
    assert chain["y"].text.endswith("Σ([1, 1] × [1, 1]) = 2")
    assert float(chain["y"].downstream) == 2.0


def test_node_outside_the_program():
    g = _fan_out_graph()
    g.add_node("Parameter", "loose", value=1.0)
    s = Stepper(g)
    r = node_report(s, "loose")
    assert r.state == "outside" and "does not feed the objective" in r.note


@pytest.mark.parametrize("name", example_names())
def test_every_formula_of_every_example_fills_in(name):
    s = Stepper(load_example(name))
    s.run_backward()
    for node in s.program.computed:
        r = node_report(s, node)
        assert r.forward_formula is not None and "{" not in r.forward_formula, node
        assert set(r.backward_formulas) == set(r.sent), node
        assert all("{" not in text for text in r.backward_formulas.values()), node
        assert len(r.chain) == len(r.sent)
        for c in r.chain:
            assert c.downstream is r.sent[c.port]


def test_every_backward_template_names_the_upstream_gradient_dL_dout():
    for op in all_ops():
        for port, template in op.backward_formulas.items():
            assert "∂L/∂L" not in template, (op.type, port)
            assert "∂L/∂out" in template, (op.type, port)
        if op.forward_formula:
            assert op.forward_formula.startswith("out = "), op.type


def test_mazur_loss_formulas_read_with_out():
    s = Stepper(load_example("mazur"))
    s.run_backward()
    r = node_report(s, "loss")
    assert r.forward_formula == ("out = ½ Σ (t − y)² = ½ Σ ([[0.01, 0.99]] − [[0.75136507, 0.77292847]])² "
                                 "= 0.29837111")
    assert r.backward_formulas["y"] == ("∂L/∂y = ∂L/∂out · (y − t) = 1 × ([[0.75136507, 0.77292847]] − "
                                        "[[0.01, 0.99]]) = [[0.74136507, -0.21707153]]")


def test_large_arrays_in_formulas_are_bracketed_summaries():
    s = Stepper(load_example("xor"))
    s.run_forward()
    text = node_report(s, "affine1").forward_formula
    assert text.startswith("out = x · W + b = [[0, 0], [0, 1], [1, 0], [1, 1]] · [[")  # 4×2 and 2×4 in full
    assert text.endswith("= [4×4: -0.3788 … 1.375]")


def test_a_parameter_says_where_it_is_in_the_training_step():
    s = Stepper(load_example("mazur"))
    assert node_report(s, "W2").note == "waiting for its gradient (the backward pass brings it)"
    _run_to(s, "backward affine2")
    assert node_report(s, "W2").note == "received its gradient; the update will apply it"
    assert node_report(s, "W1").note == "waiting for its gradient (the backward pass brings it)"
    s.apply_update()
    assert node_report(s, "W2").note == "updated by this training step: its new value is below"
    assert node_report(s, "b1").note == "constant: receives no gradient"
    s = Stepper(load_example("apple_orange"))
    s.run_backward()
    assert node_report(s, "apple").note == "not trainable · received its gradient; the update leaves it as it is"
    s = Stepper(_fan_out_graph())
    _run_to(s, "backward m1")
    assert node_report(s, "a").note == "1 of 3 gradient contributions arrived"
