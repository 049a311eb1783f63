"""What the window derives from a document's graph, made once per change of the graph.

One edit, undo or redo tells several rooms that the graph changed (the canvas's problem marks,
the inspector's summary, the debugger's program, the training dock's "can it train"); each asked
the engine on its own, and a 50-node undo on a 3,000-node graph validated it four times and built
its program twice. :class:`Derived` keeps the validation and the program until the graph (or the
trust given to custom code, which validation reads) changes again, and finds those of a state
seen a few changes ago (the state an undo returns to) in a :class:`core.derived_cache.DerivedCache`.
The contents of values are read at each question (training writes them in place).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from core.custom.trust import SESSION
from core.derived_cache import Derivation, DerivedCache
from core.graph import Graph, Problem
from core.program import Program
from core.validation import Shapes

if TYPE_CHECKING:
    from app.model.bridge import GraphBridge

# the bridge's signals that change what validation and the program read (a move does not)
CHANGES = ("nodeAdded", "nodeRemoved", "nodeRenamed", "edgeAdded", "edgeRemoved", "attrChanged",
           "valueChanged", "settingsChanged", "datasetChanged", "objectiveChanged", "arranged")


class Derived:
    """The validation and the program of ``graph``: looked up again (by the graph's fingerprint)
    at each of its changes, made only for a state not among the last few seen."""

    def __init__(self, graph: Graph, bridge: GraphBridge) -> None:
        self.graph = graph
        self.cache = DerivedCache()
        self._current: tuple[tuple[int, int], Derivation] | None = None
        for name in CHANGES:
            getattr(bridge, name).connect(self.forget)

    def forget(self, *_args: object) -> None:
        """The graph changed: the next question looks its state up again."""
        self._current = None

    def _derivation(self) -> Derivation:
        trust = SESSION.state()
        if self._current is None or self._current[0] != trust:
            self._current = (trust, self.cache.derivation(self.graph))
        return self._current[1]

    def check(self) -> tuple[list[Problem], Shapes]:
        """``core.validation.check`` of the graph as it is now (the values' contents read now)."""
        derivation = self._derivation()
        return derivation.problems(self.graph), derivation.shapes

    def shapes(self) -> Shapes:
        """Every node's output shape, as validation found it (``core.validation.infer_shapes``)."""
        return self._derivation().shapes

    def problems(self) -> list[Problem]:
        """``core.validation.validate`` of the graph as it is now."""
        return self._derivation().problems(self.graph)

    def program(self) -> Program:
        """The graph's program (shared: read it, never change it); raises ``ProgramError`` as
        ``Program(graph)`` does."""
        return self._derivation().program(self.graph)
