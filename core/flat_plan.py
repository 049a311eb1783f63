"""The trainer's flat plan: one update of a Program as NumPy calls bound once to buffers that
every update reuses (:func:`compile_plan`), and the parameters' flat store (:class:`ParamStore`).

The forward pass's calls are also kept apart (``FlatPlan.forward``) for the loss at the trained
weights (:mod:`core.end_loss`), which then needs no new arrays: on a 1,000,000-row dataset those
were about 1.5 GB, and seconds of page faults, at the end of every run.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field

import numpy as np

from core.custom.kernels import limited_update
from core.long_update import is_long, joined
from core.ops.base import Instr
from core.ops.kernel import float_type
from core.optim import Optimizer
from core.program import Program, check_objective, forward_node


@dataclass
class FlatPlan:
    """One update as bound NumPy calls: forward pass, backward pass, optimizer update."""

    instrs: list[Instr]  # the forward and the backward pass
    update: list[Instr]  # the optimizer's update, run after the loss was read
    loss: np.ndarray  # the objective's output buffer
    feeds: list[tuple[np.ndarray, np.ndarray]]  # (dataset field, batch buffer) to fill before each update
    outputs: list[tuple[str, np.ndarray]]  # (node, output buffer) in forward order, for the NaN/Inf check
    values: dict[str, np.ndarray]  # every node's value buffer, to say where a NaN/Inf came from
    checked: bool = False  # long: the stop request is looked for between its nodes (core.long_update)
    forward: list[Instr] = field(default_factory=list)  # the forward pass alone; empty with custom layers (one call)


class ParamStore:
    """The updated parameters in one flat array and their gradients in another, each with a
    view shaped like every parameter: the optimizer runs one set of calls for all of them."""

    def __init__(self, values: dict[str, np.ndarray]) -> None:
        self.w, self.weights = _flat(values)
        self.g, self.grads = _flat({p: np.zeros_like(v) for p, v in values.items()})


def compile_plan(
    program: Program,
    leaves: dict[str, np.ndarray],
    fields: dict[str, np.ndarray],
    batch_rows: int | None,
    store: ParamStore,
    optimizer: Optimizer,
    keep_gradients: bool = False,
    stop: threading.Event | None = None,
) -> FlatPlan:
    """Bind one update of ``program`` to buffers allocated here.

    ``leaves`` holds the value of every constant and parameter (read, never written); the
    parameters in ``store`` are used from there instead. ``fields`` holds the dataset field of
    every input, used whole (``batch_rows`` None) or through the plan's feeds, ``batch_rows``
    rows at a time. Only the gradients that lead to a parameter in ``store`` are computed.
    The "clear gradients" step is the first gradient a parameter receives being written in
    place; with ``keep_gradients`` it is added to the last update's instead. With ``stop``, a
    long update (:mod:`core.long_update`) looks for it between every two nodes of its passes.
    """
    plans = program.plans
    values: dict[str, np.ndarray] = {**leaves, **store.weights}
    feeds: list[tuple[np.ndarray, np.ndarray]] = []
    for leaf, source in fields.items():
        if batch_rows is None:
            values[leaf] = source
        else:
            values[leaf] = np.array(source[:batch_rows])
            feeds.append((source, values[leaf]))

    custom = program.runs_user_code
    first: dict[str, np.ndarray] = dict(values)
    if custom:  # a custom layer's output shape is known only once it ran: one pass on new arrays
        for n in program.computed:
            first[n], _ = forward_node(plans[n], first)
        check_objective(program, first[program.objective])
    segments: list[list[Instr]] = []  # each node's instructions, in order
    caches = {}
    for n in program.computed:  # each op gives its output's shape from its inputs' shapes
        plan = plans[n]
        ins = [values[s] for s in plan.srcs]
        if custom:
            values[n] = np.empty(first[n].shape, float_type(*ins, first[n]))
        else:
            try:
                values[n] = np.empty(plan.op.out_shape([x.shape for x in ins], plan.attrs), float_type(*ins))
            except NotImplementedError:  # an op whose shape only running it tells
                values[n] = np.empty_like(forward_node(plan, values)[0])
        bound, caches[n] = plan.op.bind_forward([values[s] for s in plan.srcs], values[n], plan.attrs)
        segments.append(list(bound))

    need = {p: p in store.weights for p in program.leaves}  # does this node's gradient lead to an update?
    for n in program.computed:
        need[n] = any(need[plans[n].srcs[i]] for i in plans[n].grad_ports)
    grads: dict[str, np.ndarray] = dict(store.grads)
    if need[program.objective]:
        grads[program.objective] = np.ones_like(values[program.objective])
    started: set[str] = set(store.weights) if keep_gradients else set()  # nodes that hold a gradient already
    for n in program.backward_nodes:
        if not need[n]:
            continue
        plan = plans[n]
        ins = [values[s] for s in plan.srcs]
        outs: list[np.ndarray | None] = [None] * len(ins)
        after: list[Instr] = []
        for i in plan.grad_ports:
            src = plan.srcs[i]
            if not need[src]:
                continue
            if src not in started:  # the first gradient a node receives is written in place
                started.add(src)
                if src not in grads:
                    grads[src] = np.empty(ins[i].shape, np.result_type(ins[i], grads[n]))
                outs[i] = grads[src]
            else:  # later ones are added to it, in the stepper's order
                outs[i] = np.empty_like(grads[src])
                after.append((np.add, (grads[src], outs[i], grads[src])))
        segments.append([*plan.op.bind_backward(grads[n], ins, values[n], caches[n], plan.attrs, outs), *after])
    update: list[Instr] = []
    if store.weights:
        update.append((optimizer.begin, ()))
        spent = store.g
        if keep_gradients:  # the optimizer uses its gradient as scratch space: give it a copy to spend
            spent = np.empty_like(store.g)
            update.append((np.copyto, (spent, store.g)))
        update += optimizer.bind(tuple(store.weights), store.w, spent)
    outputs = [(n, values[n]) for n in program.computed]
    checked = stop is not None and is_long([out for _, out in outputs])
    instrs = joined(segments, stop if checked else None)
    forward = [] if custom else joined(segments[: len(program.computed)], None)
    if custom:  # custom layers: one function and one time limit for the forward and backward pass of an update
        instrs = [limited_update(instrs)]
    return FlatPlan(instrs, update, values[program.objective], feeds, outputs, values, checked, forward)


def _flat(arrays: dict[str, np.ndarray]) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """One float array holding copies of ``arrays``, and a view of it shaped like each."""
    flat = np.empty(sum(a.size for a in arrays.values()))
    views, at = {}, 0
    for name, a in arrays.items():
        views[name] = flat[at : at + a.size].reshape(a.shape)
        views[name][...] = a
        at += a.size
    return flat, views
