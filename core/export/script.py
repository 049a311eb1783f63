"""The graph as one standalone NumPy script in the notebook's style.

Run as it is, the script does one training step — the forward pass, the backward pass, the
update — and prints the loss, each parameter's gradient by name, the updated weights and a
last line ``loss = <repr>``. Made with ``updates=N`` it trains N updates instead and prints
``update k: loss = <repr>`` for each. Its numbers are the workbench's (same data, same
mini-batches, same optimizer arithmetic). A graph whose Program has no update step gets the
forward and backward pass and a line saying there is nothing to train, in the sentence the
window and ``train`` use; asked to train updates, it is refused with ``train``'s words.
"""
from __future__ import annotations

import json
import textwrap

from core.export.errors import ExportError
from core.export.program_code import ProgramCode, StepCode, program_code
from core.export.weights import weights_note
from core.graph import Graph

INDENT = "    "


def export_script(graph: Graph, updates: int | None = None, after_updates: int = 0) -> str:
    """The script's text; ``updates``: train that many updates instead of one step;
    ``after_updates``: the graph's weights are the results of that many updates, which the
    docstring says (with the loss they give)."""
    code = program_code(graph)
    refuse_updates(code.nothing_to_train, updates)
    return script_text(code, updates, weights_note(graph, after_updates, code.objective))


def refuse_updates(nothing_to_train: str, updates: int | None) -> None:
    """An ExportError in ``train``'s words when updates are asked of a Program without an update step."""
    if updates is not None and nothing_to_train:
        raise ExportError(f"cannot train: {nothing_to_train}")


def passes_only(nothing_to_train: str) -> str:
    """What an export of a Program without an update step runs, and why it trains nothing."""
    return ("the forward pass and the backward pass, and prints the loss and every parameter's gradient; "
            f"there is nothing to train: {nothing_to_train}.")


def nothing_to_train_line(nothing_to_train: str) -> str:
    """The exported line printing that there is nothing to train, and why."""
    return f"print({json.dumps(f'nothing to train: {nothing_to_train}', ensure_ascii=False)})"


def header(name: str, description: str, how: str, note: str = "") -> str:
    """The module docstring: name, description, which weights (``note``) and how to run it."""
    parts = [f"{name or 'A computational graph'} — exported from Backprop Workbench."]
    if description:
        parts.append(textwrap.fill(description, 96))
    if note:
        parts.append(textwrap.fill(note, 96))
    parts.append(textwrap.fill(how, 96))
    return '"""' + "\n\n".join(parts).replace('"""', "'''").replace("\\", "\\\\") + '\n"""'


def step_block(s: StepCode) -> list[str]:
    """A step's lines under a comment saying which step it is and what it computes."""
    return [f"# step {s.number}: {s.title} — {s.text}" if s.text else f"# step {s.number}: {s.title}", *s.lines]


def setup_lines(code: ProgramCode) -> list[str]:
    """Settings, data, values, layers and optimizer state, as blocks separated by blank lines."""
    out: list[str] = []
    for block in (code.settings, code.data, ["# parameters and constants", *code.values] if code.values else [],
                  ["# one layer per computed node", *code.layers], code.state):
        if block:
            out += [*block, ""]
    return out


LOSS_BEFORE_UPDATE = "the loss of this step (computed before the update), every digit:"


def report_lines(code: ProgramCode) -> list[str]:
    """Print the loss, every parameter's gradient by name, the updated weights, then `loss = ...`."""
    out = [f'print("forward pass: {code.objective} =", float({code.objective}))']
    if code.gradients:
        out.append('print("gradients:")')
        out += [f'print("  d{p} =", {_plain(g)})' for p, g in code.gradients]
    if code.nothing_to_train:
        out.append(nothing_to_train_line(code.nothing_to_train))
    if code.updated:
        out.append(f'print("after the update ({code.optimizer}):")')
        out += [f'print("  {p} =", {_plain(v)})' for p, v in code.updated]
    if code.updated:  # the last line is the step's loss, not the loss after the update: say so
        out.append(f'print("{LOSS_BEFORE_UPDATE}")')
    out.append(f'print(f"loss = {{float({code.objective})!r}}")')
    return out


def _plain(variable: str) -> str:
    """An expression printing ``variable`` with every digit: a float, or nested lists."""
    return f"np.asarray({variable}).tolist()"


def script_text(code: ProgramCode, updates: int | None = None, note: str = "") -> str:
    run = "Run it with `python <this file>`: it needs only NumPy. "
    if updates is not None:
        how = f"{run}It trains {updates} updates and prints the loss of each."
    elif code.nothing_to_train:
        how = f"{run}It runs {passes_only(code.nothing_to_train)}"
    else:
        how = (f"{run}It runs one training step (forward pass, backward pass, update) and prints the loss and "
               "every parameter's gradient.")
    imports = [*(f"import {m}" for m in code.modules), *([""] if code.modules else []), "import numpy as np"]
    lines = [header(code.name, code.description, how, note), *imports, ""]
    for source in code.helpers:
        lines += ["", source.rstrip(), ""]
    for source in code.classes:
        lines += ["", source.rstrip(), ""]
    lines += ["", *setup_lines(code)]
    steps = [line for s in code.steps for line in ["", *step_block(s)]][1:]
    if updates is None:
        if code.batched:
            lines.append("rows = batch_rows(0)  # the mini-batch of the first update")
        lines += [*code.inputs, "", *steps, "", *report_lines(code)]
    else:
        lines += code.inputs if not code.batched else []
        lines += ["", f"for k in range(1, {updates} + 1):"]
        body = (["rows = batch_rows(k - 1)", *code.inputs, ""] if code.batched else []) + steps
        body += ["", f'print(f"update {{k}}: loss = {{float({code.objective})!r}}")']
        lines += [INDENT + line if line else "" for line in body]
    return "\n".join(lines).rstrip() + "\n"
