"""The ``backprop-workbench`` command: headless sub-commands, or the window.

``train``, ``eval``, ``check`` and ``save-as`` (in ``app.cli.commands``) and ``export`` (``app.cli.export``)
use the engine only (the lesson PDF and PNG pages import Qt when asked for); without a sub-command the
window opens (``app.window.launch`` is imported only then). A user's mistake exits 2 with one line on
standard error; a gradient that disagrees or a loss that turns NaN exits 1.
"""
from __future__ import annotations

import argparse
import math
import os
import re
import sys
from pathlib import Path
from typing import Any, Callable, NoReturn, Sequence

from app.cli.errors import PROG, RunError, UsageError, report
from app.cli.paths import resolve, writable

# The headless commands' modules, and the engine, load only when one is run: the window's first paint does
# without them (the window imports the engine right after it, see app.window.launch).
COMMANDS = ("train", "eval", "check", "save-as", "export", "expand")
MAX_SIZE = 16384  # pixels, per side of a screenshot


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        command = self.prog[len(PROG):].strip()
        raise UsageError(f"{command}: {message}" if command else message)


# ------------------------------------------------------------ value types
def _brief(text: str) -> str:
    from core.format import brief  # the engine only when a value is refused

    return brief(text)


def _number(name: str, kind: type, rule: str, ok: Callable[[Any], bool]) -> Callable[[str], Any]:
    """An argparse type: ``kind`` parsed from text, refused unless ``ok`` (``rule`` says why)."""

    def parse(text: str) -> Any:
        try:
            value = kind(text)
        except ValueError:
            noun = "a whole number" if kind is int else "a number"
            raise argparse.ArgumentTypeError(f"{name} must be {noun}, not {_brief(text)}") from None
        if not ok(value):
            raise argparse.ArgumentTypeError(f"{name} must be {rule}, not {_brief(text)}")
        return value

    return parse


def _count(name: str) -> Callable[[str], int]:
    return _number(name, int, "0 or more", lambda v: v >= 0)


def _threads(text: str) -> int:
    """``--threads``: 1 up to the machine's cores."""
    cores = os.cpu_count() or 1
    return _number("threads", int, f"from 1 to {cores} (this machine's cores)", lambda v: 1 <= v <= cores)(text)


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
def _subcommands() -> dict[str, Callable[[argparse.Namespace], int]]:
    from app.cli import expand, export
    from app.cli.commands import COMMANDS as HEADLESS

    return {**HEADLESS, "export": export.export, "expand": expand.run}


def _command_parser() -> _Parser:
    from app.cli import expand, export
    from app.cli.commands import add_force
    from app.cli.data import add_data_flag
    from core.gradcheck import DEFAULT_EPS, DEFAULT_THRESHOLD
    from core.gradcheck_bounds import MAX_ELEMENTS, MAX_ROWS
    from core.settings import OPTIMIZERS

    parser = _Parser(prog=PROG, description="Headless commands of the workbench.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    train = sub.add_parser("train", help="train with the file's settings, overridable here")
    train.add_argument("file", metavar="FILE")
    train.add_argument("--steps", type=_count("steps"), metavar="N", help="number of updates")
    train.add_argument("--lr", type=_positive("learning rate"), metavar="X", help="learning rate")
    train.add_argument("--optimizer", choices=OPTIMIZERS)
    train.add_argument("--batch-size", type=_count("batch size"), metavar="B", help="rows per update (0: all)")
    train.add_argument("--seed", type=_count("seed"), metavar="S", help="seed of the mini-batch shuffling")
    train.add_argument("--csv", metavar="PATH|-",
                       help="write update,loss_in_update rows to PATH ('-': standard output): the loss each "
                            "update computed before its weight change")
    train.add_argument("--save", metavar="OUT", help="save the trained graph (with the settings used) to OUT")
    train.add_argument("--threads", type=_threads, default=1, metavar="T",
                       help="BLAS threads for the matrix products (default 1, as in the window: on a busy "
                            "machine more threads wait for each other's cores)")
    add_data_flag(train)

    ev = sub.add_parser("eval", help="one forward and backward pass: every value and gradient")
    ev.add_argument("file", metavar="FILE")
    ev.add_argument("--json", action="store_true", help="print one JSON object")
    add_data_flag(ev)
    for command in (train, ev):
        _trust_option(command)

    check = sub.add_parser("check", help="compare backprop with finite differences (exit 1 on a mismatch)")
    check.add_argument("file", metavar="FILE")
    check.add_argument("--eps", type=_positive("eps"), default=DEFAULT_EPS,
                       help="first finite-difference step, relative to each value (absolute below 1)")
    check.add_argument("--threshold", type=_positive("threshold"), default=DEFAULT_THRESHOLD,
                       help="largest relative error that passes")
    check.add_argument("--leaves", action="store_true", help="also check the Input and Constant leaves")
    check.add_argument("--all", action="store_true",
                       help=f"check every row of the batch and every element (by default: the batch's first "
                            f"{MAX_ROWS} rows and a fixed sample of {MAX_ELEMENTS:,} elements of a bigger value; "
                            f"the output says when it did)")
    _trust_option(check)

    save_as = sub.add_parser("save-as", help="load FILE and save it as OUT")
    save_as.add_argument("file", metavar="FILE")
    save_as.add_argument("out", metavar="OUT")
    add_force(save_as)
    export.add_parser(sub)
    expand.add_parser(sub)
    return parser


def _trust_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--trust-code", action="store_true",
                        help="run the Python code of the file's custom layers (only for a file you trust)")


# What the window's parser gives for no arguments (tests/test_cold_start_steps.py holds them equal): the usual
# start does without building it (argparse looks up a translation of each help text, ~2.5 ms of the first paint).
GUI_DEFAULTS: dict[str, Any] = {"file": None, "screenshot": None, "canvas": False, "size": None, "steps": None,
                                "version": False, "install_desktop_entry": False, "uninstall_desktop_entry": False}


def _gui_parser() -> _Parser:
    parser = _Parser(
        prog=PROG,
        usage=f"{PROG} [FILE] [--screenshot OUT.png [--canvas]] [--size WxH] [--steps K]\n"
        f"       {PROG} {{{','.join(COMMANDS)}}} ...",
        description="Open the workbench window with FILE (default: the Mazur example). "
        "FILE may name a shipped example as example:NAME (example:xor).",
        epilog="commands (headless): train, eval, check, save-as, export, expand; see "
        f"'{PROG} COMMAND --help'.",
    )
    parser.add_argument("file", nargs="?", metavar="FILE")
    parser.add_argument("--screenshot", metavar="OUT.png",
                        help="render offscreen, save a PNG of the whole window and exit")
    parser.add_argument("--canvas", action="store_true",
                        help="with --screenshot: the graph alone, at a scale for slides (labels readable)")
    parser.add_argument("--size", type=_size, metavar="WxH", help="window size in pixels")
    parser.add_argument("--steps", type=_count("steps"), metavar="K", help="run K debugger steps first")
    parser.add_argument("--version", action="store_true", help="print the version (and the libraries') and exit")
    entry = parser.add_mutually_exclusive_group()
    entry.add_argument("--install-desktop-entry", action="store_true",
                       help="add the workbench to the desktop's applications menu (under $XDG_DATA_HOME) and exit")
    entry.add_argument("--uninstall-desktop-entry", action="store_true",
                       help="remove what --install-desktop-entry added and exit")
    return parser


# ------------------------------------------------------------------- main
def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args and args[0] in COMMANDS:
            ns = _command_parser().parse_args(args)
            return _subcommands()[ns.command](ns)
        return _gui(argparse.Namespace(**GUI_DEFAULTS) if not args else _gui_parser().parse_args(args))
    except UsageError as exc:
        if args and _looks_like_command(args[0]):
            return report(f"unknown command {args[0]!r} (commands: {', '.join(COMMANDS)}; or a FILE to open)", 2)
        return report(str(exc), 2)
    except RunError as exc:
        return report(str(exc), 1)
    except ValueError as exc:
        from core.program import ProgramError

        if isinstance(exc, ProgramError):  # validated before, so only if validation and the program disagree
            return report(str(exc), 2)
        return report(f"the graph failed while running: {exc}", 1)  # the data broke an op while running
    except SystemExit as exc:  # --help
        return exc.code if isinstance(exc.code, int) else 0
    except KeyboardInterrupt:
        return report("interrupted", 130)
    except BrokenPipeError:
        _silence_stdout()
        return 1


def _desktop_entry(install: bool) -> int:
    from app.cli import desktop

    try:
        paths = desktop.install() if install else desktop.uninstall()
    except OSError as exc:
        raise RunError(f"the desktop entry could not be {'written' if install else 'removed'}: {exc}") from None
    verb = "wrote" if install else "removed"
    print(f"{verb} {len(paths)} file{'s' if len(paths) != 1 else ''}" + "".join(f"\n  {p}" for p in paths))
    return 0


def _looks_like_command(word: str) -> bool:
    """A bare word that is neither a command nor an existing file: probably a mistyped command."""
    return bool(re.fullmatch(r"[a-z][a-z-]*", word)) and word not in COMMANDS and not Path(word).exists()




def _silence_stdout() -> None:
    """After a closed pipe: send the rest of standard output nowhere (no second error at exit)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


# -------------------------------------------------------------------- GUI
def _gui(ns: argparse.Namespace) -> int:
    if ns.version:
        from app.cli.about import version_text

        print(version_text())
        return 0
    if ns.install_desktop_entry or ns.uninstall_desktop_entry:
        return _desktop_entry(ns.install_desktop_entry)
    if ns.file is not None:
        ns.file = resolve(ns.file)
    if ns.file is not None and not Path(ns.file).is_file():
        raise UsageError(f"{ns.file}: no such file" if not Path(ns.file).exists() else f"{ns.file}: not a file")
    if ns.canvas and ns.screenshot is None:
        raise UsageError("--canvas goes with --screenshot OUT.png")
    if ns.screenshot is not None:
        if Path(ns.screenshot).suffix.lower() != ".png":
            raise UsageError(f"--screenshot {ns.screenshot}: the file name must end in .png")
        writable(ns.screenshot, "--screenshot")
    try:
        from app.window.launch import run
    except ImportError as exc:
        raise RunError(f"the window cannot start: {exc}") from None
    return run(ns.file, ns.screenshot, ns.size, ns.steps, ns.canvas)
