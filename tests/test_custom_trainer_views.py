"""The trainer hands custom layers read-only views of its buffers instead of copies: a layer that
writes into an input or ``dout`` in place is redone on copies and gets copies from then on, so it
trains to the same numbers as the stepper (which always copies), and the engine's buffers are never
written by user code. A backward that cannot be redone (its forward gives another output when run
again) is an error at the user's line; an update stopped by the time limit outside user code is a
timeout of the update."""
from __future__ import annotations

import notebook_classes as nb
import numpy as np
import pytest
from custom_helpers import customised
from engine_fixtures import build_mazur

from core.custom import templates
from core.custom.kernels import Node
from core.custom.limits import call_with_limit
from core.custom.runner import LayerError, limited, set_executor, set_time_limit, writes_in_place
from core.graph import Graph
from core.stepper import Stepper
from core.trainer import Trainer

UPDATES = 6


def chain(code: str | None = None) -> Graph:
    """c (a constant) and x (a parameter) → layer(x) → × w → sum: the layer sits between
    parameters, so its forward and its backward both matter to the update."""
    g = Graph()
    g.add_node("Constant", "c", value=[[0.5, -1.0, 2.0]])
    g.add_node("Parameter", "x", value=[[1.5, -2.0, 0.5], [-0.25, 3.0, -1.0]])
    g.add_node("Parameter", "w", value=[[0.3, -0.7, 1.1], [0.9, 0.2, -0.4]])
    g.add_node("Add", "shifted")
    g.add_node("ReLU", "relu")
    g.add_node("Multiply", "weighted")
    g.add_node("Sum", "total")
    for src, dst, port in [("x", "shifted", "x"), ("c", "shifted", "y"), ("shifted", "relu", "x"),
                           ("relu", "weighted", "x"), ("w", "weighted", "y"), ("weighted", "total", "x")]:
        g.connect(src, dst, port)
    return g if code is None else customised(g, {"relu": code})


def relu(forward: str, backward: str, tag: str) -> str:
    """A ReLU layer with extra statements; ``tag`` makes its text (and so its in-place record) its own."""
    return ("class Relu:  # " + tag + "\n"
            "    def forward(self, x):\n"
            f"        {forward}\n"
            "        self.mask = x <= 0\n"
            "        self.x = x\n"
            "        return np.where(self.mask, 0.0, x)\n"
            "    def backward(self, dout):\n"
            f"        {backward}\n"
            "        return np.where(self.mask, 0.0, dout)\n")


def stepped(graph: Graph, updates: int) -> tuple[list[float], Stepper]:
    """The losses of ``updates`` updates through the stepper (which hands user code copies)."""
    s = Stepper(graph)
    losses = []
    for _ in range(updates):
        s.run_steps(len(s.program.steps))
        losses.append(float(s.frame.loss))
    return losses, s


def custom_nodes(trainer: Trainer) -> list[Node]:
    """The custom-layer nodes bound in the trainer's plan (the fused update's closure holds them)."""
    fused = trainer._plans[None].instrs[0][1][0][0][0]
    return list(dict.fromkeys(c.cell_contents for c in fused.__closure__ if isinstance(c.cell_contents, Node)))


@pytest.mark.parametrize("forward, backward, tag", [
    ("pass", "pass", "writes nothing"),
    ("x += 100.0", "pass", "forward writes x"),
    ("x[...] = x * 2", "pass", "forward writes x with an index"),
    ("np.multiply(x, 3, out=x)", "pass", "forward writes x through out="),
    ("x.flags.writeable = True\n        x *= 2", "pass", "forward makes x writable"),
    ("pass", "dout *= 2", "backward writes dout"),
    ("pass", "self.x[...] = 0", "backward writes a kept input"),
    ("self.calls = 1", "self.calls += 1\n        dout[0] = dout[0] * 3", "backward changes self before it writes"),
])
def test_a_layer_that_writes_in_place_trains_as_with_copies(forward: str, backward: str, tag: str, trust) -> None:
    code = relu(forward, backward, tag)
    trust.allow([code])
    assert not writes_in_place(code)
    trainer = Trainer(chain(code))
    losses = trainer.run(UPDATES).losses  # first: before the stepper has seen the code
    assert writes_in_place(code) == (tag != "writes nothing")
    expected, stepper = stepped(chain(code), UPDATES)
    np.testing.assert_allclose(losses, expected, rtol=1e-12, atol=1e-12)
    for name in ("shifted", "relu", "weighted"):  # the engine's buffers hold what the stepper computed
        np.testing.assert_allclose(trainer._plans[None].values[name], stepper.frame.values[name], rtol=1e-12)
    np.testing.assert_array_equal(trainer._plans[None].values["c"], [[0.5, -1.0, 2.0]])
    assert [n.copies for n in custom_nodes(trainer)] == [tag != "writes nothing"]
    again = Trainer(chain(code))  # the code is known now: copies from the start
    np.testing.assert_allclose(again.run(UPDATES).losses, losses, rtol=0, atol=0)


def test_the_notebooks_relu_trains_like_the_builtin_relu(trust) -> None:
    code = nb.RELU + "# its own text for this test\n"
    trust.allow([code, templates.RELU])
    builtin = Trainer(chain()).run(UPDATES).losses
    verbatim = Trainer(chain(code))
    np.testing.assert_allclose(verbatim.run(UPDATES).losses, builtin, rtol=1e-12, atol=1e-12)
    assert writes_in_place(code)  # its backward wrote into dout: found on the first update
    np.testing.assert_allclose(Trainer(chain(templates.RELU)).run(UPDATES).losses, builtin, rtol=1e-12, atol=1e-12)


def test_user_code_cannot_write_into_the_trainers_buffers(trust) -> None:
    code = relu("pass", "pass", "holds its input")
    trust.allow([code])
    trainer = Trainer(chain(code))
    trainer.run(1)
    plan = trainer._plans[None]
    given = custom_nodes(trainer)[0].run.x  # what forward was handed: a view of the engine's buffer, read-only for good
    assert np.shares_memory(given, plan.values["shifted"])
    with pytest.raises(ValueError, match="read-only"):
        given[...] = 0
    with pytest.raises(ValueError, match="WRITEABLE"):
        given.flags.writeable = True


def test_a_backward_that_cannot_be_redone_is_an_error_at_its_line(trust) -> None:
    code = ("class Noisy:\n"
            "    def forward(self, x):\n"
            "        self.scale = np.random.rand() + 1\n"
            "        return x * self.scale\n"
            "    def backward(self, dout):\n"
            "        dout *= self.scale\n"
            "        return dout\n")
    trust.allow([code])
    with pytest.raises(LayerError) as err:
        Trainer(chain(code)).run(1)
    assert str(err.value).startswith("relu (Noisy.backward, line 6): backward wrote into an array it was given")
    assert err.value.node == "relu"


def test_a_value_error_of_the_users_own_is_reported_not_redone(trust) -> None:
    code = relu("pass", "raise ValueError('shapes do not match')", "raises")
    trust.allow([code])
    with pytest.raises(LayerError, match=r"^relu \(Relu.backward, line 8\): ValueError: shapes do not match$"):
        Trainer(chain(code)).run(1)
    assert not writes_in_place(code)


def test_mazur_with_the_notebooks_classes_uses_no_copies(trust) -> None:
    layers = {"affine1": nb.AFFINE, "sigmoid1": nb.SIGMOID, "affine2": nb.AFFINE, "sigmoid2": nb.SIGMOID,
              "loss": nb.MSE_WITH_LOSS}
    trust.allow(layers.values())
    custom = Trainer(customised(build_mazur(), layers))
    np.testing.assert_allclose(custom.run(50).losses, Trainer(build_mazur()).run(50).losses, rtol=1e-11, atol=1e-13)
    assert [node.copies for node in custom_nodes(custom)] == [False] * 5


@pytest.mark.parametrize("executor", [None, lambda work: work()])  # the window's, on a training thread
def test_an_update_stopped_outside_user_code_is_a_timeout_of_the_update(executor) -> None:
    def spin() -> None:  # the engine's own code, past the limit: no user line to name
        while True:
            pass

    old, before = set_time_limit(0.2), set_executor(executor)
    try:
        f, args = limited([(spin, ())])
        with pytest.raises(LayerError) as err:
            f(*args)
    finally:
        set_time_limit(old)
        set_executor(before)
    assert str(err.value) == "an update did not finish within 0.2 s and was stopped"
    assert err.value.kind == "timeout"
    assert call_with_limit(1.0, sum, range(4)) == 6  # the thread's next limited call is not hit by it


def test_the_stepper_and_the_trainer_read_what_backward_returned_alike(trust) -> None:
    one_in_a_list = relu("pass", "return [np.where(self.mask, 0.0, dout)]", "a list of one")
    three_for_two = ("class Mul:\n"
                     "    def forward(self, x, y):\n"
                     "        self.x, self.y = x, y\n"
                     "        return x * y\n"
                     "    def backward(self, dout):\n"
                     "        return dout * self.y, dout * self.x, dout\n")
    trust.allow([one_in_a_list, three_for_two])
    expected, _ = stepped(chain(one_in_a_list), UPDATES)  # a list of one is that input's gradient
    np.testing.assert_allclose(Trainer(chain(one_in_a_list)).run(UPDATES).losses, expected, rtol=1e-12, atol=1e-12)
    too_many = customised(chain(), {"weighted": three_for_two})
    messages = []
    for run in (lambda: stepped(too_many, 1), lambda: Trainer(too_many).run(1)):
        with pytest.raises(LayerError) as err:
            run()
        messages.append(str(err.value))
    assert messages[0] == messages[1]
    assert "backward returned 3 gradients for 2 inputs (x, y)" in messages[0]
