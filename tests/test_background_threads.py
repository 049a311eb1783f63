"""Qt objects are freed on the GUI thread only, whatever a worker thread does: a job's work is let
go of there (app.window.background.sweep), and the cyclic collector runs there (app.window.background.Collector).
A Qt object freed on a worker thread crashed the suite now and then (a segfault in the GUI thread's
event loop while a training worker ran)."""
from __future__ import annotations

import gc
import threading

from PySide6.QtCore import QObject

from app.window.background import Collector, Job, sweep


class Probe(QObject):
    """Records the thread that frees it."""

    def __init__(self, freed: list[str]) -> None:
        super().__init__()
        self.freed = freed

    def __del__(self) -> None:
        self.freed.append(threading.current_thread().name)


def _holding(obj: QObject):
    return lambda: obj.objectName()


def test_the_work_of_an_ended_job_is_let_go_of_on_the_gui_thread(qapp) -> None:
    freed: list[str] = []
    job = Job(_holding(Probe(freed)), name="worker")
    job.join()
    job.thread.join()
    del job  # nobody on the GUI thread asks for the result
    assert freed == []  # the thread did not drop the work (and the Probe with it)
    sweep()
    assert freed == [threading.current_thread().name]


def test_a_worker_that_allocates_starts_no_collection(qapp, qtbot) -> None:
    Job(lambda: None, name="first").join()  # any job turns automatic collection off
    assert not gc.isenabled()
    freed: list[str] = []
    cycle = Probe(freed)
    cycle.me = cycle  # type: ignore[attr-defined]
    del cycle

    def allocate() -> list[list[int]]:
        return [[i] for i in range(50 * gc.get_threshold()[0])]  # far past the collector's threshold

    job = Job(allocate, name="allocating worker")
    job.join()
    assert freed == []  # the worker's allocations collected nothing
    qtbot.waitUntil(lambda: bool(freed), timeout=5000)  # the GUI thread's timer collects the cycle
    assert freed == [threading.current_thread().name]
    assert len(job.result()) == 50 * gc.get_threshold()[0]


def test_the_collector_collects_the_generations_that_are_due(qapp) -> None:
    Collector.install()
    gc.collect()  # every generation's count from zero
    freed: list[str] = []
    cycle = Probe(freed)
    cycle.me = cycle  # type: ignore[attr-defined]
    gc.collect(1)
    gc.collect(1)  # alive through two collections: the cycle is in the oldest generation
    del cycle
    junk = [[i] for i in range(2 * gc.get_threshold()[0])]
    Collector.now()
    assert freed == []  # only the youngest generation was due
    del junk
    gc.collect()
    assert freed == [threading.current_thread().name]
