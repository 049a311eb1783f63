"""Shared by the export tests: the workbench's own numbers (``eval --json``, ``train --csv -``)
and the numbers an exported program prints, read back from its output."""
from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from helpers import EXAMPLES

from app.cli.main import main

ROOT = Path(__file__).resolve().parent.parent
TOL = 1e-12


def cli_output(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    capsys.readouterr()
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def workbench_eval(capsys: pytest.CaptureFixture[str], name: str) -> dict:
    return json.loads(cli_output(capsys, "eval", str(EXAMPLES / f"{name}.json"), "--json"))


def workbench_losses(capsys: pytest.CaptureFixture[str], name: str, steps: int) -> list[float]:
    out = cli_output(capsys, "train", str(EXAMPLES / f"{name}.json"), "--steps", str(steps), "--csv", "-")
    rows = out.strip().splitlines()[1:]
    return [float(r.split(",")[1]) for r in rows]


def run_script(path: Path, python: str = sys.executable) -> str:
    env = {**os.environ, "PYTHONPATH": ""}  # the script needs nothing of the workbench
    done = subprocess.run([python, str(path)], capture_output=True, text=True, env=env, timeout=300,
                          cwd=path.parent)
    assert done.returncode == 0, done.stderr
    return done.stdout


def printed(out: str) -> tuple[float, dict[str, np.ndarray]]:
    """The last line's loss and every ``  dNAME = [...]`` gradient an exported program printed."""
    lines = out.strip().splitlines()
    assert lines[-1].startswith("loss = "), lines[-1]
    loss = float(lines[-1][len("loss = "):])
    grads = {}
    for line in lines:
        if line.startswith("  d") and " = " in line:
            name, value = line[3:].split(" = ", 1)
            grads[name] = np.array(ast.literal_eval(value), dtype=float)
    return loss, grads


def printed_losses(out: str) -> list[float]:
    losses = []
    for k, line in enumerate(out.strip().splitlines(), 1):
        head, value = line.split(": loss = ")
        assert head == f"update {k}"
        losses.append(float(value))
    return losses


def assert_same_step(out: str, expected: dict) -> None:
    """The printed loss and gradients equal ``eval --json``'s to 1e-12 (every parameter that
    gets a gradient is printed, and no other)."""
    loss, grads = printed(out)
    assert loss == pytest.approx(expected["loss"], rel=TOL, abs=TOL)
    wanted = {p: v["grad"] for p, v in expected["params"].items() if v["grad"] is not None}
    assert set(grads) == set(wanted)
    for p, g in wanted.items():
        np.testing.assert_allclose(grads[p], np.array(g, dtype=float), rtol=TOL, atol=TOL, err_msg=p)


def assert_same_losses(got: list[float], expected: list[float]) -> None:
    assert len(got) == len(expected)
    np.testing.assert_allclose(got, expected, rtol=TOL, atol=TOL)
