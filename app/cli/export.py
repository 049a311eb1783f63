"""``backprop-workbench export FILE OUT``: the graph as a NumPy script, a notebook, PyTorch code,
a lesson PDF, or the lesson's pages as PNG files.

The kind follows OUT's suffix: ``.py`` (``--torch`` for PyTorch, ``--updates N`` to train N
updates), ``.ipynb``, ``.pdf``; with ``--png`` OUT is a folder. Nothing is overwritten without
``--force``; every file goes through the atomic writer. The script and the notebook never
import Qt; the PDF and the PNG pages do (``app.lesson``), only when asked for.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from app.cli.commands import load, trusted, validated, writable
from app.cli.errors import UsageError
from app.lesson.steps import parse_steps
from core.export import ExportError, export_notebook, export_script, export_torch
from core.io.atomic import write_atomic

KINDS = (".py", ".ipynb", ".pdf")


def add_parser(sub: Any) -> None:
    p = sub.add_parser("export", help="write the graph as a NumPy script, a notebook, PyTorch code or a lesson PDF")
    p.add_argument("file", metavar="FILE")
    p.add_argument("out", metavar="OUT", help="OUT.py, OUT.ipynb or OUT.pdf; a folder with --png")
    p.add_argument("--torch", action="store_true", help="a .py file with a PyTorch module instead of NumPy")
    p.add_argument("--updates", type=_updates, metavar="N", help="the .py trains N updates, printing each loss")
    p.add_argument("--png", action="store_true", help="the lesson's pages as PNG files in the folder OUT")
    p.add_argument("--range", type=_steps, metavar="STEPS",
                   help="the lesson's pages of these steps only (from 1): a range A-B, or ranges and steps like 1-5,8")
    p.add_argument("--force", action="store_true", help="overwrite files that exist")
    p.add_argument("--trust-code", action="store_true",
                   help="carry (and run once) the Python code of the file's custom layers (only for a file you trust)")


def _updates(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"updates must be a whole number, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"updates must be 1 or more, not {text!r}")
    return value


def _steps(text: str) -> list[int]:
    try:
        return parse_steps(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"range: {exc}") from None


def _kind(ns: argparse.Namespace) -> str:
    if ns.png:
        if ns.torch or ns.updates is not None:
            raise UsageError("export: --png writes lesson pages; --torch and --updates are for a .py file")
        return "png"
    kind = Path(ns.out).suffix.lower()
    if kind not in KINDS:
        raise UsageError(f"export {ns.out}: the file name must end in .py, .ipynb or .pdf (or use --png with a folder)")
    if ns.torch and kind != ".py":
        raise UsageError(f"export {ns.out}: --torch writes a .py file")
    if ns.updates is not None and kind != ".py":
        raise UsageError(f"export {ns.out}: --updates is for a .py file")
    if ns.range is not None and kind != ".pdf":
        raise UsageError(f"export {ns.out}: --range is for the lesson (.pdf or --png)")
    return kind


def export(ns: argparse.Namespace) -> int:
    kind = _kind(ns)
    if kind == "png":
        folder = Path(ns.out)
        if folder.exists() and not folder.is_dir():
            raise UsageError(f"export {ns.out}: --png needs a folder, and this is a file")
        if not folder.parent.is_dir():
            raise UsageError(f"export {ns.out}: the folder {folder.parent} does not exist")
    else:
        writable(ns.out, "export", ns.force)
    graph = validated(ns.file, trusted(ns.file, load(ns.file), ns))
    try:
        if kind in (".pdf", "png"):
            return _lesson(graph, ns, kind)
        if kind == ".ipynb":
            text = export_notebook(graph)
        elif ns.torch:
            text = export_torch(graph, ns.updates)
        else:
            text = export_script(graph, ns.updates)
    except ExportError as exc:
        raise UsageError(f"export {Path(ns.file).name}: {exc}") from None
    _write(ns.out, text.encode("utf-8"))
    print(f"exported {ns.out}", file=sys.stderr)
    return 0


def _write(path: str | Path, data: bytes) -> None:
    try:
        write_atomic(path, data)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None


def _lesson(graph: Any, ns: argparse.Namespace, kind: str) -> int:
    try:
        from app.lesson.render import write_lesson_pdf, write_lesson_pngs
    except ImportError as exc:
        raise UsageError(f"export: the lesson needs the window's libraries: {exc}") from None
    try:
        if kind == "png":
            paths = write_lesson_pngs(graph, ns.out, overwrite=ns.force, steps=ns.range)
            print(f"exported {len(paths)} pages to {ns.out}", file=sys.stderr)
        else:
            pages = write_lesson_pdf(graph, ns.out, ns.range)
            print(f"exported {ns.out} ({pages} pages)", file=sys.stderr)
    except FileExistsError as exc:
        raise UsageError(f"export {ns.out}: {exc} exists (add --force to overwrite)") from None
    except ValueError as exc:  # a step beyond the program's
        raise UsageError(f"export {ns.out}: {exc}") from None
    except OSError as exc:
        raise UsageError(f"cannot write {ns.out}: {exc.strerror or exc}") from None
    return 0
