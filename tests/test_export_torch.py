"""The PyTorch export: run with PyTorch, every example's module gives the workbench's loss and
gradients, and its training loop the workbench's losses.

PyTorch is not a dependency: the scripts run with the interpreter named by the environment
variable ``BACKPROP_TORCH_PYTHON``, else with this one when it can import ``torch``; without
either, the tests that run them are skipped (the text is still checked)."""
from __future__ import annotations

import ast
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import export_helpers as eh
import numpy as np
import pytest
from export_graphs import zoo
from helpers import EXAMPLES, example_names, trainable_example_names
from test_export_script import imported_modules

from app.cli.main import main
from core.export import export_torch
from core.trainer import Trainer

UPDATES = 100
# Sine's network is odd in x with zero biases, so ∂L/∂b1 and ∂L/∂b2 are zero but for rounding;
# Adam turns the sign of that rounding into a full step, and PyTorch and NumPy add up a batch
# in different orders. Its losses agree for the updates before the rounding decides.
ROUNDING_DECIDES = {"sine": 2}


def torch_python() -> str | None:
    given = os.environ.get("BACKPROP_TORCH_PYTHON")
    if given:
        done = subprocess.run([given, "-c", "import torch"], capture_output=True)
        return given if done.returncode == 0 else None
    return sys.executable if importlib.util.find_spec("torch") is not None else None


needs_torch = pytest.mark.skipif(torch_python() is None, reason="PyTorch is not installed (set BACKPROP_TORCH_PYTHON)")


def export(tmp_path: Path, name: str, *extra: str) -> Path:
    out = tmp_path / f"{name}_torch.py"
    assert main(["export", str(EXAMPLES / f"{name}.json"), str(out), "--torch", *extra]) == 0
    return out


@pytest.mark.parametrize("name", example_names())
def test_torch_script_is_python_that_imports_only_torch_and_numpy(tmp_path: Path, name: str) -> None:
    script = export(tmp_path, name)
    assert {"numpy", "torch"} <= imported_modules(script) <= {"numpy", "torch", "csv"}
    tree = ast.parse(script.read_text(encoding="utf-8"))
    assert any(isinstance(n, ast.ClassDef) and n.name == "Net" for n in tree.body)


@needs_torch
@pytest.mark.parametrize("name", example_names())
def test_torch_module_gives_the_workbench_gradients(tmp_path: Path, capsys, name: str) -> None:
    python = torch_python()
    assert python is not None
    eh.assert_same_step(eh.run_script(export(tmp_path, name), python), eh.workbench_eval(capsys, name))


@needs_torch
@pytest.mark.parametrize("name", trainable_example_names())
def test_torch_training_loop_gives_the_workbench_losses(tmp_path: Path, capsys, name: str) -> None:
    python = torch_python()
    assert python is not None
    got = eh.printed_losses(eh.run_script(export(tmp_path, name, "--updates", str(UPDATES)), python))
    expected = eh.workbench_losses(capsys, name, UPDATES)
    agree = ROUNDING_DECIDES.get(name, UPDATES)
    eh.assert_same_losses(got[:agree], expected[:agree])
    assert len(got) == UPDATES and np.all(np.isfinite(got))
    if agree < UPDATES:
        assert got[-1] < got[0] and abs(got[-1] - expected[-1]) > eh.TOL  # it learns, on its own path


@needs_torch
@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_torch_module_of_every_op_follows_the_trainer(tmp_path: Path, optimizer: str) -> None:
    python = torch_python()
    assert python is not None
    path = tmp_path / "zoo_torch.py"
    path.write_text(export_torch(zoo(optimizer), 25), encoding="utf-8")
    expected = Trainer(zoo(optimizer)).run(25).losses.tolist()
    eh.assert_same_losses(eh.printed_losses(eh.run_script(path, python)), expected)
