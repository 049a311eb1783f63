"""The Stepper: runs a Program one step at a time, and steps back exactly.

State lives in a :class:`Frame` per training step (values, caches, gradients). Every step
records only what it changed, so ``step_back`` restores the state before it bit for bit and
the history's memory stays proportional to what it keeps. Arrays are never written in place:
a change replaces the array, and the record keeps the old one.
"""
from __future__ import annotations

import copy
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from core.data.dataset import Batcher
from core.events import Event
from core.graph import Graph
from core.nonfinite import why_nonfinite
from core.optim import Progress, make_optimizer
from core.program import (
    BACKWARD,
    CLEAR,
    FORWARD,
    Program,
    Step,
    accumulate,
    backward_node,
    check_objective,
    forward_node,
)

_MISSING = object()
DEFAULT_HISTORY = 10_000
BEGIN_INDEX = -1
BEGIN_STEP = Step("begin")  # not in the program: the move from one training step to the next


@dataclass
class Frame:
    """Everything one training step computes."""

    values: dict[str, np.ndarray] = field(default_factory=dict)
    caches: dict[str, Any] = field(default_factory=dict)
    grads: dict[str, np.ndarray] = field(default_factory=dict)  # ∂L/∂(node output)
    sent: dict[tuple[str, int], np.ndarray] = field(default_factory=dict)  # (node, port index) → grad
    updated: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)  # param → (old, new)
    backward_done: dict[str, bool] = field(default_factory=dict)
    loss: float | None = None
    kept: dict[str, np.ndarray] = field(default_factory=dict)  # parameter gradients of the last update


@dataclass
class StopReason:
    kind: str  # breakpoint | nonfinite | end | target
    message: str
    node: str | None = None
    step: int | None = None


class _Record:
    """What one step changed: enough to undo it."""

    __slots__ = ("index", "iteration", "frame", "changes", "loss", "params", "optimizer")

    def __init__(self, index: int, iteration: int, loss: float | None) -> None:
        self.index = index
        self.iteration = iteration
        self.loss = loss
        self.frame: Frame | None = None  # the previous frame, when this step began a training step
        self.changes: list[tuple[dict[Any, Any], Any, Any]] = []
        self.params: dict[str, np.ndarray] | None = None
        self.optimizer: dict[str, Any] | None = None


class Stepper:
    def __init__(self, graph: Graph, history_limit: int = DEFAULT_HISTORY, progress: Progress | None = None) -> None:
        """``progress`` (from ``Trainer.progress()``): go on from there — the next training step
        is update ``progress.updates + 1``, with its mini-batch and the optimizer's state."""
        self.graph = graph
        self.program = Program(graph)
        self.breakpoints: set[str] = set()
        self.break_on_nonfinite = True
        self._history: deque[_Record] = deque(maxlen=max(1, history_limit))
        self._initial = {p: graph.nodes[p].value for p in self.program.parameters}
        self.step_executed = Event("step_executed")  # (step, index)
        self.step_undone = Event("step_undone")  # (step, index)
        self.state_changed = Event("state_changed")  # () once per public call
        self.stopped = Event("stopped")  # (StopReason)
        self.last_stop: StopReason | None = None
        # an exercise's hook: why the next step may not run yet (a question is open), or None
        self.hold: Callable[[], str | None] | None = None
        self._start(progress)

    # ------------------------------------------------------------------ state
    def _start(self, progress: Progress | None = None) -> None:
        s = self.graph.settings
        self.optimizer = make_optimizer(s)
        rows = self.graph.dataset.train_rows if self.graph.dataset is not None else 1
        self.batcher = Batcher(rows, s.batch_size, s.seed)
        self.iteration = 0
        if progress is not None and progress.optimizer == s.optimizer:
            self.iteration = progress.updates
            self.optimizer.restore(copy.deepcopy(progress.state))
        self.cursor = 0
        self.frame = self._new_frame()
        self._history.clear()

    def _new_frame(self) -> Frame:
        frame = Frame()
        nodes = self.graph.nodes
        idx = self.batcher.indices(self.iteration)
        for leaf in self.program.leaves:
            if leaf in self.program.inputs:
                arr = self.graph.dataset.train_fields[self.program.inputs[leaf]]  # type: ignore[union-attr]
                frame.values[leaf] = arr if idx is None else arr[idx]
            else:
                frame.values[leaf] = nodes[leaf].value  # type: ignore[assignment]
        return frame

    def progress(self) -> Progress:
        """The updates applied so far (this training step's, once its update ran) and the
        optimizer's state: what a new Stepper or a later session goes on from."""
        updates = self.iteration + (1 if self.at_end else 0)
        return Progress(updates, self.graph.settings.optimizer, copy.deepcopy(self.optimizer.state))

    @property
    def history_limit(self) -> int:
        return self._history.maxlen or 0

    @history_limit.setter
    def history_limit(self, limit: int) -> None:
        self._history = deque(self._history, maxlen=max(1, limit))

    @property
    def history_length(self) -> int:
        return len(self._history)

    @property
    def steps(self) -> tuple[Step, ...]:
        return self.program.steps

    @property
    def at_end(self) -> bool:
        return self.cursor >= len(self.program.steps)

    @property
    def next_step(self) -> Step:
        return self.program.steps[0 if self.at_end else self.cursor]

    @property
    def can_step_back(self) -> bool:
        return bool(self._history)

    @property
    def phase(self) -> str:
        return self.program.phase_at(self.cursor)

    @property
    def loss(self) -> float | None:
        return self.frame.loss

    def executed(self, index: int) -> bool:
        return index < self.cursor

    def forward_done(self, node: str) -> bool:
        return node in self.frame.values and node in self.program.plans

    def backward_done(self, node: str) -> bool:
        return node in self.frame.backward_done

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

    def _step(self) -> Step:
        if self.at_end:
            self._begin_next()
        record = _Record(self.cursor, self.iteration, self.frame.loss)
        step = self.program.steps[self.cursor]
        try:
            if step.kind == FORWARD:
                self._forward(step.node, record)  # type: ignore[arg-type]
            elif step.kind == BACKWARD:
                self._backward(step.node, record)  # type: ignore[arg-type]
            elif step.kind == CLEAR:
                self._clear(record)
            else:
                self._update(record)
        except BaseException:  # a kernel failed (a custom layer's code): the step leaves nothing behind
            self._revert(record)
            raise
        self._history.append(record)
        self.cursor += 1
        self.step_executed.emit(step, self.cursor - 1)
        return step

    def _begin_next(self) -> None:
        """After the update: begin the next training step with a fresh frame and batch."""
        record = _Record(BEGIN_INDEX, self.iteration, self.frame.loss)
        record.frame = self.frame
        self._history.append(record)
        self.iteration += 1
        self.cursor = 0
        old = self.frame
        self.frame = self._new_frame()
        self.frame.kept = {p: old.grads[p] for p in self.program.trainable_with_gradient() if p in old.grads}

    def _set(self, record: _Record, table: dict[Any, Any], key: Any, value: Any) -> None:
        record.changes.append((table, key, table.get(key, _MISSING)))
        table[key] = value

    def _forward(self, node: str, record: _Record) -> None:
        plan = self.program.plans[node]
        with np.errstate(all="ignore"):
            out, cache = forward_node(plan, self.frame.values)
        if node == self.program.objective:
            check_objective(self.program, out)
        self._set(record, self.frame.values, node, out)
        self._set(record, self.frame.caches, node, cache)
        if node == self.program.objective:
            self.frame.loss = float(np.sum(out))

    def _clear(self, record: _Record) -> None:
        """Parameter gradients start from zero; with ``keep_gradients`` from the last update's
        (zero before the first), so the backward pass adds this update's to them."""
        if not self.graph.settings.keep_gradients:
            return
        for p in self.program.trainable_with_gradient():
            kept = self.frame.kept.get(p)
            start = kept if kept is not None else np.zeros_like(np.asarray(self.graph.nodes[p].value, dtype=float))
            self._set(record, self.frame.grads, p, start)

    def _backward(self, node: str, record: _Record) -> None:
        frame, plan = self.frame, self.program.plans[node]
        if node == self.program.objective:
            self._set(record, frame.grads, node, np.ones_like(frame.values[node]))
        dout = frame.grads[node]
        self._set(record, frame.backward_done, node, True)
        with np.errstate(all="ignore"):
            sent = backward_node(plan, frame.values, frame.caches[node], dout)
        for i, g in sent:
            self._set(record, frame.sent, (node, i), g)
            src = plan.srcs[i]
            old = frame.grads.get(src, _MISSING)
            accumulate(frame.grads, src, g)
            record.changes.append((frame.grads, src, old))

    def _update(self, record: _Record) -> None:
        frame = self.frame
        trainable = [p for p in self.program.trainable if p in frame.grads]
        record.optimizer = self.optimizer.snapshot()
        record.params = {p: self.graph.nodes[p].value for p in trainable}  # type: ignore[misc]
        new = {p: np.array(record.params[p]) for p in trainable}
        with np.errstate(all="ignore"):
            self.optimizer.update(new, {p: frame.grads[p] for p in trainable})
        for p in trainable:
            self._set(record, frame.updated, p, (record.params[p], new[p]))
            self.graph.set_value(p, new[p])

    def _undo_record(self) -> Step | None:
        """Undo the newest history entry: one step, or the beginning of a training step."""
        if not self._history:
            return None
        record = self._history.pop()
        if record.frame is not None:  # undo the beginning of a training step
            self.frame = record.frame
            self.iteration = record.iteration
            self.cursor = len(self.program.steps)
            self.step_undone.emit(BEGIN_STEP, BEGIN_INDEX)
            return BEGIN_STEP
        step = self.program.steps[record.index]
        self._revert(record)
        self.cursor = record.index
        self.step_undone.emit(step, record.index)
        return step

    def _revert(self, record: _Record) -> None:
        """Put back what the step of ``record`` changed."""
        for table, key, old in reversed(record.changes):
            if old is _MISSING:
                table.pop(key, None)
            else:
                table[key] = old
        if record.params is not None:
            for p, old_value in record.params.items():
                self.graph.set_value(p, old_value)
            self.optimizer.restore(record.optimizer)  # type: ignore[arg-type]
        self.frame.loss = record.loss

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
        """A stop before the next step when the hold hook says so (a new training step begins
        first, so that its questions can be asked)."""
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
            bad = [str(i) for (n, i), g in frame.sent.items() if n == step.node and not np.all(np.isfinite(g))]
            if not bad:
                return None
            ports = self.graph.nodes[step.node].inputs  # type: ignore[index]
            names = ", ".join(ports[int(i)] for i in bad)
            return StopReason("nonfinite", f"{step.label} sent NaN or Inf to {names}", step.node, index)
        bad_params = [p for p, (_, new) in frame.updated.items() if not np.all(np.isfinite(new))]
        if bad_params:
            message = f"the update made NaN or Inf in {', '.join(bad_params)}"
            return StopReason("nonfinite", message, bad_params[0], index)
        return None
