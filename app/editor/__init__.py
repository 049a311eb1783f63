"""The node editor: GraphScene (items following the graph), EditorView (pan, zoom, drops).

Scene actions for menus: ``add_node``, ``delete_selection``, ``cut_selection``,
``copy_selection``, ``paste``, ``duplicate_selection``, ``select_all``, ``auto_layout``.
View actions: ``fit_to_graph`` (all of it), ``show_graph`` (the first, readable view), ``zoom_in``,
``zoom_out``, ``actual_size``, ``add_node``. Edge labels find their place in ``label_layout``,
once per burst of changes (``label_pass``).
"""
from .clipboard import MIME_TYPE as GRAPH_MIME_TYPE
from .items import EdgeItem, NodeItem, PortItem
from .scene import GraphScene
from .view import OP_MIME_TYPE, EditorView

__all__ = ["EdgeItem", "EditorView", "GRAPH_MIME_TYPE", "GraphScene", "NodeItem", "OP_MIME_TYPE", "PortItem"]
