"""Writing the runs as CSV and a plot as PNG; both atomic (a failure leaves no partial file)."""
from __future__ import annotations

import csv
import io
import os

from PySide6.QtWidgets import QWidget

from app.training.runs import Run
from app.window.screenshot import save_png
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


def save_widget_png(widget: QWidget, path: str | os.PathLike[str]) -> None:
    """The widget as drawn on screen, as a PNG (atomically); raises OSError when it cannot be written."""
    save_png(widget.grab(), path)


