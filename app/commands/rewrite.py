"""Expand to Neurons and Collapse as undoable commands around the pure rewrites of core.rewrite.

The rewrite runs once, on a copy, when the command is made (so a refused rewrite is never
pushed); ``redo`` and ``undo`` make the live graph equal to the graph after or before through
the graph's own edits (:func:`core.rewrite.restructure`), so the canvas follows its events.
"""
from __future__ import annotations

from typing import Any

from app.commands.base import GraphCommand, graph_of
from core.graph import Graph
from core.rewrite import MAX_NEURON_NODES, collapse, copy_graph, expand, expand_layers, restructure


class Restructure(GraphCommand):
    """Replace the graph by ``after`` (a rewrite of it); undo brings back the graph as it was."""

    def __init__(self, target: Any, after: Graph, text: str) -> None:
        graph = graph_of(target)
        super().__init__(graph, text)
        self.before = copy_graph(graph)
        self.after = after

    def redo(self) -> None:
        restructure(self.graph, self.after)

    def undo(self) -> None:
        restructure(self.graph, self.before)


class ExpandLayer(Restructure):
    """Draw an Affine layer (and its activation) as its neurons; ``note`` says why a batch of
    rows flows through each neuron ("" for one row). Raises ``RewriteError`` when refused."""

    def __init__(self, target: Any, layer: str, limit: int | None = MAX_NEURON_NODES) -> None:
        after, self.note = expand(graph_of(target), layer, limit)
        super().__init__(target, after, f"Expand {layer} to Neurons")


class ExpandLayers(Restructure):
    """Draw several Affine layers (every one when ``layers`` is None) as their neurons in one
    undo entry; ``layers`` and ``notes`` say what was expanded. Raises ``RewriteError`` when refused."""

    def __init__(self, target: Any, layers: list[str] | None = None, limit: int | None = MAX_NEURON_NODES) -> None:
        after, self.layers, self.notes = expand_layers(graph_of(target), layers, limit)
        super().__init__(target, after, f"Expand {', '.join(self.layers)} to Neurons")


class CollapseLayer(Restructure):
    """Bring an expanded layer back as one Affine (its matrix holding the entries' values)."""

    def __init__(self, target: Any, node: str) -> None:
        graph = graph_of(target)
        after = collapse(graph, node)
        layers = [e["layer"] for e in graph.expansions if e["layer"] not in {x["layer"] for x in after.expansions}]
        super().__init__(target, after, f"Collapse {', '.join(layers)}")
