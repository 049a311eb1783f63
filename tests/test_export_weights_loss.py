"""The loss an export's weights note gives: one forward pass of a Stepper (one Program made, not
two), none for a graph with a custom layer (its code does not run for a note)."""
from __future__ import annotations

import notebook_classes as nb
import pytest
from custom_helpers import customised
from helpers import build_mazur

import core.program
from core.export.weights import forward_loss


def test_the_loss_comes_from_one_program(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[object] = []
    init = core.program.Program.__init__

    def counting(self: core.program.Program, graph: object) -> None:
        made.append(graph)
        init(self, graph)  # type: ignore[arg-type]

    monkeypatch.setattr(core.program.Program, "__init__", counting)
    assert forward_loss(build_mazur()) == pytest.approx(0.298371109, abs=5e-10)  # Mazur's total error
    assert len(made) == 1


def test_a_graph_with_a_custom_layer_gives_no_loss(trust) -> None:
    graph = customised(build_mazur(), {"sigmoid2": nb.SIGMOID})
    trust.allow([nb.SIGMOID])
    assert forward_loss(graph) is None
    assert forward_loss(build_mazur()) is not None
