"""An undo or redo that changes the graph's extent a lot frames the graph again as opening it
does (the first-view rule: all of it when its labels stay legible, else the readable zoom around
the objective): after Expand to Neurons and Undo, Mazur's 11 nodes fill the canvas again at a
legible zoom instead of sitting small in a corner until F."""
from __future__ import annotations

import pytest
from test_first_view import LARGE, check_first_view
from training_helpers import EXAMPLES
from window_helpers import edit_weight

from app.editor.framing import readable_scale
from app.model.document import Document
from app.teach import neurons


def settled(window) -> bool:
    view = window.view
    return view._pending is None and not view._settled.isActive() and not view.undo_framing._measure.isActive()


def test_undo_of_expand_to_neurons_frames_the_small_graph_again(workbench, qtbot):
    window = workbench(Document.open(EXAMPLES / "mazur.json"), size=LARGE)
    qtbot.waitUntil(lambda: settled(window))
    opened = window.view.scale_factor()
    assert check_first_view(window) == "all"
    neurons.expand_selected(window)
    qtbot.waitUntil(lambda: settled(window))
    window.view.fit_to_graph()  # F: the expanded graph whole, small
    expanded = window.view.scale_factor()
    assert expanded < 0.8 * opened
    window.document.undo_stack.undo()
    qtbot.waitUntil(lambda: settled(window))
    assert window.view.scale_factor() == pytest.approx(opened)
    assert check_first_view(window) == "all"
    window.document.undo_stack.redo()
    qtbot.waitUntil(lambda: settled(window))
    assert window.view.scale_factor() == pytest.approx(readable_scale())  # too big to fit legibly: around the loss
    assert check_first_view(window) == "objective"
    assert window.view.undo_framing.reframed == 2


def test_an_undo_that_keeps_the_extent_leaves_the_view_where_the_person_put_it(workbench, qtbot):
    window = workbench(Document.open(EXAMPLES / "mazur.json"), size=LARGE)
    qtbot.waitUntil(lambda: settled(window))
    window.view.set_scale(1.6)  # the person zoomed in
    edit_weight(window)
    window.document.undo_stack.undo()
    window.document.undo_stack.redo()
    neurons.expand_selected(window)  # a push that grows the graph: the person's view stays
    qtbot.waitUntil(lambda: settled(window))
    assert window.view.scale_factor() == pytest.approx(1.6)
    assert window.view.undo_framing.reframed == 0
