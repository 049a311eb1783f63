"""A wrong gradient or output of a custom layer is reported at the line that made it (the one
assignment of the returned name) or at the ``return``, not at the method's ``def`` line; the
debugger, the trainer and the layer check say the same line."""
from __future__ import annotations

import numpy as np
import pytest

from core.custom.check import check_layer
from core.custom.runner import LayerCall, LayerError
from core.custom.source import result_line
from core.custom.templates import AFFINE
from core.graph import Graph
from core.stepper import Stepper
from core.trainer import Trainer

# the template's "dx = np.dot(dout, self.W.T)" (line 17) written the wrong way round: 3×160, not 160×3
WRONG_DX = AFFINE.replace("dx = np.dot(dout, self.W.T)", "dx = np.dot(self.W, dout.T)")
DX_LINE = WRONG_DX.splitlines().index("        dx = np.dot(self.W, dout.T)") + 1
DEF_LINE = WRONG_DX.splitlines().index("    def backward(self, dout):") + 1


def affine_graph(code: str) -> Graph:
    rng = np.random.default_rng(0)
    g = Graph()
    g.add_node("Parameter", "x", value=rng.normal(size=(160, 3)).tolist())  # its gradient is needed
    g.add_node("Parameter", "W", value=rng.normal(size=(3, 2)).tolist())
    g.add_node("Parameter", "b", value=[0.0, 0.0])
    g.add_node("CustomLayer", "affine", attrs={"code": code})
    g.add_node("Sum", "loss")
    for src, port in (("x", "x"), ("W", "W"), ("b", "b")):
        g.connect(src, "affine", port)
    g.connect("affine", "loss", "x")
    return g


def test_a_wrong_gradient_shape_points_at_the_line_that_made_it(trust) -> None:
    assert (DEF_LINE, DX_LINE) == (16, 17)
    trust.allow([WRONG_DX])
    with pytest.raises(LayerError) as stepped:
        Stepper(affine_graph(WRONG_DX)).run_backward()
    assert str(stepped.value) == ("affine (Affine.backward, line 17): the gradient for x has shape 3×160, but x has "
                                  "shape 160×3")
    assert stepped.value.line == 17
    with pytest.raises(LayerError) as trained:
        Trainer(affine_graph(WRONG_DX)).run(2)
    assert str(trained.value) == str(stepped.value)
    rng = np.random.default_rng(1)
    checked = check_layer(WRONG_DX, [rng.normal(size=(160, 3)), rng.normal(size=(3, 2)), np.zeros(2)],
                          node="affine", random_cases=0)
    assert checked.failure is not None and checked.failure.line == 17


def test_the_return_line_when_the_value_is_made_in_it_or_in_several_places(trust) -> None:
    code = ("class Layer:\n"                        # 1
            "    def forward(self, x):\n"           # 2
            "        self.x = x\n"                  # 3
            "        return x * 2\n"                # 4
            "    def backward(self, dout):\n"       # 5
            "        g = dout\n"                    # 6
            "        if dout.ndim:\n"               # 7
            "            g = np.ones(7)\n"          # 8
            "        return (\n"                    # 9
            "            g)\n")                     # 10
    assert result_line(code, "backward", 0) == 10  # two assignments of g: the name in the return
    assert result_line(code, "forward") == 4
    trust.allow([code])
    call = LayerCall(code, "n")
    out, run = call.forward([np.ones(3)])
    with pytest.raises(LayerError) as err:
        call.backward(run, np.ones(3), [np.ones(3)])
    assert err.value.line == 10
    assert str(err.value) == "n (Layer.backward, line 10): the gradient for x has shape 7, but x has shape 3"


def test_names_a_tuple_entry_and_falls_back_without_a_single_return() -> None:
    code = ("class Layer:\n"
            "    def forward(self, x, y):\n"
            "        if x.ndim:\n"
            "            return x\n"
            "        return y\n"
            "    def backward(self, dout):\n"
            "        dx = dout\n"
            "        dy, other = dout * 2, 0\n"
            "        def helper():\n"
            "            dx = 1\n"
            "            return dx\n"
            "        return dx, dy\n")
    assert result_line(code, "backward", 0) == 7  # helper's own dx and return are not backward's
    assert result_line(code, "backward", 1) == 8  # assigned by unpacking
    assert result_line(code, "backward", 2) == 12  # no such entry: the return
    assert result_line(code, "backward") == 12
    assert result_line(code, "forward") is None  # two returns: the caller says the def line
    assert result_line("class X: pass", "forward") is None
    assert result_line("def (", "forward") is None
