"""Counts of steps are written one way everywhere: with thousands separators, in the Program
heading, in the status line and in a run's progress text alike ("2,832 of 5,631 steps run" above
"step 2,832 / 5,631", never "step 2832 / 5630")."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from app.debugger.controller import DebugController
from app.debugger.program_view import ProgramView
from app.debugger.status import status_text
from app.model.document import Document
from benchmarks.bench_editor import layered_graph


@pytest.fixture
def big(qtbot):
    controller = DebugController(Document(layered_graph(3000, 4000)))
    view = ProgramView(controller)
    qtbot.addWidget(view)
    view.resize(300, 600)
    view.show()
    QApplication.processEvents()
    return controller, view


def test_heading_and_status_line_write_step_counts_alike(big):
    controller, view = big
    n = len(controller.stepper.program.steps)
    assert n > 1000
    controller.goto(2832)
    QApplication.processEvents()
    assert f"2,832 of {n:,} steps run" in view.header.text()
    text = status_text(controller)
    assert f"step 2,832 / {n:,}:" in text, text
    assert "2832" not in text and "2832" not in view.header.text()
    controller.goto(0)
    assert f"step 0 / {n:,} · next" in status_text(controller)
