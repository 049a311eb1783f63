"""The output shapes only a run can tell: a custom layer's, and those of the nodes after it. The
debugger writes what it computed into the document's ``run_shapes`` (kept from one training step
to the next and through the weights a training run writes, whose trainer adds its own; forgotten
with a new program), so the canvas and the inspector show ``1×2`` where
validation, which never runs a layer's code, can only say "?"."""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject

from app.debugger.controller import DebugController
from core.validation import coded_nodes


class RunShapes(QObject):
    """Follows one controller: after each step, the shapes of the coded nodes it has values for."""

    def __init__(self, controller: DebugController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self._coded: set[str] = set()
        controller.programChanged.connect(self._on_program)
        controller.stateChanged.connect(self._on_state)
        self._on_program()

    def _on_program(self) -> None:
        doc, stepper = self.controller.document, self.controller.stepper
        # only a program that runs a custom layer has values of coded nodes (a layer outside the
        # program runs in no step, nor does what it feeds): no look at the whole graph otherwise
        runs_code = stepper is not None and stepper.program.runs_user_code
        self._coded = coded_nodes(doc.graph) if doc is not None and runs_code else set()
        if doc is not None and not self.controller.weights_written:  # new weights leave the shapes as they were
            doc.set_run_shapes({})
        self._on_state()

    def _on_state(self, *_args: object) -> None:
        doc, stepper = self.controller.document, self.controller.stepper
        if doc is None or stepper is None or not self._coded:
            return
        values = stepper.frame.values
        shapes = {n: s for n, s in doc.run_shapes.items() if n in self._coded}
        shapes.update({n: tuple(np.shape(values[n])) for n in self._coded if values.get(n) is not None})
        doc.set_run_shapes(shapes)
