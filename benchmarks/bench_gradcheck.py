"""The gradient check's cost on the shipped examples.

Times :func:`core.gradcheck.check_gradients` on each example in ``resources/examples`` (best of
3), and, as the baseline in the same process, the same check with one plain central difference
of step ``eps · max(|x|, 1)`` per element in place of :func:`core.finitediff.derivative` (what
any check must at least do). Prints both and their ratio; the goal is a ratio ≤ 2. Also prints
the objective evaluations per checked element (2 is one central difference each; this figure,
unlike the times, does not depend on the machine's load).
"""
from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Callable

from gradcheck_counts import counted_evaluations
from threadpoolctl import threadpool_limits

import core.gradcheck as gradcheck
from core import io

EXAMPLES = Path(__file__).resolve().parent.parent / "resources" / "examples"
SKIP = {"digits.json"}  # 784 inputs per weight row: minutes per check, same shape of work as iris


def plain(f: Callable[[float], float], x: float, eps: float, loss: float) -> tuple[float, float]:
    """One central difference, no refinement (the baseline)."""
    h = eps * max(abs(x), 1.0)
    return (f(x + h) - f(x - h)) / (2.0 * h), 0.0


def evaluations(graph: object) -> float:
    """Objective evaluations per checked element in one check of ``graph``."""
    with counted_evaluations() as count:
        report = gradcheck.check_gradients(graph)  # type: ignore[arg-type]
    return count[0] / max(1, sum(e.numeric.size for e in report.entries))


def best_of(n: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> int:
    worst = 0.0
    print(f"{'example':<20}{'check':>12}{'plain':>12}{'ratio':>8}{'evals/element':>15}")
    with threadpool_limits(1):
        for path in sorted(EXAMPLES.glob("*.json")):
            if path.name in SKIP:
                continue
            graph = io.load(path)
            real = gradcheck.derivative
            now = best_of(2, lambda g=graph: gradcheck.check_gradients(g))
            gradcheck.derivative = plain  # type: ignore[assignment]
            try:
                base = best_of(2, lambda g=graph: gradcheck.check_gradients(g))
            finally:
                gradcheck.derivative = real
            worst = max(worst, now / base)
            per = evaluations(graph)
            print(f"{path.stem:<20}{now * 1e3:>10.1f}ms{base * 1e3:>10.1f}ms{now / base:>8.2f}{per:>15.3f}")
    print(f"worst ratio check / plain central difference: {worst:.2f} (goal ≤ 2)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
