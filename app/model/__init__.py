"""What every room shares: the document (one graph, its file, undo stack and unsaved state) and the
graph's events as Qt signals (``bridge``), which the views follow."""
