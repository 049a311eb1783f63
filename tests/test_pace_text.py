"""The pace a training run shows: updates a second for fast runs, seconds an update for slow
ones (a whole-set update of a million rows takes seconds: "0 updates/s" said nothing)."""
from __future__ import annotations

from app.training.runs import Run, pace_text, progress_text
from core.settings import TrainingSettings


def run_of(capacity: int, count: int) -> Run:
    run = Run(number=2, settings=TrainingSettings(), capacity=capacity)
    run.count = count
    return run


def test_a_fast_run_shows_updates_a_second() -> None:
    run = run_of(10_000, 2_345)
    assert pace_text(run, 9_800.0) == "9,800 updates/s · 781 ms left"
    assert progress_text(run, 9_800.0) == "Run 2 training: 2,345 / 10,000 updates · 9,800 updates/s · 781 ms left"


def test_a_run_of_a_few_updates_a_second_keeps_one_decimal() -> None:
    assert pace_text(run_of(100, 40), 2.5) == "2.5 updates/s · 24 s left"


def test_a_slow_run_shows_the_time_of_one_update() -> None:
    run = run_of(10_000, 3)
    assert pace_text(run, 1 / 2.4) == "2.4 s an update · 6 h 39 min left"
    assert "0 updates/s" not in progress_text(run, 1 / 2.4)
