"""Counts of steps are written one way everywhere: with thousands separators, in the Program
heading, in the status line and in a run's progress text alike ("2,832 of 5,631 steps run" above
"step 2,832 / 5,631", never "step 2832 / 5630")."""
from __future__ import annotations

import pytest
from big_program import big_program_view
from PySide6.QtWidgets import QApplication

from app.debugger.status import status_text


@pytest.fixture
def big(qtbot):
    return big_program_view(qtbot)


def test_heading_and_status_line_write_step_counts_alike(big):
    controller, view = big
    n = len(controller.stepper.program.steps)
    assert n > 1000
    controller.goto(2832)
    QApplication.processEvents()
    assert f"2,832 of {n:,} steps run" in view.header.text().replace("\u00a0", " ")
    text = status_text(controller)
    assert f"step 2,832 / {n:,}:" in text, text
    assert "2832" not in text and "2832" not in view.header.text().replace("\u00a0", " ")
    controller.goto(0)
    assert f"step 0 / {n:,} · next" in status_text(controller)
