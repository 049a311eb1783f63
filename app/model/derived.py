"""What the window derives from a document's graph, made once per change of the graph.

One edit, undo or redo tells several rooms that the graph changed (the canvas's problem marks,
the inspector's summary, the debugger's program, the training dock's "can it train"); each asked
the engine on its own, and a 50-node undo on a 3,000-node graph validated it four times and built
its program twice. :class:`Derived` keeps the validation and the program until the graph (or the
trust given to custom code, which validation reads) changes again.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from core.custom.trust import SESSION
from core.graph import Graph, Problem
from core.program import Program, ProgramError
from core.validation import Shapes, check

if TYPE_CHECKING:
    from app.model.bridge import GraphBridge

# the bridge's signals that change what validation and the program read (a move does not)
CHANGES = ("nodeAdded", "nodeRemoved", "nodeRenamed", "edgeAdded", "edgeRemoved", "attrChanged",
           "valueChanged", "settingsChanged", "datasetChanged", "objectiveChanged")


class Derived:
    """The validation and the program of ``graph``, forgotten at each of its changes."""

    def __init__(self, graph: Graph, bridge: GraphBridge) -> None:
        self.graph = graph
        self._checked: tuple[tuple[int, int], list[Problem], Shapes] | None = None
        self._program: tuple[tuple[int, int], Program | ProgramError] | None = None
        for name in CHANGES:
            getattr(bridge, name).connect(self.forget)

    def forget(self, *_args: object) -> None:
        """The graph changed: the next question asks the engine again."""
        self._checked = None
        self._program = None

    def check(self) -> tuple[list[Problem], Shapes]:
        """``core.validation.check`` of the graph as it is now."""
        trust = SESSION.state()
        if self._checked is None or self._checked[0] != trust:
            problems, shapes = check(self.graph)
            self._checked = (trust, problems, shapes)
        return list(self._checked[1]), self._checked[2]

    def problems(self) -> list[Problem]:
        """``core.validation.validate`` of the graph as it is now."""
        return self.check()[0]

    def program(self) -> Program:
        """The graph's program (shared: read it, never change it); raises ``ProgramError`` as
        ``Program(graph)`` does."""
        trust = SESSION.state()
        if self._program is None or self._program[0] != trust:
            made: Program | ProgramError
            try:
                made = Program(self.graph, self.problems())
            except ProgramError as exc:
                made = exc
            self._program = (trust, made)
        result = self._program[1]
        if isinstance(result, ProgramError):
            raise ProgramError(result.problems)
        return result
