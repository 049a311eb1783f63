"""The gradient check: backprop's gradients against finite differences.

For every parameter that receives a gradient, trainable or not (and, on request, every Input
and Constant leaf), each element is moved and the objective recomputed by a plain forward pass
of the nodes downstream of it; the derivative found (:func:`core.finitediff.derivative`: a
central difference with a step scaled to the element's value, refined by Richardson
extrapolation and smaller steps where the slope bends across the step) is compared with the
gradient the backward pass gives.
The same is done for every computed node that receives a gradient: its output is moved and
only the nodes after it are run again, so a wrong local backward shows up at the node whose
kernel is wrong. Inputs are the mini-batch of update 0 under the graph's settings.

Relative error of one entry (norm based, so one tiny element cannot dominate):
``‖a − n‖₂ / max(‖a‖₂ + ‖n‖₂, noise / threshold)`` with ``a`` the analytic gradient and ``n``
the numerical one. ``noise`` is the norm of each element's round-off bound (about
``10 · ε_mach · max(|L|, 1) / h`` for its step ``h``), so a gradient that is truly zero (a bias
in a symmetric problem) passes when the two agree within that noise instead of failing on a
ratio of two round-off errors. An entry passes when its error is at most ``threshold``.
Elements whose derivative no step can measure (the objective is not finite there, or on every
step around the value: :func:`core.finitediff.derivative` gives NaN) are left out of the
comparison; an entry none of whose elements can be measured is "not checkable here" rather
than failed. Work happens on private float64 copies: the graph is never written.

On a big batch the check covers the batch's first rows and a seeded sample of each big entry's
elements (:mod:`core.gradcheck_bounds`; the report says so, :attr:`GradCheckReport.scope`), and
it reports its progress, element by element, to a callback; cancelling stops it at the next
element with no report. The entries and the report are in :mod:`core.gradcheck_report`.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Collection, Mapping

import numpy as np

from core.data.dataset import Batcher
from core.finitediff import derivative
from core.gradcheck_bounds import DEFAULT, Bounds, first_rows, sample
from core.gradcheck_report import CONSTANT, INPUT, NODE, PARAMETER, GradCheckEntry, GradCheckReport, measured_error
from core.graph import Graph, Problem
from core.program import NodePlan, Program, accumulate, backward_node, forward_node, leaf_values
from core.validation import infer_shapes

DEFAULT_EPS = 1e-6  # the first step, relative to an element's value (absolute below 1)
DEFAULT_THRESHOLD = 1e-6


class CheckCancelled(Exception):
    """The check was cancelled before it finished (:meth:`GradCheckJob.run`)."""


Progress = Callable[[int, int, str], None]  # (elements checked, elements to check, entry now)


def check_gradients(
    graph: Graph,
    *,
    eps: float = DEFAULT_EPS,
    threshold: float = DEFAULT_THRESHOLD,
    include_leaves: bool = False,
    names: Collection[str] | None = None,
    bounds: Bounds = DEFAULT,
    progress: Progress | None = None,
) -> GradCheckReport:
    """Compare backprop with central differences for ``graph`` (raises ProgramError when invalid).

    ``include_leaves`` adds the Input and Constant leaves that reach the objective through a
    port that takes a gradient (loss targets do not). ``names`` checks only those entries.
    ``bounds`` limits the rows and the elements per entry moved (:mod:`core.gradcheck_bounds`);
    ``progress`` is called after every element.
    """
    job = prepare_check(graph, eps=eps, threshold=threshold, include_leaves=include_leaves, names=names,
                        bounds=bounds)
    return job.run(progress=progress)


def prepare_check(
    graph: Graph,
    *,
    eps: float = DEFAULT_EPS,
    threshold: float = DEFAULT_THRESHOLD,
    include_leaves: bool = False,
    names: Collection[str] | None = None,
    bounds: Bounds = DEFAULT,
) -> "GradCheckJob":
    """Read ``graph`` once into a job whose :meth:`~GradCheckJob.run` touches the graph no more
    (so it may run on another thread). Raises ProgramError, or ValueError for a bad setting or
    a name that has no gradient to check."""
    if not eps > 0:
        raise ValueError(f"eps must be positive, not {eps!r}")
    if not threshold > 0:
        raise ValueError(f"threshold must be positive, not {threshold!r}")
    program = Program(graph)
    leaves, rows, batch = _leaf_values(graph, program, bounds.rows)
    job = GradCheckJob(program, leaves, eps, threshold, include_leaves, rows=rows, batch_rows=batch,
                       elements=bounds.elements)
    if names is not None:
        checkable = set(job.checkable())
        unknown = [n for n in names if n not in checkable]
        if unknown:
            raise ValueError(f"no gradient to check at {', '.join(unknown)}: it receives none")
        job.names = frozenset(names)
    return job


@dataclass
class GradCheckJob:
    """A gradient check ready to run: the program and private copies of the leaf values."""

    program: Program
    leaves: dict[str, np.ndarray]
    eps: float
    threshold: float
    include_leaves: bool
    names: frozenset[str] | None = None  # None: every entry
    rows: int = 1  # rows of the batch in the inputs
    batch_rows: int = 1  # rows of the whole batch
    elements: int | None = None  # the most elements moved per entry (None: all)

    def checkable(self) -> list[str]:
        """Every name a check can cover: parameters that get a gradient, the leaves (on request), nodes."""
        p = self.program
        names = [n for n in p.parameters if n in p.needs_grad]
        if self.include_leaves:
            full = _full_plans(p)
            names += [leaf for leaf in p.leaves if leaf not in p.parameters
                      and any(full[c].srcs[i] == leaf for c in p.computed for i in full[c].grad_ports)]
        return names + [n for n in p.computed if n in p.needs_grad]

    def run(self, cancelled: Callable[[], bool] | None = None, progress: Progress | None = None) -> GradCheckReport:
        """The report; raises CheckCancelled as soon as ``cancelled()`` is true (looked at before
        every element). ``progress(done, total, name)`` is called before the first element and
        after every one, ``done`` rising to ``total``."""
        program, eps, threshold = self.program, self.eps, self.threshold
        run = _Run(program, dict(self.leaves), cancelled)
        wanted = (lambda name: True) if self.names is None else self.names.__contains__
        with np.errstate(all="ignore"):
            grads = run.backprop(program.plans)
            leaf_grads = run.backprop(_full_plans(program)) if self.include_leaves else {}
            run.caches.clear()  # the backward passes are done: the forward caches are not needed
            kinds = {p: PARAMETER for p in program.parameters}
            if self.include_leaves:
                for leaf in program.leaves:
                    if leaf not in kinds and leaf in leaf_grads:
                        kinds[leaf] = INPUT if leaf in program.inputs else CONSTANT
            todo = [(name, kind, grads[name] if kind == PARAMETER else leaf_grads[name])
                    for name, kind in kinds.items() if (kind != PARAMETER or name in grads) and wanted(name)]
            todo += [(n, NODE, grads[n]) for n in program.computed if n in grads and wanted(n)]
            del grads, leaf_grads  # each entry keeps its own gradient; the rest goes
            samples = [sample(int(np.size(g)), self.elements) for _n, _k, g in todo]
            run.counter = _Counter(sum(int(np.size(g)) if s is None else s.size for (_n, _k, g), s in
                                       zip(todo, samples)), progress)
            entries = [_entry(run, name, kind, g, eps, threshold, s) for (name, kind, g), s in zip(todo, samples)]
        params = tuple(e for e in entries if e.kind != NODE)
        nodes = tuple(e for e in entries if e.kind == NODE)
        return GradCheckReport(params, nodes, threshold, eps, run.loss, self.rows, self.batch_rows)


def _leaf_values(graph: Graph, program: Program, limit: int | None) -> tuple[dict[str, np.ndarray], int, int]:
    """Private float64 copies of every leaf's value for update 0 (inputs: its mini-batch, or the
    batch's first ``limit`` rows when it fits the graph's shapes); the rows used and the batch's."""
    batcher = Batcher.for_training(graph.dataset, graph.settings)
    rows = batcher.indices(0)
    batch = batcher.batch_rows if program.inputs else 1
    fewer = first_rows(rows, batch, limit) if program.inputs else rows
    if fewer is not None and fewer is not rows:
        problems: list[Problem] = []
        infer_shapes(graph, problems, rows=len(fewer))
        rows = rows if problems else fewer  # a leaf sized to the whole batch: all of it
    used = batch if rows is None else len(rows)
    values = {leaf: np.array(arr, dtype=np.float64) for leaf, arr in leaf_values(graph, program, rows).items()}
    return values, used, batch


class _Counter:
    """Elements checked so far, told to a progress callback."""

    def __init__(self, total: int, progress: Progress | None) -> None:
        self.done, self.total, self.progress = 0, total, progress
        if progress is not None:
            progress(0, total, "")

    def step(self, name: str) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, self.total, name)


def _full_plans(program: Program) -> dict[str, NodePlan]:
    """Plans whose backward sends a gradient to every port that can take one."""
    full = {}
    for n, plan in program.plans.items():
        ports = tuple(i for i, port in enumerate(plan.op.ports(plan.attrs)) if port not in plan.op.no_grad_ports)
        full[n] = replace(plan, grad_ports=ports)
    return full


def _entry(run: "_Run", name: str, kind: str, analytic: np.ndarray, eps: float, threshold: float,
           sampled: np.ndarray | None) -> GradCheckEntry:
    numeric, noise = run.numeric_gradient(name, eps, sampled)
    a = np.array(analytic, dtype=np.float64)
    if sampled is None:
        error, unchecked = measured_error(a, numeric, noise, threshold)
    elif a.shape == numeric.shape:
        error, unchecked = measured_error(a.reshape(-1)[sampled], numeric.reshape(-1)[sampled], noise, threshold)
    else:  # a backward that gave a gradient of the wrong shape
        error, unchecked = float("inf"), int(np.count_nonzero(np.isnan(numeric.reshape(-1)[sampled])))
    checked = numeric.size if sampled is None else sampled.size
    return GradCheckEntry(name, kind, error, bool(error <= threshold or unchecked == checked), a, numeric,
                          unchecked, sampled)




class _Run:
    """One forward pass kept as the base; perturbed passes re-run only what lies downstream."""

    def __init__(self, program: Program, leaves: dict[str, np.ndarray],
                 cancelled: Callable[[], bool] | None = None) -> None:
        self.program = program
        self.cancelled = cancelled
        self.values: dict[str, np.ndarray] = dict(leaves)
        self.caches: dict[str, object] = {}
        with np.errstate(all="ignore"):
            for n in program.computed:
                self.values[n], self.caches[n] = forward_node(program.plans[n], self.values)
        self.loss = self._objective(self.values)
        self._downstream: dict[str, list[NodePlan]] = {}
        self.counter = _Counter(0, None)

    def _objective(self, values: Mapping[str, np.ndarray]) -> float:
        return float(np.sum(values[self.program.objective]))

    def backprop(self, plans: Mapping[str, NodePlan]) -> dict[str, np.ndarray]:
        """∂L/∂(output) of every node the plans send a gradient to, starting from 1 at the objective."""
        objective = self.program.objective
        grads: dict[str, np.ndarray] = {objective: np.ones_like(self.values[objective])}
        for n in reversed(self.program.computed):
            if n in grads:
                for i, g in backward_node(plans[n], self.values, self.caches[n], grads[n]):
                    accumulate(grads, plans[n].srcs[i], g)
        return grads

    def downstream(self, node: str) -> list[NodePlan]:
        """The computed nodes that depend on ``node``, in forward order."""
        if node not in self._downstream:
            touched = {node}
            plans = []
            for n in self.program.computed:
                plan = self.program.plans[n]
                if n != node and touched.intersection(plan.srcs):
                    touched.add(n)
                    plans.append(plan)
            self._downstream[node] = plans
        return self._downstream[node]

    def loss_with(self, node: str, value: np.ndarray) -> float:
        values = dict(self.values)
        values[node] = value
        for plan in self.downstream(node):
            values[plan.id], _ = forward_node(plan, values)
        return self._objective(values)

    def numeric_gradient(self, node: str, eps: float,
                         sampled: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The derivative of the objective by each element of ``node``'s value (those at the flat
        indices ``sampled`` when given, the others NaN), and the round-off bound of each element
        moved, in their order (:func:`core.finitediff.derivative`)."""
        moved = np.array(self.values[node], dtype=np.float64)  # a private copy, moved in place
        flat = moved.reshape(-1)
        indices = range(flat.size) if sampled is None else sampled.tolist()
        grad = np.zeros(moved.shape) if sampled is None else np.full(moved.shape, np.nan)
        noise = np.zeros(len(indices), dtype=np.float64)
        i = 0

        def loss_at(v: float) -> float:
            flat[i] = v
            return self.loss_with(node, moved)

        for k, i in enumerate(indices):
            if self.cancelled is not None and self.cancelled():
                raise CheckCancelled(node)
            old = float(flat[i])
            grad.flat[i], noise[k] = derivative(loss_at, old, eps, self.loss)
            flat[i] = old
            self.counter.step(node)
        return grad, noise.reshape(grad.shape) if sampled is None else noise
