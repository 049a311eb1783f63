"""Where the training of one graph stands, shared by everything that runs updates on it.

The debugger (a :class:`~core.stepper.Stepper`) and training runs (a
:class:`~core.trainer.Trainer`) update the same weights. Whichever ran the last update records
its :class:`~core.optim.Progress` here, and the next one goes on from it: the debugger steps
the training step after a run, and a run that does not start over goes on from the debugger's
updates. Weights written inside :meth:`TrainingState.writing_results` are results of updates,
not edits (Reset forgets them; the undo stack never sees them).

One object per graph; the document that holds the graph owns it (``Document.training``).
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from core.events import Event
from core.optim import Progress


class TrainingState:
    """The progress of the last update (None: at the first training step) and whether the
    weights being written now are results of updates."""

    def __init__(self) -> None:
        self.progress: Progress | None = None
        self._depth = 0
        self.results_written = Event("results_written")  # after the outermost writing_results block

    def record(self, progress: Progress) -> None:
        """The runner that just updated the weights says where training stands now."""
        self.progress = progress

    def start_over(self) -> None:
        """Back to the first training step (Reset: the weights go back too)."""
        self.progress = None

    @contextmanager
    def writing_results(self) -> Iterator[None]:
        """Weights written in this block are results of updates, not edits."""
        self._depth += 1
        try:
            yield
        finally:
            self._depth -= 1
            if self._depth == 0:
                self.results_written.emit()

    @property
    def writing(self) -> bool:
        """True inside :meth:`writing_results`."""
        return self._depth > 0
