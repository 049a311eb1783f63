"""Which nodes a debugger action changed, so that the views repaint only those."""
from __future__ import annotations

from typing import Iterable

from core.program import BACKWARD, CLEAR, UPDATE, Program, Step
from core.stepper import BEGIN_INDEX

MAX_TRACKED = 64  # past this many nodes, every node is repainted


class ChangedNodes:
    """The nodes whose state changed since the last :meth:`take`: a set, or ``None`` for every node."""

    def __init__(self) -> None:
        self._nodes: set[str] | None = set()

    def all(self) -> None:
        """Every node changed (a new program, a reset, the first action)."""
        self._nodes = None

    def step_ran(self, program: Program, step: Step, index: int) -> None:
        """``step`` ran or was undone: its node changed, a backward step's inputs got gradients,
        the update changed every trainable parameter. A new training step changes everything."""
        if self._nodes is None:
            return
        if index == BEGIN_INDEX or len(self._nodes) > MAX_TRACKED:
            self._nodes = None
        elif step.kind in (UPDATE, CLEAR):  # the update changes the weights, clearing their gradients
            self._nodes.update(program.trainable)
        elif step.node is not None:
            self._nodes.add(step.node)
            if step.kind == BACKWARD:
                self._nodes.update(program.plans[step.node].srcs)

    def take(self, also: Iterable[str | None] = ()) -> set[str] | None:
        """The changed nodes (with ``also``, unless every node changed); starts a new empty set."""
        nodes, self._nodes = self._nodes, set()
        if nodes is not None:
            nodes.update(node for node in also if node is not None)
        return nodes
