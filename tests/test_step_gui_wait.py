"""The GUI thread waits for a debugger action's worker at most QUICK seconds, once: after that it only
reads the job's ``ended`` flag (on the watch's timer and the job's wake-up), and takes the result once
the job has ended. Pinned with a fake job that records every wait asked of it (no timing)."""
from __future__ import annotations

from typing import Any

from app.debugger import runner
from app.debugger.runner import QUICK, OffThread


class FakeJob:
    """A job whose end the test decides; records each ``join`` timeout the caller passes."""

    def __init__(self, ended: bool = False) -> None:
        self.ended = ended
        self.joins: list[float | None] = []

    def join(self, timeout: float | None = None) -> bool:
        self.joins.append(timeout)
        assert self.ended or timeout is not None, "an unbounded wait on a running job blocks the GUI thread"
        return self.ended

    def result(self) -> None:
        assert self.ended
        return None


class FakeRun:
    def __init__(self, job: FakeJob) -> None:
        self.job = job
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True

    def progress(self) -> str:
        return "Forward: affine1 (step 1 of 14)…"


class Host:
    def __init__(self) -> None:
        self.ended: list[Any] = []
        self.statuses: list[str] = []
        self.updates = 0

    def end_run(self, run: Any) -> None:
        self.ended.append(run)

    def _set_status(self, text: str, announce: bool = True) -> None:
        self.statuses.append(text)

    def _update_actions(self) -> None:
        self.updates += 1


def test_a_running_job_is_waited_for_once_and_at_most_quick(qapp):
    host = Host()
    off = OffThread(host)  # type: ignore[arg-type]
    job = FakeJob()
    run = FakeRun(job)
    off.start(run)  # type: ignore[arg-type]
    assert job.joins == [QUICK] and 0 < QUICK <= 0.05
    assert off.run is run and host.ended == [] and host.statuses == [run.progress()]
    for _ in range(5):  # the watch's looks while the job runs: no wait, progress only
        off._jobs.poll()
    assert job.joins == [QUICK] and host.ended == [] and len(host.statuses) == 6
    job.ended = True
    off._jobs.poll()
    assert host.ended == [run] and off.run is None and off._jobs.watching == 0
    assert job.joins == [QUICK]


def test_a_job_that_ended_within_quick_ends_the_action_at_once(qapp):
    host = Host()
    off = OffThread(host)  # type: ignore[arg-type]
    job = FakeJob(ended=True)
    off.start(FakeRun(job))  # type: ignore[arg-type]
    assert job.joins == [QUICK] and len(host.ended) == 1 and off.run is None and host.statuses == []


def test_finish_takes_the_result_of_an_ended_job_only(qapp):
    """BackgroundRun.finish (called from end_run once the job ended) waits for nothing."""
    job = FakeJob(ended=True)
    run = runner.BackgroundRun.__new__(runner.BackgroundRun)
    run.job = job  # type: ignore[assignment]
    run.stepper = type("S", (), {"interrupt": None})()  # type: ignore[assignment]
    run._held = []
    assert run.finish() is None
    assert all(timeout is None for timeout in job.joins) and job.ended
