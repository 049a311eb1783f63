"""Evaluating 1,000,000 spirals rows a chunk at a time (core.data.chunks) against all at once, and
the command line's ``train --steps 1`` on that file (batch 128) against the shipped 200-row one:

  evaluation        core.data.evaluate.evaluate (chunks of 65,536 rows) against the whole set in
                    one forward pass (what it did before), in this process: the time (best of 3)
                    and the memory NumPy allocated at most (tracemalloc), ratio chunked / whole
  train --steps 1   ``backprop-workbench train FILE --steps 1`` in a process of its own: its peak
                    RSS and its wall time (load, one update, the loss after it and the summary
                    of training accuracy over every row), ratio 1,000,000 rows / 200 rows

BLAS threads: one (threadpoolctl), as the window trains. Linux (the child reads its VmHWM). Run:
.venv/bin/python benchmarks/bench_big_eval.py
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_big_dataset import BIG, write_spirals  # noqa: E402

# in the child: the command line's main, then this process's peak RSS in KiB as the last line: VmHWM,
# which starts afresh at exec (ru_maxrss keeps the forking parent's peak across exec on Linux)
CHILD = ("import sys, threadpoolctl; threadpoolctl.threadpool_limits(1, 'blas'); "
         "from app.cli.main import main\ntry:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
         "print(next(line.split()[1] for line in open('/proc/self/status') if line.startswith('VmHWM')))")


def train_once(path: Path) -> tuple[float, float]:
    """(peak RSS in bytes, wall seconds) of ``train PATH --steps 1`` in a process of its own."""
    began = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", CHILD, "train", str(path), "--steps", "1"], capture_output=True,
                         text=True, check=True, env=dict(os.environ, PYTHONPATH=str(ROOT)), cwd=ROOT)
    wall = time.perf_counter() - began
    return float(out.stdout.strip().splitlines()[-1]) * 1024.0, wall


def evaluations(path: Path) -> dict[str, tuple[float, float]]:
    """{"chunked" | "whole": (best seconds of 3, peak bytes NumPy held)} on every row of ``path``."""
    from threadpoolctl import threadpool_limits

    from core import io
    from core.data.evaluate import _evaluate_rows, evaluate, graph_leaves
    from core.program import Program

    graph = io.load(path)
    program = Program(graph)
    leaves = graph_leaves(program, graph)
    fields = graph.dataset.train_fields  # type: ignore[union-attr]
    out = {}
    with threadpool_limits(limits=1, user_api="blas"):
        for name, run in (("chunked", evaluate), ("whole", _evaluate_rows)):
            times = []
            for _ in range(3):
                began = time.perf_counter()
                run(program, leaves, fields)
                times.append(time.perf_counter() - began)
            tracemalloc.start()
            run(program, leaves, fields)
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            out[name] = (min(times), float(peak))
    return out


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-eval-"))
    no_bytecode = os.environ.get("PYTHONDONTWRITEBYTECODE", "(unset)")
    print(f"load average {os.getloadavg()[0]:.1f}; PYTHONDONTWRITEBYTECODE={no_bytecode}")
    big = write_spirals(folder, BIG)
    small_rss, small_wall = train_once(write_spirals(folder, 200))
    big_rss, big_wall = train_once(big)
    found = evaluations(big)
    (ct, cm), (wt, wm) = found["chunked"], found["whole"]
    print(f"evaluation of {BIG:,} rows: chunked {ct:6.2f} s, {cm / 1e6:7.1f} MB; "
          f"whole {wt:6.2f} s, {wm / 1e6:7.1f} MB; ratio time {ct / wt:.2f}, memory {cm / wm:.3f}")
    print(f"train --steps 1: {BIG:,} rows {big_rss / 1e6:7.1f} MB, {big_wall:5.1f} s; "
          f"200 rows {small_rss / 1e6:7.1f} MB, {small_wall:5.1f} s; "
          f"ratio RSS {big_rss / small_rss:.2f}, time {big_wall / small_wall:.2f}; "
          f"goal peak RSS < 1 GB {'met' if big_rss < 1e9 else 'MISSED'}")


if __name__ == "__main__":
    main()
