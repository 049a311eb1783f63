"""The canvas items: NodeItem, PortItem, EdgeItem (each in its own module)."""
from app.editor.edge_item import EdgeItem, EdgeLabelItem
from app.editor.node_item import NodeItem
from app.editor.port_item import PortItem

__all__ = ["EdgeItem", "EdgeLabelItem", "NodeItem", "PortItem"]
