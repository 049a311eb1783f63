"""Importing a 1,000,000 × 10 numeric CSV (about 90 MB of text): time and peak memory of
``core.data.csvfile`` (layout detection, then NumPy's C reader ``np.loadtxt`` with the detected
delimiter, then the NaN/Inf check), against two readers run in the same process: a bare
``np.loadtxt`` call (the floor: the C reader alone) and the standard library's ``csv`` module
with ``float()`` per cell (what a hand-written reader does; timed on the first 200,000 rows and
scaled). Goals: under 3 s, and peak memory under 3× the array (80 MB), measured by tracemalloc
(NumPy reports its buffers to it).

Run: .venv/bin/python benchmarks/bench_csv_import.py
"""
from __future__ import annotations

import csv
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

from core.data.csvfile import ColumnMapping, read_mapped  # noqa: E402

ROWS, COLS = 1_000_000, 10
PYTHON_ROWS = 200_000
GOAL_SECONDS, GOAL_MEMORY = 3.0, 3.0


def write_file(path: Path) -> np.ndarray:
    data = np.round(np.random.default_rng(0).normal(0, 10, (ROWS, COLS)), 4)
    with open(path, "w") as f:
        f.write(",".join(f"c{i}" for i in range(COLS)) + "\n")
        np.savetxt(f, data, fmt="%.4f", delimiter=",")
    return data


def measured(read):
    """(result, seconds, peak bytes): timed without tracing (tracemalloc slows every Python
    allocation), then run again under tracemalloc for the peak."""
    began = time.perf_counter()
    result = read()
    seconds = time.perf_counter() - began
    del result
    tracemalloc.start()
    result = read()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return result, seconds, peak


def python_csv(path: Path, rows: int) -> np.ndarray:
    out = []
    with open(path, newline="") as f:
        reader = csv.reader(f)
        next(reader)
        for k, row in enumerate(reader):
            if k == rows:
                break
            out.append([float(c) for c in row])
    return np.array(out)


def main() -> None:
    print(f"load average {os.getloadavg()[0]:.2f} (2 cores shared; figures are noisy under load)")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.csv"
        data = write_file(path)
        size = path.stat().st_size
        mapping = ColumnMapping({"x": tuple(f"c{i}" for i in range(COLS))})
        (fields, _), ours, our_peak = measured(lambda: read_mapped(path, mapping))
        assert np.array_equal(fields["x"], data)
        bare, floor, floor_peak = measured(
            lambda: np.loadtxt(path, delimiter=",", skiprows=1, dtype=float, ndmin=2, comments=None))
        assert np.array_equal(bare, data)
        _, py_seconds, _ = measured(lambda: python_csv(path, PYTHON_ROWS))
        python = py_seconds * ROWS / PYTHON_ROWS
    array = data.nbytes
    print(f"file {size / 1e6:.0f} MB, array {array / 1e6:.0f} MB ({ROWS:,} × {COLS})")
    print(f"core.data.csvfile (np.loadtxt C reader): {ours:.2f} s (goal < {GOAL_SECONDS:.0f} s, "
          f"{ours / GOAL_SECONDS:.2f} of it), peak {our_peak / 1e6:.0f} MB = {our_peak / array:.2f}× the array "
          f"(goal < {GOAL_MEMORY:.0f}×)")
    print(f"bare np.loadtxt: {floor:.2f} s, peak {floor_peak / array:.2f}× the array; ours / bare = {ours / floor:.2f}")
    print(f"csv module + float(), scaled from {PYTHON_ROWS:,} rows: {python:.2f} s; ours / csv = {ours / python:.2f}")


if __name__ == "__main__":
    main()
