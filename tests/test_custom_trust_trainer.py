"""Trust taken back stops a trainer whose plan is already bound at its next update, as it stops
the stepper at its next step: the bound plan compares the trust generation before each update
and asks by hash again only when it changed; trust given again lets it go on."""
from __future__ import annotations

import pytest
from test_custom_trainer_views import chain

from core.custom import runner
from core.custom.trust import SESSION
from core.stepper import Stepper
from core.trainer import Trainer

COUNTING = ("class Relu:\n"
            "    forwards = 0\n"
            "    def forward(self, x):\n"
            "        type(self).forwards += 1\n"
            "        self.mask = x <= 0\n"
            "        return np.where(self.mask, 0.0, x)\n"
            "    def backward(self, dout):\n"
            "        return np.where(self.mask, 0.0, dout)\n")
REFUSED = r"^relu \(Relu\): its code is not trusted: nothing of it runs until you say so$"


def test_trust_taken_back_stops_a_bound_trainer_before_its_next_update(trust) -> None:
    trust.allow([COUNTING])
    layer = runner.layer_class(COUNTING)
    trainer = Trainer(chain(COUNTING))
    assert trainer.run(3).updates == 3
    ran = layer.forwards
    trust.revoke_all()
    with pytest.raises(runner.LayerError, match=REFUSED):
        trainer.run(3)
    assert trainer.updates == 3 and len(trainer.losses) == 3
    assert layer.forwards == ran  # not one call into the code once trust was taken back

    trust.allow([COUNTING])  # trusted again: the same bound plan goes on
    assert trainer.run(2).updates == 5
    assert layer.forwards == ran + 2


def test_trust_taken_back_during_a_run_stops_it_at_the_next_update(trust) -> None:
    trust.allow([COUNTING])
    trainer = Trainer(chain(COUNTING))
    trainer.run(1)

    def revoke_after_the_fourth(update: int, loss: float) -> None:
        if update == 4:
            SESSION.revoke_all()

    with pytest.raises(runner.LayerError, match=REFUSED):
        trainer.run(10, revoke_after_the_fourth)
    assert trainer.updates == 4


def test_trust_taken_back_and_given_again_between_runs_changes_nothing(trust) -> None:
    trust.allow([COUNTING])
    graph = chain(COUNTING)
    trainer = Trainer(graph)
    trainer.run(2)
    generation = trust.generation
    trust.revoke_all()
    trust.allow([COUNTING])
    assert trust.generation == generation + 1
    trainer.run(3)
    stepper = Stepper(chain(COUNTING))
    losses = []
    for _ in range(5):
        stepper.run_steps(len(stepper.program.steps))
        losses.append(float(stepper.frame.loss))
    assert trainer.losses == losses
