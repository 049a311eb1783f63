"""The Exercise dock's word on why an exercise stopped lasts only as long as it is true: it goes
when the graph runs again and when another document comes."""
from __future__ import annotations

from helpers import load_example

from app.model.document import Document

IDLE = "Exercise ▸ Start Exercise turns the debugger into a quiz."


def _stopped_by_file_new(workbench, qtbot):
    window = workbench(Document(load_example("apple")), (1280, 800))
    mode, c = window.exercise_mode, window.debugger.controller
    mode.start()
    with qtbot.waitSignal(c.programChanged):
        window.files.new()
    panel = mode.panel
    assert mode.exercise is None and "the graph is empty" in panel.verdict.text()
    assert "the exercise stopped" in panel.verdict.text()
    return window, mode, c


def test_building_a_runnable_graph_clears_the_stop_note(workbench, qtbot):
    window, mode, c = _stopped_by_file_new(workbench, qtbot)
    graph = window.document.graph
    with qtbot.waitSignal(c.programChanged):
        graph.add_node("Parameter", "a", value=2.0)  # one node alone does not run yet
    assert c.stepper is None and "the exercise stopped" in mode.panel.verdict.text()
    with qtbot.waitSignal(c.programChanged):
        graph.add_node("Parameter", "b", value=3.0)
    with qtbot.waitSignal(c.programChanged):
        graph.add_node("Multiply", "m")
    with qtbot.waitSignal(c.programChanged):
        graph.connect("a", "m", "x")
    with qtbot.waitSignal(c.programChanged):
        graph.connect("b", "m", "y")
    assert c.stepper is not None
    assert mode.panel.verdict.text() == "" and mode.panel.about.text() == IDLE
    assert mode.start_action.isEnabled()


def test_opening_another_file_clears_the_stop_note(workbench, qtbot, examples_dir):
    window, mode, c = _stopped_by_file_new(workbench, qtbot)
    with qtbot.waitSignal(c.programChanged):
        window.files.open_example(examples_dir / "xor.json")
    assert mode.panel.verdict.text() == "" and mode.panel.about.text() == IDLE
