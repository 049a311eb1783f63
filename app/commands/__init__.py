"""One ``QUndoCommand`` per kind of edit. ``redo``/``undo`` call only the ``core.graph`` API.

Every command takes the graph or a Document (``app.commands.base.Target``)
first. A constructor raises :class:`core.graph.GraphError` with the reason when the graph
would refuse the edit, so nothing refused is ever pushed. Compound edits are built from
child commands; what ``undo`` needs is recorded when ``redo`` runs.

``base`` holds the base class and command texts; ``nodes``, ``edges``, ``values``, ``dataset``,
``clipboard`` and ``code`` (custom layers) the commands by kind. Everything is importable from
``app.commands``.
"""
from __future__ import annotations

from app.commands.base import GraphCommand, Pos, graph_of, nodes_text, number_text, port_text
from app.commands.clipboard import Paste
from app.commands.code import ApplyCode, ReplaceWithCustom
from app.commands.dataset import RenameField, SetCell
from app.commands.edges import Connect, Disconnect, Reconnect, check_connect
from app.commands.nodes import AddNode, Delete, MoveNodes, RemoveNodes, Rename, copy_node
from app.commands.values import SetAttr, SetDataset, SetObjective, SetSettings, SetValue

__all__ = [
    "AddNode", "ApplyCode", "Connect", "Delete", "Disconnect", "GraphCommand", "MoveNodes", "Paste", "Pos",
    "Reconnect", "RemoveNodes", "Rename", "RenameField", "ReplaceWithCustom", "SetAttr", "SetCell", "SetDataset",
    "SetObjective", "SetSettings", "SetValue", "check_connect", "copy_node", "graph_of", "nodes_text", "number_text",
    "port_text",
]
