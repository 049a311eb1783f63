"""The gradient check of one custom layer: per port, on given and random inputs."""
from __future__ import annotations

import notebook_classes as nb
import numpy as np
import pytest

from core.custom.check import check_layer
from core.custom.runner import LayerError
from core.custom.templates import TEMPLATES

SWAPPED_NOTHING = nb.MUL_LAYER.replace("dx = dout * self.y", "dx = dout * self.x")


def test_a_mullayer_whose_backward_swaps_nothing_fails_at_x(trust) -> None:
    trust.allow([SWAPPED_NOTHING])
    result = check_layer(SWAPPED_NOTHING, [np.array(100.0), np.array(2.0)], node="apple_price")
    assert not result.passed
    assert [p.port for p in result.failing()] == ["x"]
    assert result.ports[1].passed  # dy = dout · x is right
    first = result.failing()[0].bad[0]
    assert first.case == 0 and first.index == ()
    # on the node's own inputs with dout = 1: ∂out/∂x = y = 2, but backward returned x = 100
    assert first.expected == pytest.approx(2.0, rel=1e-8) and first.returned == 100.0
    later = [b for b in result.failing()[0].bad if b.case > 0]
    assert later and all(b.returned != 100.0 for b in later)  # random inputs and a random dout there
    assert result.summary().startswith("apple_price: backward is wrong for x: relative error")


@pytest.mark.parametrize("op", sorted(TEMPLATES))
def test_every_template_passes(op: str, trust) -> None:
    code = TEMPLATES[op]
    trust.allow([code])
    shapes = {"Affine": [(3, 2), (2, 4), (4,)], "SoftmaxWithLoss": [(3, 4), (3, 4)], "SquaredError": [(3, 2), (3, 2)],
              "Multiply": [(2, 3), (2, 3)], "Add": [(2, 3), (3,)], "ReLU": [(2, 3)], "Sigmoid": [(2, 3)]}
    rng = np.random.default_rng(5)
    ins = [rng.normal(size=s) for s in shapes[op]]
    result = check_layer(code, ins)
    assert result.passed, result.summary()
    assert result.cases == 4
    assert all(p.error < 1e-6 for p in result.ports)


def test_the_notebooks_relu_passes_and_is_flagged(trust) -> None:
    trust.allow([nb.RELU])
    result = check_layer(nb.RELU, [np.array([[1.0, -2.0, 0.5]])])
    assert result.passed
    assert result.notes == ("backward changed dout in place",)


def test_a_failing_layer_reports_its_error_not_a_check(trust) -> None:
    trust.allow([nb.SOFTMAX_WITH_LOSS])
    result = check_layer(nb.SOFTMAX_WITH_LOSS, [np.zeros((1, 3)), np.eye(3)[:1]], node="loss")
    assert not result.passed and result.ports == ()
    assert result.failure is not None and "NameError: name 'le' is not defined" in result.summary()


def test_untrusted_code_is_not_checked(trust) -> None:
    with pytest.raises(LayerError, match="not trusted"):
        check_layer(nb.MUL_LAYER, [np.array(1.0), np.array(2.0)])
