"""The gradient check: central differences against backprop, per parameter and per node."""
from __future__ import annotations

import numpy as np
import pytest

from core import io
from core.data.dataset import Dataset
from core.gradcheck import CheckCancelled, check_gradients, prepare_check
from core.gradcheck_report import CONSTANT, INPUT, NODE, PARAMETER, relative_error
from core.graph import Graph
from core.ops import get_op
from core.program import ProgramError
from core.settings import TrainingSettings
from core.stepper import Stepper


def scale_backward(monkeypatch: pytest.MonkeyPatch, op_type: str, port: int, factor: float) -> None:
    """Make ``op_type``'s backward send ``factor`` times the right gradient to input ``port``."""
    op = get_op(op_type)
    original = op.bind_backward

    def wrong(dout, ins, out, cache, attrs, grads):
        instrs = list(original(dout, ins, out, cache, attrs, grads))
        if grads[port] is not None:
            instrs.append((np.multiply, (grads[port], factor, grads[port])))
        return instrs

    monkeypatch.setattr(op, "bind_backward", wrong)


@pytest.fixture
def mazur(examples_dir) -> Graph:
    return io.load(examples_dir / "mazur.json")


def softmax_graph(batch_size: int = 0) -> Graph:
    """x(8×3) → Affine(W1, b1) → Tanh → Affine(W2, b2) → SoftmaxWithLoss(t), random but seeded."""
    rng = np.random.default_rng(7)
    g = Graph()
    g.set_dataset(Dataset({"x": rng.normal(size=(8, 3)), "t": np.eye(4)[rng.integers(0, 4, 8)]}))
    g.set_settings(TrainingSettings(batch_size=batch_size, seed=3))
    g.add_node("Input", "x", attrs={"field": "x"})
    g.add_node("Input", "t", attrs={"field": "t"})
    g.add_node("Parameter", "W1", value=rng.normal(size=(3, 5)))
    g.add_node("Parameter", "b1", value=rng.normal(size=5) * 0.1)
    g.add_node("Parameter", "W2", value=rng.normal(size=(5, 4)))
    g.add_node("Parameter", "b2", value=np.zeros(4))
    for op, node in (("Affine", "affine1"), ("Tanh", "tanh1"), ("Affine", "affine2"), ("SoftmaxWithLoss", "loss")):
        g.add_node(op, node)
    for src, dst, port in (
        ("x", "affine1", "x"), ("W1", "affine1", "W"), ("b1", "affine1", "b"), ("affine1", "tanh1", "x"),
        ("tanh1", "affine2", "x"), ("W2", "affine2", "W"), ("b2", "affine2", "b"),
        ("affine2", "loss", "x"), ("t", "loss", "t"),
    ):
        g.connect(src, dst, port)
    return g


def test_mazur_passes_with_his_published_gradients(mazur):
    report = check_gradients(mazur)
    assert report.passed
    assert report.loss == pytest.approx(0.298371109, abs=1e-9)
    assert [(e.name, e.kind) for e in report.params] == [("W1", PARAMETER), ("W2", PARAMETER)]
    w1, w2 = report.entry("W1"), report.entry("W2")
    # Mazur: ∂E/∂w1 = 0.000438568, ∂E/∂w5 = 0.082167041 (both ways: backprop and finite differences)
    for entry in (w1, w2):
        assert entry.error < 1e-6
    assert w1.analytic[0, 0] == pytest.approx(0.000438568, abs=1e-9)
    assert w1.numeric[0, 0] == pytest.approx(0.000438568, abs=1e-9)
    assert w2.analytic[0, 0] == pytest.approx(0.082167041, abs=1e-9)
    assert w2.numeric[0, 0] == pytest.approx(0.082167041, abs=1e-9)


def test_per_node_entries_cover_every_node_that_receives_a_gradient(mazur):
    report = check_gradients(mazur)
    assert [(e.name, e.kind) for e in report.nodes] == [
        ("affine1", NODE), ("sigmoid1", NODE), ("affine2", NODE), ("sigmoid2", NODE), ("loss", NODE)
    ]
    # the gradient arriving at sigmoid2's output is y − t (outputs 0.75136507, 0.77292847)
    np.testing.assert_allclose(report.entry("sigmoid2").numeric, [[0.74136507, -0.21707153]], atol=1e-8)
    np.testing.assert_array_equal(report.entry("loss").analytic, np.ones((), dtype=float))
    assert all(e.passed and e.error < 1e-6 for e in report.nodes)


def test_leaves_on_request(mazur):
    assert {e.kind for e in check_gradients(mazur).params} == {PARAMETER}
    report = check_gradients(mazur, include_leaves=True)
    kinds = {e.name: e.kind for e in report.params}
    # the targets t reach the loss through a port that takes no gradient: not checked
    assert kinds == {"W1": PARAMETER, "W2": PARAMETER, "x": INPUT, "b1": CONSTANT, "b2": CONSTANT}
    assert report.passed
    assert report.entry("b2").analytic.shape == ()
    assert report.entry("x").analytic.shape == (1, 2)


def test_affine_softmax_with_loss_graph_passes():
    report = check_gradients(softmax_graph(), include_leaves=True)
    assert report.passed, [(e.name, e.error) for e in report.failures()]
    assert {e.name for e in report.params} == {"W1", "b1", "W2", "b2", "x"}
    assert report.entry("b2").analytic.shape == (4,)
    assert max(e.error for e in report.entries) < 1e-6


def test_uses_the_mini_batch_of_update_zero():
    graph = softmax_graph(batch_size=3)
    stepper = Stepper(softmax_graph(batch_size=3))
    stepper.run_forward()
    report = check_gradients(graph)
    assert report.loss == stepper.loss
    assert report.entry("affine1").numeric.shape == (3, 5)


def test_a_wrong_backward_fails_and_names_the_parameter(monkeypatch):
    scale_backward(monkeypatch, "Affine", 2, 2.0)  # ∂L/∂b doubled
    report = check_gradients(softmax_graph())
    assert not report.passed
    assert {e.name for e in report.failures()} == {"b1", "b2"}
    assert report.entry("b2").error > 0.3  # 2a against a: |a| / 3|a|
    assert report.entry("W2").passed


def test_a_wrong_local_backward_shows_at_the_node_it_feeds(monkeypatch, mazur):
    scale_backward(monkeypatch, "Sigmoid", 0, 2.0)
    report = check_gradients(mazur)
    assert not report.passed
    failed = {e.name for e in report.failures()}
    assert {"W1", "W2", "affine2", "affine1"} <= failed
    # the gradient arriving at sigmoid2 is still right: the fault is in the step below it
    assert report.entry("sigmoid2").passed and report.entry("loss").passed


def test_threshold_is_a_parameter(monkeypatch, mazur):
    scale_backward(monkeypatch, "Sigmoid", 0, 1.0 + 1e-4)
    assert not check_gradients(mazur).passed
    loose = check_gradients(mazur, threshold=1e-3)
    assert loose.passed and loose.threshold == 1e-3
    assert 1e-6 < loose.entry("W2").error < 1e-4


def test_a_zero_gradient_passes_within_round_off(examples_dir):
    # sine: odd data and an odd network, so ∂L/∂b2 is 0 up to round-off on both sides
    report = check_gradients(io.load(examples_dir / "sine.json"))
    b2 = report.entry("b2")
    assert abs(float(b2.analytic[0])) < 1e-12
    assert report.passed


def test_the_graph_is_left_bit_for_bit(mazur):
    graph = softmax_graph(batch_size=3)
    for g in (graph, mazur):
        before = {n: (node.value, node.value.tobytes()) for n, node in g.nodes.items() if node.value is not None}
        fields = {k: v.tobytes() for k, v in g.dataset.fields.items()}
        changes: list[object] = []
        g.value_changed.connect(changes.append)
        check_gradients(g, include_leaves=True)
        for n, (array, raw) in before.items():
            assert g.nodes[n].value is array
            assert g.nodes[n].value.tobytes() == raw
        assert {k: v.tobytes() for k, v in g.dataset.fields.items()} == fields
        assert changes == []


def test_invalid_graph_and_bad_arguments(mazur):
    broken = Graph()
    broken.add_node("Sigmoid", "s")
    with pytest.raises(ProgramError):
        check_gradients(broken)
    with pytest.raises(ValueError):
        check_gradients(mazur, eps=0.0)
    with pytest.raises(ValueError):
        check_gradients(mazur, threshold=-1.0)


def test_a_nan_loss_leaves_every_entry_not_checkable():
    # log of a negative product: no step gives a finite objective, so nothing can be measured
    g = Graph()
    g.add_node("Parameter", "p", value=[1.0, 2.0])
    g.add_node("Constant", "c", value=-1.0)
    g.add_node("Multiply", "m")
    g.add_node("Log", "log")
    g.add_node("Sum", "s")
    for src, dst, port in (("p", "m", "x"), ("c", "m", "y"), ("m", "log", "x"), ("log", "s", "x")):
        g.connect(src, dst, port)
    report = check_gradients(g)
    assert np.isnan(report.entry("p").error)
    assert {e.name: e.verdict for e in report.entries} == dict.fromkeys(["p", "m", "log", "s"], "not checkable here")
    assert report.entry("p").unchecked == 2 and report.failures() == []
    assert report.unchecked() == list(report.entries)


def test_relative_error_definition():
    assert relative_error(np.array([1.0, 2.0]), np.array([1.0, 2.0])) == 0.0
    assert relative_error(np.array([2.0]), np.array([1.0])) == pytest.approx(1 / 3)
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert relative_error(np.zeros(2), np.zeros(3)) == float("inf")


def test_names_check_only_those_entries(mazur):
    full = check_gradients(mazur)
    one = check_gradients(mazur, names=["W2"])
    assert [(e.name, e.kind) for e in one.entries] == [("W2", PARAMETER)]
    np.testing.assert_array_equal(one.entry("W2").numeric, full.entry("W2").numeric)
    assert one.entry("W2").error == full.entry("W2").error
    nodes = check_gradients(mazur, names=["sigmoid2", "W1"])
    assert [e.name for e in nodes.entries] == ["W1", "sigmoid2"]
    assert [e.name for e in check_gradients(mazur, names=["x"], include_leaves=True).entries] == ["x"]


def test_a_name_without_a_gradient_is_refused(mazur):
    for name in ("t", "b1", "x", "nowhere"):  # a target, a constant, an input (without include_leaves), none
        with pytest.raises(ValueError, match=f"no gradient to check at {name}"):
            check_gradients(mazur, names=[name])


def test_a_prepared_check_reads_the_graph_once(mazur):
    job = prepare_check(mazur)
    expected = check_gradients(mazur)
    mazur.set_value("W2", np.zeros((2, 2)))  # an edit after the job was made changes nothing in it
    report = job.run()
    np.testing.assert_array_equal(report.entry("W2").numeric, expected.entry("W2").numeric)
    assert report.loss == expected.loss


def test_a_check_stops_when_cancelled(mazur):
    asked: list[int] = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) > 3

    with pytest.raises(CheckCancelled):
        prepare_check(mazur).run(cancelled)
    assert len(asked) == 4  # asked once per element moved, stopped at the fourth
