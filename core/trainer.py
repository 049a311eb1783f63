"""The Trainer: many updates on the fast path, keeping no history.

It runs the same Program and the same kernels as the Stepper (``forward_node``,
``backward_node``, the optimizer), so the losses of N updates through ``Stepper.step()``
and through ``Trainer.run(N)`` are equal. Parameters are trained on private copies and
written back to the graph by :meth:`Trainer.write_back` (call it on the thread that owns
the graph's views).
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Callable

import numpy as np

from .data import Batcher
from .graph import Graph
from .optim import make_optimizer
from .program import Program, accumulate, backward_node, forward_node
from .settings import TrainingSettings

# callback(update_number, loss) after every update; update numbers start at 1
ProgressCallback = Callable[[int, float], None]


@dataclass
class TrainResult:
    losses: np.ndarray  # loss of each update's forward pass, in order
    updates: int  # updates done by this trainer in all, over every run() call
    stopped: bool  # stop() ended the run early
    nonfinite: bool = False  # the loss became NaN or Inf and the run ended there


class Trainer:
    def __init__(self, graph: Graph, settings: TrainingSettings | None = None) -> None:
        self.graph = graph
        self.settings = settings or graph.settings
        self.program = Program(graph)
        self.optimizer = make_optimizer(self.settings)
        rows = graph.dataset.rows if graph.dataset is not None else 1
        self.batcher = Batcher(rows, self.settings.batch_size, self.settings.seed)
        self.params = {p: np.array(graph.nodes[p].value, dtype=float) for p in self.program.trainable}
        self.updates = 0
        self.losses: list[float] = []
        self._stop = threading.Event()
        self._static = {
            leaf: graph.nodes[leaf].value
            for leaf in self.program.leaves
            if leaf not in self.program.inputs and leaf not in self.params
        }

    def stop(self) -> None:
        """Ask a running ``run`` to end after the update in progress (safe from any thread)."""
        self._stop.set()

    def run(self, steps: int | None = None, callback: ProgressCallback | None = None) -> TrainResult:
        """Run ``steps`` more updates (the settings' count by default), continuing where the
        previous call stopped: a paused run resumed gives the same weights as one run."""
        steps = self.settings.steps if steps is None else steps
        self._stop.clear()
        prog, opt, params = self.program, self.optimizer, self.params
        plans = [prog.plans[n] for n in prog.computed]
        back = [prog.plans[n] for n in prog.backward_nodes]
        objective = prog.objective
        dataset = self.graph.dataset
        fields = {leaf: dataset.fields[f] for leaf, f in prog.inputs.items()} if dataset is not None else {}
        start = len(self.losses)
        stopped = nonfinite = False
        values: dict[str, np.ndarray] = {}
        with np.errstate(all="ignore"):
            for _ in range(steps):
                if self._stop.is_set():
                    stopped = True
                    break
                values = dict(self._static)
                values.update(params)
                idx = self.batcher.indices(self.updates)
                for leaf, arr in fields.items():
                    values[leaf] = arr if idx is None else arr[idx]
                caches = {}
                for plan in plans:
                    values[plan.id], caches[plan.id] = forward_node(plan, values)
                loss = float(np.sum(values[objective]))
                grads: dict[str, np.ndarray] = {objective: np.ones_like(values[objective])}
                for plan in back:
                    for i, g in backward_node(plan, values, caches[plan.id], grads[plan.id]):
                        accumulate(grads, plan.srcs[i], g)
                opt.update(params, {p: grads[p] for p in params})
                self.updates += 1
                self.losses.append(loss)
                if callback is not None:
                    callback(self.updates, loss)
                if not np.isfinite(loss):
                    nonfinite = True
                    break
        return TrainResult(np.array(self.losses[start:]), self.updates, stopped, nonfinite)

    def weights(self) -> dict[str, np.ndarray]:
        """Copies of the current trained parameter values."""
        return {p: w.copy() for p, w in self.params.items()}

    def write_back(self) -> None:
        """Put the trained weights into the graph (each as a new array)."""
        for p, w in self.params.items():
            self.graph.set_value(p, w.copy())
