"""Stop inside a long update (core.long_update): a trainer whose update is long looks for a stop
between the nodes of its forward and backward pass, gives that update up without changing any
weight, gradient or optimizer state, and reports a stopped run; the weights are those of the
updates it finished, computed headless. Trust taken back ends such an update there too. A short
update (Mazur's) checks nothing inside, and a long run that is not stopped gives the same numbers
as the same run without checks."""
from __future__ import annotations

import re
from functools import partial

import numpy as np
import pytest
from long_update_helpers import WAIT_S, held, in_thread, long_graph  # noqa: F401 - held is a fixture
from test_custom_trust_trainer import COUNTING, REFUSED
from training_helpers import MAZUR

from core import io
from core.custom import runner
from core.custom.trust import SESSION
from core.long_update import stop_check
from core.trainer import Trainer

FINISHED = 3  # updates finished before the held one


def reference(make, updates: int) -> Trainer:
    """A headless trainer on a new graph from ``make()`` after ``updates`` updates."""
    trainer = Trainer(make())
    trainer.run(updates)
    return trainer


def assert_same_state(trainer: Trainer, expected: Trainer) -> None:
    """Equal weights, gradients and optimizer state, every bit."""
    assert trainer.updates == expected.updates
    for name in ("weights", "gradients"):
        got, want = getattr(trainer, name)(), getattr(expected, name)()
        assert got.keys() == want.keys()
        for p in want:
            assert np.array_equal(got[p], want[p]), (name, p)
    got_state, want_state = trainer.progress().state, expected.progress().state
    assert got_state.keys() == want_state.keys()
    for key, value in want_state.items():
        assert np.array_equal(got_state[key], value), key


def stop_while_held(trainer: Trainer, gate, ask=None) -> object:
    """Run ``trainer`` on a thread until ``gate`` holds its next call, ``ask()`` (Stop by
    default), let go: the run's result or exception."""
    gate.hold_at = gate.calls + 1
    thread, results = in_thread(trainer, 1000)
    gate.wait_entered()
    (ask or trainer.stop)()
    gate.open()
    thread.join(WAIT_S)
    assert not thread.is_alive()
    (result,) = results
    return result


@pytest.mark.parametrize("optimizer", ["adam", "sgd"])  # momentum: the backward test
def test_stop_inside_the_forward_pass_gives_the_update_up(held, optimizer):  # noqa: F811
    forward, _ = held
    make = partial(long_graph, optimizer=optimizer)
    trainer = Trainer(make())
    trainer.run(FINISHED)  # on the test's thread: the gates do not count it
    assert trainer._plans[None].checked
    result = stop_while_held(trainer, forward)
    assert not isinstance(result, Exception), result
    assert result.stopped and not result.nonfinite and result.updates == FINISHED and result.losses.size == 0
    assert len(trainer.losses) == FINISHED
    assert_same_state(trainer, reference(make, FINISHED))
    # the update given up is done again: the same weights as a run that was never stopped
    assert trainer.run(2).updates == FINISHED + 2
    assert_same_state(trainer, reference(make, FINISHED + 2))


def test_stop_inside_the_backward_pass_keeps_kept_gradients(held):  # noqa: F811
    """With kept gradients an update adds to the last one's: b's, added to before held's backward
    was held, is taken back."""
    _, backward = held
    make = partial(long_graph, optimizer="momentum", keep_gradients=True)
    trainer = Trainer(make())
    trainer.run(FINISHED)
    result = stop_while_held(trainer, backward)
    assert result.stopped and result.updates == FINISHED
    assert_same_state(trainer, reference(make, FINISHED))
    trainer.run(2)
    assert_same_state(trainer, reference(make, FINISHED + 2))


def test_stop_inside_the_first_update_leaves_the_starting_weights(held):  # noqa: F811
    forward, _ = held
    make = partial(long_graph, batch_size=50_000)  # mini-batches too: their plan is long as well
    graph = make()
    start = graph.nodes["W"].value.copy()
    trainer = Trainer(graph)
    result = stop_while_held(trainer, forward)
    assert result.stopped and result.updates == 0 and trainer.losses == []
    assert np.array_equal(trainer.weights()["W"], start)
    trainer.run(2)
    assert_same_state(trainer, reference(make, 2))


def test_trust_taken_back_inside_a_long_update_ends_it_there(held, trust):  # noqa: F811
    forward, _ = held
    trust.allow([COUNTING])
    layer = runner.layer_class(COUNTING)
    make = partial(long_graph, optimizer="sgd", code=COUNTING)
    trainer = Trainer(make())
    trainer.run(FINISHED)
    calls = layer.forwards
    result = stop_while_held(trainer, forward, SESSION.revoke_all)
    assert isinstance(result, runner.LayerError) and re.match(REFUSED, str(result)), result
    assert layer.forwards == calls  # the layer after the held node never ran
    assert trainer.updates == FINISHED
    trust.allow([COUNTING])
    assert_same_state(trainer, reference(make, FINISHED))


def test_a_long_run_not_stopped_equals_the_same_run_without_checks(held, monkeypatch):  # noqa: F811
    checked = Trainer(long_graph())
    checked.run(4)
    assert checked._plans[None].checked
    # after each node's kernels: xw, held, plus_b and loss forward, then the same backward
    assert sum(f is stop_check for f, _ in checked._plans[None].instrs) == 8
    monkeypatch.setattr("core.long_update.LONG_UPDATE", 10**18)
    plain = Trainer(long_graph())
    plain.run(4)
    assert not plain._plans[None].checked
    assert not any(f is stop_check for f, _ in plain._plans[None].instrs)
    assert checked.losses == plain.losses
    assert_same_state(checked, plain)


def test_mazur_update_checks_nothing_inside():
    trainer = Trainer(io.load(MAZUR))
    trainer.run(2)
    (plan,) = trainer._plans.values()
    assert not plan.checked
    assert not any(f is stop_check for f, _ in plan.instrs)


def test_a_stop_asked_before_run_ends_it_before_its_first_update():
    trainer = Trainer(io.load(MAZUR))
    trainer.stop()
    result = trainer.run(50)
    assert result.stopped and result.updates == 0 and trainer.losses == []
    again = trainer.run(5)  # the request ended that run only
    assert not again.stopped and again.updates == 5
