"""The base of every command and the short texts their undo entries are written with."""
from __future__ import annotations

from typing import Any, Iterable

from PySide6.QtGui import QUndoCommand

from app.model.document import Document
from core.format import format_number
from core.graph import Edge, Graph, GraphError

Pos = tuple[float, float]
Target = Graph | Document  # what a command edits: a graph, or the graph of a document

TEXT_DIGITS = 6


def graph_of(target: Target) -> Graph:
    """The graph itself, or the ``graph`` of a document."""
    return target if isinstance(target, Graph) else target.graph


def number_text(x: float) -> str:
    """A short form of a number for command texts: 0.2, 1e-5, 3."""
    return format_number(x, TEXT_DIGITS)


def value_text(value: Any) -> str:
    """An attribute or setting as a command text shows it: floats short, the rest as they are."""
    return number_text(value) if isinstance(value, float) else str(value)


def port_text(graph: Graph, dst: str, port: str) -> str:
    """``dst`` alone when it has one input, else ``dst.port``."""
    node = graph.nodes.get(dst)
    return dst if node is not None and len(node.inputs) == 1 else f"{dst}.{port}"


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def nodes_text(ids: Iterable[str]) -> str:
    """One node by its id, more by their number: ``W1`` or ``3 nodes``."""
    ids = list(ids)
    return ids[0] if len(ids) == 1 else f"{len(ids)} nodes"


GraphOrder = tuple[list[str], list[Edge]]


def graph_order(graph: Graph) -> GraphOrder:
    """The order of the graph's nodes and edges (a file lists them so; the Program's ties follow it)."""
    return list(graph.nodes), graph.edges


def put_back_order(graph: Graph, order: GraphOrder | None) -> None:
    """Put the nodes and edges an undo brought back where they were in ``order`` (taken before the
    redo), so the graph is the very one of before: the same file, the same Program, and the
    validation and Program of that state found again (``core.derived_cache``). A graph that
    holds other nodes or edges by now keeps its order."""
    if order is not None:
        try:
            graph.arrange(*order)
        except GraphError:
            pass


class GraphCommand(QUndoCommand):
    """Base: holds the graph and its child commands.

    Children are kept in Python (Qt's own parent/child ownership double-frees under PySide):
    ``redo`` runs them in order, ``undo`` in reverse. A subclass that does more calls
    ``super().redo()`` / ``super().undo()`` where the children belong.
    """

    def __init__(self, target: Target, text: str = "") -> None:
        super().__init__(text)
        self.graph = graph_of(target)
        self._children: list[GraphCommand] = []

    def adopt(self, child: "GraphCommand") -> "GraphCommand":
        self._children.append(child)
        return child

    def children(self) -> list["GraphCommand"]:
        return list(self._children)

    def redo(self) -> None:
        for child in self._children:
            child.redo()

    def undo(self) -> None:
        for child in reversed(self._children):
            child.undo()
