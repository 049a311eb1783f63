"""A run that diverges names the node whose value first became NaN or Inf, in the Stepper's
words, and the command line says it."""
from __future__ import annotations

import numpy as np
from engine_fixtures import wire

from core import io
from core.data.dataset import Dataset
from core.graph import Graph
from core.settings import TrainingSettings
from core.stepper import Stepper
from core.trainer import Trainer


def diverging_regression() -> Graph:
    """x(8×2) → Affine → Affine → mean squared error, at a learning rate of 3: the weights grow
    until affine2's outputs (finite, near −4e202) square to Inf in the loss at update 6."""
    rng = np.random.default_rng(1)
    g = Graph()
    g.set_dataset(Dataset({"x": rng.normal(size=(8, 2)), "t": rng.normal(size=(8, 1))}))
    g.set_settings(TrainingSettings(learning_rate=3.0))
    g.add_node("Input", "x", attrs={"field": "x"})
    g.add_node("Input", "t", attrs={"field": "t"})
    g.add_node("Parameter", "W1", value=rng.normal(size=(2, 3)))
    g.add_node("Parameter", "b1", value=np.zeros(3))
    g.add_node("Parameter", "W2", value=rng.normal(size=(3, 1)))
    g.add_node("Parameter", "b2", value=np.zeros(1))
    for op, node in (("Affine", "affine1"), ("Affine", "affine2"), ("MeanSquaredError", "loss")):
        g.add_node(op, node)
    wire(g, ("x", "affine1", "x"), ("W1", "affine1", "W"), ("b1", "affine1", "b"), ("affine1", "affine2", "x"),
         ("W2", "affine2", "W"), ("b2", "affine2", "b"), ("affine2", "loss", "y"), ("t", "loss", "t"))
    return g


def stepper_stop() -> tuple[int, str]:
    stepper = Stepper(diverging_regression())
    for update in range(1, 100):
        reason = stepper.apply_update()
        if reason is not None:
            return update, reason.message
    raise AssertionError("the stepper never stopped")


def test_the_trainer_names_the_node_as_the_stepper_does():
    result = Trainer(diverging_regression()).run(100)
    update, stepper_message = stepper_stop()
    assert result.nonfinite and result.updates == update == 6
    assert stepper_message.startswith("forward loss made NaN or Inf: from finite inputs: y (affine2) ranges -4.13e202")
    why = stepper_message.split(": ", 1)[1]
    assert result.message == f"the loss became Inf at update 6: forward loss made Inf: {why}"


def test_the_first_node_in_forward_order_is_named_with_the_values_the_loss_saw():
    g = Graph()  # log(w): w = 1 → −1 after one update (lr 2); log(−1) is NaN at update 2
    g.set_settings(TrainingSettings(learning_rate=2.0))
    g.add_node("Parameter", "w", value=1.0)
    g.add_node("Log", "log")
    g.add_node("Exp", "exp")
    wire(g, ("w", "log", "x"), ("log", "exp", "x"))
    trainer = Trainer(g)
    result = trainer.run(50)
    # the update of that step made w NaN; the message quotes the −1 the forward pass saw
    assert np.isnan(trainer.weights()["w"])
    assert result.message == ("the loss became NaN at update 2: forward log made NaN: "
                              "from finite inputs: x (w) ranges -1 … -1")


def test_the_command_line_says_which_node(tmp_path, capsys):
    from app.cli.main import main

    path = tmp_path / "diverge.json"
    io.save(diverging_regression(), path)
    assert main(["train", str(path), "--steps", "100"]) == 1
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("backprop-workbench: error: training stopped: the loss became Inf at update 6: "
                           "forward loss made Inf: from finite inputs: y (affine2) ranges -4.13e202")
    assert line.endswith("(try a smaller learning rate, or step through it in the debugger); nothing saved")
