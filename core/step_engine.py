"""The stepper's engine: the state of a Program's run and the one move it makes, a step, undone
exactly.

State lives in a :class:`~core.step_record.Frame` per training step (values, caches, gradients).
Every step records only what it changed (a :class:`~core.step_record.Record`), so undoing it
restores the state before it bit for bit and the history's memory stays proportional to what it
keeps. Arrays are never written in place: a change replaces the array, and the record keeps the
old one. :class:`~core.stepper.Stepper` adds the runs (to a node, to the end of a pass, ...).
"""
from __future__ import annotations

import copy
from collections import deque

import numpy as np

from core.data.dataset import Batcher
from core.events import Event
from core.graph import Graph
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
    leaf_values,
)
from core.step_record import BEGIN_INDEX, MISSING, Frame, Record

DEFAULT_HISTORY = 10_000
BEGIN_STEP = Step("begin")  # not in the program: the move from one training step to the next


class StepEngine:
    def __init__(self, graph: Graph, history_limit: int = DEFAULT_HISTORY, progress: Progress | None = None,
                 program: Program | None = None) -> None:
        """``progress`` (from ``Trainer.progress()``): go on from there — the next training step
        is update ``progress.updates + 1``, with its mini-batch and the optimizer's state.
        ``program``: the graph's program, when already built (else built here)."""
        self.graph = graph
        self.program = program if program is not None else Program(graph)
        self._history: deque[Record] = deque(maxlen=max(1, history_limit))
        self._initial = {p: graph.nodes[p].value for p in self.program.parameters}
        # (step, index); the move to the next training step, and its undo, as (BEGIN_STEP, BEGIN_INDEX)
        self.step_executed = Event("step_executed")
        self.step_undone = Event("step_undone")
        self._start(progress)

    # ------------------------------------------------------------------ state
    def _start(self, progress: Progress | None = None) -> None:
        s = self.graph.settings
        self.optimizer = make_optimizer(s)
        self.batcher = Batcher.for_training(self.graph.dataset, s)
        self.iteration = 0
        if progress is not None and progress.optimizer == s.optimizer:
            self.iteration = progress.updates
            self.optimizer.restore(copy.deepcopy(progress.state))
        self.cursor = 0
        self.frame = self._new_frame()
        self._history.clear()

    def _new_frame(self) -> Frame:
        return Frame(values=leaf_values(self.graph, self.program, self.batcher.indices(self.iteration)))

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

    # ------------------------------------------------------------ one step
    def _step(self) -> Step:
        """Run the next step (after the update: begin the next training step first)."""
        if self.at_end:
            self._begin_next()
        record = Record(self.cursor, self.iteration, self.frame.loss)
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
        record = Record(BEGIN_INDEX, self.iteration, self.frame.loss)
        record.frame = self.frame
        self._history.append(record)
        self.iteration += 1
        self.cursor = 0
        old = self.frame
        self.frame = self._new_frame()
        self.frame.kept = {p: old.grads[p] for p in self.program.trainable_with_gradient() if p in old.grads}
        self.step_executed.emit(BEGIN_STEP, BEGIN_INDEX)  # as its undo announces it: every node's state is new

    def _forward(self, node: str, record: Record) -> None:
        plan = self.program.plans[node]
        with np.errstate(all="ignore"):
            out, cache = forward_node(plan, self.frame.values)
        if node == self.program.objective:
            check_objective(self.program, out)
        record.set(self.frame.values, node, out)
        record.set(self.frame.caches, node, cache)
        if node == self.program.objective:
            self.frame.loss = float(np.sum(out))

    def _clear(self, record: Record) -> None:
        """Parameter gradients start from zero; with ``keep_gradients`` from the last update's
        (zero before the first), so the backward pass adds this update's to them."""
        if not self.graph.settings.keep_gradients:
            return
        for p in self.program.trainable_with_gradient():
            kept = self.frame.kept.get(p)
            start = kept if kept is not None else np.zeros_like(np.asarray(self.graph.nodes[p].value, dtype=float))
            record.set(self.frame.grads, p, start)

    def _backward(self, node: str, record: Record) -> None:
        frame, plan = self.frame, self.program.plans[node]
        if node == self.program.objective:
            record.set(frame.grads, node, np.ones_like(frame.values[node]))
        dout = frame.grads[node]
        record.set(frame.backward_done, node, True)
        with np.errstate(all="ignore"):
            sent = backward_node(plan, frame.values, frame.caches[node], dout)
        for i, g in sent:
            record.set(frame.sent, (node, i), g)
            src = plan.srcs[i]
            old = frame.grads.get(src, MISSING)
            accumulate(frame.grads, src, g)
            record.changes.append((frame.grads, src, old))

    def _update(self, record: Record) -> None:
        frame = self.frame
        trainable = [p for p in self.program.trainable if p in frame.grads]
        record.optimizer = self.optimizer.snapshot()
        record.params = {p: self.graph.nodes[p].value for p in trainable}  # type: ignore[misc]
        new = {p: np.array(record.params[p]) for p in trainable}
        with np.errstate(all="ignore"):
            self.optimizer.update(new, {p: frame.grads[p] for p in trainable})
        for p in trainable:
            record.set(frame.updated, p, (record.params[p], new[p]))
            self.graph.set_value(p, new[p])

    # ---------------------------------------------------------- undoing one
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

    def _revert(self, record: Record) -> None:
        """Put back what the step of ``record`` changed."""
        record.undo_changes()
        if record.params is not None:
            for p, old_value in record.params.items():
                self.graph.set_value(p, old_value)
            self.optimizer.restore(record.optimizer)  # type: ignore[arg-type]
        self.frame.loss = record.loss
