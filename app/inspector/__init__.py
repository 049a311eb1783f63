"""The inspector: the selected node's panel, the graph's panel with nothing selected, attributes and value tables."""
