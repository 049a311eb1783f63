"""A custom layer's failures are reported against the node and the user's line; a forward that
never returns is stopped by the time limit; state on ``self`` is per node and per step, and
stepping back restores it."""
from __future__ import annotations

import threading

import numpy as np
import pytest
from custom_helpers import customised
from engine_fixtures import build_apple_orange

from core.custom.limits import call_with_limit
from core.custom.runner import LayerError, set_time_limit
from core.custom.templates import MUL
from core.stepper import Stepper


def run_price(code: str, trust) -> Stepper:
    trust.allow([code])
    stepper = Stepper(customised(build_apple_orange(), {"price": code}))
    stepper.run_backward()
    return stepper


def layer(forward: str, backward: str) -> str:
    return ("class Layer:\n"
            "    def forward(self, x, y):\n"
            f"        {forward}\n"
            "    def backward(self, dout):\n"
            f"        {backward}\n")


@pytest.mark.parametrize("forward, backward, message", [
    ("return x / 0 if False else {}['k']", "return dout, dout",
     "price (Layer.forward, line 3): KeyError: 'k'"),
    ("return x * y", "return dout, dout, dout",
     "price (Layer.backward, line 5): backward returned 3 gradients for 2 inputs (x, y)"),
    ("return x * y", "return dout, np.ones(3)",
     "price (Layer.backward, line 5): the gradient for y has shape 3, but y has shape scalar"),
    ("return x * y", "return dout",
     "price (Layer.backward, line 5): the gradient for y has shape scalar"),
    ("return x * y + np.inf", "return dout, dout",
     "price (Layer.forward, line 3): forward returned NaN or Inf from finite inputs"),
    ("return x * y", "return dout * np.nan, dout",
     "price (Layer.backward, line 5): the gradient for x holds NaN or Inf"),
    ("return 'text'", "return dout, dout",
     "price (Layer.forward, line 3): forward returned str, not numbers"),
])
def test_errors_name_the_node_and_line(forward: str, backward: str, message: str, trust) -> None:
    code = layer(forward, backward)
    with pytest.raises(LayerError) as err:
        run_price(code, trust)
    if "shape scalar" in message and "has shape 3" not in message:  # one gradient for two inputs
        assert str(err.value) == "price (Layer.backward, line 5): backward returned no gradient for y"
        assert err.value.port == "y"
    else:
        assert str(err.value) == message
    assert err.value.node == "price"


def test_a_forward_that_never_returns_is_stopped(trust) -> None:
    old = set_time_limit(0.3)
    try:
        with pytest.raises(LayerError) as err:
            run_price(layer("while True: pass", "return dout, dout"), trust)
    finally:
        set_time_limit(old)
    assert err.value.kind == "timeout"
    assert str(err.value) == "price (Layer.forward, line 3): forward did not return within 0.3 s and was stopped"


def test_a_loop_that_catches_everything_is_stopped_too(trust) -> None:
    code = layer("while True:\n            try:\n                pass\n            except BaseException:\n"
                 "                pass", "return dout, dout")
    old = set_time_limit(0.3)
    try:
        with pytest.raises(LayerError, match="did not return within 0.3 s"):
            run_price(code, trust)
    finally:
        set_time_limit(old)


def test_the_time_limit_works_in_a_worker_thread_and_leaves_others_alone() -> None:
    results: dict[str, object] = {}

    def spin() -> None:
        while True:
            pass

    def worker() -> None:
        try:
            call_with_limit(0.2, spin)
        except BaseException as exc:  # the test wants to see exactly what arrives
            results["worker"] = type(exc).__name__

    t = threading.Thread(target=worker)
    t.start()
    results["main"] = call_with_limit(5.0, sum, range(1000))
    t.join(10)
    assert not t.is_alive()
    assert results == {"worker": "TimeLimitExceeded", "main": 499500}


COUNTER = '''class Counter:
    def __init__(self):
        self.calls = 0

    def forward(self, x, y):
        self.calls += 1
        self.x, self.y = x, y
        return x * y

    def backward(self, dout):
        self.calls += 10  # state changed in backward: stepping back must forget it
        assert self.calls == 11, self.calls
        return dout * self.y, dout * self.x
'''


def test_state_on_self_is_per_node_and_step_and_step_back_restores_it(trust) -> None:
    trust.allow([COUNTER])
    graph = customised(build_apple_orange(), {"apple_price": COUNTER, "orange_price": COUNTER, "price": COUNTER})
    s = Stepper(graph)
    s.run_backward()
    first = {n: np.array(g) for n, g in s.frame.grads.items()}
    assert first["tax"] == pytest.approx(650)
    while s.cursor > s.program.n_forward - 1:  # back over every backward step and the last forward
        s.step_back()
    assert s.frame.caches["apple_price"].instance.calls == 1  # the instance as forward left it
    s.run_backward()
    for n, g in first.items():
        np.testing.assert_array_equal(s.frame.grads[n], g)
    s.apply_update()
    s.run_backward()  # the next training step makes new instances: calls starts at 0 again
    assert s.frame.caches["price"].instance.calls == 1


def test_copies_in_keep_the_engine_safe(trust) -> None:
    code = layer("x += 1000\n        return x * y", "dout *= 0\n        return dout + 1.1, dout + 650")
    s = run_price(code, trust)
    assert s.frame.values["all_price"] == pytest.approx(650)  # the input the code changed is a copy
    assert s.frame.grads["price"] == 1.0  # so is dout
    assert s.frame.caches["price"].notes == ["forward changed x in place"]
    assert s.frame.caches["price"].backward_notes == ["backward changed dout in place"]


def test_a_good_layer_is_untouched_by_the_checks(trust) -> None:
    s = run_price(MUL, trust)
    assert s.frame.caches["price"].notes == [] and s.frame.caches["price"].backward_notes == []


def test_a_failing_step_leaves_the_stepper_as_it_was(trust) -> None:
    code = layer("return x * y", "raise RuntimeError('not yet')")
    trust.allow([code])
    s = Stepper(customised(build_apple_orange(), {"price": code}))
    s.run_forward()
    while s.next_step.kind != "backward":  # past the step that clears the gradients
        s.step()
    before = (s.cursor, dict(s.frame.grads), dict(s.frame.backward_done), s.history_length)
    with pytest.raises(LayerError, match=r"price \(Layer.backward, line 5\): RuntimeError: not yet"):
        s.step()
    assert (s.cursor, dict(s.frame.grads), dict(s.frame.backward_done), s.history_length) == before
    assert s.step_back() is not None  # the history still works


@pytest.mark.parametrize("forward, backward, message", [
    ("while True: pass", "return dout, dout",
     "price (Layer.forward, line 3): forward did not return within 0.3 s and was stopped"),
    ("return x * y", "return dout, np.ones(3)",
     "price (Layer.backward, line 5): the gradient for y has shape 3, but y has shape scalar"),
    ("return x * y", "return (dout,)", "price (Layer.backward, line 5): backward returned no gradient for y"),
    ("return x * y", "return dout, {}['k']", "price (Layer.backward, line 5): KeyError: 'k'"),
])
def test_the_trainer_reports_the_same_errors(forward: str, backward: str, message: str, trust) -> None:
    from core.trainer import Trainer

    code = layer(forward, backward)
    trust.allow([code])
    graph = customised(build_apple_orange(), {"price": code})
    graph.nodes["tax"].attrs["trainable"] = True
    old = set_time_limit(0.3)
    try:
        with pytest.raises(LayerError) as err:
            Trainer(graph).run(3)
    finally:
        set_time_limit(old)
    assert str(err.value) == message


def test_a_custom_objective_must_give_one_number(trust) -> None:
    from core.trainer import Trainer

    code = layer("return np.stack([x, y])", "return dout[0], dout[1]")
    trust.allow([code])
    graph = customised(build_apple_orange(), {"price": code})
    message = "price: the objective must be a scalar, but its output has shape 2"
    s = Stepper(graph)
    with pytest.raises(ValueError, match=message):
        s.run_forward()
    assert s.cursor == 3 and "price" not in s.frame.values
    graph.nodes["tax"].attrs["trainable"] = True
    with pytest.raises(ValueError, match=message):
        Trainer(graph).run(1)
