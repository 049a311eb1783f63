"""Trainer.run's callback names the next update it wants to hear of: a caller that takes the losses
in blocks is called once a block, and the numbers are those of a run without a callback."""
from __future__ import annotations

import numpy as np
from engine_fixtures import build_mazur

from core.trainer import Trainer


def test_a_callback_that_asks_for_nothing_hears_of_every_update():
    heard: list[tuple[int, float]] = []
    result = Trainer(build_mazur()).run(5, lambda u, loss: heard.append((u, loss)))
    assert heard == list(zip(range(1, 6), result.losses.tolist(), strict=True))


def test_a_callback_hears_of_the_first_update_then_of_those_it_asks_for():
    plain = Trainer(build_mazur()).run(100)
    heard: list[int] = []

    def every_tenth(update: int, loss: float) -> int:
        assert loss == plain.losses[update - 1]
        heard.append(update)
        return update + 10 - update % 10  # the next multiple of ten

    trainer = Trainer(build_mazur())
    result = trainer.run(100, every_tenth)
    assert heard == [1, *range(10, 101, 10)]
    assert np.array_equal(result.losses, plain.losses) and trainer.losses == plain.losses.tolist()


def test_an_answer_not_past_the_update_asks_for_the_next_one():
    heard: list[int] = []
    Trainer(build_mazur()).run(4, lambda u, _loss: heard.append(u) or u)
    assert heard == [1, 2, 3, 4]


def test_a_second_call_is_heard_of_from_its_own_first_update():
    trainer = Trainer(build_mazur())
    heard: list[int] = []
    trainer.run(7, lambda u, _loss: heard.append(u) or 1_000)
    trainer.run(5, lambda u, _loss: heard.append(u) or 1_000)
    assert heard == [1, 8]
    assert np.array_equal(np.array(trainer.losses), Trainer(build_mazur()).run(12).losses)
