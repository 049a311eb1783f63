"""The notebook's classes pasted as custom layers give the built-in graphs' numbers.

Verbatim (tests/notebook_classes.py): MulLayer, AddLayer (Saito's apples), Affine, Sigmoid,
MSEWithLoss (Mazur) agree with the built-in graphs to 1e-12; the verbatim Relu gives the right
numbers (its input is a copy) and is flagged for writing into dout; the verbatim SoftmaxWithLoss
fails at its ``le-7`` line. Its slips corrected by hand (``1e-7``, the minus) it agrees only to
about 1e-7 (the delta); the template (core.custom.templates) agrees to 1e-12.
"""
from __future__ import annotations

import notebook_classes as nb
import numpy as np
import pytest
from custom_helpers import customised
from engine_fixtures import build_apple_orange, build_mazur

from core.custom import templates
from core.custom.runner import LayerError
from core.formulas import node_report
from core.graph import Graph
from core.stepper import Stepper
from core.trainer import Trainer

TOL = 1e-12


def one_pass(graph: Graph) -> Stepper:
    s = Stepper(graph)
    assert s.run_backward() is None
    return s


def assert_same_pass(a: Stepper, b: Stepper) -> None:
    assert a.frame.loss == pytest.approx(b.frame.loss, rel=TOL, abs=TOL)
    assert set(a.frame.grads) == set(b.frame.grads)
    for n, g in b.frame.grads.items():
        np.testing.assert_allclose(a.frame.grads[n], g, rtol=TOL, atol=TOL, err_msg=n)
    for n, v in b.frame.values.items():
        np.testing.assert_allclose(a.frame.values[n], v, rtol=TOL, atol=TOL, err_msg=n)


APPLE = {"apple_price": nb.MUL_LAYER, "orange_price": nb.MUL_LAYER, "all_price": nb.ADD_LAYER,
         "price": nb.MUL_LAYER}
MAZUR = {"affine1": nb.AFFINE, "sigmoid1": nb.SIGMOID, "affine2": nb.AFFINE, "sigmoid2": nb.SIGMOID,
         "loss": nb.MSE_WITH_LOSS}


def test_apples_with_the_notebooks_classes(trust) -> None:
    trust.allow([nb.MUL_LAYER, nb.ADD_LAYER])
    custom = one_pass(customised(build_apple_orange(), APPLE))
    f = custom.frame
    assert f.values["price"] == pytest.approx(715, rel=TOL)
    got = [f.grads[n] for n in ("apple", "apple_num", "orange", "orange_num", "tax")]
    np.testing.assert_allclose(got, [2.2, 110, 3.3, 165, 650], rtol=TOL)
    assert_same_pass(custom, one_pass(build_apple_orange()))
    report = node_report(custom, "apple_price")
    assert report.forward_formula == "out = MulLayer.forward(x=100, y=2) = 200"
    assert report.backward_formulas["y"] == "∂L/∂y = MulLayer.backward(dout=1.1)[1] = 110"


def test_mazur_with_the_notebooks_classes(trust) -> None:
    trust.allow([nb.AFFINE, nb.SIGMOID, nb.MSE_WITH_LOSS])
    custom_graph, builtin_graph = customised(build_mazur(), MAZUR), build_mazur()
    custom, builtin = Stepper(custom_graph), Stepper(builtin_graph)
    for s in (custom, builtin):
        s.run_backward()
    assert custom.frame.loss == pytest.approx(0.298371108760003, rel=1e-12)
    assert_same_pass(custom, builtin)
    for s in (custom, builtin):
        s.apply_update()
    for p in ("W1", "W2"):
        np.testing.assert_allclose(custom_graph.nodes[p].value, builtin_graph.nodes[p].value, rtol=TOL, atol=TOL)
    # Mazur's w5 after one update: 0.35891648
    assert custom_graph.nodes["W2"].value[0, 0] == pytest.approx(0.358916479717885, abs=1e-12)


def test_trainer_trains_custom_layers_like_the_builtin_graph(trust) -> None:
    trust.allow([nb.AFFINE, nb.SIGMOID, nb.MSE_WITH_LOSS])
    custom = Trainer(customised(build_mazur(), MAZUR)).run(50).losses
    builtin = Trainer(build_mazur()).run(50).losses
    np.testing.assert_allclose(custom, builtin, rtol=1e-11, atol=1e-13)
    stepper = Stepper(customised(build_mazur(), MAZUR))
    stepper.run_steps(len(stepper.program.steps) * 3)
    assert stepper.iteration == 2 and stepper.at_end
    np.testing.assert_allclose(stepper.frame.loss, custom[2], rtol=1e-12)


def relu_graph(code: str | None = None) -> Graph:
    g = Graph()
    g.add_node("Parameter", "x", value=[[1.5, -2.0, 0.5], [-0.25, 3.0, -1.0]])
    g.add_node("Parameter", "w", value=[[0.3, -0.7, 1.1], [0.9, 0.2, -0.4]])
    g.add_node("ReLU", "relu")
    g.add_node("Multiply", "weighted")
    g.add_node("Sum", "total")
    for src, dst, port in [("x", "relu", "x"), ("relu", "weighted", "x"), ("w", "weighted", "y"),
                           ("weighted", "total", "x")]:
        g.connect(src, dst, port)
    return g if code is None else customised(g, {"relu": code})


def test_the_notebooks_relu_is_flagged_and_still_right(trust) -> None:
    trust.allow([nb.RELU, templates.RELU])
    verbatim = one_pass(relu_graph(nb.RELU))
    assert_same_pass(verbatim, one_pass(relu_graph()))
    assert verbatim.frame.caches["relu"].backward_notes == ["backward changed dout in place"]
    assert node_report(verbatim, "relu").notes == ["backward changed dout in place"]
    fixed = one_pass(relu_graph(templates.RELU))
    assert fixed.frame.caches["relu"].backward_notes == []
    assert_same_pass(fixed, one_pass(relu_graph()))


def softmax_graph(code: str | None = None) -> Graph:
    g = Graph()
    g.add_node("Parameter", "x", value=[[0.3, -1.2, 2.0, 0.1]])
    g.add_node("Constant", "t", value=[[0.0, 0.0, 1.0, 0.0]])
    g.add_node("SoftmaxWithLoss", "loss")
    g.connect("x", "loss", "x")
    g.connect("t", "loss", "t")
    return g if code is None else customised(g, {"loss": code})


CORRECTED_SOFTMAX = nb.SOFTMAX_WITH_LOSS.replace("delta = le-7", "delta = 1e-7").replace(
    "return np.sum(t * np.log", "return -np.sum(t * np.log")


def test_the_notebooks_softmax_with_loss(trust) -> None:
    trust.allow([nb.SOFTMAX_WITH_LOSS, CORRECTED_SOFTMAX, templates.SOFTMAX_WITH_LOSS])
    with pytest.raises(LayerError) as err:
        one_pass(softmax_graph(nb.SOFTMAX_WITH_LOSS))
    line = nb.SOFTMAX_WITH_LOSS.splitlines().index("    delta = le-7    ") + 1
    assert str(err.value) == f"loss (SoftmaxWithLoss.forward, line {line}): NameError: name 'le' is not defined"
    builtin = one_pass(softmax_graph())
    corrected = one_pass(softmax_graph(CORRECTED_SOFTMAX))
    assert corrected.frame.loss == pytest.approx(builtin.frame.loss, rel=1e-6)
    assert abs(corrected.frame.loss - builtin.frame.loss) > 1e-9  # the delta shows
    np.testing.assert_allclose(corrected.frame.grads["x"], builtin.frame.grads["x"], rtol=TOL, atol=TOL)
    assert_same_pass(one_pass(softmax_graph(templates.SOFTMAX_WITH_LOSS)), builtin)


@pytest.mark.parametrize("graph, codes", [
    (build_apple_orange, {"apple_price": templates.MUL, "orange_price": templates.MUL, "all_price": templates.ADD,
                          "price": templates.MUL}),
    (build_mazur, {"affine1": templates.AFFINE, "sigmoid1": templates.SIGMOID, "affine2": templates.AFFINE,
                   "sigmoid2": templates.SIGMOID, "loss": templates.MSE_WITH_LOSS}),
    (relu_graph, {"relu": templates.RELU}),
    (softmax_graph, {"loss": templates.SOFTMAX_WITH_LOSS}),
], ids=["apples", "mazur", "relu", "softmax"])
def test_every_template_gives_its_builtin_ops_numbers(graph, codes, trust) -> None:
    assert set(templates.TEMPLATES.values()) >= set(codes.values())
    trust.allow(codes.values())
    custom, builtin = Stepper(customised(graph(), codes)), Stepper(graph())
    for s in (custom, builtin):
        s.run_steps(len(s.program.steps) * 2)  # two training steps: the update in between
    assert_same_pass(custom, builtin)
