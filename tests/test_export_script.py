"""The NumPy script export: for every shipped example the script, run on its own, prints the
workbench's loss and gradients (``eval --json``) and, trained, its losses (``train --csv``)."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest
from export_helpers import (
    assert_same_losses,
    assert_same_step,
    printed_losses,
    run_script,
    workbench_eval,
    workbench_losses,
)
from helpers import EXAMPLES, example_names, trainable_example_names

from app.cli.main import main

UPDATES = 100


def export(tmp_path: Path, name: str, *extra: str) -> Path:
    out = tmp_path / f"{name}.py"
    assert main(["export", str(EXAMPLES / f"{name}.json"), str(out), *extra]) == 0
    return out


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            names.add((node.module or "").split(".")[0])
    return names


@pytest.mark.parametrize("name", example_names())
def test_script_prints_the_workbench_loss_and_gradients(tmp_path: Path, capsys, name: str) -> None:
    script = export(tmp_path, name)
    assert imported_modules(script) <= {"numpy", "csv", "json"}
    assert_same_step(run_script(script), workbench_eval(capsys, name))


@pytest.mark.parametrize("name", trainable_example_names())
def test_script_trains_with_the_workbench_losses(tmp_path: Path, capsys, name: str) -> None:
    script = export(tmp_path, name, "--updates", str(UPDATES))
    assert imported_modules(script) <= {"numpy", "csv", "json"}
    expected = workbench_losses(capsys, name, UPDATES)
    assert_same_losses(printed_losses(run_script(script)), expected)


def test_the_last_loss_line_says_it_is_the_loss_before_the_update(tmp_path: Path) -> None:
    """After the updated weights, the closing `loss = ...` is read as this step's loss, not the new one."""
    from core.export.script import LOSS_BEFORE_UPDATE

    lines = run_script(export(tmp_path, "mazur")).strip().splitlines()
    assert lines[-1] == "loss = 0.2983711087600027"
    assert lines[-2] == LOSS_BEFORE_UPDATE
    assert lines.index("after the update (sgd):") < len(lines) - 2
