"""The canvas items: NodeItem, PortItem, EdgeItem (each in its own module)."""
from .edge_item import EdgeItem, EdgeLabelItem
from .node_item import NodeItem
from .port_item import PortItem

__all__ = ["EdgeItem", "EdgeLabelItem", "NodeItem", "PortItem"]
