"""File ▸ Export: the graph as a NumPy script, a notebook, or a lesson PDF.

The window asks where (``_ask_export_path``), asks before replacing a file that exists
(``_ask_overwrite``), and says in one dialog why a graph cannot be exported. For a lesson it
first asks which steps get a page (:meth:`ExportOps.ask_lesson_steps`, the Pages field of
:mod:`app.window.lesson_pages`; the command line's ``--range`` reads the same text). The lesson is drawn
page by page on the GUI thread (it draws the canvas) under a progress dialog that can cancel
it; nothing is written until every page is done. Every file goes through the atomic writer.
Each export holds the weights as they are now; after updates it says so (``updates_behind``).
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Protocol

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from app.model.document import Document
from app.window.files import FileOps
from core.graph import Graph
from core.io.atomic import write_atomic
from core.program import Program
from core.validation import validate

# kind → (menu text, dialog caption, file filter)
KINDS: dict[str, tuple[str, str, str]] = {
    "py": ("&Python Script…", "Export as a Python Script", "Python scripts (*.py)"),
    "ipynb": ("&Notebook…", "Export as a Notebook", "Jupyter notebooks (*.ipynb)"),
    "pdf": ("&Lesson (PDF)…", "Export a Lesson (PDF)", "PDF documents (*.pdf)"),
}


class ExportHost(Protocol):
    """What the exports use of their window: the document, its file actions (for the folder and
    the file name to suggest), the status line, and the questions it asks (tests answer them)."""

    @property
    def document(self) -> Document: ...

    @property
    def files(self) -> FileOps: ...

    def show_status(self, text: str, timeout_ms: int = 0) -> None: ...

    def _show_error(self, title: str, text: str) -> None: ...

    def _ask_export_path(self, caption: str, suggested: str, file_filter: str) -> str: ...

    def _ask_overwrite(self, path: Path) -> bool: ...


class ExportOps(QObject):
    """The export actions of one window; each returns True when it wrote the file."""

    def __init__(self, window: ExportHost, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.window = window
        self.dialog_parent = parent

    def export(self, kind: str) -> bool:
        window = self.window
        graph = window.document.graph
        problems = validate(graph)
        if problems:
            window._show_error("Cannot export the graph", f"The graph cannot run: {problems[0].message}")
            return False
        steps: list[int] | None = None
        if kind == "pdf":
            steps = self.ask_lesson_steps(len(Program(graph).steps))
            if steps is None:
                return False
        files = window.files
        suggested = files._export_dir() / f"{files._stem()}.{kind}"
        _, caption, file_filter = KINDS[kind]
        answer = window._ask_export_path(caption, str(suggested), file_filter)
        if not answer:
            return False
        path = Path(answer)
        if path.suffix.lower() != f".{kind}":
            path = path.with_name(path.name + f".{kind}")
        if path.exists() and not window._ask_overwrite(path):
            return False
        from core.export import ExportError  # the exporters load with the first export

        try:
            data = self._make(kind, graph, steps, updates_behind(window.document))
        except ExportError as exc:
            window._show_error("Cannot export the graph", str(exc))
            return False
        if data is None:  # the lesson was cancelled
            window.show_status("Export cancelled: nothing was written", 5000)
            return False
        try:
            write_atomic(path, data)
        except OSError as exc:
            window._show_error("Cannot export the graph", f"{path} could not be written: {exc.strerror or exc}.")
            return False
        files._remember_dir(path)
        window.show_status(f"Exported {path}", 5000)
        return True

    def ask_lesson_steps(self, count: int) -> list[int] | None:
        """The steps (of ``count``) whose pages the lesson holds, or None when the person cancelled."""
        from app.window.lesson_pages import LessonPagesDialog

        dialog = LessonPagesDialog(count, self.dialog_parent)
        try:
            return dialog.steps() if dialog.exec() == LessonPagesDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()

    def _make(self, kind: str, graph: Graph, steps: list[int] | None = None, after_updates: int = 0) -> bytes | None:
        from core.export import export_notebook, export_script

        if kind == "py":
            return export_script(graph, after_updates=after_updates).encode("utf-8")
        if kind == "ipynb":
            return export_notebook(graph, after_updates=after_updates).encode("utf-8")
        from app.lesson.render import Cancelled, lesson_pdf

        dialog = QProgressDialog("Drawing the lesson's pages…", "Cancel", 0, 1, self.dialog_parent)
        dialog.setWindowTitle("Export a Lesson (PDF)")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        try:
            return lesson_pdf(graph, steps, progress=_progress(dialog), after_updates=after_updates)
        except Cancelled:
            return None
        finally:
            dialog.close()
            dialog.deleteLater()


def updates_behind(document: Document) -> int:
    """How many updates made the document's weights (0: they are the file's, as loaded or edited).
    Every export takes the weights as they are now and says so when they are results."""
    progress = document.training_state.progress
    return progress.updates if progress is not None and document.changed_weights() else 0


def _progress(dialog: QProgressDialog) -> Callable[[int, int], bool]:
    def tick(done: int, total: int) -> bool:
        dialog.setMaximum(total)
        dialog.setValue(done)
        QApplication.processEvents()
        return not dialog.wasCanceled()

    return tick
