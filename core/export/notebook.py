"""The graph as a Jupyter notebook: the script's program, one cell per step.

A markdown cell with the graph's name and description; a code cell for the imports and
helpers; one per layer class; one for the settings, data, values and layers; then for each
step of the program a markdown line saying what it computes (the inspector's formula text,
with the graph's names) and a code cell; last, the cell that prints the loss and gradients.
Outputs are empty: the notebook has not been run. ``nbformat`` writes it (imported on the first
export: it takes a third of a second, which the window's start does not pay).
"""
from __future__ import annotations

from typing import Any

from core.export.program_code import program_code
from core.export.script import passes_only, report_lines, setup_lines
from core.export.weights import weights_note
from core.graph import Graph


def _cell(kind: str, source: str) -> Any:
    """A notebook cell (nbformat's makers are untyped: this is the one place that calls them)."""
    from nbformat import v4

    maker = v4.new_markdown_cell if kind == "markdown" else v4.new_code_cell
    return maker(source)  # type: ignore[no-untyped-call]


def export_notebook(graph: Graph, after_updates: int = 0) -> str:
    """The notebook's text; ``after_updates``: the graph's weights are the results of that many
    updates, which the first cell says (with the loss they give)."""
    code = program_code(graph)
    cells = []
    title = code.name or "A computational graph"
    intro = f"# {title}\n\n{code.description}\n\n" if code.description else f"# {title}\n\n"
    note = weights_note(graph, after_updates, code.objective)
    if note:
        intro += f"{note}\n\n"
    if code.nothing_to_train:
        intro += (f"Exported from Backprop Workbench, one cell per step, with the layer classes in the notebook's "
                  f"style: it runs {passes_only(code.nothing_to_train)}")
    else:
        intro += ("Exported from Backprop Workbench: one training step of the graph — the forward pass, the "
                  "backward pass and the update — one cell per step, with the layer classes in the notebook's "
                  "style.")
    cells.append(_cell("markdown", intro))
    imports = [*(f"import {m}" for m in code.modules), "import numpy as np"]
    cells.append(_cell("code", "\n".join([*imports, *[f"\n\n{h.rstrip()}" for h in code.helpers]])))
    cells += [_cell("code", source.rstrip()) for source in code.classes]
    setup = setup_lines(code)
    if code.batched:
        setup.append("rows = batch_rows(0)  # the mini-batch of the first update")
    cells.append(_cell("code", "\n".join(setup + code.inputs).strip()))
    for s in code.steps:
        text = f": `{s.text}`" if s.text else ""
        cells.append(_cell("markdown", f"**Step {s.number} · {s.title}**{text}"))
        if s.lines:
            cells.append(_cell("code", "\n".join(s.lines)))
    cells.append(_cell("code", "\n".join(report_lines(code))))
    import nbformat
    from nbformat import v4

    nb = v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    })  # type: ignore[no-untyped-call]
    nbformat.validate(nb)
    return str(nbformat.writes(nb))  # type: ignore[no-untyped-call]
