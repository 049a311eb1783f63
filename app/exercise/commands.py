"""The teacher's choice of questions as an undoable edit (saved with the file)."""
from __future__ import annotations

from typing import Any

from app.commands.base import GraphCommand, graph_of
from core.exercise import ExerciseSpec


class SetExercise(GraphCommand):
    def __init__(self, target: Any, spec: ExerciseSpec | None) -> None:
        graph = graph_of(target)
        super().__init__(graph, "Set exercise questions" if spec is not None else "Remove exercise")
        self.new = None if spec is None else spec.to_dict()
        self.old = graph.exercise

    def redo(self) -> None:
        self.graph.set_exercise(self.new)

    def undo(self) -> None:
        self.graph.set_exercise(self.old)
