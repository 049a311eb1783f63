"""The work one undo costs in the whole window (``create_window``), counted, not timed: undoing a
50-node deletion on a 300-node graph finds the program (the debugger's and the training dock's) and
the validation (for it, the canvas and the inspector) of the graph state it returns to, building
neither anew, and measures the Program rows in sight, not all of them
(tests/test_program_list_lazy.py counts them on a 3,000-node graph)."""
from __future__ import annotations

from PySide6.QtWidgets import QApplication

import app.debugger.program_view as program_view
import core.validation
from app.commands import Delete
from app.model.document import Document
from benchmarks.bench_editor import layered_graph
from core.program import Program


def _counting(monkeypatch, owner, name):
    calls = []
    real = getattr(owner, name)

    def counted(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return calls


def test_one_undo_builds_each_derived_thing_a_bounded_number_of_times(workbench, qtbot, monkeypatch):
    window = workbench(Document(layered_graph(300, 400)))
    document = window.document
    document.undo_stack.push(Delete(document, list(document.graph.nodes)[::6][:50]))
    QApplication.processEvents()
    rows_before = window.debugger.program_view.list.model().rowCount()
    assert len(document.graph.nodes) == 250
    programs = _counting(monkeypatch, Program, "__init__")
    checks = _counting(monkeypatch, core.validation, "_shapes_in_order")
    measured = _counting(monkeypatch, program_view, "_lines")
    document.undo_stack.undo()
    QApplication.processEvents()
    window.repaint()
    assert len(document.graph.nodes) == 300
    rows = window.debugger.program_view.list.model().rowCount()
    assert rows > rows_before
    # the graph is back in a state seen before: its program (for the debugger and the training
    # dock: was three) and its validation (for the program, the canvas's problems and the
    # inspector's summary: was six) are found again (core.derived_cache), none made anew
    assert len(programs) == 0
    assert len(checks) == 0
    assert window.debugger.controller.stepper.program is document.derived.program()
    # the rows in sight measured, not every row (the list measures a row when it shows it): was
    # every row once, and before that every row at each of three layouts
    assert 0 < len(measured) < rows // 4
