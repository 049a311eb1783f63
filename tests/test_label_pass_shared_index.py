"""The label pass's timer slices share one index of the scene: the labels land exactly where an
index made for every slice put them, far fewer indexes are made (their count grows with the
edges, not faster), and any change the pass hears of drops the shared index.

The first step of a fan-out graph (x fanned into branches, summed by an Add tree) writes a value
on every edge out of x and out of each p_i: a long curve of x's reaches across most of the
scene, so an index made per slice of four edges read much of the scene each time (143 indexes
of ~44,000 rectangles for the 997-node graph)."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF
from wide_graphs import fan_out_graph

from app import debugger
from app.debugger import runner
from app.model.document import Document
from core import io


def _window(make_main_window: Any, tmp_path: Any, branches: int, shared: bool = True) -> Any:
    path = tmp_path / f"fan{branches}.json"
    io.save(fan_out_graph(branches), path)
    window = make_main_window(Document.open(path), install=[debugger.install])
    window.resize(1400, 900)
    window.view.set_scale(0.3, QPointF(0.0, 0.0))
    if not shared:  # the pass as it was: an index made for every slice
        window.scene.label_pass._batch_index = lambda edges: None
    return window


def _settled_step(window: Any, qtbot: Any) -> None:
    window.run_steps(1)
    qtbot.waitUntil(lambda: not window.scene.label_pass.pending(), timeout=60000)


def _places(window: Any) -> dict[tuple[str, str, float], tuple[float, float, str]]:
    return {(*edge.key, side): (label.pos().x(), label.pos().y(), label.text)
            for edge in window.scene.edge_items() for label, side in edge.labels_with_side()}


def test_labels_land_where_an_index_made_for_every_slice_put_them(make_main_window, qtbot, tmp_path):
    shared = _window(make_main_window, tmp_path, 40)
    fresh = _window(make_main_window, tmp_path, 40, shared=False)
    for _ in range(2):  # the first step (every parameter's value appears) and the next
        made = shared.scene.label_pass.indexes_made
        _settled_step(shared, qtbot)
        _settled_step(fresh, qtbot)
        places = _places(shared)
        assert len(places) >= 80  # x's 40 edges and the p_i's
        assert places == _places(fresh)
    assert shared.scene.label_pass.indexes_made - made >= 1


def _indexes_for_the_first_step(make_main_window: Any, qtbot: Any, tmp_path: Any, branches: int) -> tuple[int, int]:
    """The indexes the first step's label pass made, and the edges it placed labels on."""
    window = _window(make_main_window, tmp_path, branches)
    passes = window.scene.label_pass
    before = passes.indexes_made
    _settled_step(window, qtbot)
    labelled = sum(1 for edge in window.scene.edge_items() if edge.label_items())
    return passes.indexes_made - before, labelled


def test_the_indexes_a_first_step_makes_grow_with_the_edges_and_serve_several_slices(
        make_main_window, qtbot, tmp_path):
    small, small_edges = _indexes_for_the_first_step(make_main_window, qtbot, tmp_path, 20)
    big, big_edges = _indexes_for_the_first_step(make_main_window, qtbot, tmp_path, 80)
    assert big_edges >= 4 * small_edges - 4
    slices = big_edges / 4  # an index per slice of four edges, as before
    assert big <= slices / 2
    assert big / small <= 1.5 * big_edges / small_edges  # not the square


def test_a_node_added_while_labels_wait_drops_the_shared_index(make_main_window, qtbot, tmp_path):
    window = _window(make_main_window, tmp_path, 40)
    passes = window.scene.label_pass
    window.run_steps(1)
    qtbot.waitUntil(lambda: passes._index is not None or not passes.pending(), timeout=60000)
    assert passes.pending() and passes._index is not None
    window.document.graph.add_node("Parameter", "late", value=[1.0, 2.0, 3.0], pos=(0.0, 0.0))
    assert passes._index is None


def test_the_first_step_reads_the_shapes_validation_found(make_main_window, monkeypatch, tmp_path):
    window = _window(make_main_window, tmp_path, 10)
    inferred: list[object] = []
    real = runner.infer_shapes
    monkeypatch.setattr(runner, "infer_shapes", lambda graph: inferred.append(graph) or real(graph))
    window.run_steps(1)
    assert inferred == []
    assert window.debugger.controller.stepper.cursor == 1
    assert runner.forward_size(window.debugger.controller.stepper) == runner.forward_size(
        window.debugger.controller.stepper, window.document.derived.shapes())
