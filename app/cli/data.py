"""The command line's data: ``--data DATA.csv`` (another CSV read with the graph's column mapping)
and the summary of training and held-out rows (``test loss 0.0841, test accuracy 97.2%``)."""
from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.errors import UsageError
from core import io
from core.data.evaluate import Evaluation, split_evaluations
from core.graph import Graph
from core.program import Program


def add_data_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", metavar="DATA.csv",
                        help="read the rows from this CSV instead, with the file's column mapping")


def load_graph(path: str, data: str | None) -> Graph:
    """The graph at ``path``, its CSV dataset read from ``data`` when given. A UsageError
    names the file, line and column of bad data."""
    p = Path(path)
    if not p.exists():
        raise UsageError(f"{path}: no such file")
    if p.is_dir():
        raise UsageError(f"{path}: is a folder, not a file")
    if data is not None:
        d = Path(data)
        if not d.exists():
            raise UsageError(f"--data {data}: no such file")
        if d.is_dir():
            raise UsageError(f"--data {data}: is a folder, not a file")
    try:
        graph = io.load(p, data_path=data)
    except io.DataFileMissing as exc:
        hint = " (give --data FILE to read it from elsewhere)" if data is None else ""
        raise UsageError(f"{exc}{hint}") from None
    except io.FormatError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if data is not None and (graph.dataset is None or graph.dataset.source is None):
        raise UsageError(f"--data {data}: {p.name} does not read its dataset from a CSV file, "
                         "so it has no column mapping to read another one with")
    return graph


def _part(name: str, ev: Evaluation) -> str:
    text = f"{name} loss {ev.loss:#.3g}"
    if ev.accuracy is not None:
        text += f", {name} accuracy {100 * ev.accuracy:.1f}%"
    return text


def summary(graph: Graph, program: Program) -> str:
    """``train loss 0.0255, train accuracy 99.7%, test loss 0.0841, test accuracy 97.2%`` with the
    graph's current weights (the held-out part only when rows are held out; accuracy only for a
    classification objective); "" without a dataset."""
    train, test = split_evaluations(program, graph)
    parts = [_part(name, ev) for name, ev in (("train", train), ("test", test)) if ev is not None]
    return ", ".join(parts)
