"""When the debugger's program goes stale: the document's graph changed under it.

A change the stepper did not make itself (while a debugger action runs, the controller says it
is busy) makes the program stale. :attr:`GraphWatch.stale` asks for a new program once the edit
is complete (``Document.edited``) or on the next event-loop turn, whichever comes first; its
argument says whether the change was quiet, that is, every change since the last program came
from the engine (weights that training wrote), not from the person.
"""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QObject, QTimer, Signal

from app.model.document import Document

# the graph's changes that make the program stale (a move does not)
GRAPH_SIGNALS = ("nodeAdded", "nodeRemoved", "nodeRenamed", "edgeAdded", "edgeRemoved", "attrChanged",
                 "valueChanged", "settingsChanged", "datasetChanged", "objectiveChanged")


class GraphWatch(QObject):
    stale = Signal(bool)  # quiet: only the engine changed the graph

    def __init__(self, busy: Callable[[], bool], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document: Document | None = None
        self._busy = busy
        self._stale = False
        self._quiet = True
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.flush)

    def follow(self, document: Document | None) -> None:
        """Watch ``document`` (None: nothing) instead of the one before; the program is current."""
        if self.document is not None:
            self._disconnect(self.document)
        self.document = document
        if document is not None:
            document.edited.connect(self.flush)
            for name in GRAPH_SIGNALS:
                getattr(document.bridge, name).connect(self._on_graph_changed)
        self.clear()

    def clear(self) -> None:
        """The program is current (it was just built)."""
        self._stale = False
        self._quiet = True
        self._timer.stop()

    def flush(self) -> None:
        """Announce a stale program now (nothing when it is current)."""
        if self._stale:
            quiet = self._quiet
            self.clear()
            self.stale.emit(quiet)

    def _disconnect(self, document: Document) -> None:
        try:
            document.edited.disconnect(self.flush)
        except (RuntimeError, TypeError):
            pass
        for name in GRAPH_SIGNALS:
            try:
                getattr(document.bridge, name).disconnect(self._on_graph_changed)
            except (RuntimeError, TypeError):
                pass

    def _on_graph_changed(self, *_args: Any) -> None:
        if self._busy():
            return
        if not (self.document is not None and self.document.training_state.writing):
            self._quiet = False
        self._stale = True
        self._timer.start()
