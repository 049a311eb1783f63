"""The label pass keeps its waiting edges in order: it sorts them once per burst (and again after
a scroll or zoom), not once per slice, and what it places, in which order and where, is what the
per-slice sort placed (that sort, the pass as it was, is kept here as the reference)."""
from __future__ import annotations

import itertools
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QPointF
from wide_graphs import fan_out_graph

from app import debugger
from app.editor import label_pass
from app.editor.label_pass import SLICE, visible_area
from app.model.document import Document
from core import io

BRANCHES = 80  # 321 nodes; the first step labels 161 edges


def per_slice_sort(self: label_pass.LabelPass) -> None:
    """The pass as it placed a slice before it kept a queue: every waiting edge sorted again for
    each slice (in sight first, the latest burst's before the rest, the nearest the middle first)."""
    backlog = self._queued - self._edges
    waiting = self._waiting()
    visible = visible_area(self.scene)
    if visible is not None:
        self.ranked += len(waiting)  # counted as the pass counts its work
        centre = visible.center()

        def priority(edge: Any) -> tuple[bool, bool, float]:
            rect = edge.sceneBoundingRect()
            away = rect.center() - centre
            return not rect.intersects(visible), edge.key in backlog, abs(away.x()) + abs(away.y())

        waiting.sort(key=priority)
    self._queue = [edge.key for edge in reversed(waiting[SLICE:])]
    self._queued = set(self._queue)
    self._place(waiting[:SLICE])


@pytest.fixture
def fan_file(tmp_path):
    path = tmp_path / "fan.json"
    io.save(fan_out_graph(BRANCHES, size=1), path)
    return path


def _window(make_main_window: Any, path: Any) -> Any:
    window = make_main_window(Document.open(path), install=[debugger.install])
    window.resize(1600, 1000)
    window.view.set_scale(1.0, QPointF(0.0, 0.0))  # a part of the graph in sight, most of it not
    # the debugger's backlog sizes its slices by the time they take: a clock that counts makes both windows alike
    window.debugger.labels.backlog.clock = itertools.count(0.0, 0.004).__next__
    QCoreApplication.sendPostedEvents(window.scene.label_pass)
    return window


def _drive(window: Any) -> list[list[tuple[str, str]]]:
    """A first step, slices, a scroll, slices, a node moved, slices, another step, and slices
    until nothing waits, run
    by hand (the event loop never runs, so no timer adds a slice); returns each slice's edges."""
    passes = window.scene.label_pass
    slices: list[list[tuple[str, str]]] = []
    place = passes._place

    def recording(edges: Any) -> None:
        slices.append([edge.key for edge in edges])
        place(edges)

    passes._place = recording

    def ticks(count: int) -> None:
        for _ in range(count):
            if not passes.pending():
                return
            passes._tick()
            passes._timer.stop()

    window.run_steps(1)
    QCoreApplication.sendPostedEvents(passes)
    ticks(6)
    window.view.centerOn(QPointF(300.0, 900.0))  # other edges come into sight
    ticks(6)
    window.scene.node_item("x").moveBy(0.0, 90.0)  # x's edges move: a burst among what waits
    ticks(6)
    window.run_steps(1)  # a new burst (the step's own edge) while most still wait
    QCoreApplication.sendPostedEvents(passes)
    ticks(1000)
    assert not passes.pending()
    return [keys for keys in slices if keys]


def _places(window: Any) -> dict[tuple[str, str, float], tuple[float, float]]:
    return {(*edge.key, side): (label.pos().x(), label.pos().y())
            for edge in window.scene.edge_items() for label, side in edge.labels_with_side()}


def test_the_queue_places_the_same_edges_in_the_same_order_at_the_same_places_as_sorting_every_slice(
        make_main_window, fan_file):
    kept = _window(make_main_window, fan_file)
    sorted_each_slice = _window(make_main_window, fan_file)
    sorted_each_slice.scene.label_pass._place_slice = (
        lambda: per_slice_sort(sorted_each_slice.scene.label_pass))

    slices = _drive(kept)
    reference = _drive(sorted_each_slice)

    labelled = {edge.key for edge in kept.scene.edge_items() if edge.label_items()}
    assert len(labelled) == 2 * BRANCHES + 2  # x and p_i into each m_i, and the two steps' own outputs
    assert {key for keys in slices for key in keys} >= labelled
    assert len(slices) > 12
    assert slices == reference
    places = _places(kept)
    assert len(places) == len(labelled)
    assert places == _places(sorted_each_slice)


def test_a_pass_over_a_burst_sorts_its_edges_a_few_times_not_once_per_slice(make_main_window, fan_file):
    """The work of ordering (edges whose place is read to sort them) grows with the edges, not
    with edges × slices: each burst (the step's, the debugger's drawing after the repaint, the
    moved node's, the next step's) and the scroll rank what waits once."""
    window = _window(make_main_window, fan_file)
    passes = window.scene.label_pass
    passes.ranked = 0
    slices = _drive(window)
    edges = 2 * BRANCHES + 2
    assert len(slices) >= edges // SLICE
    assert 0 < passes.ranked <= 6 * edges  # about 6 bursts, each ranking what waits once

    # the same drive sorting every slice again (the reference) goes far past that bound
    again = _window(make_main_window, fan_file)
    sorting = again.scene.label_pass
    sorting._place_slice = lambda: per_slice_sort(sorting)
    sorting.ranked = 0
    assert _drive(again) == slices
    assert sorting.ranked > 16 * edges  # about edges² / (2·SLICE) and more
