"""The headless sub-commands of ``backprop-workbench``: ``train``, ``eval``, ``check``, ``save-as``.

Each takes the parsed arguments and returns the exit status; a user's mistake raises
:class:`UsageError`, failed work :class:`RunError` (``app.cli.main`` turns both into one line).
Engine only: nothing here imports Qt.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any, Callable, TextIO

import numpy as np
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

from app.cli.check_progress import CheckProgress
from app.cli.data import load_graph, summary
from app.cli.errors import RunError, UsageError
from app.cli.paths import resolve, writable
from core import io
from core.custom.check import check_custom_layers
from core.custom.op import codes_of, custom_nodes
from core.custom.trust import SESSION
from core.end_loss import end_loss_text, loss_after
from core.format import format_change, format_number, plural
from core.gradcheck import check_gradients
from core.gradcheck_bounds import DEFAULT, EVERY
from core.graph import Graph
from core.io.atomic import write_atomic
from core.references import AGREES, VARIANT, check_references
from core.stepper import Stepper
from core.trainer import Trainer
from core.validation import validate


# ----------------------------------------------------------------- files
def load(path: str, data: str | None = None) -> Graph:
    return load_graph(resolve(path), data)


def trusted(path: str, graph: Graph, ns: argparse.Namespace) -> Graph:
    """``graph``, its custom layers' code trusted for this run if ``--trust-code`` was given,
    else a UsageError (the code is never run without it)."""
    nodes = custom_nodes(graph.nodes.values())
    custom = [n.id for n in nodes]
    if not custom:
        return graph
    if not getattr(ns, "trust_code", False):
        raise UsageError(f"{Path(path).name} contains Python code (custom layer{'s' if len(custom) > 1 else ''} "
                         f"{', '.join(custom)}) that runs only with --trust-code; give it only for a file you trust")
    SESSION.allow(codes_of(nodes))
    return graph


def validated(path: str, graph: Graph) -> Graph:
    """``graph``, or a UsageError with the first problem and how many there are."""
    problems = validate(graph)
    if problems:
        count = f"{len(problems)} problems; the first" if len(problems) > 1 else "1 problem"
        raise UsageError(f"{Path(path).name}: invalid graph ({count}): {problems[0].message}")
    return graph


def add_force(parser: argparse.ArgumentParser) -> None:
    """The ``--force`` option of a command that writes a file."""
    parser.add_argument("--force", action="store_true", help="overwrite OUT if it exists")


def save(graph: Graph, path: str) -> None:
    try:
        io.save(graph, path)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None


# ---------------------------------------------------------------- commands
# ``train --csv``: row N is update N and the loss its forward pass computed, before its weight change
CSV_HEADER = "update,loss_in_update\n"


def train(ns: argparse.Namespace) -> int:
    """Train with ``--threads`` BLAS threads (one by default, as the window does: its reasons hold
    for a terminal beside other work too)."""
    with threadpool_limits(ns.threads, user_api="blas"):
        return _train(ns)


def _train(ns: argparse.Namespace) -> int:
    if ns.save == "-":
        raise UsageError("train: --save needs a file name, not '-'")
    for out, what in ((ns.csv, "--csv"), (ns.save, "--save")):
        if out not in (None, "-"):
            writable(out, what)
    graph = trusted(ns.file, load(ns.file, ns.data), ns)
    settings = graph.settings.with_changes(
        optimizer=ns.optimizer, learning_rate=ns.lr, steps=ns.steps, batch_size=ns.batch_size, seed=ns.seed
    )
    graph.set_settings(settings)
    trainer = Trainer(validated(ns.file, graph))
    why = trainer.program.nothing_to_train()
    if why:
        raise UsageError(f"{Path(ns.file).name}: cannot train: {why}")

    rows: list[str] = []
    to_stdout = ns.csv == "-"
    if to_stdout:
        sys.stdout.write(CSV_HEADER)
    progress = Progress(settings.steps, sys.stderr) if sys.stderr.isatty() else None

    def on_update(k: int, loss: float) -> None:
        row = f"{k},{loss!r}\n"
        if to_stdout:
            sys.stdout.write(row)
        elif ns.csv is not None:
            rows.append(row)
        if progress is not None:
            progress.update(k, loss)

    start = time.perf_counter()
    try:
        result = trainer.run(settings.steps, on_update)
    finally:
        if progress is not None:
            progress.close()
    elapsed = time.perf_counter() - start
    if to_stdout:
        sys.stdout.flush()
    elif ns.csv is not None:
        try:
            write_atomic(ns.csv, (CSV_HEADER + "".join(rows)).encode("utf-8"))
        except OSError as exc:
            raise UsageError(f"cannot write {ns.csv}: {exc.strerror or exc}") from None
    losses = result.losses
    if result.nonfinite:
        why = result.message or f"the loss became {losses[-1]!r} at update {result.updates:,}"
        raise RunError(
            f"training stopped: {why} "
            f"(try a smaller learning rate, or step through it in the debugger); nothing saved"
        )
    trainer.write_back()
    if ns.save is not None:
        save(graph, ns.save)
    rate = len(losses) / elapsed if elapsed > 0 else float("inf")
    told = _loss_change(losses[0], trainer) if len(losses) else "no loss computed"
    saved = f"; saved {ns.save}" if ns.save is not None else ""
    measured = summary(graph, trainer.program)
    print(f"trained {plural(len(losses), 'update')} ({settings.optimizer}, lr {settings.learning_rate:g}): "
          f"{told}, {rate:,.0f} updates/s{saved}{'; ' + measured if measured else ''}", file=sys.stderr)
    return 0


def _loss_change(first: float, trainer: Trainer) -> str:
    """"loss 0.2983711 -> 0.2910278 after update 1 (0.2983711 in it, before its weight change)": at the
    starting weights, then at the trained ones and in the last update (:mod:`core.end_loss`)."""
    final = loss_after(trainer)
    last = trainer.losses[-1]
    if final is None:
        return f"loss {format_number(first)} before the first update, {end_loss_text(trainer.updates, last, None)}"
    before, _ = format_change(first, final)
    return f"loss {before} -> {end_loss_text(trainer.updates, last, final)}"


class Progress:
    """A one-line progress bar on a terminal: updates done, loss, updates/s and time left."""

    WIDTH = 24

    def __init__(self, total: int, stream: TextIO) -> None:
        self.total, self.stream = total, stream
        self.start = self.last = time.perf_counter()
        self.drawn = False

    def update(self, k: int, loss: float) -> None:
        now = time.perf_counter()
        if now - self.last < 0.1 and k < self.total:
            return
        self.last = now
        rate = k / (now - self.start) if now > self.start else 0.0
        left = (self.total - k) / rate if rate > 0 else 0.0
        filled = int(self.WIDTH * k / self.total) if self.total else self.WIDTH
        bar = "#" * filled + "." * (self.WIDTH - filled)
        eta = f"{int(left) // 60}:{int(left) % 60:02d}"
        self.stream.write(f"\r[{bar}] {k}/{self.total} loss {loss:.6g}  {rate:,.0f} updates/s  ETA {eta} ")
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()


def evaluate(ns: argparse.Namespace) -> int:
    graph = validated(ns.file, trusted(ns.file, load(ns.file, ns.data), ns))
    stepper = Stepper(graph)
    reason = stepper.run_backward()
    if reason is not None and reason.kind == "nonfinite":
        raise RunError(reason.message)
    frame, program = stepper.frame, stepper.program

    grad = frame.grads.get
    if ns.json:
        doc: dict[str, Any] = {
            "loss": frame.loss,
            "nodes": {n: {"value": _plain(frame.values[n]), "grad": _plain(grad(n))} for n in program.order},
            "params": {p: {"value": _plain(frame.values[p]), "grad": _plain(grad(p))} for p in program.parameters},
        }
        if graph.references:
            doc.update(reference_report(graph))
        sys.stdout.write(json.dumps(doc) + "\n")
        return 0
    out = [f"loss = {frame.loss!r}  (objective: {program.objective})", ""]
    for n in program.order:
        node = graph.nodes[n]
        value = frame.values[n]
        out.append(f"{n} ({node.op.title})  shape {value.shape}")
        out.append(_field("value", value))
        out.append(_field("grad ", grad(n)))
    if program.parameters:
        out += ["", "parameter gradients:"]
        for p in program.parameters:
            out.append(_field(p, grad(p)))
    if graph.dataset is not None and (graph.dataset.test_rows or ns.data is not None):
        out += ["", summary(graph, program)]
    if graph.references:
        out += ["", "published values:"] + [f"  {a.reference.target} ({a.reference.quantity}): {a.text()}"
                                            for a in check_references(graph)]
    sys.stdout.write("\n".join(out) + "\n")
    return 0


def reference_report(graph: Graph) -> dict[str, Any]:
    """The file's published values beside ours: each with its status (agrees, variant,
    disagrees), and whether all agree apart from the documented variants."""
    found = check_references(graph)
    return {"references": [a.as_dict() for a in found],
            "references_agree": all(a.status in (AGREES, VARIANT) for a in found)}


def _plain(value: np.ndarray | None) -> Any:
    return None if value is None else np.asarray(value, dtype=float).tolist()


def _field(label: str, value: np.ndarray | None) -> str:
    if value is None:
        return f"  {label}: none (no gradient reaches it)"
    head = f"  {label}: "
    text = np.array2string(np.asarray(value), precision=8, separator=", ", max_line_width=100)
    return head + text.replace("\n", "\n" + " " * len(head))


def check(ns: argparse.Namespace) -> int:
    graph = validated(ns.file, trusted(ns.file, load(ns.file), ns))
    progress = CheckProgress(sys.stderr)
    try:
        with threadpool_limits(1, user_api="blas"):  # small products: one thread is faster, and kind to a busy machine
            report = check_gradients(graph, eps=ns.eps, threshold=ns.threshold, include_leaves=ns.leaves,
                                     bounds=EVERY if ns.all else DEFAULT, progress=progress)
    finally:
        progress.close()
    layers = check_custom_layers(graph, eps=ns.eps, threshold=ns.threshold)
    name = Path(ns.file).name
    rows = [(e.kind, e.name, f"{e.error:.3e}", e.verdict) for e in report.entries]
    head = ("kind", "name", "relative error", "result")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(3)]
    unchecked = len(report.unchecked())
    lines = [f"gradient check of {name}: loss {report.loss!r}, eps {report.eps:g}, threshold {report.threshold:g}"]
    if report.scope:
        lines.append(f"{report.scope} (--all checks every row and element)")
    for r in [head, *rows]:
        lines.append("  ".join(c.ljust(w) for c, w in zip(r, widths)) + "  " + r[3])
    for layer in layers:
        for port in layer.ports:
            lines.append(f"custom layer {layer.node}, port {port.port}: relative error {port.error:.3e}  "
                         f"{'PASS' if port.passed else 'FAIL'}")
        if layer.failure is not None:
            lines.append(f"custom layer {layer.failure}  FAIL")
    failed = report.failures()
    bad_layers = [f"{layer.node} port {p.port}" for layer in layers for p in layer.failing()]
    bad_layers += [f"{layer.node} ({layer.failure.message})" for layer in layers if layer.failure is not None]
    if failed or bad_layers:
        names = ", ".join([f"{e.name} ({e.kind})" for e in failed] + [f"custom layer {b}" for b in bad_layers])
        lines.append(f"FAIL: {len(failed) + len(bad_layers)} of {len(rows) + len(layers)} checks disagree: {names}")
    else:
        lines.append(f"PASS: all {len(rows)} gradients agree" + (f", and {len(layers)} custom layer"
                     f"{'s' if len(layers) > 1 else ''}" if layers else "")
                     + (f" ({unchecked} not checkable here)" if unchecked else ""))
    sys.stdout.write("\n".join(lines) + "\n")
    return 1 if failed or bad_layers else 0


def save_as(ns: argparse.Namespace) -> int:
    writable(ns.out, "save-as", ns.force)
    graph = load(ns.file)
    save(graph, ns.out)
    print(f"saved {ns.out}", file=sys.stderr)
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "train": train, "eval": evaluate, "check": check, "save-as": save_as,
}
