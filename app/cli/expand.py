"""``backprop-workbench expand FILE OUT.json [--node ID] [--force]``: layers drawn as their neurons.

Every Affine layer is expanded when no node is named (``core.rewrite``); the result is saved
atomically, and an OUT that exists only with ``--force``. A layer that would make more nodes
than a person can read is refused with the
count. Engine only: nothing here imports Qt.
"""
from __future__ import annotations

import argparse
import sys
from typing import Any

from app.cli.commands import UsageError, add_force, load, save, validated, writable
from core.rewrite import RewriteError, expand_layers


def add_parser(sub: "argparse._SubParsersAction[Any]") -> None:
    parser = sub.add_parser("expand", help="draw Affine layers as their neurons (one node per weight) and save OUT")
    parser.add_argument("file", metavar="FILE")
    parser.add_argument("out", metavar="OUT.json")
    parser.add_argument("--node", metavar="ID", action="append",
                        help="the Affine layer to expand (repeatable; default: every Affine layer)")
    add_force(parser)


def run(ns: argparse.Namespace) -> int:
    writable(ns.out, "expand", ns.force)
    graph = validated(ns.file, load(ns.file))
    try:
        graph, layers, notes = expand_layers(graph, ns.node)
    except RewriteError as exc:
        raise UsageError(f"{ns.file}: {exc}") from None
    for note in notes:
        print(note, file=sys.stderr)
    save(graph, ns.out)
    print(f"expanded {', '.join(layers)}; saved {ns.out} ({len(graph.nodes)} nodes)", file=sys.stderr)
    return 0
