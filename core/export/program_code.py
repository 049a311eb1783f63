"""One training step of a Program as notebook-style Python: the pieces every export assembles.

:func:`program_code` reads the graph and its :class:`~core.program.Program` and returns a
:class:`ProgramCode`: the layer classes the graph uses, the settings, the data, the values,
the layers, and one :class:`StepCode` per step of the program (forward calls in the program's
order with one variable per node, backward calls in reverse, the update with the file's
optimizer). The script and the notebook lay these pieces out; nothing here runs the graph
except a pass on zeros that tells which operands NumPy broadcasts.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

import numpy as np

from core.data.dataset import Batcher
from core.export import formulas, literals
from core.export.custom_code import CALLS, CustomClass, classes_of
from core.export.data_code import dataset_code
from core.export.errors import ExportError
from core.export.names import Names
from core.graph import Graph
from core.notebook_layers import LAYERS, SUM_TO
from core.program import BACKWARD, CLEAR, FORWARD, Program, Step

SCRIPT_NAMES = frozenset({
    "np", "sum_to", "row_sums", "batch_rows", "dataset", "rows", "k", "learning_rate", "momentum", "beta1", "beta2",
    "eps", "lr_t", "adam_steps", "ROWS", "BATCH_SIZE", "SEED", "csv", "read_csv", "training_rows", "keep",
    "DATA_FILE", "COLUMNS", "LABELS",
})

BATCH_ROWS = '''\
def batch_rows(update):
    """The rows of update number `update` (from 0): every epoch a seeded shuffle of all rows,
    cut into batches of BATCH_SIZE (the last one of an epoch may be smaller)."""
    per_epoch = -(-ROWS // BATCH_SIZE)
    epoch, k = divmod(update, per_epoch)
    order = np.random.default_rng([SEED, epoch]).permutation(ROWS)
    return order[k * BATCH_SIZE:(k + 1) * BATCH_SIZE]
'''


@dataclass
class StepCode:
    step: Step
    number: int  # 1-based, as the debugger counts steps
    title: str  # "forward affine1", "backward loss", "update"
    text: str  # what it computes: "affine1 = x · W1 + b1"
    lines: list[str]


@dataclass
class ProgramCode:
    name: str
    description: str
    helpers: list[str]  # function sources (sum_to, batch_rows)
    classes: list[str]  # layer class sources, in order of first use
    settings: list[str]
    data: list[str]  # the dataset dictionary ([] without inputs)
    modules: list[str]  # standard modules the data needs (csv)
    values: list[str]  # parameters and constants
    layers: list[str]  # one layer object per computed node
    state: list[str]  # the optimizer's running state
    inputs: list[str]  # the input variables of one update (batched: uses `rows`)
    batched: bool  # inputs change with the update number (mini-batches)
    steps: list[StepCode] = field(default_factory=list)
    objective: str = ""  # the objective's variable
    gradients: list[tuple[str, str]] = field(default_factory=list)  # (parameter id, gradient variable)
    updated: list[tuple[str, str]] = field(default_factory=list)  # (parameter id, variable)
    optimizer: str = ""
    var: dict[str, str] = field(default_factory=dict)  # node id → variable
    nothing_to_train: str = ""  # why the Program has no update step (Program.nothing_to_train), or ""


def program_code(graph: Graph) -> ProgramCode:
    program = Program(graph)
    nodes = graph.nodes
    custom_plans = [program.plans[n] for n in program.user_code]
    for n in program.computed:
        if nodes[n].op_type not in LAYERS and n not in program.user_code:
            raise ExportError(f"node {n} ({nodes[n].op_type}): no NumPy layer can be written for this op")
    used = list(dict.fromkeys(nodes[n].op_type for n in program.computed if nodes[n].op_type in LAYERS))
    custom = classes_of(custom_plans, {LAYERS[t].class_name for t in used} | set(SCRIPT_NAMES))
    batcher = Batcher.for_training(graph.dataset, graph.settings)
    plain = _plain_forms(graph, program, batcher)
    names = Names(SCRIPT_NAMES | {LAYERS[t].class_name for t in used} | {c.name for c in custom.values()})
    var = {n: names.take(n) for n in program.order}
    layer = {n: names.take(f"{var[n]}_layer") for n in program.computed}
    grad = {n: names.take(f"d{var[n]}") for n in program.order if n in program.needs_grad}
    data_helpers, data, modules = inputs_data(graph, program)
    helpers = list(dict.fromkeys([*(h for t in used for h in LAYERS[t].helpers(plain[t])), *data_helpers]))
    if custom:
        helpers = list(dict.fromkeys([*helpers, SUM_TO, CALLS]))
    batched = is_batched(program, batcher)
    if batched:
        helpers.append(BATCH_ROWS)
    code = ProgramCode(
        name=graph.name, description=graph.description, helpers=helpers,
        classes=[LAYERS[t].source_for(plain[t]) for t in used] + list(dict.fromkeys(c.code for c in custom.values())),
        settings=_settings(graph, program, batcher, batched),
        data=data, modules=sorted(modules), values=_values(graph, program, var),
        layers=[f"{layer[n]} = {_constructor(graph, n, custom.get(n))}" for n in program.computed
                if n not in custom or custom[n].n_forward == len(program.plans[n].srcs)],
        state=[], inputs=[], batched=batched, objective=var[program.objective], var=var,
        optimizer=graph.settings.optimizer, nothing_to_train=program.nothing_to_train(),
    )
    pick = "[rows]" if batched else ""
    code.inputs = [f"{var[n]} = dataset[{json.dumps(f)}]{pick}" for n, f in program.inputs.items()]
    _add_steps(code, graph, program, var, layer, grad, names, custom)
    return code


# ------------------------------------------------------------------ setup
def _settings(graph: Graph, program: Program, batcher: Batcher, batched: bool) -> list[str]:
    s = graph.settings
    lines = []
    if program.trainable_with_gradient():
        lines.append(f"learning_rate = {literals.number(s.learning_rate)}")
        if s.optimizer == "momentum":
            lines.append(f"momentum = {literals.number(s.momentum)}")
        elif s.optimizer == "adam":
            lines += [f"beta1 = {literals.number(s.beta1)}", f"beta2 = {literals.number(s.beta2)}",
                      f"eps = {literals.number(s.eps)}"]
    if batched:
        lines.append(batch_constants(batcher))
    return lines


def is_batched(program: Program, batcher: Batcher) -> bool:
    """Whether an export's inputs change with the update number (inputs drawn in mini-batches)."""
    return bool(program.inputs) and not batcher.full


def batch_constants(batcher: Batcher) -> str:
    """The exported line that fixes how the mini-batches are drawn, as ``batcher`` draws them."""
    return f"ROWS, BATCH_SIZE, SEED = {batcher.rows}, {batcher.batch_size}, {batcher.seed}"


def inputs_data(graph: Graph, program: Program) -> tuple[list[str], list[str], set[str]]:
    """(helpers, lines, standard modules) of the dataset the inputs read."""
    if not program.inputs or graph.dataset is None:
        return [], [], set()
    return dataset_code(graph.dataset, list(dict.fromkeys(program.inputs.values())))


def _values(graph: Graph, program: Program, var: dict[str, str]) -> list[str]:
    lines = []
    for n in program.leaves:
        node = graph.nodes[n]
        if n in program.inputs:
            continue
        kind = ("trainable parameter" if node.trainable else "parameter, not trained") if node.is_parameter \
            else "constant: no gradient"
        lines.append(f"{var[n]} = {literals.rows(node.value)}  # {kind}")
    return lines


def _constructor(graph: Graph, n: str, custom: CustomClass | None = None) -> str:
    if custom is not None:
        return f"{custom.name}()  # your custom layer"
    node = graph.nodes[n]
    cls = LAYERS[node.op_type].class_name
    args = ", ".join(f"{spec.name}={node.attrs.get(spec.name, spec.default)!r}" for spec in node.op.attrs)
    return f"{cls}({args})"


def _plain_forms(graph: Graph, program: Program, batcher: Batcher) -> dict[str, bool]:
    """Per op kind: does the plain form of its layer fit every node of that kind at every batch
    size the training (``batcher``) uses (no operand that takes a gradient is broadcast)?"""
    fits: dict[str, bool] = {graph.nodes[n].op_type: True for n in program.computed}
    counts = {batcher.batch_rows, batcher.rows % batcher.batch_rows or batcher.batch_rows}
    for rows in counts:
        values: dict[str, np.ndarray] = {}
        for n in program.leaves:
            if n in program.inputs:
                assert graph.dataset is not None
                values[n] = np.zeros_like(graph.dataset.train_fields[program.inputs[n]][:rows])
            else:
                values[n] = np.zeros_like(graph.nodes[n].value)
        for n in program.computed:
            plan = program.plans[n]
            ins = [values[s] for s in plan.srcs]
            try:
                with np.errstate(all="ignore"):
                    values[n] = np.asarray(plan.op.forward(ins, plan.attrs)[0])
            except Exception:  # a custom layer that refuses zeros: the forms that fit any shapes
                return dict.fromkeys(fits, False)
            if plan.op.type not in LAYERS:
                continue
            test = LAYERS[plan.op.type].plain_fits
            if test is not None and not test([i.shape for i in ins], values[n].shape, plan.grad_ports):
                fits[plan.op.type] = False
    return fits


# ------------------------------------------------------------------ steps
def _add_steps(code: ProgramCode, graph: Graph, program: Program, var: dict[str, str], layer: dict[str, str],
               grad: dict[str, str], names: Names, custom: dict[str, CustomClass]) -> None:
    nodes = graph.nodes
    arrivals = program.grad_sources  # every gradient contribution, in the order the backward pass sends them
    # with keep_gradients a trained parameter's gradient starts from the last update's: it adds up
    kept = set(program.trainable_with_gradient()) if graph.settings.keep_gradients else set()
    part = {key: names.take(f"{grad[src]}_from_{var[key[0]]}") if len(sent) > 1 or src in kept else grad[src]
            for src, sent in arrivals.items() for key in sent}
    code.state += [f"{grad[p]} = np.zeros_like({var[p]})  # kept from update to update (keep_gradients)"
                   for p in program.trainable_with_gradient() if p in kept]
    received: dict[str, int] = {}
    for number, step in enumerate(program.steps, 1):
        if step.kind == CLEAR:
            text = ("the parameters' gradients are kept from the last update: this update's add to them"
                    if kept else "the parameters' gradients start from zero: "
                    + ("the backward pass" if code.nothing_to_train else "this update") + " computes them anew")
            code.steps.append(StepCode(step, number, step.label, text, []))
        elif step.kind == FORWARD:
            assert step.node is not None
            plan = program.plans[step.node]
            srcs = {port: var[s] for port, s in zip(nodes[step.node].inputs, plan.srcs)}
            text = formulas.forward_text(plan.op, plan.attrs, var[step.node], srcs)
            args = [var[s] for s in plan.srcs]
            cls = custom.get(step.node)
            if cls is None:
                lines = [f"{var[step.node]} = {layer[step.node]}.forward({', '.join(args)})"]
            else:
                lines = [f"{layer[step.node]} = make_layer({', '.join([cls.name, *args[cls.n_forward:]])})"] \
                    if cls.n_forward < len(args) else []
                lines.append(f"{var[step.node]} = call_forward({', '.join([layer[step.node], *args[:cls.n_forward]])})")
            code.steps.append(StepCode(step, number, step.label, text, lines))
        elif step.kind == BACKWARD:
            assert step.node is not None
            n = step.node
            plan = program.plans[n]
            srcs = {port: var[s] for port, s in zip(nodes[n].inputs, plan.srcs)}
            ports = [nodes[n].inputs[i] for i in plan.grad_ports]
            text = formulas.backward_text(plan.op, plan.attrs, var[n], srcs, ports)
            lines = []
            if n == program.objective:
                lines.append(f"{grad[n]} = 1.0  # ∂L/∂L = 1: the backward pass starts at the objective")
            targets = []
            for i, port in enumerate(nodes[n].inputs):
                if port in plan.op.no_grad_ports:
                    continue
                targets.append(part[(n, i)] if i in plan.grad_ports else "_")
            if n in custom:
                srcs_text = ", ".join(var[s_] for s_ in plan.srcs)
                lines.append(f"{', '.join(targets)}{',' if len(targets) == 1 else ''} = "
                             f"call_backward({layer[n]}, {grad[n]}, {srcs_text})")
            else:
                lines.append(f"{', '.join(targets)} = {layer[n]}.backward({grad[n]})")
            for i in plan.grad_ports:
                src = plan.srcs[i]
                received[src] = received.get(src, 0) + 1
                if (len(arrivals[src]) > 1 or src in kept) and received[src] == len(arrivals[src]):
                    total = " + ".join([grad[src]] * (src in kept) + [part[key] for key in arrivals[src]])
                    why = (f"{var[src]} feeds {len(arrivals[src])} ports: their gradients add up"
                           if src not in kept else "added to the gradients kept from the last updates")
                    lines.append(f"{grad[src]} = {total}  # {why}")
            code.steps.append(StepCode(step, number, step.label, text, lines))
        else:
            code.steps.append(_update_step(code, graph, program, var, grad, names, step, number))
    code.gradients = [(p, grad[p]) for p in program.parameters if p in grad]


def _update_step(code: ProgramCode, graph: Graph, program: Program, var: dict[str, str], grad: dict[str, str],
                 names: Names, step: Step, number: int) -> StepCode:
    s = graph.settings
    trained = program.trainable_with_gradient()
    code.updated = [(p, var[p]) for p in trained]
    lines: list[str] = []
    if not trained:
        return StepCode(step, number, step.label, "", ["# nothing to update: no trainable parameter gets a gradient"])
    if s.optimizer == "sgd":
        text = "SGD: w ← w − η·∂L/∂w"
        for p in trained:
            lines.append(f"{var[p]} -= learning_rate * {grad[p]}")
    elif s.optimizer == "momentum":
        text = "momentum: v ← μ·v − η·∂L/∂w; w ← w + v"
        for p in trained:
            v = names.take(f"velocity_{var[p]}")
            code.state.append(f"{v} = np.zeros_like({var[p]})")
            lines += [f"{v} = momentum * {v} - learning_rate * {grad[p]}", f"{var[p]} += {v}"]
    else:
        text = ("Adam: m ← m + (1−β₁)(g − m); v ← v + (1−β₂)(g² − v); w ← w − η_t·m / (√v + ε), "
                "η_t = η·√(1−β₂ᵗ) / (1−β₁ᵗ)")
        code.state.append("adam_steps = 0")
        lines += ["adam_steps += 1",
                  "lr_t = learning_rate * np.sqrt(1.0 - beta2**adam_steps) / (1.0 - beta1**adam_steps)"]
        for p in trained:
            m, v = names.take(f"m_{var[p]}"), names.take(f"v_{var[p]}")
            code.state += [f"{m} = np.zeros_like({var[p]})", f"{v} = np.zeros_like({var[p]})"]
            lines += [f"{m} += (1.0 - beta1) * ({grad[p]} - {m})",
                      f"{v} += (1.0 - beta2) * ({grad[p]} * {grad[p]} - {v})",
                      f"{var[p]} -= lr_t * {m} / (np.sqrt({v}) + eps)"]
    return StepCode(step, number, step.label, text, lines)
