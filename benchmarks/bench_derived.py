"""The validation and Program of a document after an undo (``Document.derived``), made from
scratch against found again by the graph's fingerprint (``core.derived_cache``), on the
generated 300-node and 3,000-node graphs of ``bench_editor``; each piece timed alone.

Goal (issue 11): undo of a 50-node deletion within 2× between 300 and 3,000 nodes and < 100 ms
at 3,000 in the whole window; this is the engine's share. The baseline is the from-scratch build
at 300 nodes in the same run. Times are the best of several runs (the machine is shared).

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_derived.py
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.commands import Delete  # noqa: E402
from app.model.document import Document  # noqa: E402
from benchmarks.bench_editor import BIG_EDGES, BIG_NODES, DELETED, EDGES, NODES, layered_graph, timed  # noqa: E402
from core.derived_cache import DerivedCache, fingerprint  # noqa: E402
from core.graph_facts import read_facts  # noqa: E402
from core.program import Program  # noqa: E402
from core.validation import check, check_structure, value_problems  # noqa: E402

REPEATS = 7


def best(fn: Callable[[], object]) -> float:
    return min(timed(fn) for _ in range(REPEATS))


def undo_then_program(document: Document) -> float:
    """One undo of a 50-node deletion, then the Program and the problems the window asks for
    (the undo's own graph edits included), the best of REPEATS."""
    ids = list(document.graph.nodes)[::6][:DELETED]
    document.derived.program()
    document.undo_stack.push(Delete(document, ids))
    document.derived.problems()
    times = []
    for i in range(REPEATS):
        if i:
            document.undo_stack.redo()
            document.derived.problems()

        def undo() -> None:
            document.undo_stack.undo()
            document.derived.program()
            document.derived.problems()
        times.append(timed(undo))
    return min(times)


def pieces(nodes: int, edges: int) -> dict[str, float]:
    graph = layered_graph(nodes, edges)
    facts = read_facts(graph)
    structure = check_structure(graph, facts)
    cache = DerivedCache()
    cache.derivation(graph).program(graph)
    return {
        "from scratch: check + Program": best(lambda: Program(graph, check(graph)[0])),
        "  facts (ops, ports, sources, order)": best(lambda: read_facts(graph)),
        "  check (given the facts)": best(lambda: check(graph, facts)),
        "  Program (given facts, problems)": best(lambda: Program(graph, [], facts)),
        "found again: fingerprint + problems + Program": best(lambda: cache.derivation(graph).program(graph)),
        "  fingerprint": best(lambda: hash(fingerprint(graph))),
        "  value problems (NaN, labels)": best(lambda: value_problems(graph, structure)),
        "undo of 50 nodes + Program + problems": undo_then_program(Document(layered_graph(nodes, edges))),
    }


def main() -> None:
    print(f"load average {os.getloadavg()[0]:.1f} (1 min) on {os.cpu_count()} cores; "
          f"PYTHONDONTWRITEBYTECODE={os.environ.get('PYTHONDONTWRITEBYTECODE', '')}")
    small, big = pieces(NODES, EDGES), pieces(BIG_NODES, BIG_EDGES)
    baseline = small["from scratch: check + Program"]
    print(f"{'':<48}{NODES:>10,}{BIG_NODES:>10,}   ratio   × scratch at {NODES}")
    for name in small:
        print(f"{name:<48}{small[name] * 1000:8.2f}ms{big[name] * 1000:8.2f}ms"
              f"{big[name] / small[name]:7.1f}×{big[name] / baseline:10.2f}×")
    cold, warm = big["from scratch: check + Program"], big["found again: fingerprint + problems + Program"]
    print(f"at {BIG_NODES:,} nodes the state found again costs {warm * 1000:.2f} ms against {cold * 1000:.1f} ms "
          f"from scratch ({cold / warm:.0f}× less)")
    print(f"load average {os.getloadavg()[0]:.1f} (1 min) after")


if __name__ == "__main__":
    main()
