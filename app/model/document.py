"""The document: one graph, the file it came from, its undo stack and its unsaved state."""
from __future__ import annotations

import weakref
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from app.model.bridge import GraphBridge
from app.model.derived import Derived
from app.model.title import document_title
from core import io
from core.data.dataset import Batcher
from core.graph import Graph
from core.rewrite.apply import copy_graph
from core.training_state import TrainingState


@dataclass(frozen=True)
class SaveMark:
    """A document as a save found it: the graph to write and what it was then (:meth:`Document.snapshot`)."""

    graph: Graph
    revision: int
    weights: dict[str, np.ndarray | None]


class Document(QObject):
    """A graph being edited. Edits go through commands pushed on ``undo_stack``.

    ``edited`` is emitted after every change of the undo stack (an edit, an undo, a redo);
    ``modifiedChanged(bool)`` when the unsaved state flips; ``pathChanged`` after a save under
    a new name.

    The document is modified when it differs from what is on disk: the undo stack is away from
    its clean state, or a weight the engine wrote (an update, training) differs from the one
    saved; stepping through an update and back leaves it unmodified. :meth:`mark_modified`
    records any other difference (restored unsaved changes) until the next save.
    """

    modifiedChanged = Signal(bool)
    pathChanged = Signal()
    edited = Signal()
    runShapesChanged = Signal()  # run_shapes changed

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
        self.derived = Derived(self.graph, self.bridge)  # validation and program, once per change
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._on_clean_changed)
        self.undo_stack.indexChanged.connect(self._on_index_changed)
        self._engine_changed = False  # a weight changed inside training_state.writing_results()
        self._initial: dict[str, np.ndarray] = {p.id: np.asarray(p.value) for p in self.graph.parameters()}
        self._saved = self._weights_now()  # the weights as on disk
        self._forced = False  # a difference from disk that nothing else shows (mark_modified)
        self._modified = False
        self.bridge.valueChanged.connect(self._on_value_changed)
        self.edited.connect(self._sync_initial)
        self.revision = 0  # one more at every change of the graph or the undo stack (what a save's snapshot holds)
        for signal in (*self.bridge.changes(), self.undo_stack.indexChanged):
            signal.connect(self._bump)
        # the output shapes of nodes only a run can tell (a custom layer and what follows it), as
        # the debugger last computed them; the canvas and the inspector show them instead of "?"
        self.run_shapes: dict[str, tuple[int, ...]] = {}

    def set_run_shapes(self, shapes: dict[str, tuple[int, ...]]) -> None:
        if shapes != self.run_shapes:
            self.run_shapes = dict(shapes)
            self.runShapesChanged.emit()

    @staticmethod
    def read(path: Path | str, data_path: Path | str | None = None) -> Graph:
        """The graph of a file (laid out by :meth:`open` when it has no positions); raises
        ``core.io.fileformat.FormatError`` naming the file (also when unreadable). A CSV file the
        dataset reads that is not there (``data_path``: read the CSV from there) leaves the graph
        whole with a dataset marked missing (``Dataset.missing``: a problem the window shows, with
        Locate… in the Dataset tab). Makes no Qt object, so it may run on a worker thread."""
        path = Path(path)
        try:
            graph = io.load(path, data_path=data_path)
        except io.DataFileMissing as missing:  # the graph, its weights and layers open; the rows wait
            graph = missing.graph
        except OSError as exc:
            raise io.FormatError(path.name, "", f"cannot read the file: {exc.strerror or exc}") from None
        _first_batch_ready(graph)
        return graph

    @classmethod
    def open(cls, path: Path | str, data_path: Path | str | None = None, graph: Graph | None = None) -> "Document":
        """The document of a file (``graph``: its graph, when already read with :meth:`read`),
        laid out when it has no positions."""
        graph = graph if graph is not None else cls.read(path, data_path)
        lay_out_if_unplaced(graph)
        return cls(graph, Path(path))

    @classmethod
    def open_example(cls, path: Path | str, data_path: Path | str | None = None,
                     graph: Graph | None = None) -> "Document":
        """An untitled copy of a shipped example: Save asks where, so the example stays as shipped."""
        document = cls.open(path, data_path, graph)
        document.example = document.path.name  # type: ignore[union-attr]
        document.path = None
        return document

    def save(self, path: Path | str | None = None) -> None:
        """Write the graph atomically to ``path`` (default: the current path) on the calling
        thread; marks it saved. (The window saves off the GUI thread: :mod:`app.window.saving`.)"""
        target = Path(path) if path is not None else self.path
        if target is None:
            raise ValueError("the document has no file name yet: choose one")
        mark = self.snapshot()
        io.save(mark.graph, target)
        self.mark_saved(mark, target)

    def snapshot(self) -> SaveMark:
        """What a save writes, taken on the GUI thread: a copy of the graph (value arrays shared,
        see ``core.rewrite.apply.copy_graph``) and the state it was in (for :meth:`mark_saved`)."""
        return SaveMark(copy_graph(self.graph), self.revision, self._weights_now())

    def mark_saved(self, mark: SaveMark, path: Path) -> None:
        """``mark``'s snapshot is now in ``path``: the document's file from now on. The document is
        saved as it was at the snapshot: a change made since (a save off the GUI thread lets the
        user go on editing) keeps it modified, and no undo leads back to a state called saved."""
        changed = path != self.path
        self.path = path
        self._saved = mark.weights
        if mark.revision == self.revision:
            self._forced = False
            self.undo_stack.setClean()
        else:
            self.undo_stack.resetClean()
        self._refresh_modified()
        if changed:
            self.pathChanged.emit()

    def _bump(self, *_args: object) -> None:
        self.revision += 1

    def is_modified(self) -> bool:
        """True when the document differs from what is on disk."""
        return self._forced or not self.undo_stack.isClean() or self._weights_differ()

    def mark_modified(self) -> None:
        """Record a difference from disk that neither the undo stack nor the weights show."""
        self._forced = True
        self._bump()
        self._refresh_modified()

    def _weights_now(self) -> dict[str, np.ndarray | None]:
        return {p.id: None if p.value is None else np.array(p.value, copy=True) for p in self.graph.parameters()}

    def _weights_differ(self) -> bool:
        params = {p.id: p.value for p in self.graph.parameters()}
        if params.keys() != self._saved.keys():
            return True
        return any(not _same_values(value, self._saved[p]) for p, value in params.items())

    def _refresh_modified(self) -> None:
        modified = self.is_modified()
        if modified != self._modified:
            self._modified = modified
            self.modifiedChanged.emit(modified)

    # ------------------------------------------------- weights and Reset
    def _after_results(self) -> None:
        """Weights the engine wrote (a stepper update, trained weights) may make the document differ
        from what is on disk (or no longer differ)."""
        if self._engine_changed:
            self._engine_changed = False
            self._refresh_modified()

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
            return document_title(self.path.name)
        return document_title(self.example or None, example=True)

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

    def _on_clean_changed(self, _clean: bool) -> None:
        self._refresh_modified()

    def _on_index_changed(self, _index: int) -> None:
        self.edited.emit()


def _same_values(a: np.ndarray | None, b: np.ndarray | None) -> bool:
    if a is None or b is None:
        return a is b
    return a.shape == b.shape and bool(np.array_equal(a, b))


def lay_out_if_unplaced(graph: Graph) -> None:
    """A file written without positions (every node at one point) opens laid out by depth, with
    its nodes' sizes as the canvas draws them where they can be measured (on the GUI thread):
    with the defaults, nodes wider and taller than those left the edges' labels no room between
    the columns (62 of the 120 units on the fan-out graph) and stacked the rows onto each other."""
    if len(graph.nodes) < 2 or len({n.pos for n in graph.nodes.values()}) > 1:
        return
    from app.editor.layout import layered_positions, measured_boxes

    for node_id, pos in layered_positions(graph, measured_boxes(graph), origin=(0.0, 0.0)).items():
        graph.nodes[node_id].pos = pos


def _first_batch_ready(graph: Graph) -> None:
    """Work out, where the file is read (off the GUI thread when the window opens it), what the
    debugger's first step draws from the dataset when the window shows the graph: the training rows
    (a held-out split copies them) and the first epoch's order of the rows (both kept, shared by
    every Batcher of the same rows and seed; ~25-50 ms each at a million rows)."""
    dataset = graph.dataset
    if dataset is not None and dataset.rows:
        dataset.train_fields  # noqa: B018 - the split, kept by the dataset
        Batcher.for_training(dataset, graph.settings).indices(0)
