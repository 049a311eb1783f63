"""The debugger's step commands: Step, Step Back, Run Forward/Backward, Update, Continue, Run to
a node, Go to a row. Each is one user action of :class:`~app.debugger.controller.DebugController`,
which mixes this class in and supplies what it calls (``_run``, ``_action``, ``can_act``,
``_set_status``): here only what each command asks of the stepper.
"""
from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Callable

from app.debugger.state import DebuggerState
from core.stepper import Stepper, StopReason


class StepCommands(DebuggerState):
    """The handlers of the step actions (and the ``--steps`` and Program view hooks)."""

    @property
    def can_act(self) -> bool:
        raise NotImplementedError

    def _action(self) -> AbstractContextManager[Stepper]:
        raise NotImplementedError

    def _set_status(self, text: str, announce: bool = True) -> None:
        raise NotImplementedError

    def _run(self, call: Callable[[Stepper], StopReason | None]) -> None:
        raise NotImplementedError

    def step(self) -> None:
        """Run the next step (a NaN/Inf it makes is reported; breakpoints do not stop one step)."""
        self._run(lambda s: s.run_steps(1))

    def step_back(self) -> None:
        if not self.can_act:
            return
        with self._action() as s:
            self.last_stop = None
            s.step_back()

    def run_steps(self, count: int) -> None:
        """Run ``count`` steps as one action (the ``--steps`` hook); stops early on a NaN/Inf."""
        self._run(lambda s: s.run_steps(count))

    def goto(self, index: int) -> None:
        """Move the cursor to ``index`` (0: the start) within the current training step."""
        self._run(lambda s: s.goto(index))

    def run_forward(self) -> None:
        self._run(Stepper.run_forward)

    def run_backward(self) -> None:
        self._run(Stepper.run_backward)

    def apply_update(self) -> None:
        self._run(Stepper.apply_update)

    def continue_(self) -> None:
        self._run(Stepper.continue_)

    def run_to_node(self, node: str) -> None:
        """Run until ``node``'s next step in this training step has run (the next one's, at the end)."""
        s = self.stepper
        if s is None or not self.can_act:
            return
        start = 0 if s.at_end else s.cursor
        if not any(step.node == node for step in s.program.steps[start:]):
            self._set_status(f"{node} has no step left in this training step: Step Back or Reset to go before it")
            return
        self._run(lambda s: s.run_to_node(node))

    def run_to_selected(self) -> None:
        if self.selected_node is not None:
            self.run_to_node(self.selected_node)
