"""The Trainer: many updates on the fast path, keeping no history.

It runs the same Program and the same op kernels as the Stepper, so the losses of N updates
through ``Stepper.step()`` and through ``Trainer.run(N)`` are equal. On the first run it
compiles a flat plan (:func:`core.flat_plan.compile_plan`): every NumPy call of one update, bound once to
buffers that are reused by every update. Parameters are trained on private arrays and
written back to the graph by :meth:`Trainer.write_back` (call it on the thread that owns the
graph's views).

Stop (:meth:`Trainer.stop`) ends a run between two updates; when one update is long (its nodes'
outputs hold ``core.long_update.LONG_UPDATE`` numbers or more: a big batch) it also ends the update in progress,
between two nodes of its forward or backward pass or before its weight change: that update is
abandoned as if it had not begun (no weight, gradient or optimizer state changes, its loss is not
recorded), so the weights are those of the last finished update, and a resumed run redoes it.
The optimizer's weight change itself is never cut short: its cost grows with the parameters only,
which every forward pass reads whole, so it is never the long part of an update. A short update
(Mazur's network) checks nothing inside: its plan is the same flat list of calls as before.

Every ``CHECK_EVERY`` updates, and when a run ends, the parameters and every node's forward
output are checked for NaN and Inf: a node can overflow while the loss stays finite (a saturated
sigmoid or tanh hides it), and the run then ends as the stepper would stop, naming the node.
"""
from __future__ import annotations

import copy
import math
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from core.data.dataset import Batcher
from core.flat_plan import FlatPlan, ParamStore, compile_plan
from core.format import format_shape
from core.graph import Graph
from core.long_update import run_passes
from core.nonfinite import why_nonfinite
from core.optim import Progress, make_optimizer
from core.program import Program
from core.settings import TrainingSettings

# callback(update_number, loss) after an update (numbers start at 1); it returns the number of the
# next update it wants to hear of (None or a number not past this one: the next update)
ProgressCallback = Callable[[int, float], "int | None"]
CHECK_EVERY = 128  # updates (a power of two) between the checks for NaN and Inf (~0.5 % of a Mazur update)


@dataclass
class TrainResult:
    losses: np.ndarray  # loss of each update's forward pass, in order
    updates: int  # updates done by this trainer in all, over every run() call
    stopped: bool  # stop() ended the run early
    nonfinite: bool = False  # the loss or a parameter became NaN or Inf and the run ended there
    message: str = ""  # why a nonfinite run ended, naming the loss or the parameter


class Trainer:
    """Trains ``graph``'s trainable parameters, starting from their values in the graph, or from
    ``start`` (parameter id → value, same shapes) where it has one: the graph is not touched."""

    def __init__(
        self, graph: Graph, settings: TrainingSettings | None = None, start: dict[str, np.ndarray] | None = None,
        progress: Progress | None = None,
    ) -> None:
        """``progress`` (from a Stepper or an earlier Trainer, for the same optimizer): go on from
        there — the next update is ``progress.updates + 1``, with its mini-batch and the
        optimizer's running state."""
        self.graph = graph
        self.settings = settings or graph.settings
        self.program = Program(graph)
        self.optimizer = make_optimizer(self.settings)
        self.batcher = Batcher.for_training(graph.dataset, self.settings)
        self.params = {p: _start_value(graph, p, start) for p in self.program.trainable}
        self._progress = progress if progress is not None and progress.optimizer == self.settings.optimizer else None
        self.updates = self._progress.updates if self._progress is not None else 0
        self.losses: list[float] = []
        self._stop = threading.Event()
        self._static = {
            leaf: np.asarray(graph.nodes[leaf].value)
            for leaf in self.program.leaves
            if leaf not in self.program.inputs and leaf not in self.params
        }
        self._store: ParamStore | None = None
        self._plans: dict[int | None, FlatPlan] = {}

    def progress(self) -> Progress:
        """The updates done and the optimizer's state per parameter, for a Stepper to go on from
        (call it between runs, not while one is going on)."""
        state: dict[Any, Any] = {}
        store = self._store
        key = tuple(store.weights) if store is not None else None
        for k, v in self.optimizer.state.items():
            if store is not None and k == key:
                state.update({p: view_of(v, store, p) for p in store.weights})
            elif store is not None and isinstance(k, tuple) and len(k) == 2 and k[1] == key:
                state.update({(k[0], p): view_of(v, store, p) for p in store.weights})
            else:
                state[k] = copy.deepcopy(v)
        return Progress(self.updates, self.settings.optimizer, state)

    def stop(self) -> None:
        """Ask a running ``run`` to end (safe from any thread): after the update in progress, or
        at once when that update is long (it is abandoned: see the module's docstring). Asked
        before ``run`` begins, that run ends before its first update."""
        self._stop.set()

    def clear_stop(self) -> None:
        """Forget a stop asked while no run was going on (one that came after a run had ended):
        call it before starting a run that must not end at once."""
        self._stop.clear()

    def run(self, steps: int | None = None, callback: ProgressCallback | None = None) -> TrainResult:
        """Run ``steps`` more updates (the settings' count by default), continuing where the
        previous call stopped: a paused run resumed gives the same weights as one run.

        ``callback(update, loss)`` is called after the first update of the call, then after the
        update it names by its return value (None: the next one): a caller that wants the losses
        in blocks (:attr:`losses` holds every one) costs the loop one comparison per update."""
        steps = self.settings.steps if steps is None else steps
        try:
            return self._run(steps, callback)
        finally:
            self._stop.clear()  # asked during this run, a stop ends this run only

    def _run(self, steps: int, callback: ProgressCallback | None) -> TrainResult:
        batcher, losses, stop_requested = self.batcher, self.losses, self._stop.is_set
        start = len(losses)
        stopped = nonfinite = False
        message = ""
        mask = CHECK_EVERY - 1
        due = self.updates + 1 if callback is not None else -1  # the update the callback hears of next
        with np.errstate(all="ignore"):  # NaN and Inf are found by the checks, not by warnings
            plans = self._prepare()
            assert self._store is not None
            flat = self._store.w
            plan: FlatPlan | None = plans.get(None)
            whole = plan
            for _ in range(steps):
                if stop_requested():
                    stopped = True
                    break
                plan = whole
                if plan is None:
                    idx = batcher.indices(self.updates)
                    assert idx is not None  # a whole-dataset run has its plan
                    plan = plans.get(len(idx)) or self._compile(len(idx))
                    for source, batch in plan.feeds:
                        np.take(source, idx, 0, batch, "clip")
                if plan.checked:
                    if not run_passes(plan.instrs, self._stop, self._store.g):  # stopped inside: given up
                        stopped, plan = True, None
                        break
                else:
                    for f, args in plan.instrs:
                        f(*args)
                loss = plan.loss.item() + 0.0  # = float(np.sum(loss)) of one element: −0.0 becomes 0.0
                if not math.isfinite(loss):  # before the update: the parameters are the ones the loss saw
                    nonfinite, message = True, self._loss_message(loss, self.updates + 1, plan)
                for f, args in plan.update:
                    f(*args)
                self.updates = update = self.updates + 1
                losses.append(loss)
                if update == due:
                    asked = callback(update, loss)  # type: ignore[misc]
                    due = asked if asked is not None and asked > update else update + 1
                if nonfinite:
                    break
                if not update & mask:
                    message = self._nonfinite(flat, plan)
                    if message:
                        nonfinite = True
                        break
            if not nonfinite and len(losses) > start:
                message = self._nonfinite(flat, plan)
                nonfinite = bool(message)
        return TrainResult(np.array(losses[start:]), self.updates, stopped, nonfinite, message)

    def _loss_message(self, loss: float, update: int, plan: FlatPlan) -> str:
        """"the loss became Inf at update 18: forward loss made Inf: its input y (affine2) ...":
        the first node of the forward pass whose output is not finite, and why, as the Stepper says it."""
        said = f"the loss became {_kind(loss)} at update {update:,}"
        for node, out in plan.outputs:
            if not _finite(out):
                src = self.program.plans[node]
                why = why_nonfinite(src.op.inputs, src.srcs, plan.values)
                return f"{said}: forward {node} made {_kind(out)}: {why}"
        return said

    def _nonfinite(self, flat: np.ndarray, plan: FlatPlan | None) -> str:
        """Why the last update left a NaN or Inf in a parameter or a node's output, else ""."""
        after = f"(found after update {self.updates:,})"
        if not _finite(flat):
            assert self._store is not None
            for p, view in self._store.weights.items():
                if not _finite(view):
                    return f"parameter {p} became {_kind(view)} {after}"
        if plan is None:
            return ""
        for node, out in plan.outputs:
            if not _finite(out):
                return f"{node} made {_kind(out)} {after}{self._largest_input(node, plan)}"
        return ""

    def _largest_input(self, node: str, plan: FlatPlan) -> str:
        """": its largest input is W1, up to 1.7e+308" (the input of largest magnitude)."""
        sizes = {
            src: float(np.max(np.abs(plan.values[src]), initial=0.0))
            for src in self.program.plans[node].srcs
            if src in plan.values
        }
        if not sizes:
            return ""
        src = max(sizes, key=sizes.__getitem__)
        return f": its largest input is {src}, up to {sizes[src]:.3g}"

    def gradients(self) -> dict[str, np.ndarray]:
        """The gradients the last update used, by parameter (those that get one): views of the
        trainer's buffers, overwritten by the next update; empty before the first run."""
        return dict(self._store.grads) if self._store is not None else {}

    def shapes(self) -> dict[str, tuple[int, ...]]:
        """Each computed node's output shape as the next update's plan holds it (else any compiled
        one: a custom layer's shape is known here once a run compiled it); empty before a run."""
        rows = self.batcher.indices(self.updates) if self._plans else None
        plan = self._plans.get(None if rows is None else len(rows)) or next(iter(self._plans.values()), None)
        return {n: tuple(out.shape) for n, out in plan.outputs} if plan is not None else {}

    def next_loss(self) -> float | None:
        """The objective at the current weights on the next update's rows, by the forward pass of
        the plan bound to those rows, in its own buffers (no new arrays; the next update writes
        them again): the stepper's kernels, the same number. None when no such plan is bound
        (before a run, or a custom layer's plan: its passes are one call)."""
        if self._store is None:
            return None
        rows = self.batcher.indices(self.updates)
        plan = self._plans.get(None if rows is None else len(rows))
        if plan is None or not plan.forward:
            return None
        self._prepare()  # a parameter array replaced since the last run goes into the store
        with np.errstate(all="ignore"):
            if rows is not None:  # a mini-batch plan's feeds (the whole set's plan has none)
                for source, batch in plan.feeds:
                    np.take(source, rows, 0, batch, "clip")
            for f, args in plan.forward:
                f(*args)
        return float(np.sum(plan.loss))

    def weights(self) -> dict[str, np.ndarray]:
        """Copies of the current trained parameter values."""
        return {p: w.copy() for p, w in self.params.items()}

    def write_back(self) -> None:
        """Put the trained weights into the graph (each as a new array)."""
        for p, w in self.params.items():
            self.graph.set_value(p, w.copy())

    def _prepare(self) -> dict[int | None, FlatPlan]:
        """The compiled plans by batch rows (``None``: the whole dataset), with any parameter
        array replaced since the last run copied into the store."""
        if self._store is None:
            trainable = self.program.trainable_with_gradient()
            self._store = ParamStore({p: self.params[p] for p in trainable})
            if self._progress is not None:
                self._adopt_state(self._progress.state)
            if self.batcher.full:
                self._compile(None)
        for p, view in self._store.weights.items():
            if self.params[p] is not view:
                view[...] = self.params[p]
                self.params[p] = view
        return self._plans

    def _adopt_state(self, per_param: dict[Any, Any]) -> None:
        """Lay the optimizer's per-parameter state out like the flat store (zeros where missing)."""
        store = self._store
        assert store is not None
        key = tuple(store.weights)

        def flat(name: Any) -> np.ndarray:
            parts = [np.asarray(per_param.get(name(p), np.zeros(v.shape)), dtype=float).reshape(-1)
                     for p, v in store.weights.items()]
            return np.concatenate(parts) if parts else np.zeros(0)

        if self.optimizer.name == "momentum":
            self.optimizer.state[key] = flat(lambda p: p)
        elif self.optimizer.name == "adam":
            self.optimizer.state["t"] = int(per_param.get("t", 0))
            self.optimizer.state[("m", key)] = flat(lambda p: ("m", p))
            self.optimizer.state[("v", key)] = flat(lambda p: ("v", p))

    def _compile(self, rows: int | None) -> FlatPlan:
        assert self._store is not None
        dataset = self.graph.dataset
        fields = {leaf: dataset.train_fields[f] for leaf, f in self.program.inputs.items()} if dataset else {}
        leaves = {**self._static, **self.params}
        plan = self._plans[rows] = compile_plan(self.program, leaves, fields, rows, self._store, self.optimizer,
                                                self.settings.keep_gradients, self._stop)
        return plan


def _start_value(graph: Graph, p: str, start: dict[str, np.ndarray] | None) -> np.ndarray:
    value = np.asarray(graph.nodes[p].value)
    if start is None or p not in start:
        return np.array(value, dtype=float)
    given = np.array(start[p], dtype=float)
    if given.shape != np.shape(value):
        shape = format_shape(given.shape)
        wanted = format_shape(np.shape(value))
        raise ValueError(f"the start value of {p} is {shape}, but {p} is {wanted}")
    return given


def _finite(a: np.ndarray) -> bool:
    """No NaN or Inf in ``a``: one sum (NaN and Inf make it non-finite), scanned only when it is not."""
    return math.isfinite(a.sum()) or bool(np.isfinite(a).all())


def _kind(a: float | np.ndarray) -> str:
    """NaN, Inf or −Inf: the first non-finite value of ``a``."""
    x = float(np.asarray(a, dtype=float)[~np.isfinite(a)].flat[0]) if np.ndim(a) else float(a)
    return "NaN" if math.isnan(x) else ("Inf" if x > 0 else "−Inf")


def view_of(flat: np.ndarray, store: ParamStore, p: str) -> np.ndarray:
    """A copy of the part of ``flat`` (laid out like the store's weights) that belongs to ``p``."""
    start = store.weights[p].ctypes.data - store.w.ctypes.data
    at = start // store.w.itemsize
    return flat[at : at + store.weights[p].size].reshape(store.weights[p].shape).copy()
