"""Saving off the GUI thread: Save, Save As and Save a Copy write the document's file on a worker.

Writing a big document as text takes seconds (a 20 MB file froze the window 7 s when it was
written on the GUI thread). The GUI thread takes a snapshot (:meth:`Document.snapshot`: a copy
of the graph that shares the value arrays, which nobody writes in place), a :class:`Job` turns it
into text and writes it with ``core.io.atomic.write_atomic``, and the GUI thread takes the outcome
when the job ends (:class:`JobWatch`), as autosave does. Meanwhile the window answers, the status
bar says how long the save has taken, and the user may go on editing: the document is marked
saved at the snapshot (:meth:`Document.mark_saved`), so an edit made during the save keeps it
modified. A failed save says why in one line and leaves the document modified.

One save at a time: a save asked for while one runs waits for it first, so files are written in
the order asked. Closing the window waits for a save in progress (:meth:`Saver.finish`), with a
note in the status bar, painting but taking no input.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QEventLoop, QObject, Signal

from app.model.document import Document, SaveMark
from app.window.background import Job, JobWatch, wait
from core import io
from core.graph import Graph

TICK_MS = 250  # how often the status bar's "Saving … s" is brought up to date
NOTE_MS = 8000  # how long "Saved …" and "Could not save …" stay in the status bar


class SaveHost(Protocol):
    """What a save uses of its window: the document and the status line."""

    @property
    def document(self) -> Document: ...

    def show_status(self, text: str, timeout_ms: int = 0) -> None: ...


@dataclass(frozen=True)
class SaveTask:
    """One save in progress: which document, its snapshot, where, and whether it is a copy (a copy
    leaves the document's file name and unsaved state as they were)."""

    document: Document
    mark: SaveMark
    path: Path
    copy: bool
    began: float


class Saver(QObject):
    """The saves of one window, one at a time, each written off the GUI thread."""

    started = Signal(str)  # the file being written
    finished = Signal(str, str)  # the file, and "" when it was written or else the one-line reason

    def __init__(self, host: SaveHost, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self._job: Job[str] | None = None
        self._task: SaveTask | None = None
        self._written = True  # whether the last save that ended wrote its file
        self._watch = JobWatch(self, TICK_MS)

    @property
    def busy(self) -> bool:
        """True while a save is being written."""
        return self._job is not None

    def start(self, path: Path, copy: bool = False) -> None:
        """Snapshot the document now and write it to ``path`` off the GUI thread (after the save in
        progress, if any, has ended). ``finished`` tells the outcome."""
        self.finish("Waiting for the save in progress…")
        document = self.host.document
        mark = document.snapshot()
        self._task = SaveTask(document, mark, path, copy, time.monotonic())
        graph = mark.graph
        self._job = Job(lambda: _write_or_say(graph, path), name="save")
        self._watch.watch(self._job, lambda _job: self._end(), self._tick)
        self.host.show_status(f"Saving {path.name}…", NOTE_MS)
        self.started.emit(str(path))

    def finish(self, note: str) -> bool:
        """Wait for the save in progress, if any (the window paints but takes no input; ``note``
        in the status bar says why). False when that save failed."""
        job = self._job
        if job is None:
            return True
        self.host.show_status(note, NOTE_MS)
        wait(job, flags=QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
        if self._job is job:  # else the watch took its outcome during the wait
            self._end()
        return self._written

    def _tick(self) -> None:
        task = self._task
        if task is not None:
            seconds = time.monotonic() - task.began
            self.host.show_status(f"Saving {task.path.name}… {seconds:.0f} s", NOTE_MS)

    def _end(self) -> None:
        """Take the outcome of the save that ended (``finished`` tells it)."""
        job, task = self._job, self._task
        self._job = self._task = None
        if job is None or task is None:
            return
        self._watch.forget(job)  # type: ignore[arg-type]
        error = job.result()
        if error:
            self.host.show_status(f"Could not save {task.path.name}: {error}", NOTE_MS)
        else:
            if not task.copy:
                task.document.mark_saved(task.mark, task.path)
            self.host.show_status(f"Saved {task.path}", NOTE_MS)
        self._written = not error
        self.finished.emit(str(task.path), error)


def _write_or_say(graph: Graph, path: Path) -> str:
    """On the worker thread: write ``graph`` to ``path``; "" when written, else the reason in one line."""
    try:
        io.save(graph, path)
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        return " ".join(f"{path} could not be written: {reason}".split())
    return ""
