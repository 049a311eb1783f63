"""The gradient check on a big batch: the spirals example on 1,000,000 rows, the whole set in one batch.

Prints the objective evaluations, seconds and peak of traced memory (tracemalloc) of the bounded
check (the batch's first 256 rows, at most 8,192 elements per entry: :mod:`core.gradcheck_bounds`),
and, as the baseline in the same process, the shipped spirals example (200 rows, checked whole).
Goals: evaluations within 2× the baseline's (the cost no longer grows with the rows), traced
peak under 4× the data's own arrays. The evaluation counts do not depend on the machine's load;
the seconds do.
"""
from __future__ import annotations

import sys
import time
import tracemalloc
from pathlib import Path

from gradcheck_counts import counted_evaluations
from threadpoolctl import threadpool_limits

import core.gradcheck as gradcheck
from core import io
from core.data.dataset import Dataset

EXAMPLES = Path(__file__).resolve().parent.parent / "resources" / "examples"
ROWS = 1_000_000


def measured(graph: object) -> tuple[int, float, float, str]:
    """Evaluations, seconds, traced peak (MB) of one check of ``graph``, and what it covered."""
    with counted_evaluations() as count:
        tracemalloc.start()
        start = time.perf_counter()
        try:
            report = gradcheck.check_gradients(graph)  # type: ignore[arg-type]
        finally:
            seconds = time.perf_counter() - start
            peak = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
    return count[0], seconds, peak, report.scope or "everything"


def main() -> int:
    with threadpool_limits(1):
        small = io.load(EXAMPLES / "spirals.json")
        big = io.load(EXAMPLES / "spirals.json")
        big.set_dataset(Dataset.generate("spirals", ROWS))
        assert big.dataset is not None
        data_mb = sum(arr.nbytes for arr in big.dataset.fields.values()) / 2**20
        base = measured(small)
        now = measured(big)
    print(f"{'check':<32}{'evaluations':>12}{'seconds':>10}{'traced peak':>14}  covered")
    for label, (evals, seconds, peak, scope) in (("spirals, 200 rows (baseline)", base),
                                                 (f"spirals, {ROWS:,} rows", now)):
        print(f"{label:<32}{evals:>12,}{seconds:>10.1f}{peak:>11.1f} MB  {scope}")
    print(f"evaluations big / baseline: {now[0] / base[0]:.2f} (goal ≤ 2); "
          f"traced peak / data ({data_mb:.1f} MB): {now[2] / data_mb:.2f} (goal < 4)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
