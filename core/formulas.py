"""What the inspector says about one node at the stepper's cursor, with the real numbers.

:func:`node_report` reads the stepper's current frame and fills the op's formula templates
(``op.forward_formula``, ``op.backward_formulas``) with the values that exist at the cursor.
A formula appears only once every quantity in it exists: before the node's backward step
there is only the forward formula, before its forward step there is none.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Mapping

import numpy as np

from core.format import NUMBER_DIGITS, SAMPLE_ELEMENTS, format_summary
from core.format import format_array as _format_array

if TYPE_CHECKING:
    from core.stepper import Stepper

CHAIN_RULE_HEADING = "Chain rule: upstream ∂L/∂out × local ∂out/∂input = downstream ∂L/∂input"


@dataclass
class Contribution:
    """One gradient arriving at a node's output from a consumer's input port."""

    consumer: str
    port: str
    grad: np.ndarray | None  # None: that consumer's backward step has not run yet


@dataclass
class ChainRule:
    """The chain rule for one input port: upstream × local = downstream."""

    port: str
    upstream: np.ndarray
    local: np.ndarray | None  # None where the local derivative is a full Jacobian (MatMul, Softmax)
    downstream: np.ndarray
    text: str


@dataclass
class UpdateReport:
    """What the update step did to one parameter."""

    optimizer: str  # the optimizer's own description, e.g. "sgd, η = 0.5"
    kind: str  # sgd | momentum | adam
    lr: float
    old: np.ndarray
    new: np.ndarray
    grad: np.ndarray
    delta: np.ndarray
    lines: list[str]


@dataclass
class NodeReport:
    node_id: str
    op_type: str
    state: str  # outside | pending | leaf | forward | backward
    note: str = ""
    value: np.ndarray | None = None
    grad: np.ndarray | None = None  # ∂L/∂(output): the sum of the contributions that arrived so far
    grad_complete: bool = False
    receives_grad: bool = False
    sent: dict[str, np.ndarray] = field(default_factory=dict)  # port → gradient this node sent
    forward_formula: str | None = None
    backward_formulas: dict[str, str] = field(default_factory=dict)
    chain: list[ChainRule] = field(default_factory=list)
    contributions: list[Contribution] = field(default_factory=list)
    contribution_sum: str | None = None
    update: UpdateReport | None = None
    notes: list[str] = field(default_factory=list)  # what a custom layer's code did in place

    def sections(self) -> list[tuple[str, list[str]]]:
        """The formulas as (heading, lines), in the order the inspector shows them."""
        blocks: list[tuple[str, list[str]]] = []
        if self.forward_formula:
            blocks.append(("Forward", [self.forward_formula]))
        if self.backward_formulas:
            blocks.append(("Backward", list(self.backward_formulas.values())))
        if self.chain:
            blocks.append((CHAIN_RULE_HEADING, [c.text for c in self.chain]))
        if self.contribution_sum:
            blocks.append(("Gradients that add up here", [self.contribution_sum]))
        if self.update is not None:
            blocks.append((f"Update ({self.update.optimizer})", self.update.lines))
        if self.notes:
            blocks.append(("Your code", [f"⚠ {n}" for n in self.notes]))
        return blocks

    def as_text(self) -> str:
        """The whole report as plain lines (the inspector shows the same content in widgets)."""
        out = [f"{self.node_id} ({self.op_type}): {self.note}" if self.note else f"{self.node_id} ({self.op_type})"]
        if self.value is not None:
            name = "out" if self.state in ("forward", "backward") else "value used in this step"
            out.append(f"{name} = {format_array(self.value)}")
        if self.grad is not None:
            partial = "" if self.grad_complete else " (so far)"
            out.append(f"∂L/∂{self.node_id} = {format_array(self.grad)}{partial}")
        for heading, lines in self.sections():
            out.append(f"{heading}:")
            out.extend(f"  {line}" for line in lines)
        return "\n".join(out)


def format_array(a: Any) -> str:
    """Values in the inspector's text keep 8 significant digits, array elements included."""
    return _format_array(a, digits=NUMBER_DIGITS)


class _Strict(dict[str, str]):
    def __missing__(self, key: str) -> str:
        raise KeyError(key)


def fill(template: str, quantities: Mapping[str, Any]) -> str | None:
    """``template`` with every ``{name}`` replaced by the formatted quantity (a text is put in as
    it is); None if one is missing."""
    if not template:
        return None
    mapping = _Strict({k: v if isinstance(v, str) else format_array(v) for k, v in quantities.items()
                       if v is not None})
    try:
        return template.format_map(mapping)
    except (KeyError, IndexError, ValueError):
        return None


def row_sample(rows: int, row_size: int) -> slice | None:
    """Evenly spaced rows of a batch of ``rows`` rows of ``row_size`` elements that hold at most
    SAMPLE_ELEMENTS elements; None when the whole batch is that small (then everything is exact)."""
    if rows * row_size <= SAMPLE_ELEMENTS or rows < 2:
        return None
    return slice(None, None, -(-rows * row_size // SAMPLE_ELEMENTS) if row_size else rows)


class _Rows:
    """Where a node's batch is large, the same evenly spaced rows of every row-aligned array: the
    inspector derives its quantities (a local derivative, say) from these rows only and writes
    them as the full shape's summary, so a step never builds a tensor of the batch's size."""

    def __init__(self, like: np.ndarray) -> None:
        arr = np.asarray(like)
        self.rows = arr.shape[0] if arr.ndim else 0
        self.cut = row_sample(self.rows, arr.size // self.rows) if self.rows else None
        self.kept = len(range(self.rows)[self.cut]) if self.cut is not None else self.rows

    def __call__(self, a: Any) -> Any:
        """``a``'s sampled rows when it is row-aligned with the batch, else ``a``."""
        if self.cut is None or a is None or np.ndim(a) == 0 or np.shape(a)[0] != self.rows:
            return a
        return np.asarray(a)[self.cut]

    def text(self, a: Any) -> Any:
        """A quantity derived from sampled rows, as the summary of its full shape (else as it is)."""
        if self.cut is None or not isinstance(a, np.ndarray) or a.ndim == 0 or a.shape[0] != self.kept:
            return a
        return format_summary(a, NUMBER_DIGITS if a.size <= 1 else 4, shape=(self.rows, *a.shape[1:]))


def node_report(stepper: "Stepper", node_id: str) -> NodeReport:
    """Everything known about ``node_id`` at the stepper's cursor."""
    graph, program, frame = stepper.graph, stepper.program, stepper.frame
    node = graph.nodes.get(node_id)
    op_type = node.op_type if node is not None else "?"
    in_program = node_id in program.order
    report = NodeReport(node_id, op_type, "outside")
    if not in_program:
        report.note = "not part of the program: it does not feed the objective"
        return report
    report.receives_grad = node_id in program.needs_grad
    report.value = frame.values.get(node_id)
    _add_gradient(stepper, report)
    if node_id in program.plans:
        _add_computed(stepper, report)
    else:
        _add_leaf(stepper, report)
    return report


def _expected_contributions(stepper: "Stepper", node_id: str) -> list[tuple[str, int, str]]:
    """(consumer, port index, port name) of every gradient that will arrive at ``node_id``."""
    plans = stepper.program.plans
    return [(c, i, plans[c].op.ports(plans[c].attrs)[i]) for c, i in stepper.program.grad_sources.get(node_id, ())]


def _add_gradient(stepper: "Stepper", report: NodeReport) -> None:
    frame, program, node_id = stepper.frame, stepper.program, report.node_id
    report.grad = frame.grads.get(node_id)
    expected = _expected_contributions(stepper, node_id)
    report.contributions = [Contribution(c, name, frame.sent.get((c, i))) for c, i, name in expected]
    arrived = [c for c in report.contributions if c.grad is not None]
    if node_id == program.objective:
        report.grad_complete = report.grad is not None
    else:
        report.grad_complete = bool(expected) and len(arrived) == len(expected)
    kept = kept_gradient(stepper, node_id)
    if kept is not None:  # "keep gradients": the last update's gradient is the first term of the sum
        report.contributions.insert(0, Contribution(KEPT, "", kept))
        arrived.insert(0, report.contributions[0])
    if len(report.contributions) > 1 and arrived:
        terms = " + ".join(f"{format_array(c.grad)} ({_origin(c)})" for c in arrived)
        if report.grad_complete:
            report.contribution_sum = f"∂L/∂{node_id} = {terms} = {format_array(report.grad)}"
        else:
            report.contribution_sum = (
                f"∂L/∂{node_id} so far = {terms} = {format_array(report.grad)} "
                f"({len(arrived)} of {len(expected)} contributions arrived)"
            )


KEPT = "the last update"


def _origin(c: Contribution) -> str:
    return "kept from the last update" if c.consumer == KEPT else f"from {c.consumer}.{c.port}"


def kept_gradient(stepper: "Stepper", node_id: str) -> np.ndarray | None:
    """The gradient a parameter kept from the last update (zero before the first), once this
    training step's "clear gradients" step ran with ``keep_gradients`` on; else ``None``."""
    program = stepper.program
    if not stepper.graph.settings.keep_gradients or stepper.cursor <= program.n_forward and not stepper.at_end:
        return None
    if node_id not in program.trainable_with_gradient():
        return None
    kept = stepper.frame.kept.get(node_id)
    return kept if kept is not None else np.zeros_like(np.asarray(stepper.graph.nodes[node_id].value, dtype=float))


def _add_leaf(stepper: "Stepper", report: NodeReport) -> None:
    node = stepper.graph.nodes[report.node_id]
    program = stepper.program
    report.state = "leaf"
    if node.op_type == "Input":
        report.note = f"data input: rows of the dataset field '{program.inputs.get(report.node_id, '?')}'"
    elif node.is_parameter:
        report.note = _parameter_progress(stepper, report, bool(node.trainable))
    else:
        report.note = "constant: receives no gradient"
    updated = stepper.frame.updated.get(report.node_id)
    if updated is not None and report.grad is not None:
        report.update = _update_report(stepper, report.node_id, updated[0], updated[1], report.grad)


def _parameter_progress(stepper: "Stepper", report: NodeReport, trainable: bool) -> str:
    """Where a parameter is in this training step: waiting for, receiving, or updated by its gradient."""
    fixed = "" if trainable else "not trainable · "
    if report.node_id in stepper.frame.updated:
        return "updated by this training step: its new value is below"
    if not report.receives_grad:
        return f"{fixed}receives no gradient"
    arrived = sum(c.grad is not None for c in report.contributions)
    if report.grad_complete:
        after = "the update will apply it" if trainable else "the update leaves it as it is"
        return f"{fixed}received its gradient; {after}"
    if arrived:
        return f"{fixed}{arrived} of {len(report.contributions)} gradient contributions arrived"
    return f"{fixed}waiting for its gradient (the backward pass brings it)"


def _add_computed(stepper: "Stepper", report: NodeReport) -> None:
    frame, program, node_id = stepper.frame, stepper.program, report.node_id
    plan = program.plans[node_id]
    op = plan.op
    if report.value is None:
        report.state = "pending"
        report.note = "not computed yet"
        return
    report.state = "backward" if stepper.backward_done(node_id) else "forward"
    ins = [frame.values[s] for s in plan.srcs]
    out = report.value
    cache = frame.caches.get(node_id)
    names = op.ports(plan.attrs)
    forward_formula, backward_formulas = op.formulas(plan.attrs)
    ports = dict(zip(names, ins))
    rows = _Rows(out)
    with np.errstate(all="ignore"):
        extra = _derived(op, rows, ins, out, None, cache, plan.attrs)
    report.forward_formula = fill(forward_formula, {**ports, **extra, "out": out})
    report.notes = list(getattr(cache, "notes", ()))
    if not stepper.backward_done(node_id):
        return
    report.notes += getattr(cache, "backward_notes", ())
    dout = frame.grads[node_id]
    with np.errstate(all="ignore"):
        extra = _derived(op, rows, ins, out, dout, cache, plan.attrs)
    for i in plan.grad_ports:
        port = names[i]
        sent = frame.sent.get((node_id, i))
        if sent is None:
            continue
        report.sent[port] = sent
        quantities = {**ports, **extra, "out": out, "dout": dout, f"d{port}": sent}
        text = fill(backward_formulas.get(port, ""), quantities)
        if text is not None:
            report.backward_formulas[port] = text
        report.chain.append(_chain_rule(op, plan.attrs, i, port, ins, out, cache, dout, sent))


def _derived(op: Any, rows: _Rows, ins: list[np.ndarray], out: np.ndarray, dout: np.ndarray | None,
             cache: Any, attrs: Mapping[str, Any]) -> dict[str, Any]:
    """The op's named quantities; of a large batch, from its sampled rows and written as summaries."""
    values = op.formula_values([rows(x) for x in ins], rows(out), rows(dout), cache, attrs)
    return {k: rows.text(v) for k, v in values.items()}


def _chain_rule(op: Any, attrs: Mapping[str, Any], index: int, port: str, ins: list[np.ndarray],
                out: np.ndarray, cache: Any, dout: np.ndarray, sent: np.ndarray) -> ChainRule:
    """upstream × local = downstream for one port; the local derivative where it is a diagonal.

    Of a large batch the local derivative is taken at sampled rows (:class:`_Rows`), and where the
    port is broadcast over the batch it is left out rather than computed over every row.
    """
    up, down = format_array(dout), format_array(sent)
    if not op.runs_user_code and (op.elementwise or dout.size == 1):
        rows = _Rows(dout)
        if dout.size == 1 and np.size(ins[index]) > SAMPLE_ELEMENTS:  # a reduction of a large input
            text = f"∂L/∂{port} = ∂L/∂out × ∂out/∂{port} = {up} × ∂out/∂{port} = {down}"
            return ChainRule(port, dout, None, sent, text)
        if rows.cut is not None and np.shape(ins[index]) != dout.shape:
            text = (f"∂L/∂{port} = Σ over the broadcast axes of ∂L/∂out × ∂out/∂{port} "
                    f"= Σ({up} × ∂out/∂{port}) = {down}")
            return ChainRule(port, dout, None, sent, text)
        part = rows(dout)
        with np.errstate(all="ignore"):
            local = np.asarray(op.backward(np.ones_like(part), [rows(x) for x in ins], rows(out), cache,
                                           attrs)[index])
        loc = format_array(local) if rows.cut is None else rows.text(local)
        if rows.cut is not None or (part * local).shape == sent.shape:
            text = f"∂L/∂{port} = ∂L/∂out × ∂out/∂{port} = {up} × {loc} = {down}"
        else:
            text = (f"∂L/∂{port} = Σ over the broadcast axes of ∂L/∂out × ∂out/∂{port} "
                    f"= Σ({up} × {loc}) = {down}")
        return ChainRule(port, dout, local, sent, text)
    text = (f"∂L/∂{port}: ∂out/∂{port} is a full Jacobian here, applied by the backward formula above: "
            f"∂L/∂out = {up} gives ∂L/∂{port} = {down}")
    return ChainRule(port, dout, None, sent, text)


def _update_report(stepper: "Stepper", name: str, old: np.ndarray, new: np.ndarray, grad: np.ndarray) -> UpdateReport:
    opt = stepper.optimizer
    with np.errstate(all="ignore"):
        delta = np.asarray(new) - np.asarray(old)
    lines = []
    if opt.name == "sgd":
        lines.append(f"Δ{name} = −η·∂L/∂{name} = −{format_array(opt.lr)} × {format_array(grad)} "
                     f"= {format_array(delta)}")
    else:
        lines.append(f"Δ{name} = new − old = {format_array(new)} − {format_array(old)} = {format_array(delta)} "
                     f"({opt.name}: the step depends on the optimizer's running state)")
    lines.append(f"{name} ← {name} + Δ{name} = {format_array(old)} + {_paren(delta)} = {format_array(new)}")
    return UpdateReport(opt.describe(), opt.name, float(opt.lr), old, new, grad, delta, lines)


def _paren(a: np.ndarray) -> str:
    text = format_array(a)
    return f"({text})" if text.startswith("-") else text
