"""``check`` on the tester's graphs: a weight of 1e-8 or 1e-300 into Log, and the largest
float, pass; a weight whose loss overflows is "not checkable here", never "nan FAIL"."""
from __future__ import annotations

import pytest

from app.cli.main import main
from core import io
from core.graph import Graph


def chain(value: float, *ops: str) -> Graph:
    """Parameter p → each of ``ops`` (one input port x; Multiply squares) → Sum."""
    g = Graph()
    g.add_node("Parameter", "p", value=[value])
    prev = "p"
    for i, op in enumerate(ops):
        g.add_node(op, f"n{i}")
        g.connect(prev, f"n{i}", "x")
        if op == "Multiply":
            g.connect(prev, f"n{i}", "y")
        prev = f"n{i}"
    g.add_node("Sum", "s")
    g.connect(prev, "s", "x")
    return g


@pytest.mark.parametrize("graph", [chain(1e-8, "Log"), chain(1e-300, "Log"), chain(1.7976931348623157e308)],
                         ids=["1e-8 log", "1e-300 log", "largest float"])
def test_check_passes(graph, tmp_path, capsys):
    path = tmp_path / "g.json"
    io.save(graph, path)
    assert main(["check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "FAIL" not in out and "nan" not in out
    assert "PASS: all" in out


def test_an_overflowing_loss_is_not_checkable(tmp_path, capsys):
    path = tmp_path / "g.json"
    io.save(chain(1e300, "Multiply"), path)
    assert main(["check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "FAIL" not in out
    row = next(line for line in out.splitlines() if line.startswith("parameter"))
    assert row.split()[1:] == ["p", "nan", "not", "checkable", "here"]
    assert out.splitlines()[-1].endswith("(3 not checkable here)")
