"""The graph as PyTorch code: a ``torch.nn.Module`` with the same initial weights, the data,
and a training loop that reproduces the workbench's numbers.

The module's ``forward`` computes one variable per node in the program's order; autograd does
the backward pass. The update is written out by hand for every optimizer, under a comment
saying where ``torch.optim`` would differ (Adam adds ε after bias-correcting v there; the
workbench folds both corrections into the step size and adds ε to √v). Float64 throughout.
Mini-batches are chosen exactly as the workbench's Batcher chooses them (NumPy's seeded
shuffle), so the two see the same rows.
"""
from __future__ import annotations

import json

from core.data.dataset import Batcher
from core.export import literals, torch_ops
from core.export.errors import ExportError
from core.export.names import Names
from core.export.program_code import BATCH_ROWS, batch_constants, inputs_data, is_batched
from core.export.script import LOSS_BEFORE_UPDATE, header, nothing_to_train_line, passes_only, refuse_updates
from core.graph import Graph
from core.program import Program

MODULE_NAMES = frozenset({
    "self", "forward", "training", "train", "eval", "parameters", "buffers", "state_dict", "load_state_dict", "to",
    "cpu", "cuda", "double", "float", "half", "type", "apply", "zero_grad", "children", "modules", "named_parameters",
    "named_buffers", "register_buffer", "register_parameter", "add_module", "requires_grad_", "extra_repr",
    "get_parameter", "get_buffer", "get_submodule", "dump_patches", "call_super_init",
})
SCRIPT_NAMES = frozenset({"np", "torch", "self", "batch_size", "one_hot", "columns", "csv"})  # what forward() may call

UPDATE_NOTE = {
    "sgd": "# SGD, w ← w − η·∂L/∂w (torch.optim.SGD computes the same; written out like the others)",
    "momentum": ("# momentum, v ← μ·v − η·∂L/∂w; w ← w + v. torch.optim.SGD(momentum=μ) keeps v ← μ·v + ∂L/∂w and\n"
                 "# steps by η·v: the same mathematics, rounded differently, so the workbench's form is written out."),
    "adam": ("# Adam as the workbench computes it: η_t = η·√(1−β₂ᵗ)/(1−β₁ᵗ), w ← w − η_t·m/(√v + ε).\n"
             "# torch.optim.Adam adds ε after bias-correcting v (m̂/(√v̂ + ε)): another number wherever √v is\n"
             "# near ε, so the update is written out here to give the workbench's numbers."),
}


def export_torch(graph: Graph, updates: int | None = None) -> str:
    program = Program(graph)
    nodes = graph.nodes
    for n in program.computed:
        if n in program.user_code:
            raise ExportError(f"node {n} (custom layer): its NumPy class cannot be written as PyTorch code; "
                              "export the NumPy script instead")
        if nodes[n].op_type not in torch_ops.EXPRESSIONS:
            raise ExportError(f"node {n} ({nodes[n].op_type}): no PyTorch code can be written for this op")
    names = Names(MODULE_NAMES | SCRIPT_NAMES)
    var = {n: names.take(n) for n in program.order}
    used = list(dict.fromkeys(nodes[n].op_type for n in program.computed))
    batcher = Batcher.for_training(graph.dataset, graph.settings)
    batched = is_batched(program, batcher)
    trained = program.trainable_with_gradient()
    s = graph.settings

    data_helpers, data, modules = inputs_data(graph, program)
    nothing_to_train = program.nothing_to_train()
    refuse_updates(nothing_to_train, updates)
    run = "Needs PyTorch and NumPy: `python <this file>` "
    if updates is not None:
        how = f"{run}trains {updates} updates and prints the loss of each."
    elif nothing_to_train:
        how = f"{run}runs {passes_only(nothing_to_train)}"
    else:
        how = f"{run}runs one training step and prints the loss and every parameter's gradient."
    lines = [header(graph.name, graph.description, how), *(f"import {m}" for m in sorted(modules)),
             "import numpy as np", "import torch", "",
             "torch.set_default_dtype(torch.float64)  # the workbench computes in float64", ""]
    for h in torch_ops.helpers(used) + data_helpers + ([BATCH_ROWS] if batched else []):
        lines += ["", h.rstrip(), ""]

    # the module
    lines += ["", "class Net(torch.nn.Module):", f'    """{graph.name or "The graph"}: one attribute per parameter '
              'and constant, one variable per node."""', "", "    def __init__(self):", "        super().__init__()"]
    for n in program.leaves:
        if n in program.inputs:
            continue
        node = nodes[n]
        value = literals.tensor(node.value, " " * 12)
        if node.is_parameter:
            why = "trainable" if node.trainable else "gets a gradient, not trained"
            lines.append(f"        self.{var[n]} = torch.nn.Parameter({value})  # {why}")
        else:
            lines.append(f'        self.register_buffer("{var[n]}", torch.tensor({literals.nested(node.value)}))'
                         "  # constant")
    inputs = [var[n] for n in program.inputs]
    lines += ["", f"    def forward(self, {', '.join(inputs)}):" if inputs else "    def forward(self):"]
    for n in program.computed:
        plan = program.plans[n]
        ports = {p: (f"self.{var[s_]}" if s_ in program.leaves and s_ not in program.inputs else var[s_])
                 for p, s_ in zip(plan.op.inputs, plan.srcs)}
        lines.append(f"        {var[n]} = {torch_ops.expression(plan.op.type, ports, plan.attrs)}")
    lines += [f"        return {var[program.objective]}", ""]

    # data and settings
    lines += ["", "model = Net()"]
    if data:
        lines += [*data, "dataset = {name: torch.from_numpy(rows) for name, rows in dataset.items()}"]
    settings = [f"learning_rate = {literals.number(s.learning_rate)}"] if trained else []
    if trained and s.optimizer == "momentum":
        settings.append(f"momentum = {literals.number(s.momentum)}")
        settings.append("state = {name: torch.zeros_like(w) for name, w in model.named_parameters()}  # velocities")
    elif trained and s.optimizer == "adam":
        settings += [f"beta1 = {literals.number(s.beta1)}", f"beta2 = {literals.number(s.beta2)}",
                     f"eps = {literals.number(s.eps)}", "adam_steps = 0",
                     "state = {name: (torch.zeros_like(w), torch.zeros_like(w)) "
                     "for name, w in model.named_parameters()}  # m, v"]
    if batched:
        settings.append(batch_constants(batcher))
    lines += settings
    trained_names = [var[p] for p in trained]
    listed = ", ".join(repr(v) for v in trained_names)
    lines += [f"trained = [{listed}]  # the trainable parameters that get a gradient", ""]

    # one training step
    pick = "[rows]" if batched else ""
    args = ", ".join(f"dataset[{json.dumps(f)}]{pick}" for f in program.inputs.values())
    step = ["", "def train_step(update):",
            '    """One training step: the forward pass, the backward pass (autograd), the update."""' if trained else
            '    """The forward pass and the backward pass (autograd): nothing to train."""']
    if trained and s.optimizer == "adam":
        step.append("    global adam_steps")
    if batched:
        step.append("    rows = torch.from_numpy(batch_rows(update))")
    if s.keep_gradients:
        step.append("    # no zero_grad(): the gradients add up from update to update (the file's keep_gradients)")
    else:
        step.append("    model.zero_grad()")
    step += [f"    loss = model({args})", "    loss.backward()"]
    if trained:
        step += ["    with torch.no_grad():", *("        " + line for line in UPDATE_NOTE[s.optimizer].splitlines())]
        if s.optimizer == "adam":
            step += ["        adam_steps += 1",
                     "        lr_t = learning_rate * np.sqrt(1.0 - beta2**adam_steps) / (1.0 - beta1**adam_steps)"]
        step.append("        for name, w in model.named_parameters():")
        step.append("            if name not in trained:")
        step.append("                continue")
        if s.optimizer == "sgd":
            step.append("            w -= learning_rate * w.grad")
        elif s.optimizer == "momentum":
            step += ["            state[name] = momentum * state[name] - learning_rate * w.grad",
                     "            w += state[name]"]
        else:
            step += ["            m, v = state[name]",
                     "            g = w.grad",
                     "            m += (1.0 - beta1) * (g - m)",
                     "            v += (1.0 - beta2) * (g * g - v)",
                     "            w -= lr_t * m / (torch.sqrt(v) + eps)"]
    step += ["    return loss.item()", ""]
    lines += step

    if updates is None:
        grads = [p for p in program.parameters if p in program.needs_grad]
        lines += ["", "loss = train_step(0)",
                  f'print("forward pass: {var[program.objective]} =", loss)']
        if grads:
            lines.append('print("gradients:")')
            lines += [f'print("  d{p} =", model.{var[p]}.grad.tolist())' for p in grads]
        if nothing_to_train:
            lines.append(nothing_to_train_line(nothing_to_train))
        if trained:
            lines.append(f'print("after the update ({s.optimizer}):")')
            lines += [f'print("  {p} =", model.{var[p]}.tolist())' for p in trained]
            lines.append(f'print("{LOSS_BEFORE_UPDATE}")')
        lines.append('print(f"loss = {loss!r}")')
    else:
        lines += ["", f"for k in range(1, {updates} + 1):",
                  '    print(f"update {k}: loss = {train_step(k - 1)!r}")']
    return "\n".join(lines).rstrip() + "\n"
