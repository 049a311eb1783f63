"""The document: one graph, the file it came from, its undo stack and its unsaved state."""
from __future__ import annotations

import weakref
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from app.bridge import GraphBridge
from core import io
from core.graph import Graph
from core.training_state import TrainingState


class Document(QObject):
    """A graph being edited. Edits go through commands pushed on ``undo_stack``.

    ``edited`` is emitted after every change of the undo stack (an edit, an undo, a redo);
    ``modifiedChanged(bool)`` when the unsaved state flips; ``pathChanged`` after a save under
    a new name. Changes that are not undo entries (a training update) call :meth:`mark_modified`.
    """

    modifiedChanged = Signal(bool)
    pathChanged = Signal()
    edited = Signal()

    def __init__(
        self, graph: Graph | None = None, path: Path | str | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.graph = graph if graph is not None else Graph()
        self.path: Path | None = Path(path) if path is not None else None
        self.example: str | None = None  # the example this untitled document was opened from
        # where training stands, whoever ran the last update (the debugger or a training run);
        # weights written inside training_state.writing_results() are results, not edits
        self.training_state = TrainingState()
        after = weakref.WeakMethod(self._after_results)  # the state must not keep the document alive
        self.training_state.results_written.connect(lambda: (method := after()) is not None and method())
        self.bridge = GraphBridge(self.graph, self)
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._on_clean_changed)
        self.undo_stack.indexChanged.connect(self._on_index_changed)
        self._engine_changed = False  # a weight changed inside training_state.writing_results()
        self._initial: dict[str, np.ndarray] = {p.id: np.asarray(p.value) for p in self.graph.parameters()}
        self.bridge.valueChanged.connect(self._on_value_changed)
        self.edited.connect(self._sync_initial)

    @classmethod
    def open(cls, path: Path | str) -> "Document":
        """Read a document; raises ``core.io.fileformat.FormatError`` naming the file (also when unreadable)."""
        path = Path(path)
        try:
            graph = io.load(path)
        except OSError as exc:
            raise io.FormatError(path.name, "", f"cannot read the file: {exc.strerror or exc}") from None
        _lay_out_if_unplaced(graph)
        return cls(graph, path)

    @classmethod
    def open_example(cls, path: Path | str) -> "Document":
        """An untitled copy of a shipped example: Save asks where, so the example stays as shipped."""
        document = cls.open(path)
        document.example = document.path.name  # type: ignore[union-attr]
        document.path = None
        return document

    def save(self, path: Path | str | None = None) -> None:
        """Write the graph atomically to ``path`` (default: the current path); marks it saved."""
        target = Path(path) if path is not None else self.path
        if target is None:
            raise ValueError("the document has no file name yet: choose one")
        io.save(self.graph, target)
        changed = target != self.path
        self.path = target
        self.undo_stack.setClean()
        if changed:
            self.pathChanged.emit()

    def is_modified(self) -> bool:
        return not self.undo_stack.isClean()

    def mark_modified(self) -> None:
        """Record a change made outside the undo stack (stepper or trainer updates)."""
        if self.undo_stack.isClean():
            self.undo_stack.resetClean()

    # ------------------------------------------------- weights and Reset
    def _after_results(self) -> None:
        """Weights the engine wrote (a stepper update, trained weights) mark the document modified."""
        if self._engine_changed:
            self._engine_changed = False
            self.mark_modified()

    def initial_weights(self) -> dict[str, np.ndarray]:
        """The parameter values Reset restores: as loaded or as the user last edited them."""
        return dict(self._initial)

    def changed_weights(self) -> list[str]:
        """The parameters whose value differs from :meth:`initial_weights` (trained or updated)."""
        changed = []
        for p, initial in self._initial.items():
            node = self.graph.nodes.get(p)
            if node is not None and node.value is not initial and not np.array_equal(np.asarray(node.value), initial):
                changed.append(p)
        return changed

    def _on_value_changed(self, node_id: str) -> None:
        if self.training_state.writing:
            self._engine_changed = True
            return
        node = self.graph.nodes.get(node_id)
        if node is not None and node.is_parameter:
            self._initial[node_id] = node.value  # type: ignore[assignment]

    def _sync_initial(self) -> None:
        """Parameters added since loading join the snapshot; removed ones leave it."""
        params = {p.id: p.value for p in self.graph.parameters()}
        self._initial = {k: v for k, v in self._initial.items() if k in params}
        for k, v in params.items():
            self._initial.setdefault(k, v)  # type: ignore[arg-type]

    def title(self) -> str:
        if self.path is not None:
            return self.path.name
        return f"{self.example} (example)" if self.example else "Untitled"

    def close(self) -> None:
        """Stop following the graph (call when the document is dropped)."""
        self.bridge.detach()

    def __del__(self) -> None:
        # Drop the commands while every object they touch still exists: a garbage-collected
        # document otherwise lets PySide free Python-made commands before QUndoStack's own
        # destructor deletes them again (a crash at exit).
        try:
            self.undo_stack.blockSignals(True)
            self.undo_stack.clear()
        except (AttributeError, RuntimeError):
            pass

    def _on_clean_changed(self, clean: bool) -> None:
        self.modifiedChanged.emit(not clean)

    def _on_index_changed(self, _index: int) -> None:
        self.edited.emit()


def _lay_out_if_unplaced(graph: Graph) -> None:
    """A file written without positions (every node at one point) opens laid out by depth."""
    if len(graph.nodes) < 2 or len({n.pos for n in graph.nodes.values()}) > 1:
        return
    from app.editor.layout import layered_positions

    for node_id, pos in layered_positions(graph, origin=(0.0, 0.0)).items():
        graph.nodes[node_id].pos = pos
