"""A first view that shows part of a graph says so, quietly: a note in the canvas's lower left
corner ("Part of the graph is out of view: View ▸ Fit to Graph (F)") while that view stands; a
graph shown whole has none, and Fit to Graph or a zoom takes it away."""
from __future__ import annotations

from test_first_view import LARGE, check_first_view
from training_helpers import EXAMPLES

from app.editor.view_cue import TEXT
from app.model.document import Document


def settled(window) -> bool:
    return window.view._pending is None and not window.view._settled.isActive()


def test_a_wide_graph_opened_in_part_says_so_until_the_person_fits_it(workbench, qtbot):
    window = workbench(Document.open(EXAMPLES / "xor.json"), size=LARGE)
    qtbot.waitUntil(lambda: settled(window))
    cue = window.view.cue
    assert check_first_view(window) == "objective"
    assert cue.isVisible() and cue.text() == TEXT == "Part of the graph is out of view: View ▸ Fit to Graph (F)"
    port = window.view.viewport().rect()
    assert port.contains(cue.geometry()) and cue.geometry().bottom() > port.height() - 40  # the lower left corner
    assert cue.geometry().left() < 40
    window.resize(1500, 950)  # the first view stands through a resize
    qtbot.waitUntil(lambda: window.view.viewport().width() < port.width())
    assert cue.isVisible()
    window.view.fit_to_graph()
    assert not cue.isVisible()


def test_a_graph_shown_whole_has_no_note_and_a_zoom_takes_it_away(workbench, qtbot):
    window = workbench(Document.open(EXAMPLES / "mazur.json"), size=LARGE)
    qtbot.waitUntil(lambda: settled(window))
    assert check_first_view(window) == "all"
    assert not window.view.cue.isVisible()
    assert window.files.open_example(EXAMPLES / "xor.json")
    qtbot.waitUntil(lambda: settled(window))
    assert window.view.cue.isVisible()
    window.view.zoom_out()
    assert not window.view.cue.isVisible()
