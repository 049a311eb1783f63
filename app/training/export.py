"""Writing the runs as CSV, atomically (a failure leaves no partial file); the plot's image: slide_export.py."""
from __future__ import annotations

import csv
import io
import os

from app.training.runs import Run
from core.io.atomic import write_atomic


def runs_csv_text(runs: list[Run], labels: list[str]) -> str:
    """Column ``update``, then one loss column per run headed by its label; every update of every run.

    Runs shorter than the longest leave their cells empty. Numbers are written so they read back exactly.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["update", *labels])
    histories = [r.history for r in runs]
    longest = max((len(h) for h in histories), default=0)
    for k in range(longest):
        writer.writerow([k + 1, *(repr(float(h[k])) if k < len(h) else "" for h in histories)])
    return out.getvalue()


def write_runs_csv(path: str | os.PathLike[str], runs: list[Run], labels: list[str]) -> None:
    write_atomic(path, runs_csv_text(runs, labels).encode("utf-8"))
