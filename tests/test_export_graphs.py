"""The NumPy script of graphs built in code (every op, broadcasting, fan-out, odd ids, labels,
mini-batches, each optimizer) prints the stepper's gradients and the trainer's losses."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from export_graphs import scalars, zoo
from export_helpers import TOL, assert_same_losses, printed, printed_losses, run_script

from core.export import export_script
from core.graph import Graph
from core.stepper import Stepper
from core.trainer import Trainer

GRAPHS = {
    "zoo-momentum": lambda: zoo("momentum"), "zoo-adam": lambda: zoo("adam"), "zoo-sgd": lambda: zoo("sgd"),
    "scalars": scalars, "zoo-keep-gradients": lambda: zoo("momentum", keep_gradients=True),
}


def _write(tmp_path: Path, graph: Graph, updates: int | None = None) -> Path:
    path = tmp_path / "exported.py"
    path.write_text(export_script(graph, updates), encoding="utf-8")
    return path


@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_one_step_prints_the_stepper_gradients(tmp_path: Path, name: str) -> None:
    graph = GRAPHS[name]()
    stepper = Stepper(graph)
    stepper.run_backward()
    loss, grads = printed(run_script(_write(tmp_path, graph)))
    assert loss == pytest.approx(stepper.loss, rel=TOL, abs=TOL)
    expected = {p: stepper.frame.grads[p] for p in stepper.program.parameters if p in stepper.frame.grads}
    assert set(grads) == set(expected) and expected
    for p, g in expected.items():
        np.testing.assert_allclose(grads[p], g, rtol=TOL, atol=TOL, err_msg=p)


@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_updates_give_the_trainer_losses(tmp_path: Path, name: str) -> None:
    graph = GRAPHS[name]()
    expected = Trainer(graph).run(25).losses.tolist()
    assert_same_losses(printed_losses(run_script(_write(tmp_path, graph, 25))), expected)
