"""The loss at the end of training, said one way everywhere: the loss *in* update N (computed
before its weight change; Mazur's published figure after 10,000 updates) and the loss *after* it
(at the trained weights: the debugger's at training step N + 1, an export's). The CLI, the
training status and the debugger name which one they give and agree to the digit."""
from __future__ import annotations

from training_helpers import MAZUR, open_example, train_in_window

from app.cli.main import main
from app.training.runs import summary_text
from core import io
from core.end_loss import end_loss_text, loss_after
from core.export.weights import forward_loss
from core.stepper import Stepper
from core.trainer import Trainer

IN_UPDATE = 3.510854812251261e-05  # loss computed in update 10,000 (published: 0.0000351085)
AFTER = 3.510187782978859e-05  # loss at the weights update 10,000 left
SAID = "3.510188e-5 after update 10,000 (3.510855e-5 in it, before its weight change)"


def test_mazur_after_10000_updates_has_two_losses_and_the_published_one_is_in_the_update():
    graph = io.load(MAZUR)
    trainer = Trainer(graph)
    trainer.run(10_000)
    assert trainer.losses[-1] == IN_UPDATE
    assert f"{trainer.losses[-1]:.10f}" == "0.0000351085"  # Mazur's figure, to his digits
    assert loss_after(trainer) == AFTER
    trainer.write_back()
    stepper = Stepper(graph, progress=trainer.progress())  # training step 10,001
    stepper.run_forward()
    assert stepper.loss == AFTER  # the next forward pass, every digit
    assert forward_loss(graph) == AFTER  # what an export of these weights says
    assert end_loss_text(10_000, IN_UPDATE, AFTER) == SAID


def test_before_any_update_there_is_no_loss_after():
    assert loss_after(Trainer(io.load(MAZUR))) is None
    assert end_loss_text(3, 0.25, None) == "0.25 in update 3 (before its weight change)"


def test_the_cli_names_both(capsys):
    assert main(["train", str(MAZUR)]) == 0
    line = capsys.readouterr().err.strip().splitlines()[-1]
    assert f"loss 0.2983711 -> {SAID}," in line


def test_window_status_and_debugger_agree_with_the_cli(workbench, qtbot):
    window = workbench(open_example("mazur"), (1280, 800))
    training = window.training
    run = train_in_window(qtbot, window, 10_000)
    assert run.loss_after == AFTER and run.losses[run.count - 1] == IN_UPDATE
    assert summary_text(run).endswith(f"ms, loss {SAID}") or summary_text(run).endswith(f" s, loss {SAID}")
    qtbot.waitUntil(lambda: training.panel.status.text() == summary_text(run))
    c = window.debugger.controller
    qtbot.waitUntil(lambda: c.stepper is not None and c.stepper.iteration == 10_000)
    c.run_steps(5)  # the forward pass of training step 10,001
    assert "training step 10,001 · loss = 3.5101878e-5" in c.status
    assert "weight change" not in c.status


def test_debugger_says_its_loss_is_from_before_the_update_once_the_update_ran(workbench):
    window = workbench(open_example("mazur"), (1280, 800))
    c = window.debugger.controller
    c.run_steps(len(c.stepper.program.steps))  # the whole of training step 1, update included
    assert c.stepper.at_end
    assert c.status.endswith("training step 1 · loss = 0.29837111 (computed before this update's weight change)")
