"""The Layer menu: Expand to Neurons and Collapse for the selected node, as undoable commands."""
from __future__ import annotations

from typing import Any

from PySide6.QtGui import QAction

from app.commands.rewrite import CollapseLayer, ExpandLayer, ExpandLayers
from app.window.status import NOTE_MS
from core.rewrite import RewriteError, expandable_layers
from core.rewrite.neurons import expansion_of


def layer_of(graph: Any, node_id: str | None) -> str | None:
    """The Affine to expand for a selected node: the node itself, or the Affine feeding it."""
    if node_id is None or node_id not in graph.nodes:
        return None
    if graph.nodes[node_id].op_type == "Affine":
        return node_id
    feeding = [s for s in graph.sources(node_id) if s is not None and graph.nodes[s].op_type == "Affine"]
    return feeding[0] if feeding else None


def expand_selected(window: Any) -> str:
    """Expand the selected layer, or every Affine layer when nothing is selected (as the command
    line's ``expand`` does, in one undo entry); returns what the status bar says."""
    graph = window.document.graph
    selected = window.selected_node()
    layer = layer_of(graph, selected)
    if layer is None:
        if selected is not None:
            return f"{selected} is not an Affine layer (or the activation after one); select one to expand it"
        return _expand_every_layer(window)
    try:
        command = ExpandLayer(window.document, layer)
    except RewriteError as exc:
        return f"Cannot expand: {exc}"
    window.document.undo_stack.push(command)
    return command.note or f"{layer} expanded into its neurons (Collapse or Undo brings it back)"


def _expand_every_layer(window: Any) -> str:
    if not expandable_layers(window.document.graph):
        return "Nothing to expand: this graph has no Affine layer"
    try:
        command = ExpandLayers(window.document)
    except RewriteError as exc:
        return f"Cannot expand every layer: {exc}"
    window.document.undo_stack.push(command)
    their = "their neurons" if len(command.layers) > 1 else "its neurons"
    said = f"Expanded {', '.join(command.layers)} into {their} (one Undo brings the graph back)"
    return "; ".join([said, *command.notes])


def collapse_selected(window: Any) -> str:
    graph = window.document.graph
    node = window.selected_node()
    if node is None or expansion_of(graph, node) is None:
        if len(graph.expansions) != 1:
            return "Select a node of an expanded layer to collapse it"
        node = graph.expansions[0]["layer"]
    try:
        command = CollapseLayer(window.document, node)
    except RewriteError as exc:
        return f"Cannot collapse: {exc}"
    window.document.undo_stack.push(command)
    return f"{command.text().removeprefix('Collapse ')} collapsed into one layer"


def install(window: Any) -> None:
    """Add the Layer menu to ``window``."""
    menu = window.menu("&Layer")
    for name, text, slot, tip in (
        ("expand_neurons", "&Expand to Neurons", expand_selected,
         "Draw the selected Affine layer as its neurons: one node per weight, as in Mazur's figure"),
        ("collapse_neurons", "&Collapse Neurons", collapse_selected,
         "Bring an expanded layer back as one Affine, its weights written into the matrix"),
    ):
        action = QAction(text, window)
        action.setStatusTip(tip)
        action.triggered.connect(lambda _c=False, f=slot: window.show_status(f(window), NOTE_MS))
        window.actions[name] = action
        menu.addAction(action)
