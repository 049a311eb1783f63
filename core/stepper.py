"""The Stepper: runs a Program one step at a time, and steps back exactly.

:class:`~core.step_engine.StepEngine` holds the state and makes one step (and undoes one); the
Stepper adds what a debugger offers: Step, Step Back, runs to a step, to a node, to the end of a
pass or of the training step, Continue, breakpoints and stops on NaN/Inf. A run may be cancelled
between two steps from another thread (:attr:`Stepper.interrupt`): the steps done are kept.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from core.events import Event
from core.graph import Graph
from core.nonfinite import why_nonfinite
from core.optim import Progress
from core.program import BACKWARD, FORWARD, Program, Step
from core.step_engine import BEGIN_STEP, DEFAULT_HISTORY, StepEngine
from core.step_record import BEGIN_INDEX, Frame, StopReason

__all__ = ["BEGIN_INDEX", "BEGIN_STEP", "DEFAULT_HISTORY", "Frame", "Stepper", "StopReason"]


class Stepper(StepEngine):
    def __init__(self, graph: Graph, history_limit: int = DEFAULT_HISTORY, progress: Progress | None = None,
                 program: Program | None = None) -> None:
        """``progress`` (from ``Trainer.progress()``): go on from there — the next training step
        is update ``progress.updates + 1``, with its mini-batch and the optimizer's state."""
        self.breakpoints: set[str] = set()
        self.break_on_nonfinite = True
        self.state_changed = Event("state_changed")  # () once per public call
        self.stopped = Event("stopped")  # (StopReason)
        self.last_stop: StopReason | None = None
        # an exercise's hook: why the next step may not run yet (a question is open), or None
        self.hold: Callable[[], str | None] | None = None
        # asked before each step of a run, on the thread that runs it: True cancels the run there
        self.interrupt: Callable[[], bool] | None = None
        super().__init__(graph, history_limit, progress, program)

    # ------------------------------------------------------------ stepping
    def step(self) -> Step:
        """Run the next step (after the update: begin the next training step)."""
        step = self._step()
        self.state_changed.emit()
        return step

    def step_back(self) -> Step | None:
        """Undo the last step exactly; ``None`` when the history is empty.

        A step that began the next training step is undone with that beginning: the state is
        again the end of the previous training step, as it was before ``step()``."""
        step = self._undo_record()
        if step is not None and step.kind == FORWARD and self.cursor == 0 and self._history \
                and self._history[-1].frame is not None:
            self._undo_record()
        self.state_changed.emit()
        return step

    # ------------------------------------------------------------- running
    def reset(self, weights: dict[str, np.ndarray] | None = None) -> None:
        """Back to the start with empty history; parameters as when the stepper was made, or
        ``weights`` (parameter id → value) where given."""
        if weights is not None:
            self._initial.update({p: weights[p] for p in self._initial if p in weights})
        for p, value in self._initial.items():
            if self.graph.nodes[p].value is not value:
                self.graph.set_value(p, value)
        self._start()
        self.last_stop = None
        self.state_changed.emit()

    def goto(self, index: int) -> StopReason | None:
        """Move the cursor to ``index`` within this training step, forward or back in time."""
        index = max(0, min(index, len(self.program.steps)))
        if index < self.cursor:
            while self.cursor > index and self._history and self._history[-1].frame is None:
                self._undo_record()
            self.state_changed.emit()
            return None
        return self._run(lambda: self.cursor >= index)

    def run_forward(self) -> StopReason | None:
        return self._run_to(self.program.n_forward)

    def run_backward(self) -> StopReason | None:
        return self._run_to(self.program.n_forward + self.program.n_backward)

    def apply_update(self) -> StopReason | None:
        return self._run_to(len(self.program.steps))

    def continue_(self) -> StopReason | None:
        """Run until a breakpoint, a NaN/Inf, or the end of the backward pass: every gradient is
        known and the update has not run yet. From there (or from the end of a training step) the
        update runs and the next training step goes on to the end of its backward pass."""
        gradients_known = self.program.n_forward + self.program.n_backward
        reason: StopReason | None = None
        if gradients_known <= self.cursor and not self.at_end:
            reason = self._advance(lambda: False)  # the update, to the end of this training step
        if reason is None:
            if self.at_end:
                self._begin_next()
            reason = self._advance(lambda: self.cursor >= gradients_known)
        return self._finish(reason)

    def run_to_node(self, node: str) -> StopReason | None:
        """Run until the next step of ``node`` has executed."""
        start = 0 if self.at_end else self.cursor
        todo = [i for i, s in enumerate(self.program.steps) if s.node == node and i >= start]
        if not todo:
            return None
        return self._run_to(todo[0] + 1)

    def run_steps(self, count: int) -> StopReason | None:
        """Run ``count`` steps (into the next training step if need be); stop on a NaN/Inf only."""
        reason: StopReason | None = None
        for _ in range(max(0, count)):
            reason = self._held()
            if reason is not None:
                break
            reason = self._check_nonfinite(self._step())
            if reason is not None:
                break
        return self._finish(reason)

    def _run_to(self, index: int) -> StopReason | None:
        if self.at_end:
            self._begin_next()
        return self._run(lambda: self.cursor >= index)

    def _run(self, done: Callable[[], bool]) -> StopReason | None:
        return self._finish(self._advance(done))

    def _advance(self, done: Callable[[], bool]) -> StopReason | None:
        """Run steps until ``done()``, the end of the training step, a breakpoint or a NaN/Inf."""
        reason: StopReason | None = None
        # A run goes past a breakpoint at the cursor (it stopped there, or the user stepped
        # there), except at the start of a training step, where nothing ran yet.
        first = self.cursor > 0 or self._stopped_at_breakpoint()
        while not done() and not self.at_end:
            reason = self._held()
            if reason is not None:
                break
            step = self.next_step
            if not first and step.node is not None and step.node in self.breakpoints:
                reason = StopReason("breakpoint", f"breakpoint at {step.label}", step.node, self.cursor)
                break
            self._step()
            first = False
            reason = self._check_nonfinite(step)
            if reason is not None:
                break
        return reason

    def _finish(self, reason: StopReason | None) -> StopReason | None:
        """End a run: remember why it stopped and tell the views."""
        self.last_stop = reason
        if reason is not None:
            self.stopped.emit(reason)
        self.state_changed.emit()
        return reason

    # --------------------------------------------------------------- checks
    def _held(self) -> StopReason | None:
        """A stop before the next step: the run was cancelled (:attr:`interrupt`), or the hold
        hook says so (a new training step begins first, so that its questions can be asked)."""
        if self.interrupt is not None and self.interrupt():
            step = self.next_step
            where = f"step {1 if self.at_end else self.cursor + 1}: {step.label}"
            return StopReason("cancelled", f"cancelled before {where}", step.node, 0 if self.at_end else self.cursor)
        if self.hold is None:
            return None
        if self.at_end:
            self._begin_next()
        why = self.hold()
        if why is None:
            return None
        return StopReason("question", why, self.next_step.node, self.cursor)

    def _stopped_at_breakpoint(self) -> bool:
        stop = self.last_stop
        return stop is not None and stop.kind == "breakpoint" and stop.step == self.cursor

    def _check_nonfinite(self, step: Step) -> StopReason | None:
        if not self.break_on_nonfinite:
            return None
        frame, index = self.frame, self.cursor - 1
        if step.kind == FORWARD:
            node = step.node
            out = frame.values[node]  # type: ignore[index]
            if np.all(np.isfinite(out)):
                return None
            plan = self.program.plans[node]  # type: ignore[index]
            why = why_nonfinite(plan.op.inputs, plan.srcs, frame.values)
            return StopReason("nonfinite", f"{step.label} made NaN or Inf: {why}", node, index)
        if step.kind == BACKWARD:
            node = step.node
            assert node is not None
            sent = ((i, frame.sent.get((node, i))) for i in self.program.plans[node].grad_ports)  # this node's only
            bad = [i for i, g in sent if g is not None and not np.all(np.isfinite(g))]
            if not bad:
                return None
            ports = self.graph.nodes[node].inputs
            names = ", ".join(ports[i] for i in bad)
            return StopReason("nonfinite", f"{step.label} sent NaN or Inf to {names}", node, index)
        bad_params = [p for p, (_, new) in frame.updated.items() if not np.all(np.isfinite(new))]
        if bad_params:
            message = f"the update made NaN or Inf in {', '.join(bad_params)}"
            return StopReason("nonfinite", message, bad_params[0], index)
        return None
