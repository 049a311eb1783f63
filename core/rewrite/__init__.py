"""Graph rewrites: pure functions that take a graph and give a new one (the input is untouched).

``neurons``: expand an Affine layer into its neurons; ``collapse``: bring it back. ``apply``: copy a
graph, and make a live graph equal to a rewritten one through the graph's own edits (so every
view follows its events and an undo can go back the same way).
"""
from core.rewrite.apply import copy_graph, restructure
from core.rewrite.collapse import collapse
from core.rewrite.neurons import MAX_NEURON_NODES, RewriteError, expand, expand_layers, expandable_layers

__all__ = ["MAX_NEURON_NODES", "RewriteError", "collapse", "copy_graph", "expand", "expand_layers", "expandable_layers",
           "restructure"]
