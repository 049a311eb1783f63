"""Work off the GUI thread that touches no Qt object: the one way the window runs heavy work.

A :class:`Job` runs a plain function on a Python thread and keeps its value or its exception.
The worker thread never emits a signal and never holds a Qt object: the GUI thread looks for the
job's end, either in a local event loop (:func:`wait`: a file being read, user code being called)
or with a timer (:class:`JobWatch`: a debugger step, a gradient check, a data file, training),
and takes the outcome there (:meth:`Job.result`). A job that ends also writes one byte to a socket
the GUI thread listens to (:class:`Wakeup`), so a watch looks at once rather than on its timer's
next turn (up to ``POLL_MS`` later: 5 ms of a 90 ms training run on average).

A Qt object reached from a worker thread (a signal emitted there, or one freed there by Python's
garbage collector) crashed the process now and then, in a fresh-clone CI run inside the collector.

Two rules keep every Qt object's last reference on the GUI thread:
- a job's work (a closure that may hold a window's object) is never dropped by its thread: an ended
  job waits in :data:`_ended` until the GUI thread lets it go (:func:`sweep`) after its thread ended;
- Python's cyclic collector runs on the GUI thread only (:class:`Collector`): automatic collection
  is off, and a GUI timer collects as often as the collector's own thresholds would. A worker that
  allocates (training, a debugger step) could otherwise start a collection that frees a cycle
  holding a Qt object there.
"""
from __future__ import annotations

import gc
import threading
from typing import TYPE_CHECKING, Any, Callable, Generic, TypeVar

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, QSocketNotifier, QTimer, Signal

if TYPE_CHECKING:
    import socket

T = TypeVar("T")
POLL_MS = 10  # how often the GUI thread looks whether a job has ended (a flag read: costs nothing)
COLLECT_MS = 250  # how often the GUI thread looks whether the cyclic collector is due

_ended: list["Job[Any]"] = []  # ended jobs the GUI thread has not let go of yet (list.append is atomic)


class Job(Generic[T]):
    """``work()`` on a daemon thread, started at once. ``ended`` is safe to read from any thread;
    :meth:`result` is taken once, on the thread that waits for the job."""

    def __init__(self, work: Callable[[], T], name: str) -> None:
        Collector.install()  # jobs start on the GUI thread: from now on it alone collects cycles
        Wakeup.install()
        self._work: Callable[[], T] | None = work
        self._value: T | None = None
        self._error: BaseException | None = None
        self._ended = threading.Event()
        self.thread = threading.Thread(target=self._body, name=name, daemon=True)
        self.thread.start()

    def _body(self) -> None:
        try:
            self._value = self._work()  # type: ignore[misc]
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread as it is
            self._error = exc
        finally:
            _ended.append(self)  # dropped by the GUI thread (sweep), with the work and what it holds
            self._ended.set()
            Wakeup.ring()

    @property
    def ended(self) -> bool:
        return self._ended.is_set()

    def join(self, timeout: float | None = None) -> bool:
        """Block until the job ended (at most ``timeout`` seconds); True when it has."""
        return self._ended.wait(timeout)

    def result(self) -> T:
        """The value of ``work()``, or its exception raised here. Drops both, so that no reference
        cycle through an error's traceback keeps the caller's objects for the collector."""
        self.join()
        error, value = self._error, self._value
        self._error = self._value = None
        self._work = None
        if error is not None:
            try:
                raise error
            finally:
                error = None
        return value  # type: ignore[return-value]


def wait(job: Job[T], loop: QEventLoop | None = None,
         flags: QEventLoop.ProcessEventsFlag = QEventLoop.ProcessEventsFlag.AllEvents) -> bool:
    """On the GUI thread: run a local event loop (the window keeps painting) until ``job`` ended,
    or until someone quits ``loop`` (a Cancel button). True when the job ended."""
    if job.ended:
        return True
    loop = loop if loop is not None else QEventLoop()
    poll = QTimer()
    poll.setInterval(POLL_MS)
    poll.timeout.connect(lambda: loop.quit() if job.ended else None)
    poll.start()
    loop.exec(flags)
    poll.stop()
    return job.ended


class JobWatch(QObject):
    """Looks, on a timer of the GUI thread and whenever a job rings the :class:`Wakeup`, for the end
    of the jobs it watches and then calls each one's ``done(job)`` there; ``tick()`` is called on
    every look while the job runs (progress).
    A watch destroyed with its owner calls nothing: the job's thread ends on its own."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = POLL_MS) -> None:
        super().__init__(parent)
        self._jobs: dict[Job[object], tuple[Callable[[Job[object]], None], Callable[[], None] | None]] = {}
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.poll)
        wakeup = Wakeup.install()
        if wakeup is not None:
            wakeup.rang.connect(self.poll)

    def watch(self, job: Job[T], done: Callable[[Job[T]], None], tick: Callable[[], None] | None = None) -> None:
        self._jobs[job] = (done, tick)  # type: ignore[index, assignment]
        self._timer.start()

    def forget(self, job: Job[object]) -> None:
        """Call nothing when ``job`` ends (its result is dropped)."""
        self._jobs.pop(job, None)
        if not self._jobs:
            self._timer.stop()

    @property
    def watching(self) -> int:
        return len(self._jobs)

    def poll(self) -> None:
        """Look now (what the timer does, and the :class:`Wakeup` when a job ended): ``done`` for
        each ended job, ``tick`` for the others."""
        for job, (done, tick) in list(self._jobs.items()):
            if job.ended:
                self.forget(job)
                done(job)
            elif tick is not None:
                tick()


class Wakeup(QObject):
    """The GUI thread learns at once that a job ended: the job's thread writes one byte to a
    socket (it touches no Qt object) and a socket notifier on the GUI thread emits ``rang``.
    One for the application, made by the first job or watch."""

    rang = Signal()
    _instance: "Wakeup | None" = None
    _writer: socket.socket | None = None  # read by job threads: set once, never cleared

    def __init__(self, parent: QObject) -> None:
        import socket  # here: the launcher imports this module before the first paint (~3 ms)

        super().__init__(parent)
        self._reader, writer = socket.socketpair()
        for end in (self._reader, writer):
            end.setblocking(False)
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._on_readable)
        Wakeup._writer = writer

    @classmethod
    def install(cls) -> "Wakeup | None":
        """The application's Wakeup (None without an application, or where sockets fail)."""
        app = QCoreApplication.instance()
        if cls._instance is None and app is not None:
            try:
                cls._instance = cls(app)
            except OSError:
                return None
        return cls._instance

    @classmethod
    def ring(cls) -> None:
        """From any thread: tell the GUI thread that a job ended."""
        writer = cls._writer
        if writer is None:
            return
        try:
            writer.send(b"\0")
        except OSError:  # full: a byte is waiting already, so the GUI thread wakes anyway
            pass

    def _on_readable(self) -> None:
        try:
            while self._reader.recv(4096):
                pass
        except OSError:  # drained
            pass
        self.rang.emit()


def sweep() -> None:
    """On the GUI thread: let go of the jobs whose threads have ended, so that what their work held
    (a window's objects) is freed here."""
    _ended[:] = [job for job in _ended if job.thread.is_alive()]


class Collector(QObject):
    """Python's cyclic garbage collection on the GUI thread only (see the module's docstring); also
    sweeps ended jobs. One for the application, made by the first job."""

    _instance: "Collector | None" = None

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        self._timer = QTimer(self)
        self._timer.setInterval(COLLECT_MS)
        self._timer.timeout.connect(self.collect)
        self._timer.start()
        gc.disable()

    @classmethod
    def install(cls) -> None:
        app = QCoreApplication.instance()
        if cls._instance is None and app is not None:
            cls._instance = cls(app)

    @classmethod
    def now(cls) -> None:
        """Collect now if collection is due (the test suite calls it between tests, when no event
        loop runs the timer)."""
        if cls._instance is not None:
            cls._instance.collect()

    def collect(self) -> None:
        """Collect the generations that are due, as the automatic collector would have."""
        sweep()
        gc.disable()  # kept off, whoever turned it on
        counts = gc.get_count()
        if counts[0] <= self._thresholds[0]:
            return
        generation = 0
        for g in (1, 2):
            if counts[g] > self._thresholds[g]:
                generation = g
        gc.collect(generation)
