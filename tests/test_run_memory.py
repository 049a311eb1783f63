"""A run's loss buffer takes memory as its updates fill it, not for the whole planned run at its
start: 10,000,000 planned updates are 80 MB, which the window held from Train on whether the run
went on for a second or for hours."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from app.training.runs import Run
from core.settings import TrainingSettings

STATM = Path("/proc/self/statm")


def _resident_bytes() -> int:
    import os

    return int(STATM.read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.skipif(not STATM.exists(), reason="reads the resident memory from /proc (Linux)")
def test_a_long_planned_run_holds_memory_for_the_updates_done() -> None:
    before = _resident_bytes()
    run = Run(1, TrainingSettings(steps=10_000_000), 10_000_000)
    run.losses[:50_000] = np.linspace(1.0, 0.0, 50_000)  # the worker's writes: 400 KB
    run.count = 50_000
    grown = _resident_bytes() - before
    assert grown < 8_000_000, f"{grown:,} bytes resident for a 10,000,000-update run's first 50,000"
    assert run.history[-1] == 0.0 and run.history.size == 50_000 and run.losses.size == 10_000_000
