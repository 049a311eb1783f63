"""The work one undo costs in the whole window (``create_window``), counted, not timed: undoing a
50-node deletion on a 300-node graph builds no program and no validation (the graph of before
is found again in ``Document.derived``'s cache), and measures each Program row once
(the list asks every row's size at each layout: the delegate answers from one measurement)."""
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
    # the graph of before the deletion, whose program (the debugger's and the training dock's) and
    # validation (the canvas's problems, the inspector's summary) are found again: none made (was
    # one of each; before that three programs and six validations)
    assert len(programs) == 0 and len(checks) == 0
    assert window.debugger.controller.stepper.program is document.derived.program()
    # every row measured once for the new program (and the rows that fill the list once more, to
    # choose the room beside a scroll bar), whatever number of layouts: was once a layout, three
    # (the program found again may find its rows' heights kept from before the deletion)
    assert len(measured) < 2 * rows
