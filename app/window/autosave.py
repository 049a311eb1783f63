"""Autosave and crash recovery.

While the document has unsaved changes, an :class:`Autosaver` writes its graph (atomically,
through ``core.io.fileformat.save``) to a recovery file every ``interval_ms``. The timer's writes run on
a Python thread from a copy of the graph (``core.rewrite.copy_graph`` shares the value arrays, which nobody writes
in place): writing a big dataset as text takes seconds, which on the GUI thread froze the window
(27 s on a busy machine while training the 784-256-10 example). That thread touches no Qt object
and holds none (:mod:`app.window.background`): the GUI thread looks for its end. A clean exit, a save or an
undo back to the saved state removes the file; an exit on a signal with unsaved changes
(:meth:`Autosaver.keep`) writes it and leaves it. A recovery file whose owner is gone (its
:class:`QLockFile` is stale) is what a crash left behind: :func:`find_recoveries` lists them.
"""
from __future__ import annotations

import itertools
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QLockFile, QObject, QStandardPaths, QTimer, Signal

from app.model.document import Document
from app.model.title import document_title
from app.window.background import Job, JobWatch
from core import io
from core.graph import Graph
from core.io.atomic import write_atomic
from core.rewrite.apply import copy_graph

DEFAULT_INTERVAL_MS = 30_000
POLL_MS = 50  # how often the GUI thread looks whether a write off it has ended
PREFIX = "recovery-"
_counter = itertools.count(1)


def recovery_dir() -> Path:
    """The application data folder (QStandardPaths.AppDataLocation) where recovery files go."""
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(location) / "recovery"


@dataclass(frozen=True)
class Recovery:
    """A recovery file left by a process that did not exit cleanly."""

    path: Path
    source: Path | None  # the file the document was opened from, if any
    title: str  # the document's title (app.model.title.document_title)
    saved_at: float  # modification time, seconds since the epoch
    example: str | None = None  # the shipped example an untitled document was a copy of
    ended_by: str | None = None  # the signal that closed the workbench ("SIGTERM"), None after a crash

    def remove(self) -> None:
        for p in _companions(self.path):
            try:
                p.unlink()
            except FileNotFoundError:
                pass


def _companions(path: Path) -> tuple[Path, Path, Path]:
    stem = path.with_suffix("")
    return path, stem.with_suffix(".source"), stem.with_suffix(".lock")


def find_recoveries(directory: Path) -> list[Recovery]:
    """Recovery files whose writer is no longer running, newest first."""
    if not directory.is_dir():
        return []
    _remove_dead_temporaries(directory)
    found = []
    for path in directory.glob(f"{PREFIX}*.json"):
        _, source_file, lock_file = _companions(path)
        lock = QLockFile(str(lock_file))
        lock.setStaleLockTime(0)
        if not lock.tryLock(0):
            continue  # a running workbench owns it
        lock.unlock()
        info = _read_source(source_file)
        source = Path(info["source"]) if isinstance(info.get("source"), str) else None
        example = info["example"] if source is None and isinstance(info.get("example"), str) else None
        ended_by = info["ended_by"] if isinstance(info.get("ended_by"), str) else None
        given = info.get("title")
        title = document_title(source.name if source else example, example=example is not None)
        if source is None and example is None and isinstance(given, str):
            title = given  # written before examples were recorded
        try:
            saved_at = path.stat().st_mtime
        except OSError:
            continue
        found.append(Recovery(path, source, title, saved_at, example, ended_by))
    return sorted(found, key=lambda r: r.saved_at, reverse=True)


def _remove_dead_temporaries(directory: Path) -> None:
    """Remove the temporary files (``.recovery-<token>.json.<hex>.tmp``) of writes whose process was
    killed before the rename: the next start uses another token, so no later save of the same
    file would ever remove them. A running workbench's lock keeps its own."""
    for tmp in directory.glob(f".{PREFIX}*.tmp"):
        stem = tmp.name[1:].split(".", 1)[0]  # recovery-<pid>-<n>
        lock = QLockFile(str(directory / f"{stem}.lock"))
        lock.setStaleLockTime(0)
        if not lock.tryLock(0):
            continue  # its writer is alive
        try:
            tmp.unlink()
        except OSError:
            pass
        lock.unlock()


def _read_source(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


class Autosaver(QObject):
    """Writes the watched document to its own recovery file while it has unsaved changes."""

    written = Signal(str)  # the recovery file's path
    failed = Signal(str)  # a message naming the file

    def __init__(self, directory: Path | None = None, interval_ms: int = DEFAULT_INTERVAL_MS,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.directory = Path(directory) if directory is not None else recovery_dir()
        token = f"{os.getpid()}-{next(_counter)}"
        self.path = self.directory / f"{PREFIX}{token}.json"
        self._lock: QLockFile | None = None
        self._document: Document | None = None
        self._revision = 0
        self._written_revision = -1
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)
        self._timer.start()
        self._job: Job[str] | None = None  # the write in progress off the GUI thread: its error, "" if written
        self._job_info: tuple[int, int] = (0, 0)  # the generation and revision it writes
        self._generation = 0  # one more at each discard, so a write that ends after it is dropped
        self._watch = JobWatch(self, POLL_MS)

    @property
    def interval_ms(self) -> int:
        return self._timer.interval()

    def set_document(self, document: Document | None) -> None:
        """Watch ``document`` (a Document); the previous one's recovery file is dropped."""
        if self._document is not None:
            for signal, slot in self._connections(self._document):
                signal.disconnect(slot)
        self.discard()
        self._document = document
        self._revision += 1
        if document is not None:
            for signal, slot in self._connections(document):
                signal.connect(slot)

    def _connections(self, document: Document) -> list[tuple[Any, Any]]:
        return [
            (document.edited, self._bump),
            (document.bridge.valueChanged, self._bump),
            (document.modifiedChanged, self._on_modified_changed),
        ]

    def _bump(self, *args: Any) -> None:
        self._revision += 1

    def _on_modified_changed(self, modified: bool) -> None:
        self._bump()
        if not modified:
            self.discard()

    def write_if_needed(self) -> bool:
        """Write the recovery file when the document has changes not yet written; True if written."""
        doc = self._document
        if doc is None or not doc.is_modified() or self._revision == self._written_revision:
            return False
        return self.write_now()

    def write_now(self) -> bool:
        """Write on the calling thread (after any write in progress); True if written."""
        return self._store(lambda doc: _write(self.path, doc.graph, self._source_info(doc)))

    def adopt(self, recovery: Path) -> bool:
        """Take ``recovery`` (a crash's recovery file, just restored into the watched document) as
        this autosaver's written copy of it: renamed, not rewritten, so the restored changes stay on
        disk until the next write, a save or a clean exit. True when adopted."""

        def move(doc: Document) -> None:
            os.replace(recovery, self.path)
            write_atomic(self.path.with_suffix(".source"), self._source_info(doc))

        return self._store(move)

    def _store(self, put: Callable[[Document], None]) -> bool:
        """``put`` the watched document's recovery file on the calling thread (after any write in
        progress), under this autosaver's lock; True when it holds the document as it is now."""
        doc = self._document
        if doc is None:
            return False
        self._join()
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            self._take_lock()
            put(doc)
        except (OSError, ValueError) as exc:
            self.failed.emit(f"autosave to {self.path} failed: {exc}")
            return False
        self._written_revision = self._revision
        self.written.emit(str(self.path))
        return True

    def _tick(self) -> None:
        """The timer: start a write off the GUI thread when one is needed and none is going on."""
        doc = self._document
        if self._job is not None or doc is None or not doc.is_modified() \
                or self._revision == self._written_revision:
            return
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            self._take_lock()
        except OSError as exc:
            self.failed.emit(f"autosave to {self.path} failed: {exc}")
            return
        path, graph, info = self.path, copy_graph(doc.graph), self._source_info(doc)
        self._job_info = (self._generation, self._revision)
        self._job = Job(lambda: _write_or_say(path, graph, info), name="autosave")
        self._watch.watch(self._job, lambda _job: self._join())

    def _join(self) -> None:
        """Wait for the write in progress, if any, and take its outcome."""
        job, self._job = self._job, None
        if job is None:
            return
        self._watch.forget(job)  # type: ignore[arg-type]
        error = job.result()
        generation, revision = self._job_info
        if generation != self._generation:  # discarded meanwhile: the file must not outlive it
            self._remove_files()
        elif error:
            self.failed.emit(error)
        else:
            self._written_revision = max(self._written_revision, revision)
            self.written.emit(str(self.path))

    @staticmethod
    def _source_info(doc: Document, ended_by: str | None = None) -> bytes:
        """The ``.source`` companion: the document's file, or the example it is an untitled copy
        of, its title, and (from :meth:`keep`) the signal that closed the workbench."""
        source = str(doc.path) if doc.path is not None else None
        info: dict[str, Any] = {"source": source, "example": doc.example if source is None else None,
                                "title": doc.title()}
        if ended_by is not None:
            info["ended_by"] = ended_by
        return json.dumps(info).encode("utf-8")

    def _take_lock(self) -> None:
        if self._lock is None:
            lock = QLockFile(str(self.path.with_suffix(".lock")))
            lock.setStaleLockTime(0)
            if not lock.tryLock(0):
                raise OSError(f"cannot lock {self.path.with_suffix('.lock')}")
            self._lock = lock

    def discard(self) -> None:
        """Remove this autosaver's recovery file (a clean exit, or nothing left to recover)."""
        self._generation += 1
        self._remove_files()
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None
        self._written_revision = -1

    def _remove_files(self) -> None:
        for p in _companions(self.path)[:2]:
            try:
                p.unlink()
            except FileNotFoundError:
                pass
            except OSError:
                continue

    def keep(self, ended_by: str) -> bool:
        """An exit that leaves the unsaved changes for the next start to offer (the workbench was told
        to end by the signal ``ended_by``, e.g. "SIGTERM": a logout, a kill): stop the timer, write
        what is not written yet (after any write in progress), note the signal beside it (the next
        start says the workbench was closed, not that it crashed), and let go of the lock without
        removing the file. True when the file holds the document as it is now."""
        self._timer.stop()
        self._join()
        kept = self._revision == self._written_revision or self.write_now()
        doc = self._document
        if kept and doc is not None:
            try:
                write_atomic(self.path.with_suffix(".source"), self._source_info(doc, ended_by))
            except OSError as exc:  # the recovery file stays; only the reason it was left is lost
                self.failed.emit(f"autosave to {self.path} failed: {exc}")
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None
        return kept

    def stop(self) -> None:
        """A clean exit: stop the timer, let a write in progress end, and remove the recovery file."""
        self._timer.stop()
        self._join()
        self.discard()


def _write(path: Path, graph: Graph, info: bytes) -> None:
    """The recovery file and its ``.source`` companion (the original file's path and title)."""
    io.save(graph, path)
    write_atomic(path.with_suffix(".source"), info)


def _write_or_say(path: Path, graph: Graph, info: bytes) -> str:
    """On the worker thread: :func:`_write`; "" when written, else the message."""
    try:
        _write(path, graph, info)
    except (OSError, ValueError) as exc:
        return f"autosave to {path} failed: {exc}"
    return ""
