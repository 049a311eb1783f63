"""The session's ticks come less often when the GUI thread's work between two of them is costly:
its CPU time stays within GUI_SHARE of the interval, between TICK_MS and SLOWEST_TICK_MS; a run
starts at the slowest rate (what a frame costs is not known yet)."""
from __future__ import annotations

import pytest
from training_helpers import WAIT_MS, make_ui, open_example

import app.training.session as session_module
from app.training.session import GUI_SHARE, SLOWEST_TICK_MS, TICK_MS


class SteppedClock:
    """A thread_time that moves by ``step`` seconds at each reading."""

    def __init__(self, step: float) -> None:
        self.step, self.now = step, 0.0

    def thread_time(self) -> float:
        self.now += self.step
        return self.now


@pytest.mark.parametrize(("cpu_ms", "interval"), [
    (0.5, TICK_MS),  # light frames: the highest rate
    (3.0, round(3.0 / GUI_SHARE)),  # 60 ms: a frame of 3 ms is 5 % of it
    (20.0, SLOWEST_TICK_MS),  # costly frames: never fewer than ten a second
])
def test_the_tick_interval_keeps_the_gui_threads_share(qtbot, monkeypatch, cpu_ms, interval):
    clock = SteppedClock(cpu_ms / 1000)
    monkeypatch.setattr(session_module, "time", clock)
    ui = make_ui(qtbot, open_example("mazur"))
    ui.panel.steps.setValue(5_000_000)
    session = ui.session
    ticks: list[int] = []
    session.ticked.connect(lambda: ticks.append(session.tick_interval))
    session.train()
    assert session.tick_interval == SLOWEST_TICK_MS  # the first tick: the cost of a frame is not known yet
    qtbot.waitUntil(lambda: len(ticks) >= 2, timeout=WAIT_MS)
    with qtbot.waitSignal(session.runFinished, timeout=WAIT_MS):
        session.stop()
    assert ticks[0] == ticks[1] == interval
    session.train()  # a new run starts at the slowest rate again
    assert session.tick_interval == SLOWEST_TICK_MS
    with qtbot.waitSignal(session.runFinished, timeout=WAIT_MS):
        session.stop()
