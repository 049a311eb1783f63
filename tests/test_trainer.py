"""The Trainer: the same numbers as the Stepper, pause and resume, stop from another thread,
write-back, progress callbacks."""
from __future__ import annotations

import threading

import numpy as np
import pytest
from engine_fixtures import (
    build_classifier,
    build_mazur,
    build_mazur_scaled_targets,
    build_regression,
)

from core.graph import Graph
from core.settings import TrainingSettings
from core.stepper import Stepper
from core.trainer import CHECK_EVERY, Trainer

BUILDERS = {
    "mazur": lambda opt, batch: build_mazur(opt, {"sgd": 0.5, "momentum": 0.1, "adam": 0.01}[opt]),
    "xor": build_classifier,
    "sine": build_regression,
}
OPTIMIZERS = ["sgd", "momentum", "adam"]
# (graph, batch size): full batch, and mini-batches that do and do not divide the rows
BATCHING = [("mazur", 0), ("xor", 0), ("xor", 4), ("xor", 3), ("sine", 0), ("sine", 5)]


def stepper_losses(g: Graph, updates: int) -> tuple[list[float], dict[str, np.ndarray]]:
    st = Stepper(g)
    losses = []
    for _ in range(updates):
        assert st.apply_update() is None
        losses.append(st.loss)
    return losses, {p: g.nodes[p].value for p in st.program.trainable}


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
@pytest.mark.parametrize("graph, batch", BATCHING, ids=[f"{g}-batch{b}" for g, b in BATCHING])
def test_stepper_and_trainer_give_exactly_the_same_losses_and_weights(graph: str, batch: int, optimizer: str):
    n = 25
    losses, weights = stepper_losses(BUILDERS[graph](optimizer, batch), n)
    trainer = Trainer(BUILDERS[graph](optimizer, batch))
    result = trainer.run(n)
    assert np.array_equal(result.losses, np.array(losses))
    assert result.updates == n and not result.stopped and not result.nonfinite
    trained = trainer.weights()
    assert trained.keys() == weights.keys()
    for p, w in weights.items():
        assert np.array_equal(trained[p], w), p
    assert len(set(losses)) > 1


def test_trainer_reproduces_mazurs_update():
    trainer = Trainer(build_mazur())
    result = trainer.run(1)
    assert result.losses[0] == pytest.approx(0.298371109, abs=1e-9)
    w = trainer.weights()
    assert np.allclose(w["W2"], [[0.35891648, 0.51130127], [0.40866619, 0.56137012]], rtol=0, atol=5e-9)
    assert np.allclose(w["W1"], [[0.14978072, 0.24975114], [0.19956143, 0.29950229]], rtol=0, atol=5e-9)


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_training_lowers_the_loss(optimizer: str):
    result = Trainer(build_classifier(optimizer, 0)).run(400)
    assert result.losses[-1] < result.losses[0] / 10


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
@pytest.mark.parametrize("batch", [0, 3])
def test_pause_and_resume_equals_one_run(optimizer: str, batch: int):
    once = Trainer(build_classifier(optimizer, batch))
    whole = once.run(30)
    paused = Trainer(build_classifier(optimizer, batch))
    first = paused.run(12)
    second = paused.run(18)
    assert np.array_equal(np.concatenate([first.losses, second.losses]), whole.losses)
    assert second.updates == 30 and first.updates == 12
    for p, w in once.weights().items():
        assert np.array_equal(paused.weights()[p], w)
    assert np.array_equal(np.array(paused.losses), whole.losses)


def test_run_without_a_count_uses_the_settings():
    trainer = Trainer(build_mazur())
    assert len(trainer.run().losses) == 10


def test_settings_given_to_the_trainer_override_the_graph():
    g = build_mazur()
    trainer = Trainer(g, g.settings.with_changes(learning_rate=0.25, steps=3))
    result = trainer.run()
    assert len(result.losses) == 3
    reference = Trainer(build_mazur("sgd", 0.25)).run(3)
    assert np.array_equal(result.losses, reference.losses)


def test_callback_gets_every_update_and_its_loss():
    trainer = Trainer(build_classifier("adam", 3))
    calls: list[tuple[int, float]] = []
    first = trainer.run(5, lambda k, loss: calls.append((k, loss)))
    second = trainer.run(3, lambda k, loss: calls.append((k, loss)))
    assert [k for k, _ in calls] == list(range(1, 9))
    assert [loss for _, loss in calls] == list(first.losses) + list(second.losses)


def test_stop_from_another_thread_ends_the_run_after_the_update_in_progress():
    trainer = Trainer(build_classifier("momentum", 3))
    reached, stop_sent = threading.Event(), threading.Event()
    results: list = []

    def progress(update: int, loss: float) -> None:
        if update == 7:
            reached.set()
            stop_sent.wait(timeout=30)

    def work() -> None:
        try:
            results.append(trainer.run(100_000, progress))
        except Exception as exc:  # noqa: BLE001 - reported by the main thread
            results.append(exc)
        finally:
            reached.set()

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    assert reached.wait(timeout=30)
    trainer.stop()
    stop_sent.set()
    worker.join(timeout=30)
    assert not worker.is_alive()
    (result,) = results
    assert not isinstance(result, Exception), result
    assert result.stopped and result.updates == 7 and len(result.losses) == 7
    reference = Trainer(build_classifier("momentum", 3))
    reference.run(7)
    for p, w in reference.weights().items():
        assert np.all(np.isfinite(trainer.weights()[p]))
        assert np.array_equal(trainer.weights()[p], w)
    resumed = trainer.run(3)  # a stopped trainer runs again when asked
    assert not resumed.stopped and resumed.updates == 10


def test_write_back_puts_the_weights_in_the_graph():
    g = build_classifier("sgd", 0)
    before = {p: g.nodes[p].value.copy() for p in ("W1", "b1", "W2", "b2")}
    trainer = Trainer(g)
    trainer.run(5)
    for p, w in before.items():
        assert np.array_equal(g.nodes[p].value, w)  # training works on copies
    changed: list[str] = []
    g.value_changed.connect(lambda node: changed.append(node.id))
    trainer.write_back()
    assert sorted(changed) == ["W1", "W2", "b1", "b2"]
    for p, w in trainer.weights().items():
        assert np.array_equal(g.nodes[p].value, w)
        assert g.nodes[p].value is not trainer.params[p]
    trainer.run(1)
    assert not np.array_equal(g.nodes["W1"].value, trainer.weights()["W1"])


def test_trainer_leaves_untrainable_parameters_alone():
    g = build_mazur()
    g.set_attr("W1", "trainable", False)
    trainer = Trainer(g)
    trainer.run(3)
    assert set(trainer.weights()) == {"W2"}
    losses, weights = stepper_losses(build_mazur_frozen_w1(), 3)
    assert np.array_equal(trainer.run(0).losses, np.array([]))
    assert np.array_equal(np.array(trainer.losses), np.array(losses))
    assert np.array_equal(trainer.weights()["W2"], weights["W2"])


def build_mazur_frozen_w1() -> Graph:
    g = build_mazur()
    g.set_attr("W1", "trainable", False)
    return g


def test_a_nonfinite_loss_ends_the_run():
    g = Graph()
    g.set_settings(TrainingSettings(learning_rate=2.0))
    g.add_node("Parameter", "w", value=1.0)
    g.add_node("Log", "log")
    g.connect("w", "log", "x")
    result = Trainer(g).run(50)  # log 1 = 0, then w = 1 − 2·1 = −1 and log −1 is NaN
    assert result.nonfinite and not result.stopped and result.updates == 2
    assert result.losses[0] == 0.0 and np.isnan(result.losses[1])


def test_a_parameter_feeding_only_targets_does_not_break_training():
    g = build_mazur_scaled_targets()
    result = Trainer(g).run(2)
    reference = Trainer(build_mazur()).run(2)
    assert np.array_equal(result.losses, reference.losses)


def test_settings_refuse_bad_values_with_every_reason():
    with pytest.raises(ValueError, match=r"optimizer must be one of sgd, momentum, adam, not 'rmsprop'; "
                                         r"learning_rate must be positive, not -1"):
        TrainingSettings(optimizer="rmsprop", learning_rate=-1)
    with pytest.raises(ValueError, match="learning_rate must be positive, not nan"):
        TrainingSettings(learning_rate=float("nan"))
    with pytest.raises(ValueError, match="batch_size must be 0"):
        TrainingSettings(batch_size=-2)
    s = TrainingSettings().with_changes(optimizer="adam", learning_rate=None, steps=5)
    assert (s.optimizer, s.learning_rate, s.steps) == ("adam", 0.1, 5)
    assert TrainingSettings.field_types()["batch_size"] is int


def build_saturated_regression() -> Graph:
    """The regression network with one weight of W1 at 1.7e308: m1 overflows to ±Inf for some
    rows, the sigmoid saturates, and the loss stays finite."""
    g = build_regression("sgd", 0)
    w = g.nodes["W1"].value.copy()
    w[0, 0] = 1.7e308
    g.set_value("W1", w)
    return g


def test_an_overflowing_node_ends_the_run_though_the_loss_stays_finite():
    result = Trainer(build_saturated_regression()).run(1000)
    assert result.nonfinite and not result.stopped and result.updates == CHECK_EVERY
    assert np.all(np.isfinite(result.losses))
    assert result.message.startswith("m1 made ") and f"(found after update {CHECK_EVERY})" in result.message
    assert result.message.endswith(": its largest input is W1, up to 1.7e+308")
    # the check changes no number: the stepper (not stopping at NaN/Inf) gives the same losses
    stepper = Stepper(build_saturated_regression())
    stepper.break_on_nonfinite = False
    losses = []
    for _ in range(CHECK_EVERY):
        stepper.apply_update()
        losses.append(stepper.loss)
    assert np.array_equal(result.losses, np.array(losses))


def test_a_run_shorter_than_the_check_interval_is_checked_at_its_end():
    result = Trainer(build_saturated_regression()).run(5)
    assert result.nonfinite and result.updates == 5 and "(found after update 5)" in result.message


def test_a_parameter_that_overflows_ends_the_run_naming_it():
    g = Graph()  # sigmoid(w): one step of 1e308 · 0.25, then momentum alone carries w past −1.8e308 to −Inf
    g.set_settings(TrainingSettings(optimizer="momentum", learning_rate=1e308))
    g.add_node("Parameter", "w", value=0.0)
    g.add_node("Sigmoid", "s")
    g.connect("w", "s", "x")
    trainer = Trainer(g)
    result = trainer.run(1000)
    assert result.nonfinite and result.updates == CHECK_EVERY and np.all(np.isfinite(result.losses))
    assert result.losses[-1] == 0.0 and trainer.weights()["w"] == -np.inf  # sigmoid(−Inf) = 0 hid it
    assert result.message == f"parameter w became −Inf (found after update {CHECK_EVERY})"


def test_finite_runs_have_no_message():
    result = Trainer(build_classifier("adam", 3)).run(200)
    assert not result.nonfinite and result.message == ""


def test_the_loss_message_says_which_update():
    g = Graph()
    g.set_settings(TrainingSettings(learning_rate=2.0))
    g.add_node("Parameter", "w", value=1.0)
    g.add_node("Log", "log")
    g.connect("w", "log", "x")
    assert Trainer(g).run(50).message == (
        "the loss became NaN at update 2: forward log made NaN: from finite inputs: x (w) ranges -1 … -1")


def test_start_weights_replace_the_graphs_without_touching_it():
    g = build_mazur()
    start = {"W1": np.full((2, 2), 0.1)}
    before = {p: g.nodes[p].value for p in ("W1", "W2")}
    trainer = Trainer(g, start=start)
    result = trainer.run(5)
    assert all(g.nodes[p].value is v for p, v in before.items())  # the graph keeps its arrays
    reference_graph = build_mazur()
    reference_graph.set_value("W1", np.full((2, 2), 0.1))
    assert np.array_equal(result.losses, Trainer(reference_graph).run(5).losses)
    start["W1"][0, 0] = 9.0  # the trainer copied the start value
    trainer.run(1)
    assert np.array_equal(np.array(trainer.losses), Trainer(reference_graph).run(6).losses)
    with pytest.raises(ValueError, match=r"the start value of W1 is 3×2, but W1 is 2×2"):
        Trainer(build_mazur(), start={"W1": np.zeros((3, 2))})
