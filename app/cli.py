"""The ``backprop-workbench`` command: headless sub-commands, or the window.

``train``, ``eval``, ``check`` and ``save-as`` use the engine only and never import Qt; without
a sub-command the window opens (``app.gui`` is imported only then). A user's mistake exits 2
with one line on standard error; a gradient that disagrees or a loss that turns NaN exits 1.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
import time
from pathlib import Path
from typing import Any, Callable, NoReturn, Sequence, TextIO

import numpy as np

from core import io
from core.atomic import write_atomic
from core.gradcheck import DEFAULT_EPS, DEFAULT_THRESHOLD, check_gradients
from core.graph import Graph
from core.program import ProgramError
from core.settings import OPTIMIZERS
from core.stepper import Stepper
from core.trainer import Trainer

PROG = "backprop-workbench"
COMMANDS = ("train", "eval", "check", "save-as")
MAX_SIZE = 16384  # pixels, per side of a screenshot


class UsageError(Exception):
    """A user's mistake: reported as one line, exit status 2."""


class RunError(Exception):
    """The work itself failed (a NaN loss): reported as one line, exit status 1."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        command = self.prog[len(PROG):].strip()
        raise UsageError(f"{command}: {message}" if command else message)


# ------------------------------------------------------------ value types
def _number(name: str, kind: type, rule: str, ok: Callable[[Any], bool]) -> Callable[[str], Any]:
    """An argparse type: ``kind`` parsed from text, refused unless ``ok`` (``rule`` says why)."""

    def parse(text: str) -> Any:
        try:
            value = kind(text)
        except ValueError:
            noun = "a whole number" if kind is int else "a number"
            raise argparse.ArgumentTypeError(f"{name} must be {noun}, not {text!r}") from None
        if not ok(value):
            raise argparse.ArgumentTypeError(f"{name} must be {rule}, not {text!r}")
        return value

    return parse


def _count(name: str) -> Callable[[str], int]:
    return _number(name, int, "0 or more", lambda v: v >= 0)


def _positive(name: str) -> Callable[[str], float]:
    return _number(name, float, "a positive number", lambda v: math.isfinite(v) and v > 0)


def _size(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"\s*(\d+)\s*[xX×]\s*(\d+)\s*", text)
    if not match:
        raise argparse.ArgumentTypeError(f"size must be WIDTHxHEIGHT in pixels, like 1280x800, not {text!r}")
    w, h = int(match.group(1)), int(match.group(2))
    if not (1 <= w <= MAX_SIZE and 1 <= h <= MAX_SIZE):
        raise argparse.ArgumentTypeError(f"width and height must be from 1 to {MAX_SIZE}, not {text!r}")
    return w, h


# ------------------------------------------------------------------ parsers
def _command_parser() -> _Parser:
    parser = _Parser(prog=PROG, description="Headless commands of the workbench.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    train = sub.add_parser("train", help="train with the file's settings, overridable here")
    train.add_argument("file", metavar="FILE")
    train.add_argument("--steps", type=_count("steps"), metavar="N", help="number of updates")
    train.add_argument("--lr", type=_positive("learning rate"), metavar="X", help="learning rate")
    train.add_argument("--optimizer", choices=OPTIMIZERS)
    train.add_argument("--batch-size", type=_count("batch size"), metavar="B", help="rows per update (0: all)")
    train.add_argument("--seed", type=_count("seed"), metavar="S", help="seed of the mini-batch shuffling")
    train.add_argument("--csv", metavar="PATH|-", help="write step,loss rows to PATH ('-': standard output)")
    train.add_argument("--save", metavar="OUT", help="save the trained graph (with the settings used) to OUT")

    ev = sub.add_parser("eval", help="one forward and backward pass: every value and gradient")
    ev.add_argument("file", metavar="FILE")
    ev.add_argument("--json", action="store_true", help="print one JSON object")

    check = sub.add_parser("check", help="compare backprop with finite differences (exit 1 on a mismatch)")
    check.add_argument("file", metavar="FILE")
    check.add_argument("--eps", type=_positive("eps"), default=DEFAULT_EPS, help="finite-difference step")
    check.add_argument("--threshold", type=_positive("threshold"), default=DEFAULT_THRESHOLD,
                       help="largest relative error that passes")
    check.add_argument("--leaves", action="store_true", help="also check the Input and Constant leaves")

    save_as = sub.add_parser("save-as", help="load FILE and save it as OUT")
    save_as.add_argument("file", metavar="FILE")
    save_as.add_argument("out", metavar="OUT")
    return parser


def _gui_parser() -> _Parser:
    parser = _Parser(
        prog=PROG,
        usage=f"{PROG} [FILE] [--screenshot OUT.png] [--size WxH] [--steps K]\n"
        f"       {PROG} {{{','.join(COMMANDS)}}} ...",
        description="Open the workbench window with FILE (default: the Mazur example).",
        epilog="commands (headless): train, eval, check, save-as; see "
        f"'{PROG} COMMAND --help'.",
    )
    parser.add_argument("file", nargs="?", metavar="FILE")
    parser.add_argument("--screenshot", metavar="OUT.png", help="render offscreen, save a PNG and exit")
    parser.add_argument("--size", type=_size, metavar="WxH", help="window size in pixels")
    parser.add_argument("--steps", type=_count("steps"), metavar="K", help="run K debugger steps first")
    return parser


# ------------------------------------------------------------------- main
def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args and args[0] in COMMANDS:
            ns = _command_parser().parse_args(args)
            return _COMMANDS[ns.command](ns)
        return _gui(_gui_parser().parse_args(args))
    except ProgramError as exc:  # validated before, so only if validation and the program disagree
        return _report(str(exc), 2)
    except UsageError as exc:
        if args and _looks_like_command(args[0]):
            exc = UsageError(f"unknown command {args[0]!r} (commands: {', '.join(COMMANDS)}; or a FILE to open)")
        return _report(str(exc), 2)
    except RunError as exc:
        return _report(str(exc), 1)
    except SystemExit as exc:  # --help
        return exc.code if isinstance(exc.code, int) else 0
    except KeyboardInterrupt:
        return _report("interrupted", 130)
    except BrokenPipeError:
        _silence_stdout()
        return 1


def _looks_like_command(word: str) -> bool:
    """A bare word that is neither a command nor an existing file: probably a mistyped command."""
    return bool(re.fullmatch(r"[a-z][a-z-]*", word)) and word not in COMMANDS and not Path(word).exists()


def _report(message: str, status: int) -> int:
    print(f"{PROG}: error: {' '.join(message.split())}", file=sys.stderr)
    return status


def _silence_stdout() -> None:
    """After a closed pipe: send the rest of standard output nowhere (no second error at exit)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


# ----------------------------------------------------------------- files
def _load(path: str) -> Graph:
    p = Path(path)
    if not p.exists():
        raise UsageError(f"{path}: no such file")
    if p.is_dir():
        raise UsageError(f"{path}: is a folder, not a file")
    try:
        return io.load(p)
    except io.FormatError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror or exc}") from None


def _validated(path: str, graph: Graph) -> Graph:
    """``graph``, or a UsageError with the first problem and how many there are."""
    problems = graph.validate()
    if problems:
        count = f"{len(problems)} problems; the first" if len(problems) > 1 else "1 problem"
        raise UsageError(f"{Path(path).name}: invalid graph ({count}): {problems[0].message}")
    return graph


def _writable(path: str, what: str) -> None:
    """Refuse an output whose folder is missing before any work is done."""
    p = Path(path)
    if p.is_dir():
        raise UsageError(f"{what} {path}: is a folder")
    folder = p.parent if str(p.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError(f"{what} {path}: the folder {folder} does not exist")


def _save(graph: Graph, path: str) -> None:
    try:
        io.save(graph, path)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None


# ---------------------------------------------------------------- commands
def _train(ns: argparse.Namespace) -> int:
    if ns.save == "-":
        raise UsageError("train: --save needs a file name, not '-'")
    for out, what in ((ns.csv, "--csv"), (ns.save, "--save")):
        if out not in (None, "-"):
            _writable(out, what)
    graph = _load(ns.file)
    settings = graph.settings.with_changes(
        optimizer=ns.optimizer, learning_rate=ns.lr, steps=ns.steps, batch_size=ns.batch_size, seed=ns.seed
    )
    graph.set_settings(settings)
    trainer = Trainer(_validated(ns.file, graph))

    rows: list[str] = []
    to_stdout = ns.csv == "-"
    if to_stdout:
        sys.stdout.write("step,loss\n")
    progress = _Progress(settings.steps, sys.stderr) if sys.stderr.isatty() else None

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
            write_atomic(ns.csv, ("step,loss\n" + "".join(rows)).encode("utf-8"))
        except OSError as exc:
            raise UsageError(f"cannot write {ns.csv}: {exc.strerror or exc}") from None
    losses = result.losses
    if result.nonfinite:
        raise RunError(
            f"training stopped at update {len(losses)}: the loss became {losses[-1]!r} "
            f"(try a smaller learning rate, or step through it in the debugger); nothing saved"
        )
    trainer.write_back()
    if ns.save is not None:
        _save(graph, ns.save)
    rate = len(losses) / elapsed if elapsed > 0 else float("inf")
    told = f"loss {losses[0]:.6g} -> {losses[-1]:.6g}" if len(losses) else "no loss computed"
    saved = f"; saved {ns.save}" if ns.save is not None else ""
    print(f"trained {len(losses)} updates ({settings.optimizer}, lr {settings.learning_rate:g}): "
          f"{told}, {rate:,.0f} updates/s{saved}", file=sys.stderr)
    return 0


class _Progress:
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


def _eval(ns: argparse.Namespace) -> int:
    graph = _validated(ns.file, _load(ns.file))
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
    sys.stdout.write("\n".join(out) + "\n")
    return 0


def _plain(value: np.ndarray | None) -> Any:
    return None if value is None else np.asarray(value, dtype=float).tolist()


def _field(label: str, value: np.ndarray | None) -> str:
    if value is None:
        return f"  {label}: none (no gradient reaches it)"
    head = f"  {label}: "
    text = np.array2string(np.asarray(value), precision=8, separator=", ", max_line_width=100)
    return head + text.replace("\n", "\n" + " " * len(head))


def _check(ns: argparse.Namespace) -> int:
    graph = _validated(ns.file, _load(ns.file))
    report = check_gradients(graph, eps=ns.eps, threshold=ns.threshold, include_leaves=ns.leaves)
    name = Path(ns.file).name
    rows = [(e.kind, e.name, f"{e.error:.3e}", "PASS" if e.passed else "FAIL") for e in report.entries]
    head = ("kind", "name", "relative error", "result")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(3)]
    lines = [f"gradient check of {name}: loss {report.loss!r}, eps {report.eps:g}, threshold {report.threshold:g}"]
    for r in [head, *rows]:
        lines.append("  ".join(c.ljust(w) for c, w in zip(r, widths)) + "  " + r[3])
    failed = report.failures()
    if failed:
        names = ", ".join(f"{e.name} ({e.kind})" for e in failed)
        lines.append(f"FAIL: {len(failed)} of {len(rows)} gradients disagree: {names}")
    else:
        lines.append(f"PASS: all {len(rows)} gradients agree")
    sys.stdout.write("\n".join(lines) + "\n")
    return 1 if failed else 0


def _save_as(ns: argparse.Namespace) -> int:
    _writable(ns.out, "OUT")
    graph = _load(ns.file)
    _save(graph, ns.out)
    print(f"saved {ns.out}", file=sys.stderr)
    return 0


_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {"train": _train, "eval": _eval, "check": _check,
                                                              "save-as": _save_as}


# -------------------------------------------------------------------- GUI
def _gui(ns: argparse.Namespace) -> int:
    if ns.file is not None and not Path(ns.file).is_file():
        raise UsageError(f"{ns.file}: no such file" if not Path(ns.file).exists() else f"{ns.file}: not a file")
    if ns.screenshot is not None:
        if Path(ns.screenshot).suffix.lower() != ".png":
            raise UsageError(f"--screenshot {ns.screenshot}: the file name must end in .png")
        _writable(ns.screenshot, "--screenshot")
    try:
        from app.gui import run
    except ImportError as exc:
        raise RunError(f"the window cannot start: {exc}") from None
    return run(ns.file, ns.screenshot, ns.size, ns.steps)
