"""The Program: the debugger's source code for one training step.

Forward steps over the computed nodes in topological order, then the backward pass: a "clear
gradients" step (parameter gradients start from zero, or, with the setting
``keep_gradients``, from those of the last update, so they add up) and backward steps over the
nodes that need a gradient in reverse order; then one update step, when a trainable parameter
gets a gradient (a graph with nothing to train has no update phase). ``forward_node`` and
``backward_node`` run the op kernels on new arrays for the stepper; the trainer binds the very
same kernels to its own buffers once (:meth:`core.ops.Op.bind_forward`,
:meth:`~core.ops.Op.bind_backward`), so both give the same numbers.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np

from core.format import format_shape
from core.graph import Graph, Problem
from core.graph_facts import GraphFacts, read_facts
from core.ops import Op, unbroadcast
from core.validation import check

FORWARD, BACKWARD, UPDATE = "forward", "backward", "update"
CLEAR = "clear"  # the first step of the backward pass: parameter gradients start from zero
CLEAR_LABEL = "clear gradients"


class ProgramError(ValueError):
    """The graph cannot run; ``problems`` lists every reason, each naming its node."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        first = problems[0].message if problems else "invalid graph"
        more = f" (and {len(problems) - 1} more problem{'s' if len(problems) > 2 else ''})" if len(problems) > 1 else ""
        super().__init__(first + more)


@dataclass(frozen=True)
class Step:
    kind: str  # forward | backward | update
    node: str | None = None

    @property
    def label(self) -> str:
        if self.kind == CLEAR:
            return CLEAR_LABEL
        return UPDATE if self.kind == UPDATE else f"{self.kind} {self.node}"


@dataclass(frozen=True)
class NodePlan:
    """What a node needs at run time: its op, attributes, sources, and which ports want gradients."""

    id: str
    op: Op
    attrs: Mapping[str, Any]
    srcs: tuple[str, ...]
    grad_ports: tuple[int, ...]  # indices of input ports whose source needs a gradient


class Program:
    def __init__(self, graph: Graph, problems: list[Problem] | None = None,
                 facts: GraphFacts | None = None) -> None:
        """The program of ``graph``; ``problems``: its validation, when already made (else made here);
        ``facts``: the graph's :func:`~core.graph_facts.read_facts`, when already read."""
        facts = read_facts(graph) if facts is None else facts
        problems = check(graph, facts)[0] if problems is None else problems
        if problems:
            raise ProgramError(problems)
        if facts.cyclic:  # a caller's problems that missed the cycle
            graph.topological_order()  # raises GraphError naming it
        ops, feeds = facts.ops, facts.feeds
        objective = facts.objective_id(graph)
        assert objective is not None
        self.objective: str = objective
        # what the objective's output is called: "loss" for a loss op or a chosen objective, else its node's name
        self.objective_name = "loss" if graph.objective is not None or ops[objective].is_loss else objective
        relevant = facts.ancestors(objective) | {objective}
        self.order = [n for n in facts.order if n in relevant]
        nodes = graph.nodes
        self.leaves = [n for n in self.order if ops[n].is_leaf]
        self.inputs = {n: nodes[n].attrs["field"] for n in self.leaves if nodes[n].op_type == "Input"}
        self.parameters = [n for n in self.leaves if nodes[n].is_parameter]
        self.trainable = [n for n in self.parameters if nodes[n].trainable]
        reach: set[str] = set()  # nodes a parameter's value flows into
        for n in self.order:
            if nodes[n].is_parameter or any(s in reach for s in feeds[n]):
                reach.add(n)
        # a node needs a gradient when the objective's gradient reaches it through ports that take one
        needs_grad: set[str] = {objective} if objective in reach else set()
        grad_ports: dict[str, tuple[int, ...]] = {}
        sources: dict[str, tuple[str, ...]] = {}
        for n in reversed(self.order):
            op = ops[n]
            if op.is_leaf:
                continue
            fed = feeds[n]
            srcs = sources[n] = tuple([s for s in fed if s is not None]) if None in fed else tuple(fed)  # type: ignore[arg-type]
            ports: tuple[int, ...] = ()
            if n in needs_grad:
                shut = op.no_grad_ports
                ports = tuple([i for i, (port, s) in enumerate(zip(facts.ports[n], srcs))
                               if s in reach and port not in shut])
                for i in ports:
                    needs_grad.add(srcs[i])
            grad_ports[n] = ports
        self.needs_grad = needs_grad
        self.plans: dict[str, NodePlan] = {}
        for n in self.order:
            if n in sources:
                op = ops[n]
                self.plans[n] = NodePlan(n, op, op.plan_attrs(n, nodes[n].attrs), sources[n], grad_ports[n])
        self.computed = [n for n in self.order if n in self.plans]
        # the computed nodes whose kernels are the user's code (custom layers), in step order
        self.user_code = [n for n in self.computed if self.plans[n].op.runs_user_code]
        self.backward_nodes = [n for n in reversed(self.computed) if n in needs_grad]
        # node → (consumer, port index) of every gradient the backward pass sends it, in step order
        self.grad_sources: dict[str, list[tuple[str, int]]] = {}
        for consumer in self.backward_nodes:
            plan = self.plans[consumer]
            for i in plan.grad_ports:
                self.grad_sources.setdefault(plan.srcs[i], []).append((consumer, i))
        steps = [Step(FORWARD, n) for n in self.computed]
        steps.append(Step(CLEAR))
        steps += [Step(BACKWARD, n) for n in self.backward_nodes]
        if self.trainable_with_gradient():
            steps.append(Step(UPDATE))
        self.steps: tuple[Step, ...] = tuple(steps)
        self.n_forward = len(self.computed)
        self.n_backward = len(self.backward_nodes) + 1  # with the clear step

    @property
    def runs_user_code(self) -> bool:
        """Whether a step runs the user's code (a custom layer feeds the objective)."""
        return bool(self.user_code)

    def trainable_with_gradient(self) -> list[str]:
        """The trainable parameters the backward pass sends a gradient to: the ones updated."""
        return [p for p in self.trainable if p in self.needs_grad]

    def nothing_to_train(self) -> str:
        """Why training this Program would change no weight (its training step has no update),
        in a sentence naming the parameters; "" when it has an update step."""
        if self.trainable_with_gradient():
            return ""
        why = f"no trainable parameter feeds {self.objective}"
        if self.trainable:
            why = f"no gradient reaches the trainable {_names('parameter', self.trainable)}"
        elif self.parameters:
            why = f"no trainable parameter ({_names('', self.parameters)} {_is(self.parameters)} not trainable)"
        return f"{why}, so the Program has no update step"

    def __len__(self) -> int:
        return len(self.steps)

    def index_of(self, kind: str, node: str | None = None) -> int:
        return self.steps.index(Step(kind, node))

    def phase_at(self, cursor: int) -> str:
        """The phase the next step belongs to ('done' at the end)."""
        if cursor < self.n_forward:
            return "forward pass"
        if cursor < self.n_forward + self.n_backward:
            return "backward pass"
        if cursor < len(self.steps):
            return "update"
        return "done"


def leaf_values(graph: Graph, program: Program, rows: np.ndarray | None) -> dict[str, np.ndarray]:
    """What each leaf of ``program`` holds in a training step whose mini-batch is ``rows`` (None:
    every training row): an input its field's rows, a constant or a parameter its value (the
    graph's arrays, not copies)."""
    values: dict[str, np.ndarray] = {}
    for leaf in program.leaves:
        if leaf in program.inputs:
            assert graph.dataset is not None  # validation refuses an input without one
            arr = graph.dataset.train_fields[program.inputs[leaf]]
            values[leaf] = arr if rows is None else arr[rows]
        else:
            values[leaf] = graph.nodes[leaf].value  # type: ignore[assignment]
    return values


def _names(word: str, names: list[str]) -> str:
    """"parameter W", "parameters W1 and W2", "a, b and c" (``word`` "": the names alone)."""
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    return f"{word}{'s' if len(names) > 1 else ''} {listed}".strip() if word else listed


def _is(names: list[str]) -> str:
    return "is" if len(names) == 1 else "are"


def check_objective(program: Program, out: np.ndarray) -> None:
    """Raise ``ValueError`` unless the objective's output is one number (validation knows it for
    built-in ops; a custom layer's output is known only once it ran)."""
    if out.size != 1:
        shape = format_shape(out.shape)
        raise ValueError(f"{program.objective}: the objective must be a scalar, but its output has shape {shape}")


def forward_node(plan: NodePlan, values: Mapping[str, np.ndarray]) -> tuple[np.ndarray, Any]:
    """The node's output and cache, as new arrays (nothing returned is written later)."""
    out, cache = plan.op.forward([values[s] for s in plan.srcs], plan.attrs)
    return np.asarray(out), cache


def backward_node(
    plan: NodePlan, values: Mapping[str, np.ndarray], cache: Any, dout: np.ndarray
) -> list[tuple[int, np.ndarray]]:
    """The gradients ``plan``'s node sends to the ports that need one, reduced to their shapes."""
    ins = [values[s] for s in plan.srcs]
    grads = plan.op.backward(dout, ins, values[plan.id], cache, plan.attrs)
    for i in plan.grad_ports:
        if i >= len(grads) or grads[i] is None:
            raise plan.op.no_gradient(plan.id, plan.attrs, plan.op.ports(plan.attrs)[i])
    return [(i, unbroadcast(np.asarray(grads[i]), ins[i].shape)) for i in plan.grad_ports]


def accumulate(grads: dict[str, np.ndarray], key: str, g: np.ndarray) -> np.ndarray:
    """Add ``g`` to the gradient at ``key``, making a new array (old ones stay untouched)."""
    old = grads.get(key)
    new = g if old is None else old + g
    grads[key] = new
    return new
