"""The window's file handling: New, Open, Save, Save As, Open Recent, Export, and the unsaved prompt.

A file that fails to load shows one dialog with the engine's message and leaves the open
document as it was; a file that fails to save shows a dialog and nothing is lost. Questions to
the user go through the window's ``_ask_*`` methods, so tests can answer them.
"""
from __future__ import annotations

from pathlib import Path
from typing import Protocol, cast

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QDockWidget, QMessageBox, QWidget

from app.editor.scene import GraphScene
from app.model.document import Document
from app.window import resources, screenshot
from app.window.first_layout import DATASET_DOCK
from app.window.reading import read_in_background
from app.window.saving import CANCELLED, Saver
from core.io.fileformat import FormatError
from core.validation import validate

MAX_RECENT = 10
RECENT_KEY = "files/recent"
LAST_DIR_KEY = "files/lastDirectory"
Choice = QMessageBox.StandardButton
MISSING_DATA_MS = 20_000


class RecentFiles(QObject):
    """The most recently opened or saved files, newest first, kept in QSettings."""

    changed = Signal()

    def paths(self) -> list[Path]:
        raw = QSettings().value(RECENT_KEY, [])
        items = [raw] if isinstance(raw, str) else raw if isinstance(raw, list) else []
        return [Path(p) for p in items if isinstance(p, str) and p]

    def _store(self, paths: list[Path]) -> None:
        QSettings().setValue(RECENT_KEY, [str(p) for p in paths[:MAX_RECENT]])
        self.changed.emit()

    def add(self, path: Path) -> None:
        path = Path(path).resolve()
        self._store([path] + [p for p in self.paths() if p != path])

    def remove(self, path: Path) -> None:
        self._store([p for p in self.paths() if p != Path(path)])

    def clear(self) -> None:
        self._store([])


class FileHost(Protocol):
    """What the file actions use of their window: its document and canvas, the status line, and
    the questions it asks the user (tests answer them by replacing the ``_ask_*`` methods)."""

    @property
    def document(self) -> Document: ...

    @property
    def scene(self) -> GraphScene: ...

    def set_document(self, document: Document) -> None: ...

    def show_status(self, text: str, timeout_ms: int = 0) -> None: ...

    def _show_error(self, title: str, text: str) -> None: ...

    def _ask_save_changes(self) -> QMessageBox.StandardButton: ...

    def _ask_open_path(self, start: Path) -> str: ...

    def _ask_save_path(self, caption: str, suggested: str, file_filter: str) -> str: ...


class FileOps(QObject):
    """File actions of one window; every method returns True when it did what was asked."""

    def __init__(self, window: FileHost, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.window = window
        self.recent = RecentFiles(self)
        self.saver = Saver(window, self)
        self.saver.finished.connect(self._after_save)

    # ------------------------------------------------------------ the prompt
    def maybe_save(self) -> bool:
        """Ask Save / Discard / Cancel when the document has unsaved changes; False means stop.
        A save in progress ends first; Save waits for its file to be written."""
        self.finish_saving()
        if not self.window.document.is_modified():
            return True
        choice = self.window._ask_save_changes()
        if choice == Choice.Save:
            return self.save() and self.finish_saving()
        return choice == Choice.Discard

    def finish_saving(self) -> bool:
        """Wait for the save in progress, if any, saying so in the status bar (past a moment in a
        dialog with Cancel Save); False when it failed or was cancelled."""
        return self.saver.finish(f"Waiting for {self.window.document.title()} to be saved…")

    # ------------------------------------------------------------------ open
    def new(self) -> bool:
        if not self.maybe_save():
            return False
        self.window.set_document(Document())
        self.window.show_status("New graph: add nodes from the palette", 5000)
        return True

    def open_dialog(self) -> bool:
        path = self.window._ask_open_path(self._start_dir())
        return self.open_file(path) if path else False

    def open_example(self, path: str | Path) -> bool:
        """Open an untitled copy of a shipped example (Save then asks where to save it)."""
        return self.open_file(path, Document.open_example)

    def open_file(self, path: str | Path, opener=Document.open) -> bool:
        """Open ``path`` in this window; on failure one dialog says why and nothing changes."""
        path = Path(path)
        try:
            graph = read_in_background(cast(QWidget, self.window), path, Document.read)  # a QWidget
        except FormatError as exc:
            self.window._show_error("Cannot open the file", str(exc))
            self.window.show_status(f"Could not open {path.name}", 8000)
            return False
        if graph is None:
            self.window.show_status(f"Opening {path.name} cancelled", 8000)
            return False
        document = opener(path, graph=graph)
        if not self.maybe_save():
            document.close()
            return False
        self.window.set_document(document)
        if document.path is not None:
            self.recent.add(path)
            self._remember_dir(path)
        if self.note_missing_data():
            return True
        problems = len(validate(document.graph))
        note = "" if not problems else f" — {problems} problem{'s' if problems != 1 else ''}"
        opened = f"Opened {path}" if document.path is not None else f"Opened {document.title()}, an untitled copy"
        self.window.show_status(f"{opened}{note}", 8000)
        return True

    def note_missing_data(self) -> bool:
        """After a file opened: when the CSV file its dataset reads is missing, say so in the status
        bar and bring the Dataset tab (its Locate… button) forward; True when it is missing."""
        dataset = self.window.document.graph.dataset
        missing = dataset.missing_text() if dataset is not None else ""
        if not missing:
            return False
        self.window.show_status(f"Opened {self.window.document.title()}, but {missing}: Locate… it in the "
                                "Dataset tab, or go on without its rows", MISSING_DATA_MS)
        dock = cast(QWidget, self.window).findChild(QDockWidget, DATASET_DOCK)
        if dock is not None:
            dock.raise_()
        return True

    def open_recent(self, path: Path) -> bool:
        if not path.is_file():
            self.recent.remove(path)
            self.window._show_error("File not found", f"{path} no longer exists; it was removed from Open Recent.")
            return False
        return self.open_file(path)

    # ------------------------------------------------------------------ save
    def save(self) -> bool:
        """Save the document to its file (Save As when it has none); True when the save started:
        it is written off the GUI thread (:mod:`app.window.saving`)."""
        document = self.window.document
        if document.path is None:
            return self.save_as()
        return self._save_to(document.path)

    def save_as(self) -> bool:
        path = self._ask_json_path("Save Graph As")
        return self._save_to(path) if path is not None else False

    def save_copy(self) -> bool:
        """Write the document to a file the user picks, leaving its own file and unsaved state as they were."""
        path = self._ask_json_path("Save a Copy")
        return self._save_to(path, copy=True) if path is not None else False

    def _ask_json_path(self, caption: str) -> Path | None:
        document = self.window.document
        keep = document.path is not None and not resources.is_shipped(document.path.parent)
        suggested = document.path if keep else self._start_dir() / f"{self._stem()}.json"
        answer = self.window._ask_save_path(caption, str(suggested), "Workbench graphs (*.json)")
        if not answer:
            return None
        path = Path(answer)
        return path if path.suffix.lower() == ".json" else path.with_name(path.name + ".json")

    def _save_to(self, path: Path, copy: bool = False) -> bool:
        self.saver.start(path, copy)
        return True

    def _after_save(self, path: str, error: str) -> None:
        if error == CANCELLED:  # the status bar says so; nothing to ask
            return
        if error:
            self.window._show_error("Cannot save the file", f"{error}.\n\n"
                                    "Your graph is still open and unchanged; try another place with Save As.")
            return
        self.recent.add(Path(path))
        self._remember_dir(Path(path))

    # ---------------------------------------------------------------- export
    def export_canvas(self, kind: str) -> bool:
        """Export the canvas as ``png`` or ``svg`` to a file the user picks."""
        document = self.window.document
        suggested = self._export_dir() / f"{self._stem()}.{kind}"
        caption = f"Export Canvas as {kind.upper()}"
        answer = self.window._ask_save_path(caption, str(suggested), f"{kind.upper()} images (*.{kind})")
        if not answer:
            return False
        path = Path(answer)
        if path.suffix.lower() != f".{kind}":
            path = path.with_name(path.name + f".{kind}")
        try:
            if kind == "svg":
                screenshot.export_svg(self.window.scene, path, document.graph.name or document.title())
            else:
                screenshot.export_png(self.window.scene, path)
        except OSError as exc:
            self.window._show_error("Cannot export the canvas", str(exc))
            return False
        self._remember_dir(path)
        self.window.show_status(f"Exported the canvas to {path}", 5000)
        return True

    # --------------------------------------------------------------- helpers
    def _stem(self) -> str:
        """The name a new file of the document starts from: its file's, the example's it was
        opened from ("mazur"), or one made from the graph's name."""
        document = self.window.document
        if document.path is not None:
            return document.path.stem
        if document.example:
            return Path(document.example).stem
        return _file_stem(document.graph.name)

    def _start_dir(self) -> Path:
        """Where Save As starts: the document's folder, else the last folder used, else home
        (never the shipped examples: they stay as shipped)."""
        document = self.window.document
        if document.path is not None and not resources.is_shipped(document.path.parent):
            return document.path.parent
        return self._last_dir()

    def _export_dir(self) -> Path:
        """Where an export starts: the last folder used, else the document's, else home."""
        stored = self._stored_dir()
        if stored is not None:
            return stored
        return self._start_dir()

    def _last_dir(self) -> Path:
        stored = self._stored_dir()
        return stored if stored is not None else Path.home()

    @staticmethod
    def _stored_dir() -> Path | None:
        stored = QSettings().value(LAST_DIR_KEY, "")
        if isinstance(stored, str) and stored and Path(stored).is_dir() and not resources.is_shipped(Path(stored)):
            return Path(stored)
        return None

    def _remember_dir(self, path: Path) -> None:
        folder = Path(path).resolve().parent
        if not resources.is_shipped(folder):
            QSettings().setValue(LAST_DIR_KEY, str(folder))


def _file_stem(name: str) -> str:
    cleaned = "".join(c if c.isalnum() or c in "-_" else "_" for c in name.strip()).strip("_")
    return cleaned.lower()[:40] or "untitled"
