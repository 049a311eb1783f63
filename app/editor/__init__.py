"""The node editor: GraphScene (items following the graph), EditorView (pan, zoom, drops).

Scene actions for menus: ``add_node``, ``delete_selection``, ``cut_selection``,
``copy_selection``, ``paste``, ``duplicate_selection``, ``select_all``, ``auto_layout``.
View actions: ``fit_to_graph`` (all of it), ``show_graph`` (the first, readable view), ``zoom_in``,
``zoom_out``, ``actual_size``, ``add_node``. Edge labels find their place in ``label_layout``,
once per burst of changes (``label_pass``).
"""
from app.editor.clipboard import MIME_TYPE as GRAPH_MIME_TYPE
from app.editor.items import EdgeItem, NodeItem, PortItem
from app.editor.scene import GraphScene
from app.editor.view import OP_MIME_TYPE, EditorView

__all__ = ["EdgeItem", "EditorView", "GRAPH_MIME_TYPE", "GraphScene", "NodeItem", "OP_MIME_TYPE", "PortItem"]
