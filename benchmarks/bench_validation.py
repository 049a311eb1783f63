"""Validation at scale: validating the spirals network on a 1,000,000-row dataset (batch size 0,
so every node's output has a million rows), against one forward pass of the same graph (what
validation cost when it ran every kernel on full-size zero arrays), in the same process.

Also the peak memory (tracemalloc) of validating a small file whose Add output would hold
400,000,000 numbers: validation refuses it by its shape.

Goal: validation well under 1 % of a forward pass, and under 50 ms. Figures only, no assertions.

Run: .venv/bin/python benchmarks/bench_validation.py
"""
from __future__ import annotations

import os
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

from core import io  # noqa: E402
from core.data.dataset import Dataset  # noqa: E402
from core.graph import Graph  # noqa: E402
from core.program import Program, forward_node  # noqa: E402
from core.validation import validate  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
ROWS = 1_000_000


def best_of(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def one_forward_pass(graph: Graph) -> None:
    program = Program(graph)
    values = {leaf: graph.nodes[leaf].value for leaf in program.leaves if leaf not in program.inputs}
    for leaf, field in program.inputs.items():
        values[leaf] = graph.dataset.fields[field]  # type: ignore[union-attr]
    with np.errstate(all="ignore"):
        for n in program.computed:
            values[n], _ = forward_node(program.plans[n], values)


def main() -> None:
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} (one BLAS thread)")
    graph = io.load(ROOT / "resources" / "examples" / "spirals.json")
    graph.set_dataset(Dataset.generate("spirals", ROWS))
    graph.set_settings(graph.settings.with_changes(batch_size=0))
    with threadpool_limits(1):
        validate_time = best_of(lambda: validate(graph), 20)
        forward = best_of(lambda: one_forward_pass(graph), 3)
    print(f"spirals, {ROWS:,} rows: validation {validate_time * 1e3:.2f} ms, one forward pass {forward * 1e3:.0f} ms, "
          f"ratio {validate_time / forward:.5f} (goal < 0.01, and < 50 ms)")

    wide = Graph()
    wide.add_node("Constant", "column", value=np.ones((20_000, 1)))
    wide.add_node("Parameter", "row", value=np.ones((1, 20_000)))
    wide.add_node("Add", "wide")
    wide.add_node("Mean", "mean")
    for src, dst, port in (("column", "wide", "x"), ("row", "wide", "y"), ("wide", "mean", "x")):
        wide.connect(src, dst, port)
    tracemalloc.start()
    problems = validate(wide)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"20,000-row column + 20,000-wide row: validation peak {peak / 1e3:.0f} kB "
          f"(the output would be {20_000**2 * 8 / 1e9:.1f} GB); {problems[0].message}")


if __name__ == "__main__":
    main()
