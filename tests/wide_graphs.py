"""Generated graphs that stress the window, shared by the tests (small) and the benchmarks (big)."""
from __future__ import annotations

from typing import Callable

import numpy as np

from core.graph import Graph


def fan_out_graph(branches: int, size: int = 3, seed: int = 0) -> Graph:
    """x fanned into ``branches`` branches ``tanh(x·p_i)`` summed by a balanced Add tree, then a
    Sum: 4·branches + 1 nodes, every value a ``size``-vector, every node at the origin (a file
    without positions)."""
    rng = np.random.default_rng(seed)
    g = Graph()
    g.add_node("Parameter", "x", value=rng.normal(0, 1, size))
    level = []
    for i in range(branches):
        g.add_node("Parameter", f"p{i}", value=rng.normal(0, 1, size))
        g.add_node("Multiply", f"m{i}")
        g.connect("x", f"m{i}", "x")
        g.connect(f"p{i}", f"m{i}", "y")
        g.add_node("Tanh", f"t{i}")
        g.connect(f"m{i}", f"t{i}", "x")
        level.append(f"t{i}")
    g.add_node("Sum", "total")
    g.connect(add_tree(g, level, "a"), "total", "x")
    return g


def add_tree(
    g: Graph, level: list[str], prefix: str, pos: Callable[[int, int], tuple[float, float]] | None = None
) -> str:
    """Sum the nodes of ``level`` pairwise, level by level (an odd one out goes up as it is), with
    Add nodes named ``{prefix}{depth}_{j}`` at ``pos(depth, j)`` (default: the origin); returns the root."""
    depth = 0
    while len(level) > 1:
        depth += 1
        pairs = []
        for j in range(0, len(level) - 1, 2):
            node_id = f"{prefix}{depth}_{j // 2}"
            g.add_node("Add", node_id, pos=pos(depth, j) if pos else (0.0, 0.0))
            g.connect(level[j], node_id, "x")
            g.connect(level[j + 1], node_id, "y")
            pairs.append(node_id)
        level = pairs + level[len(pairs) * 2:]
    return level[0]
