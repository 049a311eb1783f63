"""Saving off the GUI thread: Save, Save As and Save a Copy write the document's file on a worker,
with progress and Cancel.

Writing a big document as text takes seconds (a 20 MB file froze the window 7 s when it was
written on the GUI thread). The GUI thread takes a snapshot (:meth:`Document.snapshot`: a copy
of the graph that shares the value arrays, which nobody writes in place), a :class:`Job` turns it
into text a chunk at a time and writes it with ``core.io.atomic.write_atomic`` (``core.io.save``),
and the GUI thread takes the outcome when the job ends (:class:`JobWatch`), as autosave does.
Meanwhile the window answers, the status bar says how long the save has taken and, past a
moment, shows how far it is with Cancel Save (:class:`~app.window.save_progress.SaveProgress`),
and the user may go on editing: the document is marked saved at the snapshot
(:meth:`Document.mark_saved`), so an edit made during the save keeps it modified. A failed save
says why in one line and leaves the document modified.

Cancel Save (:meth:`Saver.cancel`) stops the writer before its next chunk: the file on disk stays
byte for byte as it was (the chunks went to a temporary file, which is removed), the document
stays modified, and the status bar says so. A cancel that comes after the last chunk is too late:
the file is written and the save says so.

One save at a time: a save asked for while one runs waits for it first, so files are written in
the order asked. Closing the window (and Open, New, Quit) waits for a save in progress
(:meth:`Saver.finish`): the file a person asked for is written before the window goes, never
dropped half-way unasked. The window paints but takes no input; past a moment the wait shows a
dialog with the save's progress and Cancel Save, so a person who does not want to wait can stop
it, and then the usual question about the unsaved changes comes (Save, Discard or Cancel).
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QEventLoop, QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from app.model.document import Document, SaveMark
from app.window.background import Job, JobWatch, wait
from app.window.save_progress import SaveProgress, SaveWaitDialog
from core import io
from core.graph import Graph
from core.io.atomic import WriteCancelled

TICK_MS = 100  # how often the status bar's "Saving … s" and the progress are brought up to date
SHOW_AFTER_S = 0.3  # a save still running this long shows its progress and Cancel Save
WAIT_DIALOG_MS = 500  # a wait for a save (closing the window) that lasts this long shows its dialog
NOTE_MS = 8000  # how long "Saved …" and "Could not save …" stay in the status bar
CANCELLED = "cancelled"  # ``finished``'s second argument when the user cancelled the save


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


class WriteState:
    """What the GUI thread and a save's worker share: how far the writing is, and whether to stop.
    The worker writes ``counts`` (one tuple, so it is read whole), the GUI thread sets the stop."""

    def __init__(self) -> None:
        self.counts = (0, 0)  # numbers of the document's big arrays written, and in all
        self._stop = threading.Event()

    def chunk(self, done: int, total: int) -> bool:
        """On the worker, before each chunk of the file: note how far, and False to stop here."""
        self.counts = (done, total)
        return not self._stop.is_set()

    def cancel(self) -> None:
        self._stop.set()

    @property
    def cancelled(self) -> bool:
        return self._stop.is_set()

    def percent(self) -> int:
        """How far the text is made, 0 to 99 (100 is the save's end: the file in its place)."""
        done, total = self.counts
        return min(99, 100 * done // total) if total else 0


class Saver(QObject):
    """The saves of one window, one at a time, each written off the GUI thread."""

    started = Signal(str)  # the file being written
    progressed = Signal(int)  # percent written, on the GUI thread (100 when the file is in place)
    finished = Signal(str, str)  # the file, and "" when it was written, CANCELLED, or else the one-line reason

    def __init__(self, host: SaveHost, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self._job: Job[str] | None = None
        self._task: SaveTask | None = None
        self._state = WriteState()
        self._written = True  # whether the last save that ended wrote its file
        self._watch = JobWatch(self, TICK_MS)
        self._dialog: SaveWaitDialog | None = None
        self.progress = SaveProgress()  # the window puts it in its status bar
        self.progress.cancelRequested.connect(self.cancel)

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
        graph, state = mark.graph, WriteState()
        self._state = state
        self._job = Job(lambda: _write_or_say(graph, path, state), name="save")
        self._watch.watch(self._job, lambda _job: self._end(), self._tick)
        self.progress.begin(path.name)
        self.host.show_status(f"Saving {path.name}…", NOTE_MS)
        self.started.emit(str(path))

    def cancel(self) -> None:
        """Cancel Save: the writer stops before its next chunk and the file stays as it was
        (``finished`` says CANCELLED), unless the last chunk is written already."""
        task = self._task
        if task is None or self._state.cancelled:
            return
        self._state.cancel()
        self.progress.cancelling()
        self.host.show_status(f"Cancelling the save of {task.path.name}…", NOTE_MS)

    def finish(self, note: str) -> bool:
        """Wait for the save in progress, if any (the window paints but takes no input; ``note``
        in the status bar says why; past a moment a dialog shows the progress and Cancel Save).
        False when that save failed or was cancelled."""
        job = self._job
        if job is None:
            return True
        self.host.show_status(note, NOTE_MS)
        quiet = QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents
        if not self._wait_for(job, WAIT_DIALOG_MS, quiet):
            host = self.host
            dialog = SaveWaitDialog(note, self._state.percent(), host if isinstance(host, QWidget) else None)
            self._dialog = dialog
            loop = QEventLoop()
            for asked in (dialog.canceled, dialog.rejected):  # Cancel Save, or Esc
                asked.connect(self.cancel)
                asked.connect(loop.quit)
            dialog.show()
            wait(job, loop)  # until the save ended or Cancel Save was pressed (the dialog takes the input)
            self._dialog = None
            for asked in (dialog.canceled, dialog.rejected):  # closing it is no cancel
                asked.disconnect()
            dialog.hide()
            dialog.deleteLater()
            wait(job, flags=quiet)  # a cancelled writer stops at its next chunk
        if self._job is job:  # else the watch took its outcome during the wait
            self._end()
        return self._written

    @staticmethod
    def _wait_for(job: Job[str], ms: int, flags: QEventLoop.ProcessEventsFlag) -> bool:
        """Wait at most ``ms`` for ``job`` in an event loop run with ``flags``; True when it ended."""
        loop = QEventLoop()
        timer = QTimer()
        timer.setSingleShot(True)
        timer.timeout.connect(loop.quit)
        timer.start(ms)
        try:
            return wait(job, loop, flags)
        finally:
            timer.stop()

    def _tick(self) -> None:
        task = self._task
        if task is None:
            return
        seconds = time.monotonic() - task.began
        percent = self._state.percent()
        if not self._state.cancelled:
            self.host.show_status(f"Saving {task.path.name}… {seconds:.0f} s", NOTE_MS)
        if seconds >= SHOW_AFTER_S:
            self.progress.show_percent(percent)
        if self._dialog is not None:
            self._dialog.setValue(percent)
        self.progressed.emit(percent)

    def _end(self) -> None:
        """Take the outcome of the save that ended (``finished`` tells it)."""
        job, task = self._job, self._task
        self._job = self._task = None
        self.progress.end()
        if job is None or task is None:
            return
        self._watch.forget(job)  # type: ignore[arg-type]
        error = job.result()
        name = task.path.name
        if error == CANCELLED:
            kept = f"{name} is as it was before" if task.path.exists() else f"nothing was written to {name}"
            self.host.show_status(f"Save cancelled: {kept}", NOTE_MS)
        elif error:
            self.host.show_status(f"Could not save {name}: {error}", NOTE_MS)
        else:
            if not task.copy:
                task.document.mark_saved(task.mark, task.path)
            self.progressed.emit(100)
            self.host.show_status(f"Saved {task.path}", NOTE_MS)
        self._written = not error
        self.finished.emit(str(task.path), error)


def _write_or_say(graph: Graph, path: Path, state: WriteState) -> str:
    """On the worker thread: write ``graph`` to ``path``; "" when written, CANCELLED when ``state``
    was cancelled before the last chunk, else the reason in one line."""
    try:
        io.save(graph, path, state.chunk)
    except WriteCancelled:
        return CANCELLED
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        return " ".join(f"{path} could not be written: {reason}".split())
    return ""
