"""The gradient check of one custom layer: its ``backward`` against central differences of its
``forward``, per input port.

For inputs ``xs`` and an upstream gradient ``dout`` (all ones on the given inputs, so their rows
read as "∂out/∂x"; random on the random inputs), the scalar
``f(xs) = Σ forward(xs) · dout`` has the gradient ``backward(dout)`` with respect to each input;
every element of every input is moved by ``±eps`` and ``(f(x + eps) − f(x − eps)) / 2·eps``
compared with what ``backward`` returned (the relative error of :mod:`core.gradcheck`). It runs on
the node's current inputs and on a few random inputs of the same shapes. A port whose ``backward``
returns nothing (a loss's targets) is not checked and keeps its given values. Only trusted code runs.

Where ``forward`` gives NaN or Inf (``np.log`` of a negative random input), the random case is
tried again on the absolute values of its inputs (positive ones, inside a domain that ends at
0) and a note says so; a case still not finite, or the node's own inputs when they give NaN or
Inf, is left out with a note. Elements whose derivative no step can measure are left out of the
comparison (:func:`core.gradcheck_report.measured_error`); a layer with nothing measured is "not
checkable here", not failed.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np

from core.custom.runner import LayerCall, LayerError, LayerRun
from core.finitediff import derivative
from core.gradcheck import DEFAULT_THRESHOLD, CheckCancelled
from core.gradcheck_report import measured_error
from core.graph import Graph
from core.program import Program

DEFAULT_EPS = 1e-6
RANDOM_CASES = 3
SHOWN = 5  # failing entries kept per port


@dataclass(frozen=True)
class BadEntry:
    """One gradient element that disagrees: where, what differences say, what backward returned."""

    case: int  # 0: the node's own inputs (when given) with dout = 1; then random inputs and dout
    index: tuple[int, ...]
    expected: float
    returned: float


@dataclass(frozen=True)
class PortCheck:
    port: str
    error: float  # the worst relative error over the cases (NaN when nothing was measured)
    passed: bool  # no measured element disagrees
    bad: tuple[BadEntry, ...] = ()
    checkable: bool = True  # some element's derivative was measured


@dataclass(frozen=True)
class LayerCheck:
    node: str | None
    ports: tuple[PortCheck, ...]
    cases: int
    failure: LayerError | None = None  # the code failed while being checked
    notes: tuple[str, ...] = field(default=())  # e.g. "backward changed dout in place"

    @property
    def passed(self) -> bool:
        return self.failure is None and all(p.passed for p in self.ports)

    @property
    def checkable(self) -> bool:
        """Whether any port's derivative could be measured (a failure counts as checked)."""
        return self.failure is not None or any(p.checkable for p in self.ports)

    def failing(self) -> list[PortCheck]:
        return [p for p in self.ports if not p.passed]

    def summary(self) -> str:
        """One line: passed, or the first failing port with its worst error."""
        who = f"{self.node}: " if self.node else ""
        if self.failure is not None:
            return f"{self.failure}"
        bad = self.failing()
        if not self.checkable:
            why = f" ({'; '.join(self.notes)})" if self.notes else ""
            return f"{who}not checkable here: no input gave finite values of forward{why}"
        if not bad:
            worst = max((p.error for p in self.ports if p.checkable), default=0.0)
            return f"{who}backward agrees with central differences (worst relative error {worst:.2e})"
        first = bad[0]
        entry = f"; at {list(first.bad[0].index)} expected {first.bad[0].expected:.6g}, returned " \
                f"{first.bad[0].returned:.6g}" if first.bad else ""
        return f"{who}backward is wrong for {', '.join(p.port for p in bad)}: relative error {first.error:.2e}{entry}"


def check_layer(
    code: str,
    inputs: Sequence[np.ndarray],
    *,
    node: str | None = None,
    random_cases: int = RANDOM_CASES,
    seed: int = 0,
    eps: float = DEFAULT_EPS,
    threshold: float = DEFAULT_THRESHOLD,
    cancelled: Callable[[], bool] = lambda: False,
) -> LayerCheck:
    """Check ``code``'s backward at ``inputs`` (one array per port) and ``random_cases`` random
    inputs of the same shapes. Raises :class:`LayerError` when the code is not trusted."""
    call = LayerCall(code, node)
    rng = np.random.default_rng(seed)
    base = [np.array(x, dtype=np.float64) for x in inputs]
    ports = call.source.ports
    cases = [base]
    worst = {p: math.nan for p in ports}  # NaN until something is measured
    bad: dict[str, list[BadEntry]] = {p: [] for p in ports}
    checked: set[str] = set()
    measured: set[str] = set()
    fixed: set[str] = set()
    notes: list[str] = []
    try:
        for k in range(1 + random_cases):
            if k:  # random inputs, except where backward gives no gradient (a loss's targets)
                cases.append([x if p in fixed else rng.normal(size=x.shape) for p, x in zip(ports, base)])
            found = _finite_case(call, cases[k], ports, fixed, k, notes)
            if found is None:
                continue
            xs, out, run = found
            cases[k] = xs
            dout = np.ones(out.shape) if k == 0 else rng.normal(size=out.shape)  # case 0 reads like a hand check
            analytic = call.backward(run, dout, xs, notes)
            for i, port in enumerate(ports):
                if analytic[i] is None:
                    fixed.add(port)
                    continue
                checked.add(port)
                numeric, noise = _numeric(call, xs, i, dout, out, eps, cancelled)
                a = _reduce(np.asarray(analytic[i]), xs[i].shape)
                err, unchecked = measured_error(a, numeric, noise, threshold)
                if unchecked == numeric.size and numeric.size:
                    continue  # nothing measured in this case
                measured.add(port)
                if not (err <= worst[port]):  # NaN counts as the worst
                    worst[port] = err
                if not err <= threshold:
                    bad[port] += _bad_entries(k, a, numeric)
    except LayerError as exc:
        return LayerCheck(node, (), len(cases), exc, tuple(dict.fromkeys(notes)))
    results = tuple(
        PortCheck(p, worst[p], bool(worst[p] <= threshold or p not in measured), tuple(bad[p][:SHOWN]), p in measured)
        for p in ports if p in checked
    )
    return LayerCheck(node, results, len(cases), None, tuple(dict.fromkeys(notes)))


def _finite_case(call: LayerCall, xs: list[np.ndarray], ports: Sequence[str], fixed: set[str], case: int,
                 notes: list[str]) -> tuple[list[np.ndarray], np.ndarray, LayerRun] | None:
    """``xs``, or for a random case whose forward is not finite its inputs made positive, with
    forward's output and run; None (and a note) when neither gives finite values."""
    tries = [xs] if case == 0 else [xs, [x if p in fixed else np.abs(x) for p, x in zip(ports, xs)]]
    for n, ins in enumerate(tries):
        out, run = _forward(call, ins)
        if out is not None and run is not None:
            if n:
                notes.append("random inputs gave NaN or Inf in forward: checked on positive ones")
            return ins, out, run
    notes.append("the node's inputs give NaN or Inf in forward: not checked on them" if case == 0
                 else "random inputs gave NaN or Inf in forward, positive ones too: that case is left out")
    return None


def _forward(call: LayerCall, xs: list[np.ndarray]) -> tuple[np.ndarray | None, LayerRun | None]:
    """forward's output and run, or (None, None) when its output is not finite."""
    try:
        with np.errstate(all="ignore"):  # ln of a negative input: NaN is the answer looked for here
            out, run = call.forward(xs)
    except LayerError as exc:
        if exc.kind == "nonfinite":
            return None, None
        raise
    return (out, run) if np.all(np.isfinite(out)) else (None, None)


def _numeric(call: LayerCall, xs: list[np.ndarray], i: int, dout: np.ndarray, out: np.ndarray, eps: float,
             cancelled: Callable[[], bool]) -> tuple[np.ndarray, np.ndarray]:
    """Finite differences of ``Σ forward(xs) · dout`` for each entry of input ``i``
    (:func:`core.finitediff.derivative`: a step chosen per entry; NaN where forward is not
    finite around it), and their round-off bounds (relative to ``Σ |forward(xs) · dout|``: each
    output element rounds relative to its own size)."""
    base = float(np.sum(out * dout))
    scale = float(np.sum(np.abs(out * dout)))
    grad, noise = np.zeros(xs[i].shape), np.zeros(xs[i].shape)
    moved = [x.copy() for x in xs]
    for idx in np.ndindex(*xs[i].shape):
        if cancelled():
            raise CheckCancelled()

        def f(v: float, idx: tuple[int, ...] = idx) -> float:
            moved[i][idx] = v
            value = _forward(call, moved)[0]
            return math.nan if value is None else float(np.sum(value * dout))

        grad[idx], noise[idx] = derivative(f, float(xs[i][idx]), eps, base, scale)
        moved[i][idx] = xs[i][idx]
    return grad, noise


def _reduce(g: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    from core.ops.base import unbroadcast

    if g.shape == shape:
        return g
    try:
        return unbroadcast(g, shape)
    except ValueError:
        return g  # the shapes do not fit: relative_error says Inf


def _bad_entries(case: int, a: np.ndarray, n: np.ndarray) -> list[BadEntry]:
    if a.shape != n.shape:
        return []
    diff = np.nan_to_num(np.abs(a - n), nan=math.inf)
    order = np.argsort(-diff, axis=None)[:SHOWN]
    out = []
    for flat in order:
        idx = tuple(int(j) for j in np.unravel_index(int(flat), a.shape))
        if diff[idx] > 0:
            out.append(BadEntry(case, idx, float(n[idx]), float(a[idx])))
    return out


def check_custom_layers(graph: Graph, *, eps: float = DEFAULT_EPS, threshold: float = DEFAULT_THRESHOLD,
                        random_cases: int = RANDOM_CASES) -> list[LayerCheck]:
    """Check every custom layer of ``graph`` on the inputs one forward pass gives it (the first
    mini-batch), and on random ones: the graph's code must be trusted."""
    from core.stepper import Stepper

    program = Program(graph)
    if not program.user_code:  # nothing to check: no forward pass over a batch that may be big
        return []
    stepper = Stepper(graph, program=program)
    stepper.run_forward()
    program, values = stepper.program, stepper.frame.values
    results = []
    for n in program.user_code:
        plan = program.plans[n]
        ins = [values[s] for s in plan.srcs]
        results.append(check_layer(str(plan.attrs["code"]), ins, node=n, random_cases=random_cases, eps=eps,
                                   threshold=threshold))
    return results
