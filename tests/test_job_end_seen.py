"""The GUI thread hears of a job's end at once (app.window.background.Wakeup), and a training
worker handles the end of each of its threads once, ignoring the end of an earlier one."""
from __future__ import annotations

import threading

from training_helpers import WAIT_MS, make_ui, open_example

from app.training.runs import FINISHED, PAUSED, RUNNING
from app.window.background import Job, JobWatch, Wakeup

HOUR_MS = 3_600_000


def test_a_watch_hears_of_a_jobs_end_without_waiting_for_its_timer(qtbot) -> None:
    watch = JobWatch(interval_ms=HOUR_MS)  # its timer would look an hour from now
    release = threading.Event()
    job = Job(lambda: release.wait(WAIT_MS / 1000) and 42, name="waiting")
    seen: list[int] = []
    watch.watch(job, lambda j: seen.append(j.result()))
    watch.poll()  # a look while it runs calls nothing
    assert seen == [] and watch.watching == 1
    release.set()
    qtbot.waitUntil(lambda: seen == [42], timeout=WAIT_MS)
    assert watch.watching == 0


def test_each_watch_calls_only_its_own_jobs_done(qtbot) -> None:
    first, second = JobWatch(interval_ms=HOUR_MS), JobWatch(interval_ms=HOUR_MS)
    release = threading.Event()
    quick = Job(lambda: "quick", name="quick")
    slow = Job(lambda: release.wait(WAIT_MS / 1000) and "slow", name="slow")
    seen: list[str] = []
    first.watch(quick, lambda j: seen.append(j.result()))
    second.watch(slow, lambda j: seen.append(j.result()))
    qtbot.waitUntil(lambda: seen == ["quick"], timeout=WAIT_MS)
    assert second.watching == 1  # the quick job's end woke it: it looked and left its job alone
    release.set()
    qtbot.waitUntil(lambda: seen == ["quick", "slow"], timeout=WAIT_MS)


def _started(qtbot, updates: int):
    """A Mazur run of ``updates`` just started: (the UI, its run, the worker, the job of its thread)."""
    ui = make_ui(qtbot, open_example("mazur"))
    ui.panel.steps.setValue(updates)
    run = ui.session.train()
    worker = ui.session.worker
    return ui, run, worker, worker._job


def test_the_end_of_an_earlier_thread_of_a_run_is_ignored(qtbot) -> None:
    ui, run, worker, first = _started(qtbot, 2_000_000)
    session = ui.session
    with qtbot.waitSignal(session.stateChanged, timeout=WAIT_MS, check_params_cb=lambda s: s == PAUSED):
        session.pause()
    assert first.ended and worker._job is None
    ended: list[str] = []
    worker.finished.connect(ended.append)
    session.resume()
    assert worker._job is not None and worker._job is not first
    worker._on_thread_done(first)  # the first thread's end, told again while the second one runs
    assert ended == [] and run.status == RUNNING and session.state == RUNNING
    with qtbot.waitSignal(session.runFinished, timeout=WAIT_MS):
        session.stop()
    assert len(ended) == 1 and run.status != RUNNING


def test_finish_now_and_the_watch_both_seeing_the_end_finish_the_run_once(qtbot) -> None:
    _ui, run, worker, job = _started(qtbot, 500)
    ended: list[str] = []
    worker.finished.connect(ended.append)
    worker.wait()
    worker.finish_now()  # as shutdown does: at once, before the event loop hears of it
    assert ended == [FINISHED] and run.count == 500
    worker._on_thread_done(job)  # the watch's look, had it not been told to forget the job
    job.thread.join()  # the thread has rung the wake-up: the GUI thread looks again, finds nothing to do
    with qtbot.waitSignal(Wakeup.install().rang, timeout=WAIT_MS):
        pass
    assert ended == [FINISHED]
