"""The notebook export: one markdown line and one code cell per step, outputs empty, and its
code cells run top to bottom print the workbench's loss and gradients."""
from __future__ import annotations

import contextlib
import io
from pathlib import Path

import nbformat
import pytest
from export_helpers import assert_same_step, workbench_eval
from helpers import EXAMPLES, example_names, load_example

from app.cli.main import main
from core.program import Program


def run_cells(nb: nbformat.NotebookNode) -> str:
    """Execute every code cell in order in one namespace, as a kernel would; the printed text."""
    namespace: dict = {"__name__": "__main__"}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        for cell in nb.cells:
            if cell.cell_type == "code":
                exec(compile(cell.source, "<cell>", "exec"), namespace)
    return out.getvalue()


@pytest.mark.parametrize("name", example_names())
def test_notebook_runs_top_to_bottom_with_the_workbench_numbers(tmp_path: Path, capsys, name: str) -> None:
    out = tmp_path / f"{name}.ipynb"
    assert main(["export", str(EXAMPLES / f"{name}.json"), str(out)]) == 0
    nb = nbformat.read(out, as_version=4)
    nbformat.validate(nb)
    program = Program(load_example(name))
    step_lines = [c.source for c in nb.cells if c.cell_type == "markdown" and c.source.startswith("**Step ")]
    assert len(step_lines) == len(program.steps)
    for k, (line, step) in enumerate(zip(step_lines, program.steps), 1):
        assert line.startswith(f"**Step {k} · {step.label}**")
    assert all(c.outputs == [] and c.execution_count is None for c in nb.cells if c.cell_type == "code")
    assert_same_step(run_cells(nb), workbench_eval(capsys, name))


def test_updates_are_for_scripts_only(tmp_path: Path, capsys) -> None:
    out = tmp_path / "mazur.ipynb"
    assert main(["export", str(EXAMPLES / "mazur.json"), str(out), "--updates", "3"]) == 2
    assert "--updates is for a .py file" in capsys.readouterr().err
    assert not out.exists()
